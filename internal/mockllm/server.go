// Package mockllm is an offline, deterministic mock LLM server. It speaks the
// real wire formats of the major provider APIs (as described in the
// project's wire-formats.md, §7–§12), streaming included, so that the official
// SDKs can be pointed at it by base URL in the demo, the examples' smoke
// tests and the integration tests.
//
// # Routes
//
// All LLM routes take a POST with a JSON body. A path that matches none of
// them gets a 404 in the error shape of the provider its prefix suggests.
//
//	OpenAI     …/chat/completions (any prefix: /v1, Azure /openai/deployments/{d}, …)
//	           …/responses, …/embeddings, …/completions (legacy)
//	Anthropic  …/messages (/v1/messages, ?beta=true allowed), …/messages/count_tokens
//	Gemini     …/models/{model}:generateContent
//	           …/models/{model}:streamGenerateContent  (SSE with alt=sse, else a JSON array)
//	           …/models/{model}:embedContent, :batchEmbedContents, :countTokens
//	Ollama     /api/chat, /api/generate, /api/embed, /api/embeddings (legacy);
//	           GET /api/version, GET /api/tags, GET|HEAD /
//
// # Replies
//
// Replies are derived from the request (and the seed) only: the text is
// "Mock answer to: <first words of the last user message>" followed by a few
// canned sentences, streamed word by word by default. When the request
// defines tools and its last message is not a tool result, the reply calls
// the first tool with {"<first string parameter, else query>": "<user
// words>"}; after a tool result it is "Mock answer from the tool result: …".
// A max-tokens limit cuts the reply with the provider's "length" finish
// reason.
//
// Usage follows wire-formats.md §17 on every wire: prompt tokens are
// len(request text)/4 + 200; OpenAI and Gemini report an implicit cache hit
// of the largest multiple of 128 ≤ prompt−1024; Ollama reports the
// conversation before the last message as KV-cached; Anthropic writes the
// prefix up to the last cache_control breakpoint on first sight and reads it
// afterwards (per-server state), with input_tokens excluding both; o-series,
// gpt-5, Anthropic thinking and Gemini 2.5+ requests report reasoning tokens.
//
// Ids count the requests (chatcmpl-mock-000001, msg_mock_000001, …) and
// OpenAI and Anthropic models get a dated suffix (gpt-4o-mini →
// gpt-4o-mini-2026-01-15, claude-sonnet-4-5 → claude-sonnet-4-5-20260115).
// Timestamps are fixed, so two identical requests get identical bytes apart
// from the ids (and Anthropic cache counts).
//
// # Knobs
//
// Options: [WithLatency], [WithSeed], [WithChunkWords].
//
// Request header X-Mock-Fail: an HTTP status (400–599) answers with that
// status and the provider's error body (plus x-should-retry: false, so the
// Stainless SDKs fail at once); "stream-error" makes a stream send the
// provider's in-stream error after the first content chunk (a non-streaming
// request then gets a 500).
package mockllm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Server is the mock LLM server. It is an [http.Handler]: mount it in an
// httptest.Server, or call [Server.Start]. It is safe for concurrent use.
type Server struct {
	cfg      config
	seq      atomic.Int64 // numbers the LLM requests, for ids
	answered atomic.Int64
	cache    *promptCache // Anthropic prompt-cache simulation
}

type config struct {
	first, perChunk time.Duration
	seed            int64
	chunkWords      int
}

// Option configures a [Server].
type Option func(*config)

// WithLatency delays the first content chunk by first and every later chunk
// by perChunk (a non-streaming reply waits for the sum). The default is no
// delay. Waits end early when the client goes away.
func WithLatency(first, perChunk time.Duration) Option {
	return func(c *config) { c.first, c.perChunk = max(first, 0), max(perChunk, 0) }
}

// WithSeed changes the deterministic variation of replies (filler words and
// reasoning token counts). The default seed is 0.
func WithSeed(seed int64) Option { return func(c *config) { c.seed = seed } }

// WithChunkWords sets how many words each streamed text chunk carries
// (default 1: word by word).
func WithChunkWords(n int) Option { return func(c *config) { c.chunkWords = max(n, 1) } }

// New returns a Server; without options it answers at once, word by word.
func New(opts ...Option) *Server {
	s := &Server{cfg: config{chunkWords: 1}, cache: newPromptCache(4096)}
	for _, o := range opts {
		o(&s.cfg)
	}
	return s
}

// Requests reports how many LLM requests the server has answered, failures
// included (metadata routes such as /api/tags and unknown paths are not
// counted).
func (s *Server) Requests() int { return int(s.answered.Load()) }

// Start serves s on a fresh loopback port. It returns the base URL
// ("http://127.0.0.1:PORT", no trailing slash) and a stop function that
// cancels in-flight requests, shuts the server down and waits for it. stop
// may be called more than once.
func (s *Server) Start() (baseURL string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("mockllm: listen: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel() // ends waits and streams in flight
			sctx, scancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer scancel()
			if srv.Shutdown(sctx) != nil {
				_ = srv.Close()
			}
			<-done
		})
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// family is a provider wire family; it picks the error shape.
type family int

