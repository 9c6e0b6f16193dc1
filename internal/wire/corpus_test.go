package wire

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestWriteCorpus regenerates the seed corpora under testdata/fuzz from the
// fixtures. Run it after changing fixtures:
//
//	GENAIX_WIRE_WRITE_CORPUS=1 go test -run TestWriteCorpus ./internal/wire
func TestWriteCorpus(t *testing.T) {
	if os.Getenv("GENAIX_WIRE_WRITE_CORPUS") == "" {
		t.Skip("set GENAIX_WIRE_WRITE_CORPUS=1 to regenerate testdata/fuzz")
	}
	write := func(target, name string, args ...any) {
		dir := filepath.Join("testdata", "fuzz", target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		b.WriteString("go test fuzz v1\n")
		for _, a := range args {
			switch v := a.(type) {
			case []byte:
				fmt.Fprintf(&b, "[]byte(%q)\n", v)
			case string:
				fmt.Fprintf(&b, "string(%q)\n", v)
			case uint16:
				fmt.Fprintf(&b, "uint16(%d)\n", v)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, target := range []string{"FuzzSSE", "FuzzResponseParser", "FuzzParseRequest", "FuzzSniff", "FuzzDetect"} {
		os.RemoveAll(filepath.Join("testdata", "fuzz", target))
	}
	apiSel := func(api API) uint16 { return uint16(slices.Index(fuzzAPIs, api)) }
	ctSel := func(ct string) uint16 {
		for i, c := range fuzzTypes {
			if strings.HasPrefix(ct, c) && c != "" {
				return uint16(i) << 4
			}
		}
		return 3 << 4
	}
	for _, fx := range fixtures {
		body := fx.body(t)
		base := strings.TrimSuffix(fx.file, filepath.Ext(fx.file))
		sel := apiSel(fx.api) | ctSel(fx.contentType()) | 0x100
		if fx.status() >= 400 {
			sel |= 0x200
		}
		write("FuzzResponseParser", base, body, sel)
		write("FuzzResponseParser", base+"-small-caps", body, sel|0x400)
		if fx.contentType() == "text/event-stream" || fx.contentType() == "application/x-ndjson" {
			write("FuzzSSE", base, body, uint16(len(body)%509))
		}
		if strings.HasSuffix(fx.file, ".json") {
			write("FuzzSniff", base, body)
		}
	}
	reqs, _ := filepath.Glob("testdata/*_request.json")
	for _, f := range reqs {
		body, _ := os.ReadFile(f)
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		api := guessAPI(name)
		write("FuzzParseRequest", name, body, apiSel(api))
		write("FuzzParseRequest", name+"-no-capture", body, apiSel(api)|0x100)
	}
	// Interesting hand-picked cases.
	write("FuzzSSE", "cr-at-chunk-end", []byte("data: a\r\ndata: b\r\r\n\n:c\rdata:x\n\n"), uint16(1))
	write("FuzzSSE", "over-cap", []byte("data: "+strings.Repeat("y", 200)+"\n\ndata: z\n\n"), uint16(2))
	write("FuzzResponseParser", "deep-nesting", []byte("data: "+strings.Repeat(`{"a":[`, 3000)+"\n\n"), uint16(0x100))
	write("FuzzResponseParser", "huge-index", []byte(`data: {"choices":[{"index":9223372036854775807,"delta":{"tool_calls":[{"index":-5,"id":"x"}]}}]}`+"\n\n"), uint16(0x100))
	write("FuzzResponseParser", "surrogates", []byte(`{"choices":[{"message":{"content":"\ud83d\ude00\ud800x\udc00"},"finish_reason":"stop"}]}`), uint16(0x120))
	write("FuzzResponseParser", "embeddings-tricky", []byte(`{"data":[{"embedding":"a\"]}"}],"model":"m\\","usage":{"prompt_tokens":1e2}}`), uint16(0x122))
	write("FuzzResponseParser", "gemini-array-enums", []byte(`[{"candidates":[{"finishReason":99,"content":{"parts":[{"text":"a","thought":true},{"functionCall":{"name":"f","args":[1]}}]}}]}]`), uint16(0x125))
	write("FuzzParseRequest", "wrong-types", []byte(`{"model":7,"messages":{"role":"user"},"tools":"x","stop":[1,null,"s"],"temperature":"1","n":1e400}`), uint16(0))
	write("FuzzSniff", "zero-usage", []byte(`{"object":"chat.completion","choices":[],"usage":{"prompt_tokens":0,"completion_tokens":0}}`))
	for _, u := range []string{
		"https://api.openai.com/v1/chat/completions",
		"https://acme.openai.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21",
		"https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
		"https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude:rawPredict",
		"http://127.0.0.1:11434/api/chat",
		"https://api.anthropic.com/v1/messages/count_tokens",
		"http://[fe80::1%25en0]:8080/v1/responses",
		"https://bedrock-runtime.us-east-1.amazonaws.com/model/x%3A0/invoke",
	} {
		name := strings.NewReplacer("/", "_", ":", "_", "?", "_", "%", "_", "[", "_", "]", "_").Replace(u)
		write("FuzzDetect", name[:min(len(name), 80)], "POST", u, "application/json")
	}
}

// guessAPI names a fixture's API from its file name prefix.
func guessAPI(name string) API {
	prefixes := []struct {
		prefix string
		api    API
	}{
		{"openai_responses", OpenAIResponses}, {"openai_embeddings", OpenAIEmbeddings},
		{"openai_completions", OpenAICompletions}, {"anthropic", AnthropicMessages},
		{"gemini_embed", GeminiEmbed}, {"gemini_batch_embed", GeminiEmbed}, {"gemini", GeminiGenerate},
		{"vertex", GeminiGenerate}, {"ollama_generate", OllamaGenerate}, {"ollama_embed", OllamaEmbed},
		{"ollama", OllamaChat}, {"cohere", CohereChat},
	}
	for _, p := range prefixes {
		if strings.HasPrefix(name, p.prefix) {
			return p.api
		}
	}
	return OpenAIChat
}

// TestGuessAPI keeps the naming rule of testdata/README.md true.
func TestGuessAPI(t *testing.T) {
	for _, fx := range fixtures {
		if got := guessAPI(fx.file); got != fx.api {
			t.Errorf("%s: named like %v, parsed as %v", fx.file, got, fx.api)
		}
	}
}
