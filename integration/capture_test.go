package integration

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ollama/ollama/api"
	"google.golang.org/genai"

	"github.com/genaix/genaix-go"
)

// captureCase is one SDK call whose content capture is checked.
type captureCase struct {
	name   string
	reply  func(t *testing.T) reply
	do     func(t *testing.T, h *harness, srv *server) // makes the call
	system string                                      // the system prompt sent
	user   string                                      // the last user message sent
	output string                                      // the assistant's text, all text parts joined
	parts  []string                                    // the output's part types, in order
}

var captureCases = []captureCase{{
	name:  "openai-go chat",
	reply: func(t *testing.T) reply { return jsonReply(wireFixture(t, "openai_chat_response_cached.json")) },
	do: func(t *testing.T, h *harness, srv *server) {
		client := newOpenAI(h, srv)
		if _, err := client.Chat.Completions.New(context.Background(), gpt4oParams()); err != nil {
			t.Fatal(err)
		}
	},
	system: "You are a concise order-tracking assistant.",
	user:   "When will order A17 arrive?",
	output: gpt4oCachedText,
	parts:  []string{"text"},
}, {
	name:  "anthropic-sdk-go stream",
	reply: func(t *testing.T) reply { return sseReply(ownFixture(t, "anthropic_messages_stream_cache_5m.sse")) },
	do: func(t *testing.T, h *harness, srv *server) {
		client := newAnthropic(h, srv)
		stream := client.Messages.NewStreaming(context.Background(), claudeParams())
		for stream.Next() {
		}
		if err := stream.Err(); err != nil {
			t.Fatal(err)
		}
		_ = stream.Close()
	},
	system: "You are an order-tracking agent for Acme Logistics.",
	user:   "Where is order A17?",
	output: "Per the returns policy, order B22 can be returned until 30 November — free of charge.",
	parts:  []string{"text"},
}, {
	name:  "genai stream",
	reply: func(t *testing.T) reply { return sseReply(wireFixture(t, "gemini_generate_stream.sse")) },
	do: func(t *testing.T, h *harness, srv *server) {
		for _, err := range newGenAI(t, h, srv).Models.GenerateContentStream(context.Background(), "gemini-2.5-flash",
			genai.Text("When does order A17 arrive?"), geminiConfig()) {
			if err != nil {
				t.Fatal(err)
			}
		}
	},
	system: "You track orders for Acme Logistics.",
	user:   "When does order A17 arrive?",
	output: "Order A17 arrives Monday.",
	parts:  []string{"reasoning", "text"}, // the thought part is reasoning, not text
}, {
	name:  "ollama chat stream",
	reply: func(t *testing.T) reply { return ndjsonReply(wireFixture(t, "ollama_chat_stream.ndjson")) },
	do: func(t *testing.T, h *harness, srv *server) {
		err := newOllama(t, h, srv).Chat(context.Background(), &api.ChatRequest{
			Model: "llama3.2",
			Messages: []api.Message{
				{Role: "system", Content: "Answer in one sentence."},
				{Role: "user", Content: "Why is the sky blue?"},
			},
		}, func(api.ChatResponse) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
	},
	system: "Answer in one sentence.",
	user:   "Why is the sky blue?",
	output: "Sunlight scatters off air molecules, and blue light scatters most.",
	parts:  []string{"text"},
}}

// contentMessage is the semconv parts shape of gen_ai.input.messages and
// gen_ai.output.messages.
type contentMessage struct {
	Role  string `json:"role"`
	Parts []struct {
		Type    string `json:"type"`
		Content string `json:"content"`
	} `json:"parts"`
	FinishReason string `json:"finish_reason"`
}

// decodeMessages decodes a content attribute, which must be a JSON array of
// {role, parts} objects, never the OpenAI {role, content} shape.
func decodeMessages(t *testing.T, key, v string) []contentMessage {
	t.Helper()
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(v), &raw); err != nil {
		t.Fatalf("%s is not a JSON array of objects: %v: %s", key, err, v)
	}
	for _, m := range raw {
		if _, ok := m["content"]; ok {
			t.Errorf("%s uses the {role, content} shape: %s", key, v)
		}
		if _, ok := m["role"]; !ok {
			t.Errorf("%s has a message without a role: %s", key, v)
		}
		var parts []json.RawMessage
		if err := json.Unmarshal(m["parts"], &parts); err != nil || len(parts) == 0 {
			t.Errorf("%s has a message without parts: %s", key, v)
		}
	}
	var msgs []contentMessage
	if err := json.Unmarshal([]byte(v), &msgs); err != nil {
		t.Fatal(err)
	}
	return msgs
}

