package mockllm_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/genaix/genaix-go/internal/mockllm"
)

// --- helpers -----------------------------------------------------------------

// do sends one request to h and records the answer. hdr is key, value pairs.
func do(t *testing.T, h http.Handler, method, path, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// post is do with POST and a 200 check.
func post(t *testing.T, h http.Handler, path, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	w := do(t, h, http.MethodPost, path, body, hdr...)
	if w.Code != http.StatusOK {
		t.Fatalf("POST %s: status %d, body %s", path, w.Code, w.Body)
	}
	return w
}

// decode parses a JSON value, failing the test if it does not parse.
func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return v
}

// at walks v by object keys (string) and array indexes (int); nil if absent.
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

// has reports whether the object at path has key (even with a null value).
func has(v any, key string, path ...any) bool {
	m, ok := at(v, path...).(map[string]any)
	if !ok {
		return false
	}
	_, ok = m[key]
	return ok
}

func num(v any) int    { f, _ := v.(float64); return int(f) }
func str(v any) string { s, _ := v.(string); return s }

type sseEvent struct {
	name string
	data string
}

// parseSSE parses an SSE body by the rules of wire-formats.md §15: lines end
// in \n, \r\n or \r; a blank line ends an event; data lines are joined.
func parseSSE(t *testing.T, body string) []sseEvent {
	t.Helper()
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n")
	var out []sseEvent
	var cur sseEvent
	var data []string
	open := false
	for _, l := range strings.Split(body, "\n") {
		if l == "" {
			if open {
				cur.data = strings.Join(data, "\n")
				out = append(out, cur)
			}
			cur, data, open = sseEvent{}, nil, false
			continue
		}
		if strings.HasPrefix(l, ":") {
			continue
		}
		k, v, _ := strings.Cut(l, ":")
		v = strings.TrimPrefix(v, " ")
		switch k {
		case "event":
			cur.name, open = v, true
		case "data":
			data, open = append(data, v), true
		default:
			t.Errorf("unexpected SSE line %q", l)
		}
	}
	if open {
		t.Errorf("SSE body ends inside an event")
	}
	return out
}

// ndjson parses an NDJSON body: every line one JSON object, newline-ended.
func ndjson(t *testing.T, body string) []any {
	t.Helper()
	if !strings.HasSuffix(body, "\n") {
		t.Errorf("NDJSON body does not end in a newline")
	}
	var out []any
	for _, l := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		out = append(out, decode(t, l))
	}
	return out
}

// norm is usage normalised to OpenTelemetry GenAI semantics by the formulas
// of wire-formats.md §17.
type norm struct{ input, cacheRead, cacheWrite, output, reasoning int }

func normOpenAIChat(u any) norm {
	return norm{num(at(u, "prompt_tokens")), num(at(u, "prompt_tokens_details", "cached_tokens")),
		num(at(u, "prompt_tokens_details", "cache_write_tokens")), num(at(u, "completion_tokens")),
		num(at(u, "completion_tokens_details", "reasoning_tokens"))}
}

func normResponses(u any) norm {
	return norm{num(at(u, "input_tokens")), num(at(u, "input_tokens_details", "cached_tokens")),
		num(at(u, "input_tokens_details", "cache_write_tokens")), num(at(u, "output_tokens")),
		num(at(u, "output_tokens_details", "reasoning_tokens"))}
}

func normAnthropic(u any) norm {
	read, write := num(at(u, "cache_read_input_tokens")), num(at(u, "cache_creation_input_tokens"))
	return norm{num(at(u, "input_tokens")) + read + write, read, write, num(at(u, "output_tokens")),
		num(at(u, "output_tokens_details", "thinking_tokens"))}
}

func normGemini(u any) norm {
	thoughts := num(at(u, "thoughtsTokenCount"))
	return norm{num(at(u, "promptTokenCount")) + num(at(u, "toolUsePromptTokenCount")), num(at(u, "cachedContentTokenCount")), 0,
		num(at(u, "candidatesTokenCount")) + thoughts, thoughts}
}

