package llmhttp_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/codes"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/llmhttp"
)

// route gives the request path and content type a fixture is served with,
// from its name; ok is false for files that are not responses.
func route(name string) (path, ctype string, status int, ok bool) {
	switch {
	case strings.HasSuffix(name, "_request.json"), strings.HasPrefix(name, "."):
		return "", "", 0, false
	case strings.HasSuffix(name, ".sse"):
		ctype = "text/event-stream"
	case strings.HasSuffix(name, ".ndjson"):
		ctype = "application/x-ndjson"
	case strings.HasSuffix(name, ".json"):
		ctype = "application/json"
	default:
		return "", "", 0, false
	}
	status = 200
	if i := strings.Index(name, "error_"); i >= 0 {
		fmt.Sscanf(name[i+len("error_"):], "%d", &status)
	}
	stream := ctype != "application/json"
	switch {
	case strings.Contains(name, "responses"):
		path = "/v1/responses"
	case strings.Contains(name, "embeddings"):
		path = "/v1/embeddings"
	case strings.HasPrefix(name, "openai_completions"):
		path = "/v1/completions"
	case strings.HasPrefix(name, "anthropic"):
		path = "/v1/messages"
	case strings.HasPrefix(name, "gemini") && stream:
		path = "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
	case strings.HasPrefix(name, "gemini") && strings.Contains(name, "embed"):
		path = "/v1beta/models/gemini-embedding-001:embedContent"
	case strings.HasPrefix(name, "gemini"):
		path = "/v1beta/models/gemini-2.5-flash:generateContent"
	case strings.HasPrefix(name, "ollama_chat"):
		path = "/api/chat"
	case strings.HasPrefix(name, "ollama_generate"):
		path = "/api/generate"
	case strings.HasPrefix(name, "ollama_embed"):
		path = "/api/embed"
	case strings.HasPrefix(name, "cohere"):
		path = "/v2/chat"
	default:
		path = "/v1/chat/completions"
	}
	return path, ctype, status, true
}

// TestCallerBytesEqualServerBytes is the property test: for every response
// fixture and many random chunkings on both sides, what the caller reads
// through llmhttp is exactly what the server sent, and exactly one span ends.
func TestCallerBytesEqualServerBytes(t *testing.T) {
	dir := filepath.Join("..", "internal", "wire", "testdata")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	tested := 0
	for _, e := range entries {
		path, ctype, status, ok := route(e.Name())
		if e.IsDir() || !ok {
			continue
		}
		tested++
		body := fixture(t, e.Name())
		t.Run(e.Name(), func(t *testing.T) {
			for seed := range uint64(12) {
				p := newPipeline(t)
				srv := serve(t, &replay{status: status, ctype: ctype, body: body, seed: seed})
				resp := post(t, llmhttp.NewClient(llmhttp.WithTracerProvider(p.tp)), context.Background(), srv.URL+path, []byte(`{"model":"m","stream":true}`))
				got := readRandomly(t, resp.Body, seed)
				resp.Body.Close()
				if !bytes.Equal(got, body) {
					t.Fatalf("seed %d: caller read %d bytes differing from the server's %d", seed, len(got), len(body))
				}
				if n := len(p.exp.GetSpans()); n != 1 {
					t.Fatalf("seed %d: %d spans ended, want 1", seed, n)
				}
			}
		})
	}
	if tested < 10 {
		t.Fatalf("only %d fixtures found", tested)
	}
}

func readRandomly(t testing.TB, r io.Reader, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 99))
	var out []byte
	for {
		buf := make([]byte, 1+rng.IntN(512))
		n, err := r.Read(buf)
		out = append(out, buf[:n]...)
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("read: %v", err)
		}
	}
}

func TestHugeFinalEvent(t *testing.T) {
	blob := strings.Repeat("A", 2<<20) // a 2 MiB encrypted-reasoning blob on the terminal event's line
	stream := "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_big\",\"status\":\"in_progress\",\"model\":\"o4-mini-2025-04-16\",\"output\":[],\"usage\":null}}\n\n" +
		"event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":1,\"response\":{\"id\":\"resp_big\",\"status\":\"completed\",\"model\":\"o4-mini-2025-04-16\",\"output\":[{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[],\"encrypted_content\":\"" + blob + "\"}],\"usage\":{\"input_tokens\":30,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":210,\"output_tokens_details\":{\"reasoning_tokens\":192},\"total_tokens\":240}}}\n\n"
	for _, tc := range []struct {
		name      string
		opts      []llmhttp.Option
		truncated bool
	}{{"under cap", nil, false}, {"over cap", []llmhttp.Option{llmhttp.WithMaxEventBytes(64 << 10)}, true}} {
		t.Run(tc.name, func(t *testing.T) {
			p := newPipeline(t)
			srv := serve(t, &replay{status: 200, ctype: "text/event-stream", body: []byte(stream)})
			resp := post(t, llmhttp.NewClient(append(tc.opts, llmhttp.WithTracerProvider(p.tp))...), context.Background(), srv.URL+"/v1/responses", []byte(`{"model":"o4-mini","stream":true}`))
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(got) != stream {
				t.Fatal("bytes changed")
			}
			s := p.only(t)
			if tc.truncated {
				want(t, s, genaix.ResponseTruncatedKey, true)
				absent(t, s, genaix.OutputTokensKey)
			} else {
				want(t, s, genaix.OutputTokensKey, 210)
				want(t, s, genaix.ReasoningTokensKey, 192)
			}
			want(t, s, genaix.ResponseIDKey, "resp_big")
		})
	}
}

