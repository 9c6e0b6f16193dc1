// Command ollama shows genaix with the Ollama Go client
// (github.com/ollama/ollama/api): a two-turn chat, the first turn answered
// whole, the second streamed. The client takes an *http.Client, so the
// instrumentation is llmhttp.NewClient().
//
//	go run ./ollama                                 # against a local mock LLM server
//	OLLAMA_HOST=127.0.0.1:11434 go run ./ollama     # against your Ollama server
package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/ollama/ollama/api"
	"github.com/ollama/ollama/envconfig"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/internal/mockllm"
	"github.com/genaix/genaix-go/llmhttp"
	"github.com/genaix/genaix-go/otelsetup"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ollama example:", err)
		os.Exit(1)
	}
}

const (
	conversation = "ollama-example"
	model        = "llama3.2"
)

func run(ctx context.Context, out io.Writer) error {
	tel, err := otelsetup.Setup(ctx,
		otelsetup.WithServiceName("ollama-example"),
		otelsetup.WithConsoleFallback(out),
		// A local model has no list price, and genaix never counts an unpriced
		// model as free: it flags it. Give it what it costs you to run, in USD
		// per million tokens, to see it in the totals.
		otelsetup.WithPrices(genaix.Prices{model: {Input: 0.02, Output: 0.05}}),
	)
	if err != nil {
		return err
	}
	defer tel.Shutdown(ctx)

	base := envconfig.Host() // OLLAMA_HOST, with Ollama's defaults
	if os.Getenv("OLLAMA_HOST") == "" {
		mock, stop, err := mockllm.New().Start()
		if err != nil {
			return err
		}
		defer stop()
		if base, err = url.Parse(mock); err != nil {
			return err
		}
		fmt.Fprintln(out, "OLLAMA_HOST is not set: using the mock LLM server at", mock)
	}
	client := api.NewClient(base, llmhttp.NewClient())

	messages := []api.Message{{Role: "system", Content: "You answer in one sentence."}}
	for i, question := range []string{"Why is the sky blue?", "And why are sunsets red?"} {
		ctx := genaix.WithConversation(ctx, conversation, genaix.UserID("ken"))
		ctx, wf := genaix.StartWorkflow(ctx, fmt.Sprintf("science-%d", i+1), "science_chat")
		messages = append(messages, api.Message{Role: "user", Content: question})
		streamed := i == 1 // turn 1 whole, turn 2 streamed (NDJSON)
		var answer strings.Builder
		err := client.Chat(ctx, &api.ChatRequest{Model: model, Messages: messages, Stream: &streamed},
			func(r api.ChatResponse) error {
				answer.WriteString(r.Message.Content)
				return nil
			})
		wf.RecordError(err)
		wf.End()
		if err != nil {
			return err
		}
		messages = append(messages, api.Message{Role: "assistant", Content: answer.String()})
		t := wf.Totals()
		fmt.Fprintf(out, "turn %d: %d+%d tokens, cost $%.6f: %.60q\n",
			genaix.ScopeFrom(ctx).Turn, t.InputTokens, t.OutputTokens, t.CostUSD(), answer.String())
	}

	if err := tel.Shutdown(ctx); err != nil { // flush spans and metrics before the summary
		return err
	}
	total, _ := tel.Processor().ConversationTotals(conversation)
	fmt.Fprintf(out, "conversation %s: 2 turns, %d LLM calls, cost $%.6f\n", conversation, total.LLMCalls, total.CostUSD())
	return nil
}
