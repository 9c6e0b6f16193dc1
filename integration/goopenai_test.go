package integration

import (
	"context"
	"errors"
	"io"
	"testing"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/genaix/genaix-go"
)

const goOpenAIKey = "sk-goopenai-SECRET-77aa"

func newGoOpenAI(h *harness, srv *server) *goopenai.Client {
	cfg := goopenai.DefaultConfig(goOpenAIKey)
	cfg.BaseURL = srv.URL + "/v1"
	cfg.HTTPClient = h.httpClient()
	return goopenai.NewClientWithConfig(cfg)
}

func checkGoOpenAIKey(t *testing.T, h *harness, req request) {
	t.Helper()
	if got := req.header.Get("Authorization"); got != "Bearer "+goOpenAIKey {
		t.Errorf("server saw Authorization %q", got)
	}
	noSecret(t, h.spans(), goOpenAIKey)
}

func goOpenAIWeatherTool() []goopenai.Tool {
	return []goopenai.Tool{{
		Type: goopenai.ToolTypeFunction,
		Function: &goopenai.FunctionDefinition{
			Name:        "get_weather",
			Description: "Current weather for a city.",
			Parameters: map[string]any{
				"type":       "object",
				"properties": map[string]any{"city": map[string]any{"type": "string"}},
				"required":   []string{"city"},
			},
		},
	}}
}

