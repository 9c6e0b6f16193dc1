// Command anthropic shows genaix with the official Anthropic Go SDK
// (anthropic-sdk-go): a two-turn conversation sharing a long system prompt
// marked with cache_control. Turn 1 (Messages.New) writes the prompt to the
// cache; turn 2 (Messages.NewStreaming) reads it, and genaix prices cache
// writes and reads at their own rates.
//
//	go run ./anthropic                              # against a local mock LLM server
//	ANTHROPIC_API_KEY=sk-ant-... go run ./anthropic # against the Anthropic API
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/internal/mockllm"
	"github.com/genaix/genaix-go/llmhttp"
	"github.com/genaix/genaix-go/otelsetup"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "anthropic example:", err)
		os.Exit(1)
	}
}

const conversation = "anthropic-example"

// policy stands for a long, stable prompt worth caching (the API caches
// prompts of 1024 tokens or more).
var policy = "You answer questions about the Acme travel policy.\n" +
	strings.Repeat("Economy class for flights under six hours; business class above. Hotels up to 180 EUR a night. ", 60)

func run(ctx context.Context, out io.Writer) error {
	tel, err := otelsetup.Setup(ctx,
		otelsetup.WithServiceName("anthropic-example"),
		otelsetup.WithConsoleFallback(out),
		// Example prices (USD per million tokens); keep yours in a price file
		// named by GENAIX_PRICES_FILE.
		otelsetup.WithPrices(genaix.Prices{"claude-sonnet-4-5": {Input: 3, Output: 15, CacheRead: 0.30, CacheWrite: 3.75}}),
	)
	if err != nil {
		return err
	}
	defer tel.Shutdown(ctx)

	opts := []option.RequestOption{
		option.WithMiddleware(llmhttp.Middleware()), // first, before platform options (Bedrock, Vertex)
		// The SDK makes its own span per call when a TracerProvider is set.
		// Without this option both spans are kept: the llmhttp span nests in
		// the SDK's and is the one priced and counted, so nothing is counted
		// twice; with it, genaix's span is the only one.
		option.WithoutOpenTelemetry(),
	}
	if os.Getenv("ANTHROPIC_API_KEY") == "" {
		base, stop, err := mockllm.New().Start()
		if err != nil {
			return err
		}
		defer stop()
		opts = append(opts, option.WithBaseURL(base+"/"), option.WithAPIKey("mock"))
		fmt.Fprintln(out, "ANTHROPIC_API_KEY is not set: using the mock LLM server at", base)
	}
	client := anthropic.NewClient(opts...)

	params := anthropic.MessageNewParams{
		Model:     anthropic.ModelClaudeSonnet4_5,
		MaxTokens: 512,
		System:    []anthropic.TextBlockParam{{Text: policy, CacheControl: anthropic.NewCacheControlEphemeralParam()}},
	}
	for i, question := range []string{"Can I fly business to New York?", "And what hotel budget do I have there?"} {
		ctx := genaix.WithConversation(ctx, conversation, genaix.UserID("grace"))
		ctx, wf := genaix.StartWorkflow(ctx, fmt.Sprintf("policy-%d", i+1), "policy_qa")
		params.Messages = append(params.Messages, anthropic.NewUserMessage(anthropic.NewTextBlock(question)))
		var msg *anthropic.Message
		if i == 0 {
			msg, err = client.Messages.New(ctx, params)
		} else {
			msg, err = stream(ctx, client, params)
		}
		wf.RecordError(err)
		wf.End()
		if err != nil {
			return err
		}
		params.Messages = append(params.Messages, msg.ToParam())
		t := wf.Totals()
		fmt.Fprintf(out, "turn %d: cache write %d, cache read %d tokens, cost $%.6f: %.60q\n", genaix.ScopeFrom(ctx).Turn,
			msg.Usage.CacheCreationInputTokens, msg.Usage.CacheReadInputTokens, t.CostUSD(), text(msg))
	}

	if err := tel.Shutdown(ctx); err != nil { // flush spans and metrics before the summary
		return err
	}
	total, _ := tel.Processor().ConversationTotals(conversation)
	fmt.Fprintf(out, "conversation %s: 2 turns, %d LLM calls, %d+%d tokens, cost $%.6f\n",
		conversation, total.LLMCalls, total.InputTokens, total.OutputTokens, total.CostUSD())
	return nil
}

// stream accumulates a streamed message.
func stream(ctx context.Context, client anthropic.Client, params anthropic.MessageNewParams) (*anthropic.Message, error) {
	s := client.Messages.NewStreaming(ctx, params)
	defer s.Close()
	var msg anthropic.Message
	for s.Next() {
		if err := msg.Accumulate(s.Current()); err != nil {
			return nil, err
		}
	}
	return &msg, s.Err()
}

func text(msg *anthropic.Message) string {
	var b strings.Builder
	for _, block := range msg.Content {
		b.WriteString(block.Text)
	}
	return b.String()
}
