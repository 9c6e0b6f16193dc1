package wire

import (
	"testing"

	"github.com/genaix/genaix-go/pricing"
)

// body parses one non-stream body of api.
func body(api API, s string) *Result {
	return feed(api, "application/json", Options{}, [][]byte{[]byte(s)}, true)
}

func sse(api API, s string) *Result {
	return feed(api, "text/event-stream", Options{}, [][]byte{[]byte(s)}, true)
}

// TestUsageGolden pins the double-counting cases seen in other projects
// (pitfalls.md §4).
func TestUsageGolden(t *testing.T) {
	tests := []struct {
		name string
		got  *Result
		want pricing.Usage
	}{
		{
			// langfuse #5568: 1,999 input including 1,792 cached was shown
			// as 3,791. prompt_tokens already includes the cache.
			"langfuse 5568 openai cached",
			body(OpenAIChat, `{"usage":{"prompt_tokens":1999,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":1792}}}`),
			usage(1999, 5, 1792, 0, 0, 0),
		},
		{
			// langfuse #10592: OpenRouter 17,903 including 17,817 cached
			// was shown as 35,720.
			"langfuse 10592 openrouter",
			sse(OpenAIChat, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":17903,\"completion_tokens\":96,\"cost\":0.0047,\"prompt_tokens_details\":{\"cached_tokens\":17817}}}\n\ndata: [DONE]\n\n"),
			usage(17903, 96, 17817, 0, 0, 0),
		},
		{
			// langfuse #12306: Anthropic input_tokens excludes the cache, so
			// the total is the sum, taken once.
			"langfuse 12306 anthropic",
			body(AnthropicMessages, `{"type":"message","usage":{"input_tokens":4,"cache_read_input_tokens":9000,"cache_creation_input_tokens":300,"output_tokens":50}}`),
			usage(9304, 50, 9000, 300, 0, 0),
		},
		{
			// posthog #71065: on this endpoint thoughts are outside the
			// candidates (total = prompt + candidates + thoughts): add them.
			"posthog 71065 gemini thoughts outside",
			body(GeminiGenerate, `{"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":20,"thoughtsTokenCount":100,"totalTokenCount":130}}`),
			usage(10, 120, 0, 0, 0, 100),
		},
		{
			// posthog #71065: here the total shows thoughts already inside
			// the candidates: do not add them again.
			"posthog 71065 gemini thoughts inside",
			body(GeminiGenerate, `{"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":120,"thoughtsTokenCount":100,"totalTokenCount":130}}`),
			usage(10, 120, 0, 0, 0, 100),
		},
		{
			"gemini thoughts without a total",
			body(GeminiGenerate, `{"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":20,"thoughtsTokenCount":100}}`),
			usage(10, 120, 0, 0, 0, 100),
		},
		{
			"gemini tool-use prompt is separate input",
			body(GeminiGenerate, `{"usageMetadata":{"promptTokenCount":100,"toolUsePromptTokenCount":40,"cachedContentTokenCount":64,"candidatesTokenCount":7,"totalTokenCount":147}}`),
			usage(140, 7, 64, 0, 0, 0),
		},
		{
			// Gemini omits zero counts (proto3): no candidates count with a
			// total equal to the prompt is zero output, not missing.
			"gemini zero output omitted",
			body(GeminiGenerate, `{"usageMetadata":{"promptTokenCount":9,"totalTokenCount":9}}`),
			usage(9, 0, 0, 0, 0, 0),
		},
		{
			"gemini only thoughts",
			body(GeminiGenerate, `{"usageMetadata":{"promptTokenCount":9,"thoughtsTokenCount":30,"totalTokenCount":39}}`),
			usage(9, 30, 0, 0, 0, 30),
		},
		{
			// litellm PR #26919: the uncached part excludes both cache read
			// and cache creation.
			"anthropic 1h write",
			body(AnthropicMessages, `{"type":"message","usage":{"input_tokens":10,"cache_read_input_tokens":0,"cache_creation_input_tokens":2000,"cache_creation":{"ephemeral_5m_input_tokens":500,"ephemeral_1h_input_tokens":1500},"output_tokens":3}}`),
			usage(2010, 3, 0, 2000, 1500, 0),
		},
		{
			"deepseek cache hit without details",
			body(OpenAIChat, `{"usage":{"prompt_tokens":1544,"completion_tokens":3,"prompt_cache_hit_tokens":1408,"prompt_cache_miss_tokens":136}}`),
			usage(1544, 3, 1408, 0, 0, 0),
		},
		{
			"openai cache write",
			body(OpenAIChat, `{"usage":{"prompt_tokens":5000,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":1000,"cache_write_tokens":2000}}}`),
			usage(5000, 3, 1000, 2000, 0, 0),
		},
		{
			"counts as floats (Cohere)",
			body(CohereChat, `{"usage":{"billed_units":{"input_tokens":12.0,"output_tokens":2.6},"tokens":{"input_tokens":210.0,"output_tokens":3.0}}}`),
			usage(12, 3, 0, 0, 0, 0),
		},
		{
			"cohere consumed when not billed",
			body(CohereChat, `{"usage":{"tokens":{"input_tokens":210,"output_tokens":3},"cached_tokens":100}}`),
			usage(210, 3, 100, 0, 0, 0),
		},
		{
			"null is absent",
			body(OpenAIChat, `{"usage":{"prompt_tokens":7,"completion_tokens":null,"prompt_tokens_details":null}}`),
			pricing.Usage{InputTokens: 7, Missing: pricing.MissingOutput},
		},
		{
			// ollama #2068: an older server omits prompt_eval_count when the
			// prompt came from the KV cache: unknown, never zero.
			"ollama prompt fully cached",
			body(OllamaChat, `{"model":"m","message":{"content":"x"},"done":true,"eval_count":4}`),
			pricing.Usage{OutputTokens: 4, Missing: pricing.MissingInput},
		},
		{
			"ollama cached subset",
			body(OllamaChat, `{"model":"m","done":true,"prompt_eval_count":26,"prompt_eval_cached_count":20,"eval_count":4}`),
			usage(26, 4, 20, 0, 0, 0),
		},
	}
	for _, tt := range tests {
		if !tt.got.HasUsage || tt.got.Usage != tt.want {
			t.Errorf("%s: got %+v (HasUsage %v), want %+v", tt.name, tt.got.Usage, tt.got.HasUsage, tt.want)
		}
	}
}