func normOllama(u any) norm {
	return norm{num(at(u, "prompt_eval_count")), num(at(u, "prompt_eval_cached_count")), 0, num(at(u, "eval_count")), 0}
}

// checkNorm applies the §17 sanity rules.
func checkNorm(t *testing.T, n norm) {
	t.Helper()
	if n.input <= 0 || n.output <= 0 || n.cacheRead+n.cacheWrite > n.input || n.reasoning > n.output ||
		n.cacheRead < 0 || n.cacheWrite < 0 || n.reasoning < 0 {
		t.Errorf("inconsistent usage %+v", n)
	}
}

func chatBody(model, user string, extra string) string {
	b, _ := json.Marshal(user)
	return `{"model":"` + model + `","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":` + string(b) + `}]` + extra + `}`
}

// --- server-wide behaviour -----------------------------------------------------

func TestUnknownPathUsesProviderErrorShape(t *testing.T) {
	s := mockllm.New()
	for _, tc := range []struct {
		method, path string
		status       int
		check        func(any) bool
	}{
		{"POST", "/v1/nothing", 404, func(v any) bool { return str(at(v, "error", "message")) != "" && str(at(v, "error", "type")) != "" }},
		{"GET", "/v1/chat/completions", 405, func(v any) bool { return str(at(v, "error", "message")) != "" }},
		{"POST", "/v1/messages/batches", 404, func(v any) bool {
			return str(at(v, "type")) == "error" && str(at(v, "error", "type")) == "not_found_error"
		}},
		{"POST", "/v1beta/models/gemini-2.5-flash:doSomething", 404, func(v any) bool {
			return num(at(v, "error", "code")) == 404 && str(at(v, "error", "status")) == "NOT_FOUND"
		}},
		{"POST", "/api/nothing", 404, func(v any) bool { return str(at(v, "error")) != "" }},
	} {
		w := do(t, s, tc.method, tc.path, `{}`)
		if w.Code != tc.status || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") || !tc.check(decode(t, w.Body.String())) {
			t.Errorf("%s %s: %d %s", tc.method, tc.path, w.Code, w.Body)
		}
	}
	if s.Requests() != 0 {
		t.Errorf("Requests() = %d after unknown paths, want 0", s.Requests())
	}
}

func TestFailureInjection(t *testing.T) {
	s := mockllm.New()
	for _, tc := range []struct {
		path, body, status string
		check              func(any) bool
	}{
		{"/v1/chat/completions", chatBody("gpt-4o", "hi", ""), "429", func(v any) bool {
			return str(at(v, "error", "type")) == "requests" && str(at(v, "error", "code")) == "rate_limit_exceeded" && has(v, "param", "error")
		}},
		{"/v1/responses", `{"model":"gpt-4o","input":"hi"}`, "500", func(v any) bool { return str(at(v, "error", "type")) == "server_error" }},
		{"/v1/embeddings", `{"model":"text-embedding-3-small","input":"hi"}`, "401", func(v any) bool { return str(at(v, "error", "code")) == "invalid_api_key" }},
		{"/v1/messages", `{"model":"claude-sonnet-4-5","max_tokens":100,"messages":[{"role":"user","content":"hi"}]}`, "529", func(v any) bool {
			return str(at(v, "type")) == "error" && str(at(v, "error", "type")) == "overloaded_error" && str(at(v, "error", "message")) != ""
		}},
		{"/v1beta/models/gemini-2.5-flash:generateContent", `{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}`, "429", func(v any) bool {
			return num(at(v, "error", "code")) == 429 && str(at(v, "error", "status")) == "RESOURCE_EXHAUSTED"
		}},
		{"/api/chat", `{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}`, "503", func(v any) bool { return str(at(v, "error")) != "" }},
	} {
		w := do(t, s, "POST", tc.path, tc.body, "X-Mock-Fail", tc.status)
		if got := w.Result().Status[:3]; got != tc.status || !tc.check(decode(t, w.Body.String())) {
			t.Errorf("%s with X-Mock-Fail %s: %d %s", tc.path, tc.status, w.Code, w.Body)
		}
		if w.Header().Get("x-should-retry") != "false" {
			t.Errorf("%s: injected failure without x-should-retry: false", tc.path)
		}
	}
	if w := do(t, s, "POST", "/v1/chat/completions", chatBody("gpt-4o", "hi", ""), "X-Mock-Fail", "200"); w.Code != 400 {
		t.Errorf("invalid X-Mock-Fail: %d, want 400", w.Code)
	}
	if w := do(t, s, "POST", "/v1/chat/completions", chatBody("gpt-4o", "hi", ""), "X-Mock-Fail", "stream-error"); w.Code != 500 {
		t.Errorf("stream-error on a non-streaming request: %d, want 500", w.Code)
	}
	if w := do(t, s, "POST", "/v1/chat/completions", `{not json`); w.Code != 400 || str(at(decode(t, w.Body.String()), "error", "type")) != "invalid_request_error" {
		t.Errorf("bad JSON: %d %s", w.Code, w.Body)
	}
}

