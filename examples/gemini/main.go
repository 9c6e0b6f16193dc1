// Command gemini shows genaix with the Google Gen AI Go SDK
// (google.golang.org/genai): a two-turn chat, the first turn through
// generateContent, the second streamed through streamGenerateContent. The SDK
// takes an *http.Client, so the instrumentation is llmhttp.NewClient().
//
//	go run ./gemini                         # against a local mock LLM server
//	GEMINI_API_KEY=... go run ./gemini      # against the Gemini API (or GOOGLE_API_KEY)
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"google.golang.org/genai"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/internal/mockllm"
	"github.com/genaix/genaix-go/llmhttp"
	"github.com/genaix/genaix-go/otelsetup"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gemini example:", err)
		os.Exit(1)
	}
}

const (
	conversation = "gemini-example"
	model        = "gemini-2.5-flash"
)

func run(ctx context.Context, out io.Writer) error {
	tel, err := otelsetup.Setup(ctx,
		otelsetup.WithServiceName("gemini-example"),
		otelsetup.WithConsoleFallback(out),
		// Example prices (USD per million tokens); keep yours in a price file
		// named by GENAIX_PRICES_FILE. Thinking tokens are output tokens.
		otelsetup.WithPrices(genaix.Prices{model: {Input: 0.30, Output: 2.50, CacheRead: 0.03}}),
	)
	if err != nil {
		return err
	}
	defer tel.Shutdown(ctx)

	cfg := &genai.ClientConfig{Backend: genai.BackendGeminiAPI, HTTPClient: llmhttp.NewClient()}
	if os.Getenv("GEMINI_API_KEY") == "" && os.Getenv("GOOGLE_API_KEY") == "" {
		base, stop, err := mockllm.New().Start()
		if err != nil {
			return err
		}
		defer stop()
		cfg.APIKey, cfg.HTTPOptions.BaseURL = "mock", base+"/"
		fmt.Fprintln(out, "GEMINI_API_KEY is not set: using the mock LLM server at", base)
	}
	client, err := genai.NewClient(ctx, cfg) // the key, if not set above, comes from the environment
	if err != nil {
		return err
	}
	chat, err := client.Chats.Create(ctx, model, &genai.GenerateContentConfig{
		SystemInstruction: genai.NewContentFromText("You are a friendly cooking assistant.", genai.RoleUser),
	}, nil)
	if err != nil {
		return err
	}

	for i, question := range []string{"What can I cook with leeks?", "How long does the soup take?"} {
		ctx := genaix.WithConversation(ctx, conversation, genaix.UserID("linus"))
		ctx, wf := genaix.StartWorkflow(ctx, fmt.Sprintf("recipe-%d", i+1), "cooking_chat")
		var answer strings.Builder
		var err error
		if i == 0 {
			var resp *genai.GenerateContentResponse
			if resp, err = chat.SendMessage(ctx, genai.Part{Text: question}); err == nil { // generateContent
				answer.WriteString(resp.Text())
			}
		} else {
			for resp, serr := range chat.SendMessageStream(ctx, genai.Part{Text: question}) { // streamGenerateContent
				if err = serr; err != nil {
					break
				}
				answer.WriteString(resp.Text())
			}
		}
		wf.RecordError(err)
		wf.End()
		if err != nil {
			return err
		}
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
