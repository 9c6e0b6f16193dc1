package wire

import (
	"reflect"
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		name, in string
		want     Result
	}{
		{"go-openai ChatCompletionResponse",
			`{"id":"chatcmpl-Sn1ff","object":"chat.completion","created":1767226400,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Shipped.","refusal":"","reasoning_content":"","tool_calls":null},"finish_reason":"stop","logprobs":null,"content_filter_results":{}}],"usage":{"prompt_tokens":40,"completion_tokens":2,"total_tokens":42,"prompt_tokens_details":{"audio_tokens":0,"cached_tokens":32},"completion_tokens_details":{"audio_tokens":0,"reasoning_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"system_fingerprint":"fp_1","prompt_filter_results":null,"service_tier":""}`,
			Result{API: OpenAIChat, ResponseID: "chatcmpl-Sn1ff", ResponseModel: "gpt-4o-mini-2024-07-18", FinishReasons: []string{"stop"},
				Usage: usage(40, 2, 32, 0, 0, 0), HasUsage: true, Terminal: true}},
		{"go-openai without usage (zero values)",
			`{"id":"chatcmpl-Z","object":"chat.completion","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"stop"}],"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}`,
			Result{API: OpenAIChat, ResponseID: "chatcmpl-Z", ResponseModel: "m", FinishReasons: []string{"stop"},
				Usage: noUsage, Terminal: true, NoUsageReason: NoUsageNotReported}},
		{"openai-go Responses Response",
			`{"id":"resp_Sn1ff","created_at":1767226400,"error":{"code":"","message":""},"incomplete_details":{"reason":""},"instructions":null,"metadata":{},"model":"gpt-5-mini-2025-08-07","object":"response","output":[{"id":"msg_1","content":[{"annotations":[],"text":"Hi","type":"output_text"}],"role":"assistant","status":"completed","type":"message"}],"parallel_tool_calls":true,"status":"completed","usage":{"input_tokens":20,"input_tokens_details":{"cached_tokens":0},"output_tokens":70,"output_tokens_details":{"reasoning_tokens":64},"total_tokens":90}}`,
			Result{API: OpenAIResponses, ResponseID: "resp_Sn1ff", ResponseModel: "gpt-5-mini-2025-08-07", FinishReasons: []string{"stop"},
				Usage: usage(20, 70, 0, 0, 0, 64), HasUsage: true, Terminal: true}},
		{"anthropic-sdk-go Message",
			`{"id":"msg_Sn1ff","container":{"id":"","expires_at":"0001-01-01T00:00:00Z"},"content":[{"id":"","caller":{},"citations":null,"data":"","input":null,"name":"","signature":"","text":"Done.","thinking":"","type":"text"},{"id":"toolu_Sn1ff","input":{"q":"A17"},"name":"lookup_order","text":"","type":"tool_use"}],"model":"claude-haiku-4-5-20251001","role":"assistant","stop_reason":"tool_use","stop_sequence":"","type":"message","usage":{"cache_creation":{"ephemeral_1h_input_tokens":0,"ephemeral_5m_input_tokens":0},"cache_creation_input_tokens":0,"cache_read_input_tokens":100,"input_tokens":10,"output_tokens":5,"server_tool_use":{"web_search_requests":0},"service_tier":"standard"}}`,
			Result{API: AnthropicMessages, ResponseID: "msg_Sn1ff", ResponseModel: "claude-haiku-4-5-20251001", FinishReasons: []string{"tool_use"},
				Usage: usage(110, 5, 100, 0, 0, 0), HasUsage: true, Terminal: true,
				ToolCalls: []ToolCall{{"toolu_Sn1ff", "lookup_order", `{"q":"A17"}`}}}},
		{"genai GenerateContentResponse",
			`{"sdkHttpResponse":{"headers":{"Content-Type":["application/json; charset=UTF-8"]}},"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"finishReason":"STOP"}],"createTime":"0001-01-01T00:00:00Z","modelVersion":"gemini-2.5-flash","responseId":"Sn1ffGem","usageMetadata":{"candidatesTokenCount":2,"promptTokenCount":5,"thoughtsTokenCount":10,"totalTokenCount":17}}`,
			Result{API: GeminiGenerate, ResponseID: "Sn1ffGem", ResponseModel: "gemini-2.5-flash", FinishReasons: []string{"STOP"},
				Usage: usage(5, 12, 0, 0, 0, 10), HasUsage: true, Terminal: true}},
		{"ollama ChatResponse",
			`{"model":"llama3.2","created_at":"2026-11-01T10:00:00Z","message":{"role":"assistant","content":"Hi"},"done_reason":"stop","done":true,"total_duration":1,"load_duration":1,"prompt_eval_count":7,"prompt_eval_duration":1,"eval_count":3,"eval_duration":1}`,
			Result{API: OllamaChat, ResponseModel: "llama3.2", FinishReasons: []string{"stop"}, Usage: usage(7, 3, 0, 0, 0, 0), HasUsage: true, Terminal: true}},
		{"legacy Completion",
			`{"id":"cmpl-1","object":"text_completion","model":"gpt-3.5-turbo-instruct","choices":[{"text":"x","index":0,"finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":1}}`,
			Result{API: OpenAICompletions, ResponseID: "cmpl-1", ResponseModel: "gpt-3.5-turbo-instruct", FinishReasons: []string{"length"}, Usage: usage(3, 1, 0, 0, 0, 0), HasUsage: true, Terminal: true}},
	}
	for _, tt := range tests {
		got, ok := Sniff([]byte(tt.in))
		if !ok {
			t.Errorf("%s: not recognised", tt.name)
			continue
		}
		diff(t, tt.name, got, tt.want)
	}
	for _, in := range []string{``, `null`, `[]`, `"x"`, `{}`, `{"a":1}`, `{"id":"x","model":"y"}`, `{"choices":`, `{"message":"hi"}`} {
		if r, ok := Sniff([]byte(in)); ok {
			t.Errorf("%q recognised: %+v", in, r)
		}
	}
}

// TestSniffFixtures: the JSON encoding of an SDK value is the wire body, so
// sniffing a non-stream fixture gives the Result of parsing it.
func TestSniffFixtures(t *testing.T) {
	for _, fx := range fixtures {
		if !strings.HasSuffix(fx.file, ".json") || fx.status() != 200 || fx.api == CohereChat || fx.api == GeminiEmbed || strings.Contains(fx.file, "legacy") {
			continue
		}
		body := fx.body(t)
		got, ok := Sniff(body)
		if !ok {
			t.Errorf("%s: not recognised", fx.file)
			continue
		}
		want := feed(fx.api, fx.contentType(), Options{}, [][]byte{body}, true)
		if !reflect.DeepEqual(got, want) {
			diff(t, fx.file, got, *want)
		}
	}
}