// Each stream sends its first content chunk, then the provider's in-stream
// error over HTTP 200, and never its normal terminator.
func TestStreamErrorInjection(t *testing.T) {
	s := mockllm.New()
	fail := []string{"X-Mock-Fail", "stream-error"}
	t.Run("openai-chat", func(t *testing.T) {
		ev := parseSSE(t, post(t, s, "/v1/chat/completions", chatBody("gpt-4o", "tell me a story", `,"stream":true`), fail...).Body.String())
		last := decode(t, ev[len(ev)-1].data)
		if len(ev) != 3 || str(at(decode(t, ev[1].data), "choices", 0, "delta", "content")) == "" || str(at(last, "error", "message")) == "" {
			t.Errorf("events %v", ev)
		}
	})
	t.Run("openai-responses", func(t *testing.T) {
		ev := parseSSE(t, post(t, s, "/v1/responses", `{"model":"gpt-4o","input":"tell me a story","stream":true}`, fail...).Body.String())
		last := ev[len(ev)-1]
		if ev[len(ev)-2].name != "response.output_text.delta" || last.name != "error" || str(at(decode(t, last.data), "code")) == "" {
			t.Errorf("events %v", ev)
		}
	})
	t.Run("anthropic", func(t *testing.T) {
		ev := parseSSE(t, post(t, s, "/v1/messages", `{"model":"claude-sonnet-4-5","max_tokens":500,"stream":true,"messages":[{"role":"user","content":"tell me"}]}`, fail...).Body.String())
		var names []string
		for _, e := range ev {
			names = append(names, e.name)
		}
		want := "message_start content_block_start ping content_block_delta error"
		if strings.Join(names, " ") != want || str(at(decode(t, ev[4].data), "error", "type")) != "overloaded_error" {
			t.Errorf("events %v, want %s", names, want)
		}
	})
	t.Run("gemini", func(t *testing.T) {
		ev := parseSSE(t, post(t, s, "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse", `{"contents":[{"role":"user","parts":[{"text":"tell me"}]}]}`, fail...).Body.String())
		if len(ev) != 2 || str(at(decode(t, ev[0].data), "candidates", 0, "content", "parts", 0, "text")) == "" || str(at(decode(t, ev[1].data), "error", "status")) == "" {
			t.Errorf("events %v", ev)
		}
	})
	t.Run("ollama", func(t *testing.T) {
		lines := ndjson(t, post(t, s, "/api/chat", `{"model":"llama3.2","messages":[{"role":"user","content":"tell me"}]}`, fail...).Body.String())
		if len(lines) != 2 || at(lines[0], "done") != false || str(at(lines[1], "error")) == "" {
			t.Errorf("lines %v", lines)
		}
	})
}

var idRE = regexp.MustCompile(`mock[-_]\d{6}`)

