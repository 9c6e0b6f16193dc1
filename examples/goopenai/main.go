// Command goopenai shows genaix with the community OpenAI client
// github.com/sashabaranov/go-openai: a two-turn conversation, the second turn
// streamed with include_usage. The client takes an *http.Client, so the
// instrumentation is llmhttp.NewClient().
//
//	go run ./goopenai                        # against a local mock LLM server
//	OPENAI_API_KEY=sk-... go run ./goopenai  # against the OpenAI API
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	openai "github.com/sashabaranov/go-openai"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/internal/mockllm"
	"github.com/genaix/genaix-go/llmhttp"
	"github.com/genaix/genaix-go/otelsetup"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "goopenai example:", err)
		os.Exit(1)
	}
}

const conversation = "goopenai-example"

func run(ctx context.Context, out io.Writer) error {
	tel, err := otelsetup.Setup(ctx,
		otelsetup.WithServiceName("goopenai-example"),
		otelsetup.WithConsoleFallback(out),
		// Example prices (USD per million tokens); keep yours in a price file
		// named by GENAIX_PRICES_FILE.
		otelsetup.WithPrices(genaix.Prices{"gpt-4o-mini": {Input: 0.15, Output: 0.60, CacheRead: 0.075}}),
	)
	if err != nil {
		return err
	}
	defer tel.Shutdown(ctx)

	cfg := openai.DefaultConfig(os.Getenv("OPENAI_API_KEY"))
	cfg.HTTPClient = llmhttp.NewClient()
	if os.Getenv("OPENAI_API_KEY") == "" {
		base, stop, err := mockllm.New().Start()
		if err != nil {
			return err
		}
		defer stop()
		cfg.BaseURL = base + "/v1"
		fmt.Fprintln(out, "OPENAI_API_KEY is not set: using the mock LLM server at", base)
	}
	client := openai.NewClientWithConfig(cfg)

	history := []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleSystem, Content: "You are a terse Go mentor."}}
	for i, question := range []string{"What is a goroutine?", "And how do I stop one?"} {
		ctx := genaix.WithConversation(ctx, conversation, genaix.UserID("rob"))
		ctx, wf := genaix.StartWorkflow(ctx, fmt.Sprintf("mentor-%d", i+1), "mentor_chat")
		history = append(history, openai.ChatCompletionMessage{Role: openai.ChatMessageRoleUser, Content: question})
		req := openai.ChatCompletionRequest{Model: openai.GPT4oMini, Messages: history}
		var answer string
		if i == 0 {
			var resp openai.ChatCompletionResponse
			if resp, err = client.CreateChatCompletion(ctx, req); err == nil {
				answer = resp.Choices[0].Message.Content
			}
		} else {
			req.Stream = true
			req.StreamOptions = &openai.StreamOptions{IncludeUsage: true} // streams report usage only when asked
			answer, err = stream(ctx, client, req)
		}
		wf.RecordError(err)
		wf.End()
		if err != nil {
			return err
		}
		history = append(history, openai.ChatCompletionMessage{Role: openai.ChatMessageRoleAssistant, Content: answer})
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

// stream gathers a streamed answer.
func stream(ctx context.Context, client *openai.Client, req openai.ChatCompletionRequest) (string, error) {
	s, err := client.CreateChatCompletionStream(ctx, req)
	if err != nil {
		return "", err
	}
	defer s.Close() // ends the llmhttp span even if reading stops early
	var b strings.Builder
	for {
		chunk, err := s.Recv()
		if errors.Is(err, io.EOF) {
			return b.String(), nil
		}
		if err != nil {
			return "", err
		}
		if len(chunk.Choices) > 0 { // the include_usage chunk has no choices
			b.WriteString(chunk.Choices[0].Delta.Content)
		}
	}
}
