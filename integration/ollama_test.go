package integration

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/ollama/ollama/api"

	"github.com/genaix/genaix-go"
)

func newOllama(t *testing.T, h *harness, srv *server) *api.Client {
	t.Helper()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return api.NewClient(u, h.httpClient())
}

// TestOllamaChat streams NDJSON (the client's default: no "stream" field,
// which Ollama reads as true).
func TestOllamaChat(t *testing.T) {
	h := newHarness(t)
	srv := serve(t, ndjsonReply(wireFixture(t, "ollama_chat_stream.ndjson")))
	client := newOllama(t, h, srv)

	var text strings.Builder
	var last api.ChatResponse
	lines := 0
	err := client.Chat(context.Background(), &api.ChatRequest{
		Model: "llama3.2",
		Messages: []api.Message{
			{Role: "system", Content: "Answer in one sentence."},
			{Role: "user", Content: "Why is the sky blue?"},
		},
		Options: map[string]any{"temperature": 0.7, "num_predict": 256},
	}, func(r api.ChatResponse) error {
		lines++
		text.WriteString(r.Message.Content)
		last = r
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if lines != 4 || text.String() != "Sunlight scatters off air molecules, and blue light scatters most." ||
		!last.Done || last.DoneReason != "stop" || last.PromptEvalCount != 26 ||
		last.PromptEvalCachedCount == nil || *last.PromptEvalCachedCount != 20 || last.EvalCount != 12 {
		t.Errorf("SDK decoded %d lines, text %q, last %+v", lines, text.String(), last)
	}

	req := srv.onlyRequest(t)
	if req.path != "/api/chat" || req.header.Get("Accept") != "application/x-ndjson" {
		t.Errorf("server got %s accept %q", req.path, req.header.Get("Accept"))
	}
	if _, ok := req.jsonBody(t)["stream"]; ok {
		t.Errorf("client sent a stream field: %s", req.body)
	}
	s := h.only(t)
	// Ollama has no response id. prompt_eval_count includes the cached tokens.
	// llama3.2 ($0.10 in, $0.40 out, $0.05 cache read per M, made up):
	//	uncached (26 − 20) = 6 × 0.10 × 1000 =   600 n$
	//	cache read    20 × 0.05 × 1000       = 1,000 n$
	//	input                                = 1,600 n$
	//	output        12 × 0.40 × 1000       = 4,800 n$
	//	total                                = 6,400 n$
	want := call{
		name: "chat llama3.2", operation: "chat", provider: "ollama",
		reqModel: "llama3.2", respModel: "llama3.2", finish: []string{"stop"}, stream: true,
		in: 26, out: 12, cacheRead: 20,
		cost:     costs{total: 6_400, input: 1_600, output: 4_800, cacheRead: 1_000},
		priceKey: "llama3.2",
	}
	checkCall(t, s, srv, want)
	wantAttr(t, s, genaix.RequestTemperatureKey, 0.7)
	wantAttr(t, s, genaix.RequestMaxTokensKey, 256)
	checkMetrics(t, h, want)
}

// TestOllamaChatToolCall: Ollama sends a tool call whole, with its
// arguments as a JSON object, on a non-final line, after thinking.
func TestOllamaChatToolCall(t *testing.T) {
	h := newHarness(t)
	srv := serve(t, ndjsonReply(wireFixture(t, "ollama_chat_stream_tools.ndjson")))
	client := newOllama(t, h, srv)

	think := api.ThinkValue{Value: true}
	var thinking strings.Builder
	var calls []api.ToolCall
	err := client.Chat(context.Background(), &api.ChatRequest{
		Model:    "qwen3:8b",
		Messages: []api.Message{{Role: "user", Content: "What is the weather in Toronto?"}},
		Think:    &think,
	}, func(r api.ChatResponse) error {
		thinking.WriteString(r.Message.Thinking)
		calls = append(calls, r.Message.ToolCalls...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if thinking.String() != "The user wants Toronto weather; call get_weather." || len(calls) != 1 ||
		calls[0].ID != "call_k3y8pw2q" || calls[0].Function.Name != "get_weather" {
		t.Fatalf("SDK decoded thinking %q, calls %+v", thinking.String(), calls)
	}
	if city, _ := calls[0].Function.Arguments.Get("city"); city != "Toronto" {
		t.Errorf("SDK decoded arguments %v", calls[0].Function.Arguments)
	}

	s := h.only(t)
	// qwen3:8b ($0.05 in, $0.20 out per M, made up): 184 × 0.05 × 1000 =
	// 9,200 n$ in; 41 × 0.20 × 1000 = 8,200 n$ out.
	want := call{
		name: "chat qwen3:8b", operation: "chat", provider: "ollama",
		reqModel: "qwen3:8b", respModel: "qwen3:8b", finish: []string{"stop"}, stream: true,
		in: 184, out: 41,
		cost:      costs{total: 17_400, input: 9_200, output: 8_200},
		priceKey:  "qwen3:8b",
		toolNames: []string{"get_weather"}, toolIDs: []string{"call_k3y8pw2q"},
	}
	checkCall(t, s, srv, want)
	checkMetrics(t, h, want)
}

func TestOllamaGenerate(t *testing.T) {
	no := false
	for _, tc := range []struct {
		name   string
		rep    reply
		stream *bool
		text   string
		want   call
	}{{
		// The wire fixture's final line has no prompt_eval_count (an older
		// server that served the whole prompt from its KV cache): the input
		// total is unknown, left absent and flagged missing, never 0. The
		// output is still priced: 19 × 0.40 × 1000 = 7,600 n$.
		name: "stream",
		rep:  ndjsonReply(wireFixture(t, "ollama_generate_stream.ndjson")),
		text: `{"rules":["wear boots","lift with legs","keep aisles clear"]}`,
		want: call{
			name: "text_completion llama3.2", operation: "text_completion", provider: "ollama",
			reqModel: "llama3.2", respModel: "llama3.2", finish: []string{"length"}, stream: true,
			out: 19, missing: []string{"input"},
			cost:     costs{total: 7_600, output: 7_600},
			priceKey: "llama3.2",
		},
	}, {
		// "stream": false: one application/json object.
		//	uncached (31 − 24) = 7 × 0.10 × 1000 =   700 n$
		//	cache read    24 × 0.05 × 1000       = 1,200 n$
		//	input                                = 1,900 n$
		//	output        14 × 0.40 × 1000       = 5,600 n$
		//	total                                = 7,500 n$
		name:   "no-stream",
		rep:    jsonReply(ownFixture(t, "ollama_generate_response.json")),
		stream: &no,
		text:   "Keep aisles clear, wear safety boots, and lift with your legs.",
		want: call{
			name: "text_completion llama3.2", operation: "text_completion", provider: "ollama",
			reqModel: "llama3.2", respModel: "llama3.2", finish: []string{"stop"},
			in: 31, out: 14, cacheRead: 24,
			cost:     costs{total: 7_500, input: 1_900, output: 5_600, cacheRead: 1_200},
			priceKey: "llama3.2",
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			srv := serve(t, tc.rep)
			client := newOllama(t, h, srv)
			var text strings.Builder
			var last api.GenerateResponse
			err := client.Generate(context.Background(), &api.GenerateRequest{
				Model:   "llama3.2",
				Prompt:  "List three warehouse safety rules.",
				System:  "Be brief.",
				Stream:  tc.stream,
				Options: map[string]any{"temperature": 0, "seed": 1},
			}, func(r api.GenerateResponse) error {
				text.WriteString(r.Response)
				last = r
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if text.String() != tc.text || !last.Done || last.DoneReason != tc.want.finish[0] ||
				last.EvalCount != int(tc.want.out) || last.PromptEvalCount != int(tc.want.in) || len(last.Context) == 0 {
				t.Errorf("SDK decoded %q, last %+v", text.String(), last)
			}

			req := srv.onlyRequest(t)
			if req.path != "/api/generate" {
				t.Errorf("server got %s", req.path)
			}
			s := h.only(t)
			checkCall(t, s, srv, tc.want)
			wantAttr(t, s, genaix.RequestTemperatureKey, 0.0)
			wantAttr(t, s, genaix.RequestSeedKey, 1)
			// The final line's context (token ids) is never recorded.
			for _, kv := range s.Attributes {
				if strings.Contains(kv.Value.String(), "128006") {
					t.Errorf("context token ids recorded in %s", kv.Key)
				}
			}
			rm := h.collect(t)
			count, sum, _ := tokenMetrics(t, rm)
			wantInput := int64(1)
			if tc.want.missing != nil {
				wantInput = 0 // no input total: no input token metric point
			}
			if count["input"] != wantInput || sum["input"] != tc.want.in || count["output"] != 1 || sum["output"] != tc.want.out {
				t.Errorf("token metric counts %v sums %v", count, sum)
			}
		})
	}
}