// The same request twice gets the same bytes, ids aside; another seed
// changes the reply.
func TestDeterminism(t *testing.T) {
	reqs := []struct{ path, body string }{
		{"/v1/chat/completions", chatBody("gpt-4o-mini", "What is the capital of France?", "")},
		{"/v1/chat/completions", chatBody("o4-mini", "What is the capital of France?", `,"stream":true,"stream_options":{"include_usage":true}`)},
		{"/v1/responses", `{"model":"gpt-5","input":"hello there","stream":true}`},
		{"/v1/embeddings", `{"model":"text-embedding-3-small","input":["a b","c"],"encoding_format":"base64"}`},
		{"/v1/messages", `{"model":"claude-sonnet-4-5","max_tokens":2000,"stream":true,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"hello"}]}`},
		{"/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", `{"contents":[{"role":"user","parts":[{"text":"hello"}]}]}`},
		{"/api/chat", `{"model":"llama3.2","messages":[{"role":"user","content":"hello"}]}`},
		{"/api/generate", `{"model":"llama3.2","prompt":"hello","stream":false}`},
	}
	s := mockllm.New()
	for _, r := range reqs {
		a := idRE.ReplaceAllString(post(t, s, r.path, r.body).Body.String(), "ID")
		b := idRE.ReplaceAllString(post(t, s, r.path, r.body).Body.String(), "ID")
		if a != b {
			t.Errorf("%s: replies differ:\n%s\n%s", r.path, a, b)
		}
	}
	text := func(s *mockllm.Server) string {
		return str(at(decode(t, post(t, s, reqs[0].path, reqs[0].body).Body.String()), "choices", 0, "message", "content"))
	}
	if text(mockllm.New(mockllm.WithSeed(1))) == text(mockllm.New(mockllm.WithSeed(2))) {
		t.Errorf("WithSeed does not change the reply")
	}
}

func TestChunkWords(t *testing.T) {
	count := func(s *mockllm.Server) int {
		return len(parseSSE(t, post(t, s, "/v1/chat/completions", chatBody("gpt-4o", "hello", `,"stream":true`)).Body.String()))
	}
	if one, three := count(mockllm.New()), count(mockllm.New(mockllm.WithChunkWords(3))); three >= one {
		t.Errorf("WithChunkWords(3) gave %d events, word by word %d", three, one)
	}
}

func TestStartServesOnLoopback(t *testing.T) {
	s := mockllm.New()
	base, stop, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("base URL %q", base)
	}
	for range 2 {
		resp, err := http.Post(base+"/v1/chat/completions", "application/json", strings.NewReader(chatBody("gpt-4o", "hi", "")))
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("x-request-id") == "" {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	if resp, err := http.Get(base + "/api/version"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /api/version: %v", err)
	} else {
		resp.Body.Close()
	}
	if got := s.Requests(); got != 2 {
		t.Errorf("Requests() = %d, want 2", got)
	}
	stop()
	stop() // idempotent
	if _, err := http.Post(base+"/v1/chat/completions", "application/json", strings.NewReader("{}")); err == nil {
		t.Errorf("server still answers after stop")
	}
}

// A client that goes away mid-stream ends the handler, and stop does not
// wait for a stream that would otherwise last an hour.
func TestClientCancellationEndsStream(t *testing.T) {
	s := mockllm.New(mockllm.WithLatency(0, time.Hour))
	done := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		s.ServeHTTP(w, r)
	}))
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", ts.URL+"/v1/messages",
		strings.NewReader(`{"model":"claude-haiku-4-5","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"hi"}]}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || line != "event: message_start\n" {
		t.Fatalf("first line %q, %v", line, err)
	}
	cancel()
	resp.Body.Close()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("handler still running after the client went away")
	}

	base, stop, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	resp, err = http.Post(base+"/api/chat", "application/json", strings.NewReader(`{"model":"llama3.2","messages":[{"role":"user","content":"hi"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bufio.NewReader(resp.Body).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan struct{})
	go func() { stop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("stop waits for an endless stream")
	}
	resp.Body.Close()
}

func TestLatency(t *testing.T) {
	s := mockllm.New(mockllm.WithLatency(30*time.Millisecond, time.Millisecond))
	start := time.Now()
	post(t, s, "/v1/chat/completions", chatBody("gpt-4o", "hi", ""))
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("reply after %v, want at least the first-chunk latency", d)
	}
}
