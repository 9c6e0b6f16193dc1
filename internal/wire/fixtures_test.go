package wire

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/genaix/genaix-go/pricing"
)

// fixture is one response file under testdata, with the Result it must
// produce when parsed with content capture on. The llmhttp integration tests
// replay the same files; testdata/README.md gives the naming rules.
type fixture struct {
	file string
	api  API
	req  string // request fixture to parse into Options.Request, if any
	want Result
}

// contentType derives the Content-Type from the file extension.
func (f fixture) contentType() string {
	switch filepath.Ext(f.file) {
	case ".sse":
		return "text/event-stream"
	case ".ndjson":
		return "application/x-ndjson"
	}
	return "application/json; charset=utf-8"
}

var statusInName = regexp.MustCompile(`_error_(\d{3})\.`)

// status derives the HTTP status from an _error_NNN name, else 200.
func (f fixture) status() int {
	if m := statusInName.FindStringSubmatch(f.file); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 200
}

func (f fixture) body(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", f.file))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (f fixture) options(t testing.TB, capture bool) Options {
	opt := Options{CaptureContent: capture, Status: f.status()}
	if f.req != "" {
		b, err := os.ReadFile(filepath.Join("testdata", f.req))
		if err != nil {
			t.Fatal(err)
		}
		r, err := ParseRequest(f.api, b, false)
		if err != nil {
			t.Fatalf("%s: %v", f.req, err)
		}
		opt.Request = r
	}
	return opt
}

// feed parses body written in the given chunks.
func feed(api API, ct string, opt Options, chunks [][]byte, cleanEOF bool) *Result {
	p := NewResponseParser(api, ct, opt)
	for _, c := range chunks {
		p.Write(c)
	}
	return p.Finish(cleanEOF)
}

func usage(in, out, cacheRead, cacheWrite, write1h, reasoning int64) pricing.Usage {
	return pricing.Usage{InputTokens: in, OutputTokens: out, CacheReadTokens: cacheRead,
		CacheWriteTokens: cacheWrite, CacheWrite1hTokens: write1h, ReasoningTokens: reasoning}
}

func inputOnly(in int64) pricing.Usage {
	return pricing.Usage{InputTokens: in, Missing: pricing.MissingOutput}
}

func msg(finish string, parts ...Part) []Message {
	return []Message{{Role: "assistant", Parts: parts, FinishReason: finish}}
}

func toolPart(id, name, args string) Part {
	return Part{Type: "tool_call", ID: id, Name: name, Arguments: json.RawMessage(args)}
}

func errorResult(errType string) Result {
	return Result{Usage: noUsage, ErrorType: errType, Terminal: true, NoUsageReason: NoUsageError}
}

func ptr[T any](v T) *T { return &v }

