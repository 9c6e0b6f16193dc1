package integration

import (
	"bytes"
	"context"
	"testing"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/openai/openai-go/v3"
	"go.opentelemetry.io/otel/codes"

	"github.com/genaix/genaix-go"
)

// afterEvents returns the length of the first n SSE events of body.
func afterEvents(t *testing.T, body []byte, n int) int {
	t.Helper()
	end := 0
	for range n {
		i := bytes.Index(body[end:], []byte("\n\n"))
		if i < 0 {
			t.Fatalf("fewer than %d events", n)
		}
		end += i + 2
	}
	return end
}

// TestStreamAbandoned: the server is still generating when the caller stops
// reading and closes the stream, or cancels its context. The span still ends
// (by the time Close returns, without waiting), once, with the early values
// it saw, no finish reason, and no usage or cost it did not see.
func TestStreamAbandoned(t *testing.T) {
	t.Run("openai-go closed mid-stream", func(t *testing.T) {
		h := newHarness(t)
		body := wireFixture(t, "openai_chat_stream_usage.sse")
		rep := sseReply(body)
		rep.hold = afterEvents(t, body, 2)
		srv := serve(t, rep)
		client := newOpenAI(h, srv)
		stream := client.Chat.Completions.NewStreaming(context.Background(), openai.ChatCompletionNewParams{
			Model:         "gpt-4.1-mini",
			Messages:      []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Where is order A17?")},
			StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)},
		})
		if !stream.Next() || !stream.Next() {
			t.Fatal(stream.Err())
		}
		if got := stream.Current().Choices[0].Delta.Content; got != "Order A17 shipped" {
			t.Errorf("second chunk %q", got)
		}
		if err := stream.Close(); err != nil {
			t.Fatal(err)
		}
		s := h.only(t)
		wantAttr(t, s, genaix.ResponseIDKey, "chatcmpl-C1d2e3F4g5H6i7J8k9L0mN1o")
		wantAttr(t, s, genaix.ResponseModelKey, "gpt-4.1-mini-2025-04-14")
		wantAbsent(t, s, genaix.InputTokensKey, genaix.OutputTokensKey, genaix.CostUSDKey, genaix.FinishReasonsKey)
		wantAttr(t, s, genaix.UsageUnavailableKey, "incomplete")
		wantAttr(t, s, genaix.UnpricedKey, "no_usage")
		if _, ok := attr(s, genaix.TimeToFirstChunkKey); !ok {
			t.Error("time to first chunk missing: content was received")
		}
		if n, _, _ := tokenMetrics(t, h.collect(t)); len(n) != 0 {
			t.Errorf("token metric recorded %v for a call without usage", n)
		}
	})
	t.Run("anthropic-sdk-go context cancelled", func(t *testing.T) {
		h := newHarness(t)
		body := ownFixture(t, "anthropic_messages_stream_cache_5m.sse")
		rep := sseReply(body)
		rep.hold = afterEvents(t, body, 4) // message_start, content_block_start, ping, first delta
		srv := serve(t, rep)
		client := newAnthropic(h, srv)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		stream := client.Messages.NewStreaming(ctx, claudeParams())
		var msg anthropic.Message
		for range 3 { // the ping is not surfaced as an event
			if !stream.Next() {
				t.Fatal(stream.Err())
			}
			if err := msg.Accumulate(stream.Current()); err != nil {
				t.Fatal(err)
			}
		}
		if msg.Content[0].Text != "Per the returns policy, " {
			t.Fatalf("SDK accumulated %s", msg.RawJSON())
		}
		cancel()
		for stream.Next() {
		}
		if stream.Err() == nil {
			t.Error("the SDK reported no error after cancellation")
		}
		_ = stream.Close()
		s := h.only(t)
		wantAttr(t, s, genaix.ResponseIDKey, "msg_01Tq8Wz4Rk2Yp6Nd3Hs9Ve5C")
		wantAbsent(t, s, genaix.FinishReasonsKey)
		// A cancelled call failed: error.type canceled. message_start's counts
		// are the last the provider reported, and stand, as they do before an
		// in-stream error (wire-formats §10, §16): input 35 + 12,000 + 2,200,
		// provisional output 1. Cost: input 11,955,000 n$ (as in
		// TestAnthropicStreamCache/5m) + output 1 × 15 × 1000 = 15,000 n$.
		if s.Status.Code != codes.Error {
			t.Errorf("status = %v", s.Status)
		}
		wantAttr(t, s, genaix.ErrorTypeKey, "canceled")
		wantAttr(t, s, genaix.InputTokensKey, 14_235)
		wantAttr(t, s, genaix.CacheReadTokensKey, 12_000)
		wantAttr(t, s, genaix.CacheWriteTokensKey, 2_200)
		wantAttr(t, s, genaix.OutputTokensKey, 1)
		wantCost(t, s, genaix.CostUSDKey, 11_970_000)
	})
}
