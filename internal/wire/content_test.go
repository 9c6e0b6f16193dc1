package wire

import (
	"encoding/json"
	"testing"
)

func TestPartJSON(t *testing.T) {
	tests := []struct {
		p    Part
		want string
	}{
		{textPart(""), `{"type":"text","content":""}`},
		{reasoningPart("think"), `{"type":"reasoning","content":"think"}`},
		{toolPart("c1", "f", `{"a":1}`), `{"type":"tool_call","id":"c1","name":"f","arguments":{"a":1}}`},
		{Part{Type: "tool_call"}, `{"type":"tool_call","name":""}`},
		{Part{Type: "tool_call", Name: "f", Arguments: raw(`{"a":`)}, `{"type":"tool_call","name":"f","arguments":"{\"a\":"}`},
		{Part{Type: "tool_call_response", ID: "c1"}, `{"type":"tool_call_response","id":"c1","response":null}`},
		{Part{Type: "tool_call_response", Response: raw(`"ok"`)}, `{"type":"tool_call_response","response":"ok"}`},
		{Part{Type: "blob", Modality: "image", MimeType: "image/png", Content: "AAAA"}, `{"type":"blob","content":"AAAA","modality":"image","mime_type":"image/png"}`},
		{Part{Type: "uri", Modality: "image", URI: "https://x/y.png"}, `{"type":"uri","modality":"image","uri":"https://x/y.png"}`},
		{Part{Type: "file", Modality: "document", FileID: "file-1"}, `{"type":"file","modality":"document","file_id":"file-1"}`},
		{Part{Type: "web_search_call", ID: "ws_1"}, `{"type":"web_search_call","id":"ws_1"}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.p)
		if err != nil || string(b) != tt.want {
			t.Errorf("got %s (%v), want %s", b, err, tt.want)
		}
	}
	b, _ := json.Marshal([]Message{{Role: "assistant", FinishReason: "stop"}, {Role: "user", Name: "ann", Parts: []Part{textPart("hi")}}})
	if want := `[{"role":"assistant","parts":[],"finish_reason":"stop"},{"role":"user","parts":[{"type":"text","content":"hi"}],"name":"ann"}]`; string(b) != want {
		t.Errorf("messages: %s", b)
	}
}

func TestMapFinishReason(t *testing.T) {
	tests := []struct {
		api       API
		raw       string
		toolCalls bool
		want      string
	}{
		{OpenAIChat, "stop", false, "stop"}, {OpenAIChat, "length", false, "length"},
		{OpenAIChat, "tool_calls", true, "tool_call"}, {OpenAIChat, "function_call", true, "tool_call"},
		{OpenAIChat, "content_filter", false, "content_filter"}, {OpenAIChat, "eos", false, "eos"},
		{AnthropicMessages, "end_turn", false, "stop"}, {AnthropicMessages, "stop_sequence", false, "stop"},
		{AnthropicMessages, "max_tokens", false, "length"}, {AnthropicMessages, "model_context_window_exceeded", false, "length"},
		{AnthropicMessages, "tool_use", true, "tool_call"}, {AnthropicMessages, "refusal", false, "content_filter"},
		{AnthropicMessages, "pause_turn", false, "pause_turn"},
		{GeminiGenerate, "STOP", false, "stop"}, {GeminiGenerate, "STOP", true, "tool_call"},
		{GeminiGenerate, "MAX_TOKENS", false, "length"}, {GeminiGenerate, "SAFETY", false, "content_filter"},
		{GeminiGenerate, "IMAGE_SAFETY", false, "content_filter"}, {GeminiGenerate, "OTHER", false, "OTHER"},
		{GeminiGenerate, "MALFORMED_FUNCTION_CALL", false, "MALFORMED_FUNCTION_CALL"},
		{OllamaChat, "stop", false, "stop"}, {OllamaChat, "stop", true, "tool_call"}, {OllamaChat, "length", false, "length"},
		{OllamaGenerate, "load", false, "load"},
		{CohereChat, "COMPLETE", false, "stop"}, {CohereChat, "STOP_SEQUENCE", false, "stop"}, {CohereChat, "MAX_TOKENS", false, "length"},
		{CohereChat, "TOOL_CALL", true, "tool_call"}, {CohereChat, "ERROR", false, "error"}, {CohereChat, "TIMEOUT", false, "error"},
	}
	for _, tt := range tests {
		if got := mapFinishReason(tt.api, tt.raw, tt.toolCalls); got != tt.want {
			t.Errorf("%v %q %v: %q, want %q", tt.api, tt.raw, tt.toolCalls, got, tt.want)
		}
	}
}

func TestErrorType(t *testing.T) {
	tests := []struct {
		api    API
		body   string
		status int
		want   string
	}{
		{OpenAIChat, `{"error":{"message":"m","type":"invalid_request_error","param":null,"code":"context_length_exceeded"}}`, 400, "context_length_exceeded"},
		{OpenAIChat, `{"error":{"message":"m","type":"server_error","code":null}}`, 500, "server_error"},
		{OpenAIChat, `{"error":{"message":"m","code":429}}`, 429, "429"},
		{OpenAIChat, `{"error":{"message":"m","code":"Rate limit reached, retry later"}}`, 429, "429"}, // message text is never a type
		{OpenAIChat, `not json`, 503, "503"},
		{OpenAIChat, ``, 504, "504"},
		{AnthropicMessages, `{"type":"error","error":{"type":"invalid_request_error","message":"m"}}`, 400, "invalid_request_error"},
		{GeminiGenerate, `{"error":{"code":404,"message":"m","status":"NOT_FOUND"}}`, 404, "NOT_FOUND"},
		{OllamaChat, `{"error":"model not found"}`, 404, "404"},
		{CohereChat, `{"message":"invalid api token"}`, 401, "401"},
	}
	for _, tt := range tests {
		r := feed(tt.api, "application/json", Options{Status: tt.status}, [][]byte{[]byte(tt.body)}, true)
		if r.ErrorType != tt.want || r.HasUsage {
			t.Errorf("%v %s: %q, want %q", tt.api, tt.body, r.ErrorType, tt.want)
		}
	}
}