var fixtures = []fixture{
	// OpenAI Chat Completions and compatible servers.
	{file: "openai_chat_response.json", api: OpenAIChat, req: "openai_chat_request.json", want: Result{
		ResponseID: "chatcmpl-BxQ7m2kTfR9aL0pZcV3nW8yE", ResponseModel: "gpt-4.1-mini-2025-04-14",
		FinishReasons: []string{"tool_calls"},
		Usage:         usage(3520, 150, 3072, 0, 0, 0), HasUsage: true,
		ToolCalls:      []ToolCall{{"call_Qw3rTy12uI0pAs9dFg8hJk7l", "lookup_order", `{"order_id":"A17"}`}},
		OutputMessages: msg("tool_call", toolPart("call_Qw3rTy12uI0pAs9dFg8hJk7l", "lookup_order", `{"order_id":"A17"}`)),
		Terminal:       true,
	}},
	{file: "openai_chat_response_cached.json", api: OpenAIChat, want: Result{ // langfuse #5568
		ResponseID: "chatcmpl-C0a1b2c3d4e5f6g7h8i9j0kL", ResponseModel: "gpt-4o-2024-08-06",
		FinishReasons: []string{"stop"},
		Usage:         usage(1999, 212, 1792, 0, 0, 0), HasUsage: true,
		OutputMessages: msg("stop", textPart("Order A17 shipped on 1 November and should arrive by 3 November.")),
		Terminal:       true,
	}},
	{file: "openai_chat_stream_usage.sse", api: OpenAIChat, req: "openai_chat_stream_request.json", want: Result{
		ResponseID: "chatcmpl-C1d2e3F4g5H6i7J8k9L0mN1o", ResponseModel: "gpt-4.1-mini-2025-04-14",
		FinishReasons: []string{"stop"},
		Usage:         usage(58, 14, 0, 0, 0, 0), HasUsage: true,
		OutputMessages: msg("stop", textPart("Order A17 shipped on 1 November — it’s on its way.")),
		Terminal:       true,
	}},
	{file: "openai_chat_stream_no_usage.sse", api: OpenAIChat, req: "openai_chat_stream_no_usage_request.json", want: Result{
		ResponseID: "chatcmpl-C2p9Lx0Wq7Ee4Rr1Tt8Yy5Uu", ResponseModel: "gpt-4.1-mini-2025-04-14",
		FinishReasons:  []string{"stop"},
		Usage:          noUsage,
		OutputMessages: msg("stop", textPart("Hello, warehouse team!")),
		Terminal:       true, NoUsageReason: NoUsageStreamWithoutUsage,
	}},
	{file: "openai_chat_stream_tools_n2.sse", api: OpenAIChat, req: "openai_chat_stream_tools_n2_request.json", want: Result{
		ResponseID: "chatcmpl-T8n2Kx4Lm0PqR7sU1vW3yZ5a", ResponseModel: "gpt-4.1-2025-04-14",
		FinishReasons: []string{"tool_calls", "tool_calls"},
		Usage:         usage(82, 71, 0, 0, 0, 0), HasUsage: true,
		ToolCalls: []ToolCall{
			{"call_P4r1sWx8Yz2Ab5Cd7Ef9Gh1J", "get_weather", `{"city":"Paris"}`},
			{"call_L0nd0nQ2wE4rT6yU8iO0pA2s", "get_weather", `{"city":"London"}`},
			{"call_Tk0yQ3mN5pR7sT9uV1wX3zB5", "get_weather", `{"city":"Paris"}`},
		},
		OutputMessages: []Message{
			{Role: "assistant", FinishReason: "tool_call", Parts: []Part{
				toolPart("call_P4r1sWx8Yz2Ab5Cd7Ef9Gh1J", "get_weather", `{"city":"Paris"}`),
				toolPart("call_L0nd0nQ2wE4rT6yU8iO0pA2s", "get_weather", `{"city":"London"}`)}},
			{Role: "assistant", FinishReason: "tool_call", Parts: []Part{
				toolPart("call_Tk0yQ3mN5pR7sT9uV1wX3zB5", "get_weather", `{"city":"Paris"}`)}},
		},
		Terminal: true,
	}},
	{file: "azure_chat_stream_empty_first.sse", api: OpenAIChat, want: Result{
		ResponseID: "chatcmpl-Az9Yx8Wv7Ut6Sr5Qp4On3Ml2", ResponseModel: "gpt-4o-2024-11-20",
		FinishReasons: []string{"stop"},
		Usage:         usage(1312, 11, 1152, 0, 0, 0), HasUsage: true,
		OutputMessages: msg("stop", textPart("Your parcel left the Rotterdam depot this morning.")),
		Terminal:       true,
	}},
	{file: "groq_chat_stream_x_groq.sse", api: OpenAIChat, want: Result{
		ResponseID: "chatcmpl-6c1f0a2e-9d3b-4f1a-8e7c-2b5d9a0f4c11", ResponseModel: "llama-3.3-70b-versatile",
		FinishReasons: []string{"stop"},
		Usage:         usage(24, 7, 0, 0, 0, 0), HasUsage: true,
		OutputMessages: msg("stop", textPart("Fast inference keeps queues short.")),
		Terminal:       true,
	}},
	{file: "xai_chat_stream_usage_second_to_last.sse", api: OpenAIChat, want: Result{
		ResponseID: "0f8a2c4e-6b1d-4e3f-9a7c-5d2b8e0f1a34", ResponseModel: "grok-4-fast",
		FinishReasons: []string{"stop"},
		Usage:         usage(31, 18, 6, 0, 0, 0), HasUsage: true,
		OutputMessages: msg("stop", textPart("Routing via Lyon saves a day.")),
		Terminal:       true,
	}},
	{file: "openrouter_chat_stream_comment.sse", api: OpenAIChat, want: Result{ // langfuse #10592
		ResponseID: "gen-1767225800-Zq8WcK1mN3pR5tV7xY9a", ResponseModel: "openai/gpt-4o-mini",
		FinishReasons: []string{"stop"},
		Usage:         usage(17903, 96, 17817, 0, 0, 0), HasUsage: true,
		ProviderCostUSD: ptr(0.00468),
		OutputMessages:  msg("stop", textPart("Summary: 3 late orders, all in zone B.")),
		Terminal:        true,
	}},
	{file: "openai_chat_stream_nospace.sse", api: OpenAIChat, want: Result{
		ResponseID: "chatcmpl-b7e1d3f5a9c24e6b8d0f2a4c6e8b0d2f", ResponseModel: "Qwen/Qwen2.5-7B-Instruct",
		FinishReasons: []string{"length"},
		Usage:         usage(19, 4, 0, 0, 0, 0), HasUsage: true,
		OutputMessages: msg("length", textPart("Local models work too.")),
		Terminal:       true,
	}},
	{file: "openai_chat_stream_multiline.sse", api: OpenAIChat, want: Result{
		ResponseID: "chatcmpl-M1lt1L1n3Da7aXyZ0aB1cD2e", ResponseModel: "gpt-4.1-nano-2025-04-14",
		FinishReasons: []string{"stop"},
		Usage:         usage(11, 8, 0, 0, 0, 0), HasUsage: true,
		OutputMessages: msg("stop", textPart("Two lines of data, one event.")),
		Terminal:       true,
	}},
	{file: "openai_chat_stream_error.sse", api: OpenAIChat, want: Result{
		ResponseID: "chatcmpl-E4rr0rSt4r7aBcDeFgHiJkLm", ResponseModel: "gpt-4.1-mini-2025-04-14",
		Usage: noUsage, ErrorType: "server_error",
		OutputMessages: msg("error", textPart("The inventory report for")),
		Terminal:       true, NoUsageReason: NoUsageError,
	}},
	{file: "openai_chat_error_429.json", api: OpenAIChat, want: errorResult("rate_limit_exceeded")},
	{file: "deepseek_chat_response.json", api: OpenAIChat, want: Result{
		ResponseID: "3f9c2a71-5e84-4b0d-9c6a-1e2f3a4b5c6d", ResponseModel: "deepseek-reasoner",
		FinishReasons: []string{"stop"},
		Usage:         usage(1544, 503, 1408, 0, 0, 421), HasUsage: true,
		OutputMessages: msg("stop",
			reasoningPart("Lyon is 410 km away, Hamburg 1,200 km. Lyon wins."),
			textPart("Ship from Lyon: it is 2 days closer.")),
		Terminal: true,
	}},

	// Legacy Completions.
	{file: "openai_completions_stream.sse", api: OpenAICompletions, req: "openai_completions_request.json", want: Result{
		ResponseID: "cmpl-Cq4Rx7Tz1Vb3Nm5Lk7Jh9Gf1", ResponseModel: "gpt-3.5-turbo-instruct",
		FinishReasons: []string{"stop"},
		Usage:         usage(10, 21, 0, 0, 0, 0), HasUsage: true,
		OutputMessages: msg("stop", textPart("\n\nCardboard dreams of home,\nhighways hum beneath the box—\nsoon, a doorstep rest.")),
		Terminal:       true,
	}},
	{file: "openai_completions_response.json", api: OpenAICompletions, want: Result{
		ResponseID: "cmpl-Dr5Sy8Ua2Wc4On6Ml8Ki0Hg2", ResponseModel: "gpt-3.5-turbo-instruct",
		FinishReasons: []string{"length"},
		Usage:         usage(10, 16, 0, 0, 0, 0), HasUsage: true,
		OutputMessages: msg("length", textPart("\n\nLabel printed, tape sealed tight—\nthe van pulls away.")),
		Terminal:       true,
	}},
	{file: "openai_completions_error_404.json", api: OpenAICompletions, want: errorResult("model_not_found")},

	// Responses API.
	{file: "openai_responses_response.json", api: OpenAIResponses, want: Result{
		ResponseID: "resp_68f1a2b3c4d5e6f70123456789abcdef0a1b2c3d4e5f6071", ResponseModel: "o4-mini-2025-04-16",
		FinishReasons: []string{"tool_call"},
		Usage:         usage(480, 210, 256, 0, 0, 192), HasUsage: true,
		ToolCalls:      []ToolCall{{"call_Xo4PmL8kJ2hG6fD0sA9qW3eR", "lookup_order", `{"order_id":"A17"}`}},
		OutputMessages: msg("tool_call", toolPart("call_Xo4PmL8kJ2hG6fD0sA9qW3eR", "lookup_order", `{"order_id":"A17"}`)),
		Terminal:       true,
	}},
	{file: "openai_responses_stream_function_call.sse", api: OpenAIResponses, req: "openai_responses_request.json", want: Result{
		ResponseID: "resp_0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f", ResponseModel: "o4-mini-2025-04-16",
		FinishReasons: []string{"tool_call"},
		Usage:         usage(1290, 188, 1024, 0, 0, 128), HasUsage: true,
		ToolCalls: []ToolCall{{"call_Vb7Nm3Qw9Er5Ty1Ui8Op2As6", "lookup_order", `{"order_id":"A17"}`}},
		OutputMessages: msg("tool_call",
			reasoningPart("**Looking up A17** — the user wants a status."),
			toolPart("call_Vb7Nm3Qw9Er5Ty1Ui8Op2As6", "lookup_order", `{"order_id":"A17"}`)),
		Terminal: true,
	}},
	{file: "openai_responses_stream_text.sse", api: OpenAIResponses, want: Result{
		ResponseID: "resp_1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607182", ResponseModel: "gpt-4.1-2025-04-14",
		FinishReasons: []string{"length"},
		Usage:         usage(41, 8, 0, 0, 0, 0), HasUsage: true,
		OutputMessages: msg("length", textPart("Dear customer, your order A17 is")),
		Terminal:       true,
	}},
	{file: "openai_responses_stream_failed.sse", api: OpenAIResponses, want: Result{
		ResponseID: "resp_2c3d4e5f6071829304a5b6c7d8e9f0a1b2c3d4e5f6071829", ResponseModel: "gpt-5-2025-08-07",
		FinishReasons: []string{"error"}, Usage: noUsage, ErrorType: "server_error",
		Terminal: true, NoUsageReason: NoUsageError,
	}},
	{file: "openai_responses_stream_error.sse", api: OpenAIResponses, want: Result{
		ResponseID: "resp_3d4e5f60718293a405b6c7d8e9f0a1b2c3d4e5f60718293a", ResponseModel: "gpt-4.1-mini-2025-04-14",
		Usage: noUsage, ErrorType: "rate_limit_exceeded",
		Terminal: true, NoUsageReason: NoUsageError,
	}},
	{file: "openai_responses_error_400.json", api: OpenAIResponses, want: errorResult("invalid_type")},

	// Embeddings.
	{file: "openai_embeddings_response.json", api: OpenAIEmbeddings, req: "openai_embeddings_request.json", want: Result{
		ResponseModel: "text-embedding-3-small", Usage: inputOnly(13), HasUsage: true, Terminal: true,
	}},
	{file: "openai_embeddings_float_response.json", api: OpenAIEmbeddings, want: Result{
		ResponseModel: "text-embedding-ada-002-v2", Usage: inputOnly(8), HasUsage: true, Terminal: true,
	}},
	{file: "openai_embeddings_error_401.json", api: OpenAIEmbeddings, want: errorResult("invalid_api_key")},

	// Anthropic Messages.
	{file: "anthropic_messages_response.json", api: AnthropicMessages, want: Result{ // the worked example of §17
		ResponseID: "msg_01XFDUDYJgAACzvnptvVoYEL", ResponseModel: "claude-sonnet-4-5-20250929",
		FinishReasons: []string{"tool_use"},
		Usage:         usage(3520, 150, 3000, 500, 0, 100), HasUsage: true,
		ToolCalls: []ToolCall{{"toolu_01A09q90qw90lq917835lq9", "lookup_order", `{"order_id":"A17"}`}},
		OutputMessages: msg("tool_call",
			reasoningPart("The user asks about A17; I should look it up."),
			textPart("Let me check that order."),
			toolPart("toolu_01A09q90qw90lq917835lq9", "lookup_order", `{"order_id":"A17"}`)),
		Terminal: true,
	}},
	{file: "anthropic_messages_stream_cache.sse", api: AnthropicMessages, req: "anthropic_messages_request.json", want: Result{
		ResponseID: "msg_01Hq7Ls3Vb9Nx2Mc5Kd8Jf1G", ResponseModel: "claude-sonnet-4-5-20250929",
		FinishReasons: []string{"tool_use"},
		// 12 uncached + 20480 read + 1843 written (all with the 1-hour TTL).
		Usage: usage(22335, 187, 20480, 1843, 1843, 96), HasUsage: true,
		ToolCalls: []ToolCall{{"toolu_01T9xqRm4Ve7Nb2Lp8Kc5Wd3", "lookup_order", `{"order_id": "A17"}`}},
		OutputMessages: msg("tool_call",
			reasoningPart("A17 is not in the cached policy; I need the order tool."),
			textPart("Checking order A17 now."),
			toolPart("toolu_01T9xqRm4Ve7Nb2Lp8Kc5Wd3", "lookup_order", `{"order_id":"A17"}`)),
		Terminal: true,
	}},
	{file: "anthropic_messages_stream_error.sse", api: AnthropicMessages, want: Result{
		ResponseID: "msg_01Ov3rL0adEdXyZ9aB8cD7eF", ResponseModel: "claude-opus-4-1-20250805",
		// message_start's counts were reported before the error: they stand.
		Usage: usage(25, 1, 0, 0, 0, 0), HasUsage: true, ErrorType: "overloaded_error",
		OutputMessages: msg("error", textPart("The quarterly")),
		Terminal:       true,
	}},
	{file: "anthropic_messages_error_529.json", api: AnthropicMessages, want: errorResult("overloaded_error")},
	{file: "anthropic_messages_error_429.json", api: AnthropicMessages, want: errorResult("rate_limit_error")},

	// Gemini and Vertex.
	{file: "gemini_generate_response.json", api: GeminiGenerate, req: "gemini_generate_request.json", want: Result{
		ResponseID: "cmVzcC1BMTctZ2VtaW5pLTAx", ResponseModel: "gemini-2.5-flash",
		FinishReasons: []string{"STOP"},
		Usage:         usage(3520, 150, 3000, 0, 0, 100), HasUsage: true,
		ToolCalls:      []ToolCall{{"", "lookup_order", `{"order_id":"A17"}`}},
		OutputMessages: msg("tool_call", toolPart("", "lookup_order", `{"order_id":"A17"}`)),
		Terminal:       true,
	}},
	{file: "gemini_generate_stream.sse", api: GeminiGenerate, want: Result{
		ResponseID: "Q4ZbaeXgK8ODz7IP3rGx2Qk", ResponseModel: "gemini-2.5-flash",
		FinishReasons: []string{"STOP"},
		Usage:         usage(12, 24, 0, 0, 0, 18), HasUsage: true,
		OutputMessages: msg("stop",
			reasoningPart("**Checking the order**\n\nThe user asks about A17; the policy says quote the carrier ETA."),
			textPart("Order A17 arrives Monday.")),
		Terminal: true,
	}},
	{file: "gemini_generate_stream_error.sse", api: GeminiGenerate, want: Result{
		ResponseID: "aT5cafGhL9PE08QP4sHy3Rl", ResponseModel: "gemini-2.5-pro",
		Usage: usage(40, 3, 0, 0, 0, 0), HasUsage: true, ErrorType: "UNAVAILABLE",
		OutputMessages: msg("error", textPart("Here is the")),
		Terminal:       true,
	}},
	{file: "gemini_generate_stream_legacy.json", api: GeminiGenerate, want: Result{
		ResponseModel: "gemini-1.5-flash-002",
		FinishReasons: []string{"STOP"},
		Usage:         usage(5, 2, 0, 0, 0, 0), HasUsage: true,
		OutputMessages: msg("stop", textPart("Hello")),
		Terminal:       true,
	}},
	{file: "vertex_generate_response_thoughts_inside.json", api: GeminiGenerate, want: Result{ // posthog #71065
		ResponseID: "OMx0aZ7nKqGz1dkP8pTq0Ac", ResponseModel: "gemini-2.5-pro",
		FinishReasons: []string{"STOP"},
		Usage:         usage(10, 120, 0, 0, 0, 100), HasUsage: true,
		OutputMessages: msg("stop", textPart("Restock aisle 4 before Friday.")),
		Terminal:       true,
	}},
	{file: "gemini_generate_error_429.json", api: GeminiGenerate, want: errorResult("RESOURCE_EXHAUSTED")},
	{file: "gemini_embed_response.json", api: GeminiEmbed, req: "gemini_embed_request.json", want: Result{
		Usage: noUsage, Terminal: true, NoUsageReason: NoUsageNotReported,
	}},
	{file: "gemini_batch_embed_response.json", api: GeminiEmbed, want: Result{
		Usage: noUsage, Terminal: true, NoUsageReason: NoUsageNotReported,
	}},
	{file: "gemini_embed_error_400.json", api: GeminiEmbed, want: errorResult("INVALID_ARGUMENT")},

	// Ollama.
	{file: "ollama_chat_stream.ndjson", api: OllamaChat, req: "ollama_chat_request.json", want: Result{
		ResponseModel: "llama3.2", FinishReasons: []string{"stop"},
		Usage: usage(26, 12, 20, 0, 0, 0), HasUsage: true,
		OutputMessages: msg("stop", textPart("Sunlight scatters off air molecules, and blue light scatters most.")),
		Terminal:       true,
	}},
	{file: "ollama_chat_stream_tools.ndjson", api: OllamaChat, req: "ollama_chat_tools_request.json", want: Result{
		ResponseModel: "qwen3:8b", FinishReasons: []string{"stop"},
		Usage: usage(184, 41, 0, 0, 0, 0), HasUsage: true,
		ToolCalls: []ToolCall{{"call_k3y8pw2q", "get_weather", `{"city":"Toronto"}`}},
		OutputMessages: msg("tool_call",
			reasoningPart("The user wants Toronto weather; call get_weather."),
			toolPart("call_k3y8pw2q", "get_weather", `{"city":"Toronto"}`)),
		Terminal: true,
	}},
	{file: "ollama_chat_response.json", api: OllamaChat, want: Result{
		ResponseModel: "llama3.2", FinishReasons: []string{"stop"},
		Usage: usage(26, 15, 0, 0, 0, 0), HasUsage: true,
		OutputMessages: msg("stop", textPart("Rayleigh scattering makes short blue wavelengths dominate the daytime sky.")),
		Terminal:       true,
	}},
	{file: "ollama_generate_stream.ndjson", api: OllamaGenerate, req: "ollama_generate_request.json", want: Result{
		ResponseModel: "llama3.2", FinishReasons: []string{"length"},
		// prompt_eval_count is absent (prompt fully cached on an older
		// server): the input is unknown, never zero.
		Usage:          pricing.Usage{OutputTokens: 19, Missing: pricing.MissingInput},
		HasUsage:       true,
		OutputMessages: msg("length", textPart(`{"rules":["wear boots","lift with legs","keep aisles clear"]}`)),
		Terminal:       true,
	}},
	{file: "ollama_chat_stream_error.ndjson", api: OllamaChat, want: Result{
		ResponseModel: "llama3.2", Usage: noUsage, ErrorType: OtherError,
		OutputMessages: msg("error", textPart("The answer depends on")),
		Terminal:       true, NoUsageReason: NoUsageError,
	}},
	{file: "ollama_chat_error_404.json", api: OllamaChat, want: errorResult("404")},
	{file: "ollama_embed_response.json", api: OllamaEmbed, req: "ollama_embed_request.json", want: Result{
		ResponseModel: "all-minilm", Usage: inputOnly(8), HasUsage: true, Terminal: true,
	}},

	// Cohere v2.
	{file: "cohere_chat_response.json", api: CohereChat, want: Result{
		ResponseID: "5b1e7c2a-9d3f-4e8b-a6c1-0f2d4e6a8b0c", FinishReasons: []string{"COMPLETE"},
		Usage: usage(12, 14, 0, 0, 0, 0), HasUsage: true, // billed, not consumed
		OutputMessages: msg("stop", textPart("Two orders are delayed: B22 at customs and C31 by weather.")),
		Terminal:       true,
	}},
	{file: "cohere_chat_stream.sse", api: CohereChat, req: "cohere_chat_request.json", want: Result{
		ResponseID: "6c2f8d3b-0e4a-4f9c-b7d2-1a3e5f7b9c1d", FinishReasons: []string{"COMPLETE"},
		Usage: usage(12, 5, 0, 0, 0, 0), HasUsage: true,
		OutputMessages: msg("stop", textPart("Two orders are delayed.")),
		Terminal:       true,
	}},
	{file: "cohere_chat_error_429.json", api: CohereChat, want: errorResult("429")},
}