const (
	familyOpenAI family = iota
	familyAnthropic
	familyGemini
	familyOllama
)

// ServeHTTP routes a request to the provider handler its path names.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case strings.HasSuffix(p, "/chat/completions"):
		s.serve(w, r, familyOpenAI, s.openAIChat)
	case strings.HasSuffix(p, "/responses"):
		s.serve(w, r, familyOpenAI, s.openAIResponses)
	case strings.HasSuffix(p, "/embeddings") && p != "/api/embeddings":
		s.serve(w, r, familyOpenAI, s.openAIEmbeddings)
	case strings.HasSuffix(p, "/completions"):
		s.serve(w, r, familyOpenAI, s.openAICompletions)
	case strings.HasSuffix(p, "/messages/count_tokens"):
		s.meta(w, r, familyAnthropic, http.MethodPost, s.anthropicCountTokens)
	case strings.HasSuffix(p, "/messages"):
		s.serve(w, r, familyAnthropic, s.anthropicMessages)
	case strings.Contains(p, "/models/") && strings.Contains(p[strings.LastIndex(p, "/models/"):], ":"):
		s.gemini(w, r)
	case p == "/api/chat":
		s.serve(w, r, familyOllama, s.ollamaChat)
	case p == "/api/generate":
		s.serve(w, r, familyOllama, s.ollamaGenerate)
	case p == "/api/embed" || p == "/api/embeddings":
		s.serve(w, r, familyOllama, s.ollamaEmbed)
	case p == "/api/version":
		s.meta(w, r, familyOllama, http.MethodGet, ollamaVersion)
	case p == "/api/tags":
		s.meta(w, r, familyOllama, http.MethodGet, ollamaTags)
	case p == "/" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "Ollama is running")
	default:
		writeError(w, guessFamily(p), http.StatusNotFound, "mockllm: no route for "+r.Method+" "+p)
	}
}

// guessFamily picks the error shape for an unknown path.
func guessFamily(p string) family {
	switch {
	case strings.HasPrefix(p, "/api/"):
		return familyOllama
	case strings.Contains(p, "/messages"):
		return familyAnthropic
	case strings.HasPrefix(p, "/v1beta") || strings.Contains(p, "/models/"):
		return familyGemini
	}
	return familyOpenAI
}

// call is one LLM request being answered.
type call struct {
	s         *Server
	w         http.ResponseWriter
	r         *http.Request
	ctx       context.Context
	fam       family
	n         string // request number, "000001"
	streamErr bool   // X-Mock-Fail: stream-error
	rc        *http.ResponseController
	broken    bool // the client went away or a write failed
	chunk     int  // content chunks sent so far (for pacing)
}

// serve answers one LLM request: it counts it, applies X-Mock-Fail and hands
// over to h.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, fam family, h func(*call)) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, fam, http.StatusMethodNotAllowed, "mockllm: "+r.Method+" not allowed, use POST")
		return
	}
	s.answered.Add(1)
	c := &call{s: s, w: w, r: r, ctx: r.Context(), fam: fam, n: fmt.Sprintf("%06d", s.seq.Add(1)), rc: http.NewResponseController(w)}
	switch fam {
	case familyOpenAI:
		w.Header().Set("x-request-id", "req_mock_"+c.n)
	case familyAnthropic:
		w.Header().Set("request-id", "req_mock_"+c.n)
	}
	if v := strings.TrimSpace(r.Header.Get("X-Mock-Fail")); v != "" {
		if v == "stream-error" {
			c.streamErr = true
		} else if st, err := strconv.Atoi(v); err == nil && st >= 400 && st <= 599 {
			w.Header().Set("x-should-retry", "false")
			writeError(w, fam, st, fmt.Sprintf("mockllm: injected failure %d %s", st, statusText(st)))
			return
		} else {
			writeError(w, fam, http.StatusBadRequest, "mockllm: X-Mock-Fail must be an HTTP status 400-599 or stream-error, got "+strconv.Quote(v))
			return
		}
	}
	h(c)
}

// meta answers a non-LLM route (not counted by Requests).
func (s *Server) meta(w http.ResponseWriter, r *http.Request, fam family, method string, h func(*call)) {
	if r.Method != method && !(method == http.MethodGet && r.Method == http.MethodHead) {
		w.Header().Set("Allow", method)
		writeError(w, fam, http.StatusMethodNotAllowed, "mockllm: "+r.Method+" not allowed, use "+method)
		return
	}
	h(&call{s: s, w: w, r: r, ctx: r.Context(), fam: fam, rc: http.NewResponseController(w)})
}

// decode reads the JSON request body into v. On failure it answers 400 and
// returns false.
func (c *call) decode(v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, 32<<20))
	if err == nil {
		err = json.Unmarshal(body, v)
	}
	if err != nil {
		writeError(c.w, c.fam, http.StatusBadRequest, "mockllm: invalid JSON body: "+err.Error())
		return false
	}
	return true
}

