// Command langchaingo shows genaix with LangChain Go
// (github.com/tmc/langchaingo) and its OpenAI provider: a two-turn
// conversation, the second turn streamed. The provider takes an HTTP client,
// so the instrumentation is llmhttp.NewClient(); langchaingo asks streams
// for usage itself, so the streamed turn is priced too.
//
//	go run ./langchaingo                        # against a local mock LLM server
//	OPENAI_API_KEY=sk-... go run ./langchaingo  # against the OpenAI API
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/openai"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/internal/mockllm"
	"github.com/genaix/genaix-go/llmhttp"
	"github.com/genaix/genaix-go/otelsetup"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "langchaingo example:", err)
		os.Exit(1)
	}
}

const conversation = "langchaingo-example"

func run(ctx context.Context, out io.Writer) error {
	tel, err := otelsetup.Setup(ctx,
		otelsetup.WithServiceName("langchaingo-example"),
		otelsetup.WithConsoleFallback(out),
		// Example prices (USD per million tokens); keep yours in a price file
		// named by GENAIX_PRICES_FILE.
		otelsetup.WithPrices(genaix.Prices{"gpt-4o-mini": {Input: 0.15, Output: 0.60, CacheRead: 0.075}}),
	)
	if err != nil {
		return err
	}
	defer tel.Shutdown(ctx)

	opts := []openai.Option{openai.WithModel("gpt-4o-mini"), openai.WithHTTPClient(llmhttp.NewClient())}
	if os.Getenv("OPENAI_API_KEY") == "" {
		base, stop, err := mockllm.New().Start()
		if err != nil {
			return err
		}
		defer stop()
		opts = append(opts, openai.WithBaseURL(base+"/v1"), openai.WithToken("mock"))
		fmt.Fprintln(out, "OPENAI_API_KEY is not set: using the mock LLM server at", base)
	}
	llm, err := openai.New(opts...) // the key, if not set above, comes from OPENAI_API_KEY
	if err != nil {
		return err
	}

	history := []llms.MessageContent{llms.TextParts(llms.ChatMessageTypeSystem, "You suggest books, briefly.")}
	for i, question := range []string{"Suggest a novel about the sea.", "Something shorter, please."} {
		ctx := genaix.WithConversation(ctx, conversation, genaix.UserID("ursula"))
		ctx, wf := genaix.StartWorkflow(ctx, fmt.Sprintf("books-%d", i+1), "book_advisor")
		history = append(history, llms.TextParts(llms.ChatMessageTypeHuman, question))
		var callOpts []llms.CallOption
		if i == 1 {
			callOpts = append(callOpts, llms.WithStreamingFunc(func(context.Context, []byte) error {
				return nil // a real app would forward each chunk to its user
			}))
		}
		resp, err := llm.GenerateContent(ctx, history, callOpts...)
		wf.RecordError(err)
		wf.End()
		if err != nil {
			return err
		}
		answer := resp.Choices[0].Content
		history = append(history, llms.TextParts(llms.ChatMessageTypeAI, answer))
		t := wf.Totals()
		fmt.Fprintf(out, "turn %d: %d+%d tokens, cost $%.6f: %.60q\n",
			genaix.ScopeFrom(ctx).Turn, t.InputTokens, t.OutputTokens, t.CostUSD(), answer)
	}

	if err := tel.Shutdown(ctx); err != nil { // flush spans and metrics before the summary
		return err
	}
	total, _ := tel.Processor().ConversationTotals(conversation)
	fmt.Fprintf(out, "conversation %s: 2 turns, %d LLM calls, cost $%.6f\n", conversation, total.LLMCalls, total.CostUSD())
	return nil
}