// cutServer sends half a stream, then drops the connection.
func TestServerDisconnectMidStream(t *testing.T) {
	p := newPipeline(t)
	body := fixture(t, "openai_chat_stream_usage.sse")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Content-Length", fmt.Sprint(len(body))) // promise more than is sent
		_, _ = w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}))
	defer srv.Close()
	resp := post(t, llmhttp.NewClient(llmhttp.WithTracerProvider(p.tp)), context.Background(), srv.URL+"/v1/chat/completions", fixture(t, "openai_chat_stream_request.json"))
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !errors.Is(err, io.ErrUnexpectedEOF) || !bytes.Equal(got, body[:len(body)/2]) {
		t.Fatalf("caller got %d bytes, err %v", len(got), err)
	}
	s := p.only(t)
	if s.Status.Code != codes.Error {
		t.Errorf("status = %v", s.Status)
	}
	want(t, s, genaix.ErrorTypeKey, "unexpected_eof")
	absent(t, s, genaix.InputTokensKey)
}

func TestCallerClosesBeforeReading(t *testing.T) {
	p := newPipeline(t)
	srv := serve(t, &replay{status: 200, ctype: "text/event-stream", body: fixture(t, "openai_chat_stream_usage.sse")})
	resp := post(t, llmhttp.NewClient(llmhttp.WithTracerProvider(p.tp)), context.Background(), srv.URL+"/v1/chat/completions", fixture(t, "openai_chat_stream_request.json"))
	if err := resp.Body.Close(); err != nil {
		t.Fatal(err)
	}
	s := p.only(t)
	if s.Status.Code == codes.Error {
		t.Errorf("an early close by the caller is not an error: %v", s.Status)
	}
	absent(t, s, genaix.InputTokensKey)
}

func TestContextCancelledMidStream(t *testing.T) {
	p := newPipeline(t)
	first := make(chan struct{})
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = w.Write([]byte("data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"))
		w.(http.Flusher).Flush()
		close(first)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	resp := post(t, llmhttp.NewClient(llmhttp.WithTracerProvider(p.tp)), ctx, srv.URL+"/v1/chat/completions", []byte(`{"model":"m","stream":true}`))
	<-first
	buf := make([]byte, 4096)
	if _, err := resp.Body.Read(buf); err != nil {
		t.Fatal(err)
	}
	cancel()
	_, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("read after cancel: %v", err)
	}
	s := p.only(t)
	want(t, s, genaix.ErrorTypeKey, "canceled")
}

type onlyReader struct{ io.Reader } // hides everything but Read: no GetBody, no length

func TestRequestWithoutGetBodyIsRestoredExactly(t *testing.T) {
	for _, limit := range []int{1 << 20, 64} { // fits, and over the cap
		p := newPipeline(t)
		r := &replay{status: 200, ctype: "application/json", body: fixture(t, "openai_chat_response.json")}
		srv := serve(t, r)
		reqBody := fixture(t, "openai_chat_request.json")
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/chat/completions", onlyReader{bytes.NewReader(reqBody)})
		if req.GetBody != nil {
			t.Fatal("test needs a request without GetBody")
		}
		rt := llmhttp.NewTransport(nil, llmhttp.WithTracerProvider(p.tp), llmhttp.WithMaxRequestBytes(limit))
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if !bytes.Equal(r.got, reqBody) {
			t.Fatalf("limit %d: server got %d bytes, want the %d sent", limit, len(r.got), len(reqBody))
		}
		s := p.only(t)
		if limit == 64 {
			want(t, s, genaix.RequestTruncatedKey, true)
			absent(t, s, genaix.RequestModelKey)
		} else {
			want(t, s, genaix.RequestModelKey, "gpt-4.1-mini")
		}
	}
}

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("disk on fire")
	}
	n := min(f.n, len(p))
	for i := range n {
		p[i] = '{'
	}
	f.n -= n
	return n, nil
}

func TestRequestBodyReadErrorReachesTheCaller(t *testing.T) {
	p := newPipeline(t)
	r := &replay{status: 200, ctype: "application/json", body: []byte("{}")}
	srv := serve(t, r)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/chat/completions", &failingReader{n: 10})
	_, err := llmhttp.NewTransport(nil, llmhttp.WithTracerProvider(p.tp)).RoundTrip(req)
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("caller got %v, want the body's own read error", err)
	}
	if s := p.only(t); s.Status.Code != codes.Error {
		t.Errorf("status = %v", s.Status)
	}
}

