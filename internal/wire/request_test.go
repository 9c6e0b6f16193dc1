package wire

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func f64(v float64) *float64 { return &v }
func i64(v int64) *int64     { return &v }

func raw(s string) json.RawMessage { return json.RawMessage(s) }

func user(parts ...Part) Message { return Message{Role: "user", Parts: parts} }

// TestParseRequestFixtures asserts every field of every request fixture.
// Content fields are checked with capture on; with capture off they must be
// empty and everything else identical.
func TestParseRequestFixtures(t *testing.T) {
	tests := []struct {
		file string
		api  API
		want Request
	}{
		{"openai_chat_request.json", OpenAIChat, Request{
			Model: "gpt-4.1-mini", Temperature: f64(0.2), TopP: f64(0.9), FrequencyPenalty: f64(0.1), PresencePenalty: f64(0),
			MaxTokens: i64(512), Seed: i64(42), ChoiceCount: i64(1), StopSequences: []string{"END"}, OutputType: "text",
			ToolNames: []string{"lookup_order"}, ServiceTier: "default",
			InputMessages: []Message{
				{Role: "system", Parts: []Part{textPart("You are a concise order-tracking assistant.")}},
				user(textPart("Where is order A17? Here is the receipt."),
					Part{Type: "blob", Modality: "image", MimeType: "image/png", Content: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="}),
			},
			ToolDefinitions: raw(`[{"type":"function","function":{"name":"lookup_order","description":"Look up an order by its id.","parameters":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"],"additionalProperties":false},"strict":true}}]`),
		}},
		{"openai_chat_stream_request.json", OpenAIChat, Request{
			Model: "gpt-4.1-mini", Stream: true, StreamSet: true, IncludeUsage: true, Temperature: f64(0.2), MaxTokens: i64(256),
			ToolNames: []string{"lookup_order"},
			InputMessages: []Message{
				{Role: "system", Parts: []Part{textPart("You are a concise order-tracking assistant.")}},
				user(textPart("Where is order A17?")),
				{Role: "assistant", Parts: []Part{toolPart("call_Qw3rTy12uI0pAs9dFg8hJk7l", "lookup_order", `{"order_id":"A17"}`)}},
				{Role: "tool", Parts: []Part{{Type: "tool_call_response", ID: "call_Qw3rTy12uI0pAs9dFg8hJk7l", Response: raw(`{"status":"shipped","shipped_on":"2026-11-01"}`)}}},
			},
			ToolDefinitions: raw(`[{"type":"function","function":{"name":"lookup_order","description":"Look up an order by its id.","parameters":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}}}]`),
		}},
		{"openai_chat_stream_no_usage_request.json", OpenAIChat, Request{
			Model: "gpt-4.1-mini", Stream: true, StreamSet: true,
			InputMessages: []Message{user(textPart("Say hello to the warehouse team."))},
		}},
		{"openai_chat_stream_tools_n2_request.json", OpenAIChat, Request{
			Model: "gpt-4.1", Stream: true, StreamSet: true, IncludeUsage: true, ChoiceCount: i64(2),
			ToolNames:       []string{"get_weather"},
			InputMessages:   []Message{user(textPart("What is the weather in Paris and London?"))},
			ToolDefinitions: raw(`[{"type":"function","function":{"name":"get_weather","description":"Current weather for a city.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]`),
		}},
		{"openai_completions_request.json", OpenAICompletions, Request{
			Model: "gpt-3.5-turbo-instruct", Stream: true, StreamSet: true, IncludeUsage: true,
			Temperature: f64(0.7), TopP: f64(1), MaxTokens: i64(64), Seed: i64(11), ChoiceCount: i64(1),
			StopSequences: []string{"\n\n\n"},
			InputMessages: []Message{user(textPart("Write a haiku about a parcel in transit."))},
		}},
		{"openai_responses_request.json", OpenAIResponses, Request{
			Model: "o4-mini", Stream: true, StreamSet: true, Temperature: f64(1), TopP: f64(1), MaxTokens: i64(2048),
			OutputType: "text", ToolNames: []string{"lookup_order"}, ServiceTier: "auto",
			SystemInstructions: []Part{textPart("You track orders. Call tools when you need data.")},
			InputMessages: []Message{
				user(textPart("Where is order A17?")),
				{Role: "assistant", Parts: []Part{toolPart("call_Prev0rd3rB22xYz", "lookup_order", `{"order_id":"B22"}`)}},
				{Role: "tool", Parts: []Part{{Type: "tool_call_response", ID: "call_Prev0rd3rB22xYz", Response: raw(`{"status":"delayed"}`)}}},
			},
			ToolDefinitions: raw(`[{"type":"function","name":"lookup_order","description":"Look up an order by its id.","parameters":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"],"additionalProperties":false},"strict":true},{"type":"web_search"}]`),
		}},
		{"openai_embeddings_request.json", OpenAIEmbeddings, Request{
			Model: "text-embedding-3-small", EncodingFormats: []string{"base64"}, Dimensions: i64(8),
		}},
		{"anthropic_messages_request.json", AnthropicMessages, Request{
			Model: "claude-sonnet-4-5-20250929", Stream: true, StreamSet: true, Temperature: f64(1), MaxTokens: i64(4096),
			StopSequences: []string{"</answer>"}, ToolNames: []string{"lookup_order"}, ServiceTier: "auto",
			SystemInstructions: []Part{textPart("You are an order-tracking agent for Acme Logistics. Policy manual follows.")},
			InputMessages: []Message{
				user(textPart("Where is order A17?")),
				{Role: "assistant", Parts: []Part{reasoningPart("Check B22 first."), toolPart("toolu_01PrevB22xYzAbCdEfGhIjKl", "lookup_order", `{"order_id":"B22"}`)}},
				{Role: "tool", Parts: []Part{{Type: "tool_call_response", ID: "toolu_01PrevB22xYzAbCdEfGhIjKl", Response: raw(`{"status":"delayed"}`)}}},
				user(textPart("And A17? Photo of the label attached."),
					Part{Type: "blob", Modality: "image", MimeType: "image/jpeg", Content: "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8U"}),
			},
			ToolDefinitions: raw(`[{"name":"lookup_order","description":"Look up an order by its id.","input_schema":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}}]`),
		}},
		{"gemini_generate_request.json", GeminiGenerate, Request{
			Temperature: f64(0.4), TopP: f64(0.95), TopK: f64(40), MaxTokens: i64(1024), ChoiceCount: i64(1),
			StopSequences: []string{"STOP!"}, Seed: i64(7), OutputType: "text", ToolNames: []string{"lookup_order"},
			SystemInstructions: []Part{textPart("You track orders for Acme Logistics.")},
			InputMessages: []Message{
				user(textPart("Where is order A17?")),
				{Role: "assistant", Parts: []Part{toolPart("", "lookup_order", `{"order_id":"B22"}`)}},
				{Role: "tool", Parts: []Part{{Type: "tool_call_response", Name: "lookup_order", Response: raw(`{"status":"delayed"}`)}}},
				user(textPart("And the label?"),
					Part{Type: "blob", Modality: "image", MimeType: "image/png", Content: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"},
					Part{Type: "uri", Modality: "document", MimeType: "application/pdf", URI: "https://generativelanguage.googleapis.com/v1beta/files/f9k2m4q8r1t3"}),
			},
			ToolDefinitions: raw(`[{"functionDeclarations":[{"name":"lookup_order","description":"Look up an order by its id.","parameters":{"type":"OBJECT","properties":{"order_id":{"type":"STRING"}},"required":["order_id"]}}]}]`),
		}},
		{"gemini_embed_request.json", GeminiEmbed, Request{Model: "gemini-embedding-001", Dimensions: i64(768)}},
		{"ollama_chat_request.json", OllamaChat, Request{
			Model: "llama3.2", Stream: true, Temperature: f64(0.7), TopP: f64(0.9), TopK: f64(40), MaxTokens: i64(256), Seed: i64(3),
			StopSequences: []string{"<|eot_id|>"},
			InputMessages: []Message{
				{Role: "system", Parts: []Part{textPart("Answer in one sentence.")}},
				user(textPart("Why is the sky blue?")),
			},
		}},
		{"ollama_chat_tools_request.json", OllamaChat, Request{
			Model: "qwen3:8b", Stream: true, StreamSet: true, OutputType: "json", ToolNames: []string{"get_weather"},
			InputMessages: []Message{
				user(textPart("What is the weather in Toronto?")),
				{Role: "assistant", Parts: []Part{toolPart("", "get_weather", `{"city":"Ottawa"}`)}},
				{Role: "tool", Parts: []Part{{Type: "tool_call_response", Name: "get_weather", Response: raw(`{"temp_c":-3}`)}}},
			},
			ToolDefinitions: raw(`[{"type":"function","function":{"name":"get_weather","description":"Current weather for a city.","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]`),
		}},
		{"ollama_generate_request.json", OllamaGenerate, Request{
			Model: "llama3.2", Stream: true, StreamSet: true, OutputType: "json", Temperature: f64(0), MaxTokens: i64(128), Seed: i64(1),
			FrequencyPenalty: f64(0.2), PresencePenalty: f64(0.1),
			SystemInstructions: []Part{textPart("You output JSON only.")},
			InputMessages:      []Message{user(textPart("List three warehouse safety rules as JSON."))},
		}},
		{"ollama_embed_request.json", OllamaEmbed, Request{Model: "all-minilm", Dimensions: i64(384)}},
		{"cohere_chat_request.json", CohereChat, Request{
			Model: "command-a-03-2025", Stream: true, StreamSet: true, Temperature: f64(0.3), TopP: f64(0.75), TopK: f64(50),
			MaxTokens: i64(300), Seed: i64(9), StopSequences: []string{"--"}, FrequencyPenalty: f64(0), PresencePenalty: f64(0.2),
			OutputType: "text", ToolNames: []string{"list_delays"},
			InputMessages: []Message{
				{Role: "system", Parts: []Part{textPart("You are a logistics assistant.")}},
				user(textPart("Summarise today's delays.")),
			},
			ToolDefinitions: raw(`[{"type":"function","function":{"name":"list_delays","description":"List delayed orders.","parameters":{"type":"object","properties":{"date":{"type":"string"}}}}}]`),
		}},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		seen[tt.file] = true
		b, err := os.ReadFile(filepath.Join("testdata", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseRequest(tt.api, b, true)
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		if !reflect.DeepEqual(*got, tt.want) {
			g, _ := json.MarshalIndent(got, "", " ")
			w, _ := json.MarshalIndent(tt.want, "", " ")
			t.Errorf("%s:\n got %s\nwant %s", tt.file, g, w)
		}
		got, _ = ParseRequest(tt.api, b, false)
		want := tt.want
		want.InputMessages, want.SystemInstructions, want.ToolDefinitions = nil, nil, nil
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("%s without capture: %+v", tt.file, got)
		}
	}
	files, _ := filepath.Glob("testdata/*_request.json")
	for _, f := range files {
		if !seen[filepath.Base(f)] {
			t.Errorf("%s is not asserted", f)
		}
	}
}

func TestParseRequestLenient(t *testing.T) {
	r, err := ParseRequest(OpenAIChat, []byte(`{"model":"m","temperature":"hot","max_tokens":100.0,"seed":null,"stream":null,"stop":["a",1,"b"],"n":2.0,"unknown":{"x":[1,2]},"response_format":{"type":"json_schema","json_schema":{}},"messages":"not a list"}`), true)
	if err != nil {
		t.Fatal(err)
	}
	want := Request{Model: "m", MaxTokens: i64(100), ChoiceCount: i64(2), StopSequences: []string{"a", "b"}, OutputType: "json"}
	if !reflect.DeepEqual(*r, want) {
		t.Errorf("got %+v", r)
	}
	// max_completion_tokens wins over max_tokens whatever the order.
	r, _ = ParseRequest(OpenAIChat, []byte(`{"max_completion_tokens":9,"max_tokens":5}`), false)
	if *r.MaxTokens != 9 {
		t.Errorf("max tokens %d", *r.MaxTokens)
	}
	r, _ = ParseRequest(OpenAIChat, []byte(`{"modalities":["text","audio"],"audio":{"voice":"alloy","format":"wav"}}`), false)
	if r.OutputType != "speech" {
		t.Errorf("output type %q", r.OutputType)
	}
	// Ollama: stream defaults to true, false when said.
	r, _ = ParseRequest(OllamaChat, []byte(`{"model":"m","stream":false}`), false)
	if r.Stream || !r.StreamSet {
		t.Errorf("ollama stream false: %+v", r)
	}
	for _, bad := range []string{``, `[]`, `"x"`, `{"a":1`, `{"a":1}x`, `null`} {
		if _, err := ParseRequest(OpenAIChat, []byte(bad), true); err != ErrRequestBody {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, err := ParseRequest(Unknown, []byte(`{}`), true); err != ErrUnknownAPI {
		t.Errorf("unknown API: %v", err)
	}
}

func TestParseRequestContentShapes(t *testing.T) {
	r, _ := ParseRequest(OpenAIChat, []byte(`{"messages":[
		{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/a.png"}},{"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}},{"type":"file","file":{"file_id":"file-abc"}}]},
		{"role":"assistant","content":"ok","name":"bot"},
		{"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"plain words"}]}]}`), true)
	want := []Message{
		user(Part{Type: "uri", Modality: "image", URI: "https://example.com/a.png"},
			Part{Type: "blob", Modality: "audio", MimeType: "audio/wav", Content: "UklGRg=="},
			Part{Type: "file", Modality: "document", FileID: "file-abc"}),
		{Role: "assistant", Name: "bot", Parts: []Part{textPart("ok")}},
		{Role: "tool", Parts: []Part{{Type: "tool_call_response", ID: "c1", Response: raw(`"plain words"`)}}},
	}
	if !reflect.DeepEqual(r.InputMessages, want) {
		g, _ := json.Marshal(r.InputMessages)
		t.Errorf("got %s", g)
	}
	r, _ = ParseRequest(OpenAIResponses, []byte(`{"input":"Hello there"}`), true)
	if want := []Message{user(textPart("Hello there"))}; !reflect.DeepEqual(r.InputMessages, want) {
		t.Errorf("responses string input: %+v", r.InputMessages)
	}
	r, _ = ParseRequest(AnthropicMessages, []byte(`{"system":"Be brief.","messages":[{"role":"user","content":[{"type":"document","source":{"type":"url","url":"https://example.com/a.pdf"}}]}]}`), true)
	if !reflect.DeepEqual(r.SystemInstructions, []Part{textPart("Be brief.")}) ||
		!reflect.DeepEqual(r.InputMessages, []Message{user(Part{Type: "uri", Modality: "document", URI: "https://example.com/a.pdf"})}) {
		t.Errorf("anthropic: %+v %+v", r.SystemInstructions, r.InputMessages)
	}
}
