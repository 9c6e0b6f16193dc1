package pricing

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"
)

// addFiles seeds f with the testdata files whose names match pattern.
func addFiles(f *testing.F, patterns ...string) {
	for _, pattern := range patterns {
		names, _ := filepath.Glob(filepath.Join("testdata", pattern))
		for _, name := range names {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
}

// checkCatalog asserts what every successfully loaded catalog must satisfy:
// its prices are valid, a table accepts it, and each key finds itself.
func checkCatalog(t *testing.T, c *Catalog) {
	tab, err := NewTable(nil, c)
	if err != nil {
		t.Fatalf("a loaded catalog is not valid: %v", err)
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range c.Prices {
			if !yield(k) {
				return
			}
		}
	})
	for _, k := range keys[:min(len(keys), 50)] {
		m, ok := tab.Lookup("", k)
		if !ok || m.How != HowExact {
			t.Fatalf("key %q not found exactly: %+v %v", k, m, ok)
		}
		m.Price.Cost(Usage{InputTokens: 300_000, OutputTokens: 1000, CacheReadTokens: 10, CacheWriteTokens: 10, CacheWrite1hTokens: 5, ReasoningTokens: 10})
	}
	for _, r := range c.Rules[:min(len(c.Rules), 50)] {
		r.Match("gpt-4o")
		r.Match("")
	}
}

func FuzzParseLiteLLM(f *testing.F) {
	addFiles(f, "litellm.json", "bad/litellm-*.json")
	f.Add([]byte(`{"m": {"input_cost_per_token": "1e-6", "output_cost_per_token_above_1k_tokens": 2e-06}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseLiteLLM(data)
		if err != nil {
			if c != nil {
				t.Fatal("a catalog and an error")
			}
			return
		}
		checkCatalog(t, c)
	})
}

func FuzzParseGenAIPrices(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("testdata", "genai-prices.json"))
	bad, _ := filepath.Glob(filepath.Join("testdata", "bad", "genai-prices-*.json"))
	for _, name := range append(names, bad...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, int64(1751371200)) // 2025-07-01T12:00:00Z
	}
	f.Add([]byte(`[{"id": "p", "models": [{"id": "m", "match": {"and": [{"or": [{"regex": "^a"}]}]}, "prices": {"input_mtok": {"base": 1, "tiers": []}}}]}]`), int64(0))
	f.Fuzz(func(t *testing.T, data []byte, unix int64) {
		c, err := ParseGenAIPrices(data, time.Unix(unix, 0))
		if err != nil {
			if c != nil {
				t.Fatal("a catalog and an error")
			}
			return
		}
		checkCatalog(t, c)
	})
}

func FuzzParseGenaix(f *testing.F) {
	addFiles(f, "genaix.json", "bad/genaix-*.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseGenaix(data)
		if err != nil {
			if c != nil {
				t.Fatal("a catalog and an error")
			}
			return
		}
		checkCatalog(t, c)
	})
}

var fuzzTable = sync.OnceValue(func() *Table {
	c, err := ParseLiteLLM(mustRead("litellm.json"))
	if err != nil {
		panic(err)
	}
	g, err := ParseGenAIPrices(mustRead("genai-prices.json"), time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	t, err := NewTable(Prices{
		"gpt-4o":        {Input: 2.5, Output: 10},
		"gpt-4o-mini":   {Input: 0.15, Output: 0.6},
		"o1":            {Input: 15, Output: 60},
		"o1-mini":       {Input: 1.1, Output: 4.4},
		"claude-opus-4": {Input: 15, Output: 75},
	}, c, g)
	if err != nil {
		panic(err)
	}
	return t
})

func mustRead(name string) []byte {
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		panic(err)
	}
	return data
}

func FuzzLookup(f *testing.F) {
	for _, s := range [][2]string{
		{"", "gpt-4o"}, {"openai", "gpt-4o-mini-2024-07-18"}, {"azure.ai.openai", "gpt-4o"},
		{"aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"}, {"gcp.vertex_ai", "claude-sonnet-4-5@20250929"},
		{"openrouter", "openrouter/openai/gpt-4o"}, {"", "claude-opus-4-7"}, {"", "o1-mini"},
		{"x_ai", "grok-4-0709"}, {"", "model-2024-02-29"}, {"", "-v1:0"}, {"", "@latest"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, provider, model string) {
		tab := fuzzTable()
		m1, ok1 := tab.Lookup(provider, model)
		m2, ok2 := tab.Lookup(provider, model)
		m3, ok3 := tab.resolve(provider, model)
		if ok1 != ok2 || ok1 != ok3 || !reflect.DeepEqual(m1, m2) || !reflect.DeepEqual(m1, m3) {
			t.Fatalf("unstable: %+v %v, then %+v %v, uncached %+v %v", m1, ok1, m2, ok2, m3, ok3)
		}
		if !ok1 {
			return
		}
		if m1.Key == "" || m1.How == "" {
			t.Fatalf("found without a key or how: %+v", m1)
		}
		if m1.How == HowNormalized && !sharesForm(model, m1.Key) {
			t.Fatalf("%q normalised to %q without a common form", model, m1.Key)
		}
		// The key it names must itself resolve to the same price.
		if m1.How != HowRule {
			k, ok := tab.Lookup("", m1.Key)
			if !ok || !reflect.DeepEqual(k.Price, m1.Price) {
				t.Fatalf("key %q does not find its own price: %+v %v", m1.Key, k, ok)
			}
		}
	})
}

func sharesForm(a, b string) bool {
	fb := nameForms(b)
	for _, f := range nameForms(a) {
		if slices.Contains(fb, f) {
			return true
		}
	}
	return false
}
