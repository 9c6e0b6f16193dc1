package mockllm_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/genaix/genaix-go/internal/mockllm"
)

// ollamaLines checks an Ollama NDJSON stream: done false on every line but
// the last, which is done true. It returns the lines.
func ollamaLines(t *testing.T, w interface {
	Header() http.Header
}, body string) []any {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/x-ndjson" {
		t.Errorf("Content-Type %q", ct)
	}
	lines := ndjson(t, body)
	for i, l := range lines {
		if at(l, "done") != (i == len(lines)-1) || str(at(l, "created_at")) == "" || str(at(l, "model")) != "llama3.2" {
			t.Errorf("line %d: %v", i, l)
		}
	}
	return lines
}

func TestOllamaChat(t *testing.T) {
	s := mockllm.New()
	msgs := `"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is the capital of France?"}]`
	// stream absent means true.
	w := post(t, s, "/api/chat", `{"model":"llama3.2",`+msgs+`}`)
	lines := ollamaLines(t, w, w.Body.String())
	var text strings.Builder
	for _, l := range lines {
		if str(at(l, "message", "role")) != "assistant" {
			t.Errorf("line %v", l)
		}
		text.WriteString(str(at(l, "message", "content")))
	}
	final := lines[len(lines)-1]
	n := normOllama(final)
	checkNorm(t, n)
	if str(at(final, "done_reason")) != "stop" || n.input <= 200 || !strings.HasPrefix(text.String(), "Mock answer to: What is the capital of France?") ||
		num(at(final, "total_duration")) == 0 || num(at(final, "eval_duration")) == 0 || has(final, "id") {
		t.Errorf("final line %v", final)
	}

	w = post(t, s, "/api/chat", `{"model":"llama3.2","stream":false,`+msgs+`}`)
	v := decode(t, w.Body.String())
	if strings.Count(w.Body.String(), "\n") != 1 || at(v, "done") != true || str(at(v, "message", "content")) != text.String() ||
		normOllama(v) != n || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Errorf("non-streaming reply %s", w.Body)
	}

	// A later turn: the conversation so far comes from the KV cache.
	turn2 := `{"model":"llama3.2","stream":false,"messages":[{"role":"user","content":"What is the capital of France?"},{"role":"assistant","content":"Paris."},{"role":"user","content":"And Italy?"}]}`
	if n2 := normOllama(decode(t, post(t, s, "/api/chat", turn2).Body.String())); n2.cacheRead == 0 || n2.cacheRead >= n2.input || n2.input <= n.input-10 {
		t.Errorf("second turn usage %+v", n2)
	}

	// think: thinking lines first, counted in eval_count.
	w = post(t, s, "/api/chat", `{"model":"llama3.2","think":true,`+msgs+`}`)
	lines = ollamaLines(t, w, w.Body.String())
	if str(at(lines[0], "message", "thinking")) == "" || normOllama(lines[len(lines)-1]).output <= n.output {
		t.Errorf("thinking stream %v … %v", lines[0], lines[len(lines)-1])
	}
}

func TestOllamaTools(t *testing.T) {
	s := mockllm.New()
	tools := `,"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]`
	w := post(t, s, "/api/chat", `{"model":"llama3.2","messages":[{"role":"user","content":"Weather in Paris?"}]`+tools+`}`)
	lines := ollamaLines(t, w, w.Body.String())
	call := at(lines[0], "message", "tool_calls", 0, "function")
	if len(lines) != 2 || str(at(call, "name")) != "get_weather" || str(at(call, "arguments", "city")) != "Weather in Paris?" ||
		str(at(lines[1], "done_reason")) != "stop" || at(lines[1], "message", "tool_calls") != nil {
		t.Errorf("tool call stream %v", lines)
	}
	after := `{"model":"llama3.2","stream":false,"messages":[{"role":"user","content":"Weather in Paris?"},
		{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},
		{"role":"tool","tool_name":"get_weather","content":"Sunny"}]` + tools + `}`
	v := decode(t, post(t, s, "/api/chat", after).Body.String())
	if !strings.HasPrefix(str(at(v, "message", "content")), "Mock answer from the tool result: Sunny") || at(v, "message", "tool_calls") != nil {
		t.Errorf("reply to a tool message %v", v)
	}
}

func TestOllamaGenerate(t *testing.T) {
	s := mockllm.New()
	w := post(t, s, "/api/generate", `{"model":"llama3.2","prompt":"Why is the sky blue?","system":"Be brief."}`)
	lines := ollamaLines(t, w, w.Body.String())
	var text strings.Builder
	for _, l := range lines {
		text.WriteString(str(at(l, "response")))
	}
	final := lines[len(lines)-1]
	checkNorm(t, normOllama(final))
	if !strings.HasPrefix(text.String(), "Mock answer to: Why is the sky blue?") || at(final, "context") == nil || str(at(final, "done_reason")) != "stop" {
		t.Errorf("generate stream: %q, final %v", text.String(), final)
	}
	v := decode(t, post(t, s, "/api/generate", `{"model":"llama3.2","prompt":"Why is the sky blue?","stream":false,"options":{"num_predict":6}}`).Body.String())
	if at(v, "done") != true || str(at(v, "done_reason")) != "length" || num(at(v, "eval_count")) > 6 {
		t.Errorf("num_predict: %v", v)
	}
	v = decode(t, post(t, s, "/api/generate", `{"model":"llama3.2"}`).Body.String())
	if str(at(v, "done_reason")) != "load" {
		t.Errorf("empty generate: %v", v)
	}
}

func TestOllamaEmbedAndMetadata(t *testing.T) {
	s := mockllm.New()
	v := decode(t, post(t, s, "/api/embed", `{"model":"nomic-embed-text","input":["hello world","good night"]}`).Body.String())
	if len(at(v, "embeddings").([]any)) != 2 || len(at(v, "embeddings", 0).([]any)) != 32 || num(at(v, "prompt_eval_count")) == 0 || str(at(v, "model")) != "nomic-embed-text" {
		t.Errorf("embed: %v", v)
	}
	v = decode(t, post(t, s, "/api/embeddings", `{"model":"nomic-embed-text","prompt":"hello world"}`).Body.String())
	if len(at(v, "embedding").([]any)) != 32 {
		t.Errorf("legacy embeddings: %v", v)
	}
	if v := decode(t, do(t, s, "GET", "/api/version", "").Body.String()); str(at(v, "version")) == "" {
		t.Errorf("version: %v", v)
	}
	if v := decode(t, do(t, s, "GET", "/api/tags", "").Body.String()); str(at(v, "models", 0, "name")) == "" {
		t.Errorf("tags: %v", v)
	}
	if w := do(t, s, "HEAD", "/", ""); w.Code != 200 {
		t.Errorf("HEAD /: %d", w.Code)
	}
	if s.Requests() != 2 {
		t.Errorf("Requests() = %d, want 2 (metadata routes are not counted)", s.Requests())
	}
}