// whole writes a whole (non-streaming) JSON body after the latency the
// stream of pieces chunks would have taken. Under X-Mock-Fail: stream-error
// it answers 500 instead.
func (c *call) whole(pieces int, contentType string, v any) {
	if c.streamErr {
		c.w.Header().Set("x-should-retry", "false")
		writeError(c.w, c.fam, http.StatusInternalServerError, "mockllm: injected stream-error on a non-streaming request")
		return
	}
	if c.wait(c.s.cfg.first + time.Duration(pieces)*c.s.cfg.perChunk) {
		c.json(contentType, v)
	}
}

// json writes v as a 200 JSON body at once.
func (c *call) json(contentType string, v any) {
	c.w.Header().Set("Content-Type", contentType)
	_, _ = c.w.Write(append(mustJSON(v), '\n'))
}

// begin starts a 200 streaming response.
func (c *call) begin(contentType string) {
	h := c.w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	c.w.WriteHeader(http.StatusOK)
	c.flush()
}

func (c *call) flush() {
	if err := c.rc.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		c.broken = true
	}
}

// send writes b and flushes it; false means the stream must stop.
func (c *call) send(b []byte) bool {
	if c.broken || c.ctx.Err() != nil {
		c.broken = true
		return false
	}
	if _, err := c.w.Write(b); err != nil {
		c.broken = true
		return false
	}
	c.flush()
	return !c.broken
}

// sse sends one SSE event with an optional event name, LF-framed.
func (c *call) sse(event string, v any) bool {
	var b []byte
	if event != "" {
		b = append(b, "event: "+event+"\n"...)
	}
	b = append(b, "data: "...)
	b = append(b, mustJSON(v)...)
	return c.send(append(b, "\n\n"...))
}

// pace waits before a content chunk: the first latency before the first one,
// the per-chunk latency before the others.
func (c *call) pace() bool {
	d := c.s.cfg.perChunk
	if c.chunk == 0 {
		d = c.s.cfg.first
	}
	c.chunk++
	return c.wait(d)
}

// stream sends pieces one by one through send, paced by the configured
// latency. Under X-Mock-Fail: stream-error it calls fail after the first
// piece (at once if there is none) and reports false, as it does when the
// client goes away.
func (c *call) stream(pieces []string, send func(string) bool, fail func()) bool {
	for _, p := range pieces {
		if !c.pace() || !send(p) {
			return false
		}
		if c.streamErr {
			fail()
			return false
		}
	}
	if c.streamErr {
		fail()
		return false
	}
	return true
}

// wait sleeps for d unless the request is cancelled first.
func (c *call) wait(d time.Duration) bool {
	if d <= 0 {
		return c.ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-c.ctx.Done():
		c.broken = true
		return false
	}
}

func statusText(st int) string {
	if st == 529 {
		return "Overloaded"
	}
	if t := http.StatusText(st); t != "" {
		return t
	}
	return "Error"
}

// writeError answers status with fam's error body (wire-formats.md §16).
func writeError(w http.ResponseWriter, fam family, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(mustJSON(errorBody(fam, status, msg)), '\n'))
}

// errorBody is fam's error object for an HTTP status, also used in streams.
func errorBody(fam family, status int, msg string) any {
	switch fam {
	case familyAnthropic:
		return obj{{"type", "error"}, {"error", obj{{"type", anthropicErrorType(status)}, {"message", msg}}}}
	case familyGemini:
		return obj{{"error", obj{{"code", status}, {"message", msg}, {"status", geminiStatus(status)}}}}
	case familyOllama:
		return obj{{"error", msg}}
	}
	typ, code := "invalid_request_error", any(nil)
	switch {
	case status == 401:
		code = "invalid_api_key"
	case status == 403:
		typ = "permission_error"
	case status == 404:
		code = "not_found"
	case status == 429:
		typ, code = "requests", "rate_limit_exceeded"
	case status >= 500:
		typ = "server_error"
	}
	return obj{{"error", obj{{"message", msg}, {"type", typ}, {"param", nil}, {"code", code}}}}
}

func anthropicErrorType(status int) string {
	switch status {
	case 401:
		return "authentication_error"
	case 402:
		return "billing_error"
	case 403:
		return "permission_error"
	case 404:
		return "not_found_error"
	case 413:
		return "request_too_large"
	case 429:
		return "rate_limit_error"
	case 504:
		return "timeout_error"
	case 529:
		return "overloaded_error"
	}
	if status >= 500 {
		return "api_error"
	}
	return "invalid_request_error"
}

func geminiStatus(status int) string {
	switch status {
	case 400:
		return "INVALID_ARGUMENT"
	case 401:
		return "UNAUTHENTICATED"
	case 403:
		return "PERMISSION_DENIED"
	case 404:
		return "NOT_FOUND"
	case 405:
		return "UNIMPLEMENTED"
	case 409:
		return "ABORTED"
	case 429:
		return "RESOURCE_EXHAUSTED"
	case 499:
		return "CANCELLED"
	case 501:
		return "UNIMPLEMENTED"
	case 503:
		return "UNAVAILABLE"
	case 504:
		return "DEADLINE_EXCEEDED"
	}
	if status >= 500 {
		return "INTERNAL"
	}
	return "FAILED_PRECONDITION"
}
