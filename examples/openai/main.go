// Command openai shows genaix with the official OpenAI Go SDK (openai-go v3):
// a two-turn conversation, one workflow per turn. Turn 1 lets the model call
// a tool, run through genaix.ObserveTool; turn 2 streams its answer with
// include_usage, so the stream reports usage and is priced.
//
//	go run ./openai                        # against a local mock LLM server
//	OPENAI_API_KEY=sk-... go run ./openai  # against the OpenAI API
//
// Spans and metrics are printed to stdout unless OTEL_TRACES_EXPORTER and
// OTEL_METRICS_EXPORTER say otherwise (otlp, console, none).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/internal/mockllm"
	"github.com/genaix/genaix-go/llmhttp"
	"github.com/genaix/genaix-go/otelsetup"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "openai example:", err)
		os.Exit(1)
	}
}

const conversation = "openai-example"

func run(ctx context.Context, out io.Writer) error {
	tel, err := otelsetup.Setup(ctx,
		otelsetup.WithServiceName("openai-example"),
		otelsetup.WithConsoleFallback(out),
		// Example prices (USD per million tokens); keep yours in a price file
		// named by GENAIX_PRICES_FILE.
		otelsetup.WithPrices(genaix.Prices{"gpt-4o-mini": {Input: 0.15, Output: 0.60, CacheRead: 0.075}}),
	)
	if err != nil {
		return err
	}
	defer tel.Shutdown(ctx) // on early returns; Shutdown is idempotent

	// The genaix middleware goes first, before options that rewrite requests.
	opts := []option.RequestOption{option.WithMiddleware(llmhttp.Middleware())}
	if os.Getenv("OPENAI_API_KEY") == "" {
		base, stop, err := mockllm.New().Start()
		if err != nil {
			return err
		}
		defer stop()
		opts = append(opts, option.WithBaseURL(base+"/v1/"), option.WithAPIKey("mock"))
		fmt.Fprintln(out, "OPENAI_API_KEY is not set: using the mock LLM server at", base)
	}
	client := openai.NewClient(opts...)
	tools := []openai.ChatCompletionToolUnionParam{openai.ChatCompletionFunctionTool(openai.FunctionDefinitionParam{
		Name:        "get_weather",
		Description: openai.String("Current weather in a city"),
		Parameters: openai.FunctionParameters{"type": "object", "required": []string{"city"},
			"properties": map[string]any{"city": map[string]string{"type": "string"}}},
	})}
	history := []openai.ChatCompletionMessageParamUnion{openai.SystemMessage("You are a concise travel assistant.")}

	for i, question := range []string{"What is the weather in Lisbon?", "Should I pack an umbrella?"} {
		// Each turn is a new request of the same conversation: every span below
		// carries the conversation id and the turn number genaix assigns.
		ctx := genaix.WithConversation(ctx, conversation, genaix.UserID("ada"))
		ctx, wf := genaix.StartWorkflow(ctx, fmt.Sprintf("trip-%d", i+1), "travel_assistant")
		history = append(history, openai.UserMessage(question))
		params := openai.ChatCompletionNewParams{Model: openai.ChatModelGPT4oMini, Messages: history}
		var answer string
		if i == 0 {
			params.Tools = tools
			answer, err = answerWithTools(ctx, client, params)
		} else {
			params.StreamOptions.IncludeUsage = openai.Bool(true) // streams report usage only when asked
			answer, err = stream(ctx, client, params)
		}
		wf.RecordError(err)
		wf.End()
		if err != nil {
			return err
		}
		history = append(history, openai.AssistantMessage(answer))
		t := wf.Totals()
		fmt.Fprintf(out, "turn %d: %d LLM calls, %d tool calls, %d+%d tokens, cost $%.6f: %.60q\n",
			genaix.ScopeFrom(ctx).Turn, t.LLMCalls, t.ToolCalls, t.InputTokens, t.OutputTokens, t.CostUSD(), answer)
	}

	if err := tel.Shutdown(ctx); err != nil { // flush spans and metrics before the summary
		return err
	}
	total, _ := tel.Processor().ConversationTotals(conversation)
	fmt.Fprintf(out, "conversation %s: 2 turns, %d LLM calls, %d tool calls, cost $%.6f\n",
		conversation, total.LLMCalls, total.ToolCalls, total.CostUSD())
	return nil
}

// answerWithTools asks the model, runs the tools it calls, and asks again
// with their results, for at most three rounds.
func answerWithTools(ctx context.Context, client openai.Client, params openai.ChatCompletionNewParams) (string, error) {
	for round := 1; ; round++ {
		resp, err := client.Chat.Completions.New(ctx, params)
		if err == nil && len(resp.Choices) == 0 {
			err = errors.New("no choices in the response")
		}
		if err != nil {
			return "", err
		}
		msg := resp.Choices[0].Message
		if len(msg.ToolCalls) == 0 || round == 3 {
			return msg.Content, nil
		}
		params.Messages = append(params.Messages, msg.ToParam())
		for _, call := range msg.ToolCalls {
			var args struct{ City string }
			_ = json.Unmarshal([]byte(call.Function.Arguments), &args)
			result, err := genaix.ObserveTool(ctx, call.Function.Name, args, func(context.Context) (string, error) {
				return "18°C, light rain in " + args.City, nil // a real tool would call a weather API
			}, genaix.ToolCallID(call.ID))
			if err != nil {
				return "", err
			}
			params.Messages = append(params.Messages, openai.ToolMessage(result, call.ID))
		}
	}
}

// stream gathers a streamed answer.
func stream(ctx context.Context, client openai.Client, params openai.ChatCompletionNewParams) (string, error) {
	s := client.Chat.Completions.NewStreaming(ctx, params)
	defer s.Close() // ends the llmhttp span even if the loop stops early
	var acc openai.ChatCompletionAccumulator
	for s.Next() {
		acc.AddChunk(s.Current())
	}
	if err := s.Err(); err != nil || len(acc.Choices) == 0 {
		return "", fmt.Errorf("stream: %v (%d choices)", err, len(acc.Choices))
	}
	return acc.Choices[0].Message.Content, nil
}
