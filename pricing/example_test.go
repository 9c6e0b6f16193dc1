package pricing_test

import (
	"fmt"
	"log"
	"time"

	"github.com/genaix/genaix-go/pricing"
)

func ExampleTable_Lookup() {
	table, err := pricing.NewTable(pricing.Prices{
		"gpt-4o":            {Input: 2.5, Output: 10, CacheRead: 1.25},
		"gpt-4o-mini":       {Input: 0.15, Output: 0.6, CacheRead: 0.075},
		"claude-sonnet-4-5": {Input: 3, Output: 15, CacheRead: 0.3, CacheWrite: 3.75},
		"azure/gpt-4.1":     {Input: 2.2, Output: 8.8},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, call := range []struct{ provider, model string }{
		{"openai", "gpt-4o"},
		{"openai", "gpt-4o-mini-2024-07-18"},
		{"aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"},
		{"gcp.vertex_ai", "claude-sonnet-4-5@20250929"},
		{"azure.ai.openai", "gpt-4.1"},
		{"openai", "gpt-4o-nano"},
	} {
		m, ok := table.Lookup(call.provider, call.model)
		if !ok {
			fmt.Printf("%s: unpriced\n", call.model)
			continue
		}
		fmt.Printf("%s: %s (%s), $%v/M input\n", call.model, m.Key, m.How, m.Price.Input)
	}
	// Output:
	// gpt-4o: gpt-4o (exact), $2.5/M input
	// gpt-4o-mini-2024-07-18: gpt-4o-mini (normalized), $0.15/M input
	// us.anthropic.claude-sonnet-4-5-20250929-v1:0: claude-sonnet-4-5 (normalized), $3/M input
	// claude-sonnet-4-5@20250929: claude-sonnet-4-5 (normalized), $3/M input
	// gpt-4.1: azure/gpt-4.1 (provider), $2.2/M input
	// gpt-4o-nano: unpriced
}

func ExamplePrice_Cost() {
	sonnet := pricing.Price{Input: 3, Output: 15, CacheRead: 0.3, CacheWrite: 3.75}
	// Anthropic reported 20 new input tokens, 3,000 read from the cache and
	// 500 written to it, and 150 output tokens of which 100 were thinking.
	// Normalised, the input total includes the cached tokens.
	usage := pricing.Usage{
		InputTokens:      3520,
		CacheReadTokens:  3000,
		CacheWriteTokens: 500,
		OutputTokens:     150,
		ReasoningTokens:  100,
	}
	c := sonnet.Cost(usage)
	fmt.Printf("input $%v (cache read $%v, cache write $%v)\n", c.Input.USD(), c.CacheRead.USD(), c.CacheWrite.USD())
	fmt.Printf("output $%v (reasoning $%v)\n", c.Output.USD(), c.Reasoning.USD())
	fmt.Printf("total $%v\n", c.Total().USD())
	// Output:
	// input $0.002835 (cache read $0.0009, cache write $0.001875)
	// output $0.00225 (reasoning $0.0015)
	// total $0.005085
}

func ExampleNewTable() {
	catalog, err := pricing.ParseGenaix([]byte(`{
		"schema": "genaix.prices/v1",
		"models": {"gpt-4o": {"input": 2.5, "output": 10}, "o3": {"input": 2, "output": 8}}
	}`))
	if err != nil {
		log.Fatal(err)
	}
	// A negotiated price overrides the catalog's.
	table, err := pricing.NewTable(pricing.Prices{"gpt-4o": {Input: 2, Output: 8}}, catalog)
	if err != nil {
		log.Fatal(err)
	}
	for _, model := range []string{"gpt-4o", "o3"} {
		m, _ := table.Lookup("openai", model)
		fmt.Printf("%s: $%v/M input\n", model, m.Price.Input)
	}
	// Output:
	// gpt-4o: $2/M input
	// o3: $2/M input
}

func ExampleParseLiteLLM() {
	catalog, err := pricing.ParseLiteLLM([]byte(`{
		"sample_spec": {"input_cost_per_token": "cost per input token"},
		"claude-sonnet-4-5": {
			"input_cost_per_token": 3e-06,
			"output_cost_per_token": 1.5e-05,
			"cache_read_input_token_cost": 3e-07,
			"input_cost_per_token_above_200k_tokens": 6e-06,
			"output_cost_per_token_above_200k_tokens": 2.25e-05,
			"litellm_provider": "anthropic",
			"mode": "chat"
		}
	}`))
	if err != nil {
		log.Fatal(err)
	}
	p := catalog.Prices["claude-sonnet-4-5"]
	fmt.Printf("input $%v/M, output $%v/M, cache read $%v/M\n", p.Input, p.Output, p.CacheRead)
	for _, t := range p.Tiers {
		fmt.Printf("above %d input tokens: input $%v/M, output $%v/M\n", t.AboveInputTokens, t.Price.Input, t.Price.Output)
	}
	// Output:
	// input $3/M, output $15/M, cache read $0.3/M
	// above 200000 input tokens: input $6/M, output $22.5/M
}

func ExampleParseGenAIPrices() {
	catalog, err := pricing.ParseGenAIPrices([]byte(`[{
		"id": "openai", "name": "OpenAI", "api_pattern": "https://api\\.openai\\.com",
		"models": [{
			"id": "o3",
			"match": {"or": [{"equals": "o3"}, {"starts_with": "o3-2025-"}]},
			"prices": [
				{"prices": {"input_mtok": 10, "output_mtok": 40}},
				{"constraint": {"start_date": "2025-06-10"}, "prices": {"input_mtok": 2, "output_mtok": 8}}
			]
		}]
	}]`), time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		log.Fatal(err)
	}
	table, err := pricing.NewTable(nil, catalog)
	if err != nil {
		log.Fatal(err)
	}
	m, _ := table.Lookup("openai", "o3-2025-04-16")
	fmt.Printf("%s (%s): $%v/M input\n", m.Key, m.How, m.Price.Input)
	// Output:
	// openai/o3 (rule): $2/M input
}

func ExampleParseGenaix() {
	_, err := pricing.ParseGenaix([]byte(`{
		"schema": "genaix.prices/v1",
		"models": {"gpt-4o": {"input": 2.5, "output": 10, "cached_read": 1.25}}
	}`))
	fmt.Println(err)
	// Output:
	// pricing: genaix model "gpt-4o": json: unknown field "cached_read"
}

func ExampleLoadFile() {
	// LoadFile accepts LiteLLM, genai-prices and genaix files alike.
	catalog, err := pricing.LoadFile("testdata/genaix.json")
	if err != nil {
		log.Fatal(err)
	}
	table, err := pricing.NewTable(nil, catalog)
	if err != nil {
		log.Fatal(err)
	}
	m, _ := table.Lookup("azure.ai.openai", "o3")
	fmt.Printf("%s (%s): $%v/M reasoning\n", m.Key, m.How, m.Price.Reasoning)
	// Output:
	// azure/o3 (provider): $8.5/M reasoning
}