// withoutContent is want as parsed with capture off.
func withoutContent(r Result) Result {
	r.OutputMessages = nil
	return r
}

func diff(t *testing.T, name string, got *Result, want Result) {
	t.Helper()
	if reflect.DeepEqual(*got, want) {
		return
	}
	g, _ := json.MarshalIndent(got, "", "  ")
	w, _ := json.MarshalIndent(want, "", "  ")
	t.Errorf("%s:\n got %s\nwant %s", name, g, w)
}

// TestFixtures asserts every Result field for every fixture, with content
// capture on and off.
func TestFixtures(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.file, func(t *testing.T) {
			body := fx.body(t)
			want := fx.want
			want.API = fx.api
			got := feed(fx.api, fx.contentType(), fx.options(t, true), [][]byte{body}, true)
			diff(t, "capture on", got, want)
			got = feed(fx.api, fx.contentType(), fx.options(t, false), [][]byte{body}, true)
			diff(t, "capture off", got, withoutContent(want))
		})
	}
}

// TestFixturesCovered makes sure no response fixture goes unasserted and
// every request fixture parses.
func TestFixturesCovered(t *testing.T) {
	listed := map[string]bool{}
	for _, fx := range fixtures {
		listed[fx.file] = true
	}
	files, _ := filepath.Glob("testdata/*.*")
	for _, f := range files {
		name := filepath.Base(f)
		switch {
		case strings.HasSuffix(name, ".md"):
		case strings.HasSuffix(name, "_request.json"):
			b, _ := os.ReadFile(f)
			if !validJSON(b) {
				t.Errorf("%s: not valid JSON", name)
			}
		case !listed[name]:
			t.Errorf("%s has no expected Result in fixtures", name)
		default:
			b, _ := os.ReadFile(f)
			if strings.HasSuffix(name, ".json") && !json.Valid(b) {
				t.Errorf("%s: not valid JSON", name)
			}
		}
	}
}