// TestContentCapture turns capture on with the environment variable, as an
// operator would, and checks the recorded content of four SDKs' calls.
func TestContentCapture(t *testing.T) {
	for _, tc := range captureCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "true")
			h := newHarness(t) // llmhttp reads the variable when its hook is built
			srv := serve(t, tc.reply(t))
			tc.do(t, h, srv)
			s := h.only(t)

			in, ok := attr(s, genaix.InputMessagesKey)
			if !ok {
				t.Fatal("gen_ai.input.messages missing")
			}
			msgs := decodeMessages(t, string(genaix.InputMessagesKey), in.AsString())
			// The system prompt is a system message or gen_ai.system_instructions.
			var system []string
			if sys, ok := attr(s, genaix.SystemInstructionsKey); ok {
				var parts []struct{ Type, Content string }
				if err := json.Unmarshal([]byte(sys.AsString()), &parts); err != nil {
					t.Errorf("gen_ai.system_instructions is not a JSON array of parts: %s", sys.AsString())
				}
				for _, p := range parts {
					if p.Type == "text" {
						system = append(system, p.Content)
					}
				}
			}
			for _, m := range msgs {
				if m.Role == "system" {
					for _, p := range m.Parts {
						system = append(system, p.Content)
					}
				}
			}
			if len(system) != 1 || system[0] != tc.system {
				t.Errorf("system prompt recorded as %q, want once %q", system, tc.system)
			}
			if len(msgs) == 0 {
				t.Fatal("no input messages")
			}
			last := msgs[len(msgs)-1]
			if last.Role != "user" || len(last.Parts) != 1 || last.Parts[0].Type != "text" || last.Parts[0].Content != tc.user {
				t.Errorf("gen_ai.input.messages = %s", in.AsString())
			}

			out, ok := attr(s, genaix.OutputMessagesKey)
			if !ok {
				t.Fatal("gen_ai.output.messages missing")
			}
			outs := decodeMessages(t, string(genaix.OutputMessagesKey), out.AsString())
			if len(outs) != 1 || outs[0].Role != "assistant" || outs[0].FinishReason != "stop" {
				t.Fatalf("gen_ai.output.messages = %s", out.AsString())
			}
			var types []string
			var text strings.Builder
			for _, p := range outs[0].Parts {
				types = append(types, p.Type)
				if p.Type == "text" {
					text.WriteString(p.Content)
				}
			}
			if strings.Join(types, ",") != strings.Join(tc.parts, ",") || text.String() != tc.output {
				t.Errorf("gen_ai.output.messages = %s, want parts %v and text %q", out.AsString(), tc.parts, tc.output)
			}
			wantAbsent(t, s, genaix.ContentTruncatedKey)
			// Capture changes nothing else: usage is still there.
			if _, ok := attr(s, genaix.InputTokensKey); !ok {
				t.Error("usage missing with capture on")
			}
			for _, secret := range []string{openaiKey, anthropicKey, geminiKey} {
				noSecret(t, h.spans(), secret)
			}
		})
	}
}

// TestContentNotCapturedByDefault makes the same calls without the
// environment variable: no content attribute, and no content anywhere.
func TestContentNotCapturedByDefault(t *testing.T) {
	for _, tc := range captureCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "")
			h := newHarness(t)
			srv := serve(t, tc.reply(t))
			tc.do(t, h, srv)
			s := h.only(t)
			wantAbsent(t, s, genaix.InputMessagesKey, genaix.OutputMessagesKey, genaix.SystemInstructionsKey, genaix.ToolDefinitionsKey)
			for _, kv := range s.Attributes {
				for _, text := range []string{tc.system, tc.user, tc.output} {
					if strings.Contains(kv.Value.String(), text) {
						t.Errorf("content %q leaked into %s", text, kv.Key)
					}
				}
			}
			if _, ok := attr(s, genaix.InputTokensKey); !ok {
				t.Error("the call itself was not recorded")
			}
		})
	}
}
