package integration

import (
	"context"
	"errors"
	"testing"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/ollama/ollama/api"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"google.golang.org/genai"

	"github.com/genaix/genaix-go"
)

// TestErrors makes calls that fail, by HTTP status or inside an HTTP 200
// stream, through the real SDKs: the SDK returns an error to the caller, and
// the one span is marked failed with the provider's low-cardinality error
// type. Usage reported before an in-stream error stands (wire-formats §16);
// otherwise there is none, and no cost.
func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		reply     reply
		do        func(t *testing.T, h *harness, srv *server) error
		spanName  string
		errorType string
		in, out   int64  // usage reported before the error; 0, 0: none
		unpriced  string // genaix.cost.unpriced
		finish    []string
	}{{
		name: "openai-go 429",
		reply: reply{status: 429, ctype: "application/json", header: map[string]string{"x-should-retry": "false"},
			body: wireFixture(t, "openai_chat_error_429.json")},
		do: func(t *testing.T, h *harness, srv *server) error {
			client := newOpenAI(h, srv)
			_, err := client.Chat.Completions.New(context.Background(), gpt4oParams())
			return err
		},
		spanName: "chat gpt-4o", errorType: "rate_limit_exceeded", unpriced: "no_usage",
	}, {
		name:  "openai-go responses failed",
		reply: sseReply(wireFixture(t, "openai_responses_stream_failed.sse")),
		do: func(t *testing.T, h *harness, srv *server) error {
			client := newOpenAI(h, srv, option.WithMaxRetries(0))
			stream := client.Responses.NewStreaming(context.Background(), responses.ResponseNewParams{
				Model: "gpt-5",
				Input: responses.ResponseNewParamsInputUnion{OfString: openai.String("Summarise the quarter.")},
			})
			failed := false
			for stream.Next() {
				failed = failed || stream.Current().Type == "response.failed"
			}
			_ = stream.Close()
			if !failed {
				return stream.Err() // nil: the test fails below
			}
			return errFailedEvent
		},
		spanName: "chat gpt-5", errorType: "server_error", unpriced: "no_usage", finish: []string{"error"},
	}, {
		name:  "anthropic 529",
		reply: reply{status: 529, ctype: "application/json", body: wireFixture(t, "anthropic_messages_error_529.json")},
		do: func(t *testing.T, h *harness, srv *server) error {
			client := newAnthropic(h, srv)
			_, err := client.Messages.New(context.Background(), claudeParams())
			return err
		},
		spanName: "chat " + claudeModel, errorType: "overloaded_error", unpriced: "no_usage",
	}, {
		name:  "anthropic error event over 200",
		reply: sseReply(wireFixture(t, "anthropic_messages_stream_error.sse")),
		do: func(t *testing.T, h *harness, srv *server) error {
			client := newAnthropic(h, srv)
			p := claudeParams()
			p.Model = "claude-opus-4-1"
			stream := client.Messages.NewStreaming(context.Background(), p)
			var msg anthropic.Message
			for stream.Next() {
				_ = msg.Accumulate(stream.Current())
			}
			_ = stream.Close()
			if msg.Content[0].Text != "The quarterly" {
				t.Errorf("SDK accumulated %s", msg.RawJSON())
			}
			return stream.Err()
		},
		// message_start's 25 input and 1 output tokens stand; the model has no price.
		spanName: "chat claude-opus-4-1", errorType: "overloaded_error", in: 25, out: 1, unpriced: "unknown_model",
	}, {
		name:  "genai 429",
		reply: reply{status: 429, ctype: "application/json", body: wireFixture(t, "gemini_generate_error_429.json")},
		do: func(t *testing.T, h *harness, srv *server) error {
			_, err := newGenAI(t, h, srv).Models.GenerateContent(context.Background(), "gemini-2.5-flash", genai.Text("Hi"), nil)
			return err
		},
		spanName: "generate_content gemini-2.5-flash", errorType: "RESOURCE_EXHAUSTED", unpriced: "no_usage",
	}, {
		name:  "genai error event over 200",
		reply: sseReply(wireFixture(t, "gemini_generate_stream_error.sse")),
		do: func(t *testing.T, h *harness, srv *server) error {
			var err error
			for _, e := range newGenAI(t, h, srv).Models.GenerateContentStream(context.Background(), "gemini-2.5-pro", genai.Text("Hi"), nil) {
				if e != nil {
					err = e
				}
			}
			return err
		},
		spanName: "generate_content gemini-2.5-pro", errorType: "UNAVAILABLE", in: 40, out: 3, unpriced: "unknown_model",
	}, {
		name:  "ollama 404",
		reply: reply{status: 404, ctype: "application/json", body: wireFixture(t, "ollama_chat_error_404.json")},
		do: func(t *testing.T, h *harness, srv *server) error {
			return newOllama(t, h, srv).Chat(context.Background(), &api.ChatRequest{
				Model: "llama9", Messages: []api.Message{{Role: "user", Content: "Hi"}},
			}, func(api.ChatResponse) error { return nil })
		},
		spanName: "chat llama9", errorType: "404", unpriced: "no_usage",
	}, {
		name:  "ollama error line",
		reply: ndjsonReply(wireFixture(t, "ollama_chat_stream_error.ndjson")),
		do: func(t *testing.T, h *harness, srv *server) error {
			return newOllama(t, h, srv).Chat(context.Background(), &api.ChatRequest{
				Model: "llama3.2", Messages: []api.Message{{Role: "user", Content: "Hi"}},
			}, func(api.ChatResponse) error { return nil })
		},
		spanName: "chat llama3.2", errorType: "_OTHER", unpriced: "no_usage",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			srv := serve(t, tc.reply)
			if err := tc.do(t, h, srv); err == nil {
				t.Error("the SDK reported no error to the caller")
			}
			srv.onlyRequest(t) // no retry
			s := h.only(t)
			if s.Name != tc.spanName || s.Status.Code != codes.Error {
				t.Errorf("span %q status %v, want %q status Error", s.Name, s.Status, tc.spanName)
			}
			wantAttr(t, s, genaix.ErrorTypeKey, tc.errorType)
			wantAttr(t, s, genaix.UnpricedKey, tc.unpriced)
			wantAbsent(t, s, genaix.CostUSDKey, genaix.CostKey)
			if tc.in == 0 && tc.out == 0 {
				wantAbsent(t, s, genaix.InputTokensKey, genaix.OutputTokensKey)
				wantAttr(t, s, genaix.UsageUnavailableKey, "error")
			} else {
				wantAttr(t, s, genaix.InputTokensKey, tc.in)
				wantAttr(t, s, genaix.OutputTokensKey, tc.out)
			}
			if tc.finish != nil {
				wantAttr(t, s, genaix.FinishReasonsKey, tc.finish)
			}
			// The duration metric carries error.type; the unpriced counter counts the call.
			rm := h.collect(t)
			if n := durationCount(t, rm); n != 1 {
				t.Errorf("duration metric recorded %d operations", n)
			}
			if !metricHasAttr(rm, genaix.DurationMetric, genaix.ErrorTypeKey.String(tc.errorType)) {
				t.Errorf("duration metric has no error.type=%s point", tc.errorType)
			}
			if !metricHasAttr(rm, genaix.UnpricedCallsMetric, genaix.UnpricedKey.String(tc.unpriced)) {
				t.Errorf("unpriced-calls metric has no %s point", tc.unpriced)
			}
			for _, secret := range []string{openaiKey, anthropicKey, geminiKey} {
				noSecret(t, h.spans(), secret)
			}
		})
	}
}

var errFailedEvent = errors.New("response.failed event")

// metricHasAttr reports whether metric name has a data point with kv.
func metricHasAttr(rm metricdata.ResourceMetrics, name string, kv attribute.KeyValue) bool {
	m, ok := findMetric(rm, name)
	if !ok {
		return false
	}
	for _, set := range dataPointSets(m) {
		if v, ok := set.Value(kv.Key); ok && v.String() == kv.Value.String() {
			return true
		}
	}
	return false
}