// TestWorkedExample is §17's worked example: 20 new, 3,000 cache-read and
// 500 cache-written input tokens, 150 output tokens of which 100 reasoning,
// reported in each wire style, non-stream and stream.
func TestWorkedExample(t *testing.T) {
	want := usage(3520, 150, 3000, 500, 0, 100)
	anthropic := []*Result{
		body(AnthropicMessages, `{"type":"message","usage":{"input_tokens":20,"cache_read_input_tokens":3000,"cache_creation_input_tokens":500,"output_tokens":150,"output_tokens_details":{"thinking_tokens":100}}}`),
		sse(AnthropicMessages, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":20,\"cache_read_input_tokens\":3000,\"cache_creation_input_tokens\":500,\"output_tokens\":1}}}\n\n"+
			"event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":150,\"output_tokens_details\":{\"thinking_tokens\":100}}}\n\n"+
			"event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"),
	}
	openai := []*Result{
		body(OpenAIChat, `{"usage":{"prompt_tokens":3520,"completion_tokens":150,"total_tokens":3670,"prompt_tokens_details":{"cached_tokens":3000,"cache_write_tokens":500},"completion_tokens_details":{"reasoning_tokens":100}}}`),
		sse(OpenAIChat, "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3520,\"completion_tokens\":150,\"prompt_tokens_details\":{\"cached_tokens\":3000,\"cache_write_tokens\":500},\"completion_tokens_details\":{\"reasoning_tokens\":100}}}\n\ndata: [DONE]\n\n"),
		body(OpenAIResponses, `{"object":"response","status":"completed","output":[],"usage":{"input_tokens":3520,"input_tokens_details":{"cached_tokens":3000,"cache_write_tokens":500},"output_tokens":150,"output_tokens_details":{"reasoning_tokens":100},"total_tokens":3670}}`),
	}
	for i, r := range append(anthropic, openai...) {
		if !r.HasUsage || r.Usage != want {
			t.Errorf("style %d: got %+v, want %+v", i, r.Usage, want)
		}
	}
	// Gemini has no cache write; otherwise the same.
	gemini := []*Result{
		body(GeminiGenerate, `{"usageMetadata":{"promptTokenCount":3520,"cachedContentTokenCount":3000,"candidatesTokenCount":50,"thoughtsTokenCount":100,"totalTokenCount":3670}}`),
		sse(GeminiGenerate, "data: {\"usageMetadata\":{\"promptTokenCount\":3520,\"cachedContentTokenCount\":3000,\"candidatesTokenCount\":10,\"totalTokenCount\":3530}}\r\n\r\n"+
			"data: {\"usageMetadata\":{\"promptTokenCount\":3520,\"cachedContentTokenCount\":3000,\"candidatesTokenCount\":50,\"thoughtsTokenCount\":100,\"totalTokenCount\":3670}}\r\n\r\n"),
	}
	gw := want
	gw.CacheWriteTokens = 0
	for i, r := range gemini {
		if !r.HasUsage || r.Usage != gw {
			t.Errorf("gemini %d: got %+v, want %+v", i, r.Usage, gw)
		}
	}
	// Billing buckets derived from the normalised values never price a
	// cached token twice.
	if got := want.UncachedInput(); got != 20 {
		t.Errorf("uncached input %d, want 20", got)
	}
}