// TestGoOpenAIChat: go-openai decodes a non-streamed body with a
// json.Decoder, so it closes the body without necessarily reading it to EOF.
func TestGoOpenAIChat(t *testing.T) {
	h := newHarness(t)
	srv := serve(t, jsonReply(wireFixture(t, "openai_chat_response.json")))
	client := newGoOpenAI(h, srv)

	resp, err := client.CreateChatCompletion(context.Background(), goopenai.ChatCompletionRequest{
		Model:       "gpt-4.1-mini",
		Messages:    []goopenai.ChatCompletionMessage{{Role: goopenai.ChatMessageRoleUser, Content: "Where is order A17?"}},
		Temperature: 0.2,
		MaxTokens:   300,
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.ID != "chatcmpl-BxQ7m2kTfR9aL0pZcV3nW8yE" || resp.Model != "gpt-4.1-mini-2025-04-14" || len(resp.Choices) != 1 ||
		resp.Choices[0].FinishReason != goopenai.FinishReasonToolCalls || len(resp.Choices[0].Message.ToolCalls) != 1 ||
		resp.Usage.PromptTokens != 3520 || resp.Usage.PromptTokensDetails == nil || resp.Usage.PromptTokensDetails.CachedTokens != 3072 {
		t.Fatalf("SDK decoded %+v", resp)
	}
	if tc := resp.Choices[0].Message.ToolCalls[0]; tc.ID != "call_Qw3rTy12uI0pAs9dFg8hJk7l" ||
		tc.Function.Name != "lookup_order" || tc.Function.Arguments != `{"order_id":"A17"}` {
		t.Errorf("SDK decoded tool call %+v", tc)
	}

	req := srv.onlyRequest(t)
	if req.path != "/v1/chat/completions" {
		t.Errorf("server got %s", req.path)
	}
	s := h.only(t)
	// As in TestOpenAIChatToolCalls: 486,400 n$ in + 240,000 n$ out = 726,400 n$.
	want := call{
		name: "chat gpt-4.1-mini", operation: "chat", provider: "openai",
		reqModel: "gpt-4.1-mini", respModel: "gpt-4.1-mini-2025-04-14",
		respID: "chatcmpl-BxQ7m2kTfR9aL0pZcV3nW8yE", finish: []string{"tool_calls"},
		in: 3520, out: 150, cacheRead: 3072,
		cost:     costs{total: 726_400, input: 486_400, output: 240_000, cacheRead: 307_200},
		priceKey: "gpt-4.1-mini", priceMatch: "normalized",
		toolNames: []string{"lookup_order"}, toolIDs: []string{"call_Qw3rTy12uI0pAs9dFg8hJk7l"},
	}
	checkCall(t, s, srv, want)
	wantAttr(t, s, genaix.RequestTemperatureKey, 0.2)
	wantAttr(t, s, genaix.RequestMaxTokensKey, 300)
	checkMetrics(t, h, want)
	checkGoOpenAIKey(t, h, req)
}

// TestGoOpenAIChatStream streams two choices whose tool-call fragments
// interleave, with usage on a final chunk that has no choices.
func TestGoOpenAIChatStream(t *testing.T) {
	h := newHarness(t)
	srv := serve(t, sseReply(wireFixture(t, "openai_chat_stream_tools_n2.sse")))
	client := newGoOpenAI(h, srv)

	stream, err := client.CreateChatCompletionStream(context.Background(), goopenai.ChatCompletionRequest{
		Model:         "gpt-4.1",
		Messages:      []goopenai.ChatCompletionMessage{{Role: goopenai.ChatMessageRoleUser, Content: "What is the weather in Paris and London?"}},
		Tools:         goOpenAIWeatherTool(),
		N:             2,
		StreamOptions: &goopenai.StreamOptions{IncludeUsage: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Assemble the tool calls per choice and per tool-call index.
	type tool struct{ id, name, args string }
	calls := map[int]map[int]*tool{}
	finish := map[int]goopenai.FinishReason{}
	var usage *goopenai.Usage
	var id string
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		id = chunk.ID
		if chunk.Usage != nil {
			usage = chunk.Usage
		}
		for _, ch := range chunk.Choices {
			if ch.FinishReason != "" {
				finish[ch.Index] = ch.FinishReason
			}
			for _, tc := range ch.Delta.ToolCalls {
				if calls[ch.Index] == nil {
					calls[ch.Index] = map[int]*tool{}
				}
				c := calls[ch.Index][*tc.Index]
				if c == nil {
					c = &tool{}
					calls[ch.Index][*tc.Index] = c
				}
				c.id += tc.ID
				c.name += tc.Function.Name
				c.args += tc.Function.Arguments
			}
		}
	}
	stream.Close()
	wantTools := map[int]map[int]tool{
		0: {0: {"call_P4r1sWx8Yz2Ab5Cd7Ef9Gh1J", "get_weather", `{"city":"Paris"}`}, 1: {"call_L0nd0nQ2wE4rT6yU8iO0pA2s", "get_weather", `{"city":"London"}`}},
		1: {0: {"call_Tk0yQ3mN5pR7sT9uV1wX3zB5", "get_weather", `{"city":"Paris"}`}},
	}
	for ci, m := range wantTools {
		for ti, w := range m {
			if got := calls[ci][ti]; got == nil || *got != w {
				t.Errorf("choice %d tool %d = %+v, want %+v", ci, ti, got, w)
			}
		}
	}
	if id != "chatcmpl-T8n2Kx4Lm0PqR7sU1vW3yZ5a" || finish[0] != "tool_calls" || finish[1] != "tool_calls" ||
		usage == nil || usage.PromptTokens != 82 || usage.CompletionTokens != 71 {
		t.Errorf("SDK decoded id %q finish %v usage %+v", id, finish, usage)
	}

	req := srv.onlyRequest(t)
	if body := req.jsonBody(t); body["stream"] != true || body["n"] != 2.0 {
		t.Errorf("server got %s", req.body)
	}
	s := h.only(t)
	// Finish reasons and tool calls in choice order; gpt-4.1 ($2 in, $8 out per M):
	// 82 × 2 × 1000 = 164,000 n$ in; 71 × 8 × 1000 = 568,000 n$ out.
	want := call{
		name: "chat gpt-4.1", operation: "chat", provider: "openai",
		reqModel: "gpt-4.1", respModel: "gpt-4.1-2025-04-14",
		respID: "chatcmpl-T8n2Kx4Lm0PqR7sU1vW3yZ5a", finish: []string{"tool_calls", "tool_calls"}, stream: true,
		in: 82, out: 71,
		cost:     costs{total: 732_000, input: 164_000, output: 568_000},
		priceKey: "gpt-4.1", priceMatch: "normalized",
		toolNames: []string{"get_weather", "get_weather", "get_weather"},
		toolIDs:   []string{"call_P4r1sWx8Yz2Ab5Cd7Ef9Gh1J", "call_L0nd0nQ2wE4rT6yU8iO0pA2s", "call_Tk0yQ3mN5pR7sT9uV1wX3zB5"},
	}
	checkCall(t, s, srv, want)
	wantAttr(t, s, genaix.RequestChoiceCountKey, 2)
	checkMetrics(t, h, want)
	checkGoOpenAIKey(t, h, req)
}