func TestRetriedAttemptsAreSeparateSpansCountedOnce(t *testing.T) {
	p := newPipeline(t)
	attempt := 0
	ok := fixture(t, "openai_chat_response.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempt++
		w.Header().Set("Content-Type", "application/json")
		if attempt == 1 {
			w.WriteHeader(500)
			_, _ = w.Write([]byte(`{"error":{"message":"oops","type":"server_error","code":null}}`))
			return
		}
		_, _ = w.Write(ok)
	}))
	defer srv.Close()
	mw := llmhttp.Middleware(llmhttp.WithTracerProvider(p.tp))
	ctx, wf := genaix.StartWorkflow(context.Background(), "wf", "retry", genaix.WithTracerProvider(p.tp))
	for i := range 2 { // what an SDK's retry loop does: one middleware call per attempt
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/v1/chat/completions", bytes.NewReader(fixture(t, "openai_chat_request.json")))
		req.Header.Set("X-Stainless-Retry-Count", fmt.Sprint(i))
		resp, err := mw(req, http.DefaultTransport.RoundTrip)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	wf.End()
	tot := wf.Totals()
	if tot.LLMCalls != 2 || tot.InputTokens != 3520 || tot.Cost != 726_400 {
		t.Errorf("totals = %+v: the failed attempt carries no usage, the cost counts once", tot)
	}
	var retried int
	for _, s := range p.exp.GetSpans() {
		if v, ok := attr(s, genaix.ResendCountKey); ok && v.AsInt64() == 1 {
			retried++
		}
	}
	if retried != 1 {
		t.Errorf("%d spans carry http.request.resend_count=1", retried)
	}
}

func TestContentCaptureIsRedactedAndOptIn(t *testing.T) {
	t.Setenv(llmhttp.CaptureEnv, "true")
	p := newPipeline(t, genaix.WithRedactor(func(kind, v string) string {
		return strings.ReplaceAll(v, "A17", "[order]")
	}))
	srv := serve(t, &replay{status: 200, ctype: "application/json", body: fixture(t, "openai_chat_response.json")})
	resp := post(t, llmhttp.NewClient(llmhttp.WithTracerProvider(p.tp)), context.Background(), srv.URL+"/v1/chat/completions", fixture(t, "openai_chat_request.json"))
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	s := p.only(t)
	in, ok := attr(s, genaix.InputMessagesKey)
	if !ok || !strings.HasPrefix(in.AsString(), `[{"role":"user"`) && !strings.HasPrefix(in.AsString(), `[{"role":"system"`) {
		t.Fatalf("input messages = %q", in.AsString())
	}
	if strings.Contains(in.AsString(), "A17") || !strings.Contains(in.AsString(), "[order]") {
		t.Errorf("redactor not applied: %s", in.AsString())
	}
	if _, ok := attr(s, genaix.OutputMessagesKey); !ok {
		t.Error("output messages missing")
	}
	if _, ok := attr(s, genaix.ToolDefinitionsKey); !ok {
		t.Error("tool definitions missing")
	}
}

// TestGenaixFailureNeverChangesTheRequest: a Redactor that panics while
// genaix prepares the span, on a request without GetBody (whose body genaix
// has already read): the server still gets the whole body, the caller no
// error.
func TestGenaixFailureNeverChangesTheRequest(t *testing.T) {
	p := newPipeline(t, genaix.WithRedactor(func(string, string) string { panic("redactor bug") }))
	r := &replay{status: 200, ctype: "application/json", body: fixture(t, "openai_chat_response.json")}
	srv := serve(t, r)
	reqBody := fixture(t, "openai_chat_request.json")
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/chat/completions", onlyReader{bytes.NewReader(reqBody)})
	rt := llmhttp.NewTransport(nil, llmhttp.WithTracerProvider(p.tp), llmhttp.WithContentCapture(true))
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(r.got, reqBody) || !bytes.Equal(got, fixture(t, "openai_chat_response.json")) {
		t.Fatalf("server got %d of %d request bytes; caller got %d bytes", len(r.got), len(reqBody), len(got))
	}
	for _, s := range p.exp.GetSpans() {
		if s.EndTime.IsZero() {
			t.Errorf("span %s left open", s.Name)
		}
	}
}

func TestKeyInURLIsNeverRecorded(t *testing.T) {
	p := newPipeline(t)
	c := llmhttp.NewClient(llmhttp.WithTracerProvider(p.tp))
	req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/v1beta/models/gemini-2.5-flash:generateContent?key=SECRET123",
		strings.NewReader(`{"contents":[]}`))
	req.Header.Set("Content-Type", "application/json")
	if _, err := c.Do(req); err == nil {
		t.Fatal("expected a connection error")
	}
	s := p.only(t)
	if strings.Contains(s.Status.Description, "SECRET123") {
		t.Errorf("status description leaks the key: %q", s.Status.Description)
	}
	for _, kv := range s.Attributes {
		if strings.Contains(kv.Value.String(), "SECRET123") {
			t.Errorf("%s leaks the key", kv.Key)
		}
	}
	for _, e := range s.Events {
		for _, kv := range e.Attributes {
			if strings.Contains(kv.Value.String(), "SECRET123") {
				t.Errorf("event %s leaks the key in %s", e.Name, kv.Key)
			}
		}
	}
}