// TestAnthropicOverwrite checks message_delta overwrites field by field,
// only where present.
func TestAnthropicOverwrite(t *testing.T) {
	r := sse(AnthropicMessages, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":100,\"cache_read_input_tokens\":50,\"cache_creation_input_tokens\":7,\"output_tokens\":1}}}\n\n"+
		"event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":30,\"input_tokens\":120,\"cache_read_input_tokens\":null}}\n\n"+
		"event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":42}}\n\n")
	if want := usage(120+50+7, 42, 50, 7, 0, 0); r.Usage != want {
		t.Errorf("got %+v, want %+v", r.Usage, want)
	}
}

// TestUsageLastWins: usage on any chunk counts; a later non-null one
// replaces it; null never clears it; x_groq.usage is read too.
func TestUsageLastWins(t *testing.T) {
	r := sse(OpenAIChat, "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}\n\n"+
		"data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":9}}\n\n"+
		"data: {\"choices\":[],\"usage\":null}\n\n"+
		"data: {\"choices\":[]}\n\n")
	if r.Usage != usage(5, 9, 0, 0, 0, 0) {
		t.Errorf("got %+v", r.Usage)
	}
	r = sse(OpenAIChat, "data: {\"choices\":[],\"x_groq\":{\"id\":\"req_1\",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}}\n\n")
	if r.Usage != usage(3, 4, 0, 0, 0, 0) {
		t.Errorf("x_groq: got %+v", r.Usage)
	}
	// An empty usage object tells nothing.
	if r := body(OpenAIChat, `{"usage":{}}`); r.HasUsage || r.Usage != noUsage {
		t.Errorf("empty usage: %+v", r)
	}
}

func TestCount(t *testing.T) {
	tests := []struct {
		in   string
		n    int64
		isOK bool
	}{
		{"0", 0, true}, {"12", 12, true}, {"12.0", 12, true}, {"2.5", 3, true}, {"1e3", 1000, true},
		{"-1", 0, false}, {"null", 0, false}, {`"12"`, 0, false}, {"", 0, false}, {"true", 0, false},
		{"99999999999999999999999", 1<<63 - 1, true}, {"123456789012345678", 123456789012345678, true},
	}
	for _, tt := range tests {
		n, ok := count([]byte(tt.in))
		if n != tt.n || ok != tt.isOK {
			t.Errorf("count(%s) = %d, %v", tt.in, n, ok)
		}
	}
}
