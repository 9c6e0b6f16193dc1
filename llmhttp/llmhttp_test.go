package llmhttp_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/llmhttp"
)

func TestNonLLMRequestPassesThrough(t *testing.T) {
	p := newPipeline(t)
	r := &replay{status: 200, ctype: "text/plain", body: []byte("hello")}
	srv := serve(t, r)
	c := llmhttp.NewClient(llmhttp.WithTracerProvider(p.tp))
	resp := post(t, c, context.Background(), srv.URL+"/v1/files", []byte("{}"))
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "hello" {
		t.Fatalf("body = %q", b)
	}
	if n := len(p.exp.GetSpans()); n != 0 {
		t.Fatalf("non-LLM request made %d spans", n)
	}
}

func TestOpenAIChatNonStreaming(t *testing.T) {
	p := newPipeline(t)
	body := fixture(t, "openai_chat_response.json")
	r := &replay{status: 200, ctype: "application/json", body: body}
	srv := serve(t, r)
	c := llmhttp.NewClient(llmhttp.WithTracerProvider(p.tp))
	ctx := genaix.WithConversation(context.Background(), "conv-1")
	req := fixture(t, "openai_chat_request.json")
	resp := post(t, c, ctx, srv.URL+"/v1/chat/completions", req)
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(got, body) {
		t.Fatal("caller's bytes differ from the server's")
	}
	if !bytes.Equal(r.got, req) {
		t.Fatal("server got a different request body")
	}
	s := p.only(t)
	if s.Name != "chat gpt-4.1-mini" || s.SpanKind != trace.SpanKindClient {
		t.Errorf("span = %q %v", s.Name, s.SpanKind)
	}
	want(t, s, genaix.OperationNameKey, "chat")
	want(t, s, genaix.ProviderNameKey, "openai")
	want(t, s, genaix.RequestModelKey, "gpt-4.1-mini")
	want(t, s, genaix.ResponseModelKey, "gpt-4.1-mini-2025-04-14")
	want(t, s, genaix.ResponseIDKey, "chatcmpl-BxQ7m2kTfR9aL0pZcV3nW8yE")
	want(t, s, genaix.FinishReasonsKey, []string{"tool_calls"})
	want(t, s, genaix.RequestTemperatureKey, 0.2)
	want(t, s, genaix.RequestTopPKey, 0.9)
	want(t, s, genaix.RequestMaxTokensKey, 512)
	want(t, s, genaix.RequestSeedKey, 42)
	want(t, s, genaix.RequestStopSequencesKey, []string{"END"})
	want(t, s, genaix.InputTokensKey, 3520)
	want(t, s, genaix.CacheReadTokensKey, 3072)
	want(t, s, genaix.OutputTokensKey, 150)
	want(t, s, genaix.ToolCallNamesKey, []string{"lookup_order"})
	want(t, s, genaix.ToolCallIDsKey, []string{"call_Qw3rTy12uI0pAs9dFg8hJk7l"})
	want(t, s, genaix.ConversationIDKey, "conv-1")
	want(t, s, genaix.TurnNumberKey, 1)
	want(t, s, genaix.SpanKindKey, "llm")
	want(t, s, genaix.ServerAddressKey, "127.0.0.1")
	// By hand: 448 uncached × $0.40/M + 3,072 cached × $0.10/M + 150 × $1.60/M
	// = 179,200 + 307,200 + 240,000 = 726,400 nano-dollars.
	if v, _ := attr(s, genaix.CostUSDKey); int64(math.Round(v.AsFloat64()*1e9)) != 726_400 {
		t.Errorf("cost_usd = %v", v.AsFloat64())
	}
	want(t, s, genaix.TurnLLMCallsKey, 1) // a top-level call in a conversation opens its own turn
	absent(t, s, genaix.InputMessagesKey) // content capture is opt-in
	for _, kv := range s.Attributes {
		if strings.Contains(kv.Value.String(), "sk-secret") {
			t.Errorf("credential recorded in %s", kv.Key)
		}
	}
}

func TestStreamClosedAtDoneWithoutEOF(t *testing.T) {
	p := newPipeline(t)
	body := fixture(t, "openai_chat_stream_usage.sse")
	srv := serve(t, &replay{status: 200, ctype: "text/event-stream", body: body})
	mw := llmhttp.Middleware(llmhttp.WithTracerProvider(p.tp))
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/chat/completions", bytes.NewReader(fixture(t, "openai_chat_stream_request.json")))
	req.GetBody = func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(fixture(t, "openai_chat_stream_request.json"))), nil
	}
	resp, err := mw(req, http.DefaultTransport.RoundTrip)
	if err != nil {
		t.Fatal(err)
	}
	// Read like openai-go: stop at [DONE] and close without reaching EOF.
	var got []byte
	buf := make([]byte, 64)
	for !bytes.Contains(got, []byte("data: [DONE]")) {
		n, err := resp.Body.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			break
		}
	}
	resp.Body.Close()
	resp.Body.Close() // idempotent
	if !bytes.HasPrefix(body, got) {
		t.Fatal("caller's bytes are not the server's")
	}
	s := p.only(t)
	want(t, s, genaix.RequestStreamKey, true)
	want(t, s, genaix.InputTokensKey, 58)
	want(t, s, genaix.OutputTokensKey, 14)
	if _, ok := attr(s, genaix.TimeToFirstChunkKey); !ok {
		t.Error("time to first chunk missing")
	}
	if s.Status.Code == codes.Error {
		t.Errorf("status = %v", s.Status)
	}
}

func TestStreamWithoutUsageIsFlagged(t *testing.T) {
	p := newPipeline(t)
	srv := serve(t, &replay{status: 200, ctype: "text/event-stream", body: fixture(t, "openai_chat_stream_no_usage.sse")})
	c := llmhttp.NewClient(llmhttp.WithTracerProvider(p.tp))
	resp := post(t, c, context.Background(), srv.URL+"/v1/chat/completions", fixture(t, "openai_chat_stream_no_usage_request.json"))
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	s := p.only(t)
	absent(t, s, genaix.InputTokensKey)
	absent(t, s, genaix.CostUSDKey)
	want(t, s, genaix.UsageUnavailableKey, "stream_without_include_usage")
	want(t, s, genaix.UnpricedKey, "no_usage")
}

func TestIncludeUsageIsOptIn(t *testing.T) {
	reqBody := fixture(t, "openai_chat_stream_no_usage_request.json")
	for _, opt := range []bool{false, true} {
		p := newPipeline(t)
		r := &replay{status: 200, ctype: "text/event-stream", body: fixture(t, "openai_chat_stream_usage.sse")}
		srv := serve(t, r)
		opts := []llmhttp.Option{llmhttp.WithTracerProvider(p.tp)}
		if opt {
			opts = append(opts, llmhttp.WithIncludeUsage())
		}
		resp := post(t, llmhttp.NewClient(opts...), context.Background(), srv.URL+"/v1/chat/completions", reqBody)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		injected := bytes.Contains(r.got, []byte(`"include_usage":true`))
		if injected != opt {
			t.Errorf("WithIncludeUsage=%v: server saw include_usage=%v (%s)", opt, injected, r.got)
		}
		if !opt && !bytes.Equal(r.got, reqBody) {
			t.Error("request changed without the option")
		}
	}
}

func TestHTTPErrorStatus(t *testing.T) {
	p := newPipeline(t)
	srv := serve(t, &replay{status: 429, ctype: "application/json", body: fixture(t, "openai_chat_error_429.json")})
	resp := post(t, llmhttp.NewClient(llmhttp.WithTracerProvider(p.tp)), context.Background(), srv.URL+"/v1/chat/completions", fixture(t, "openai_chat_request.json"))
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 429 || !bytes.Equal(b, fixture(t, "openai_chat_error_429.json")) {
		t.Fatalf("caller got %d %q", resp.StatusCode, b)
	}
	s := p.only(t)
	if s.Status.Code != codes.Error {
		t.Errorf("status = %v", s.Status)
	}
	if v, ok := attr(s, genaix.ErrorTypeKey); !ok || v.AsString() == "" {
		t.Error("error.type missing")
	}
}

func TestInStreamErrorOver200(t *testing.T) {
	p := newPipeline(t)
	srv := serve(t, &replay{status: 200, ctype: "text/event-stream", body: fixture(t, "openai_chat_stream_error.sse")})
	resp := post(t, llmhttp.NewClient(llmhttp.WithTracerProvider(p.tp)), context.Background(), srv.URL+"/v1/chat/completions", fixture(t, "openai_chat_stream_request.json"))
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if s := p.only(t); s.Status.Code != codes.Error {
		t.Errorf("an error event over HTTP 200 was not marked: %v", s.Status)
	}
}

func TestTransportErrorIsRecordedAndReturnedUnchanged(t *testing.T) {
	p := newPipeline(t)
	c := llmhttp.NewClient(llmhttp.WithTracerProvider(p.tp))
	req, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/v1/chat/completions", strings.NewReader(`{"model":"gpt-4.1-mini"}`))
	_, err := c.Do(req)
	if err == nil {
		t.Fatal("expected a connection error")
	}
	s := p.only(t)
	if s.Status.Code != codes.Error {
		t.Errorf("status = %v", s.Status)
	}
	want(t, s, genaix.ErrorTypeKey, "*net.OpError")
}

// TestSDKSpanOutsideScopeIsNotPricedTwice: an SDK's own LLM span (like
// anthropic-sdk-go's) around the instrumented call, with no genaix scope
// anywhere: only the llmhttp span is priced and counted in metrics.
func TestSDKSpanOutsideScopeIsNotPricedTwice(t *testing.T) {
	p := newPipeline(t)
	srv := serve(t, &replay{status: 200, ctype: "application/json", body: fixture(t, "openai_chat_response.json")})
	ctx, sdkSpan := p.tp.Tracer("com.anthropic.sdk.go").Start(context.Background(), "sdk.create",
		trace.WithAttributes(genaix.OperationNameKey.String("chat"), genaix.RequestModelKey.String("gpt-4.1-mini")))
	resp := post(t, llmhttp.NewClient(llmhttp.WithTracerProvider(p.tp)), ctx, srv.URL+"/v1/chat/completions", fixture(t, "openai_chat_request.json"))
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	// The SDK sets the same usage on its own span before ending it.
	sdkSpan.SetAttributes(genaix.InputTokensKey.Int(3520), genaix.OutputTokensKey.Int(150))
	sdkSpan.End()
	var priced []string
	for _, s := range p.exp.GetSpans() {
		if _, ok := attr(s, genaix.CostUSDKey); ok {
			priced = append(priced, s.Name)
		}
	}
	if len(priced) != 1 || priced[0] != "chat gpt-4.1-mini" {
		t.Errorf("priced spans = %v, want only the llmhttp span", priced)
	}
}

func TestProviderReportedCostWins(t *testing.T) {
	p := newPipeline(t)
	srv := serve(t, &replay{status: 200, ctype: "text/event-stream", body: fixture(t, "openrouter_chat_stream_comment.sse")})
	resp := post(t, llmhttp.NewClient(llmhttp.WithTracerProvider(p.tp)), context.Background(), srv.URL+"/api/v1/chat/completions",
		[]byte(`{"model":"openai/gpt-4o","stream":true,"stream_options":{"include_usage":true}}`))
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	s := p.only(t)
	want(t, s, genaix.CostSourceKey, "provider")
	absent(t, s, genaix.UnpricedKey)
	if v, ok := attr(s, genaix.CostUSDKey); !ok || v.AsFloat64() <= 0 {
		t.Errorf("provider cost missing: %v", v.String())
	}
}

// A compressed body the caller decodes itself (it asked for gzip, so the
// transport leaves it alone) is passed through untouched and not parsed:
// the span says unparsed, not malformed, for streams and bodies alike.
func TestCompressedResponseIsNotParsed(t *testing.T) {
	for _, tc := range []struct{ name, ctype, file string }{
		{"body", "application/json", "openai_chat_response.json"},
		{"stream", "text/event-stream", "openai_chat_stream_usage.sse"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var gz bytes.Buffer
			zw := gzip.NewWriter(&gz)
			_, _ = zw.Write(fixture(t, tc.file))
			_ = zw.Close()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.ctype)
				w.Header().Set("Content-Encoding", "gzip")
				_, _ = w.Write(gz.Bytes())
			}))
			t.Cleanup(srv.Close)
			p := newPipeline(t)
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/chat/completions",
				strings.NewReader(`{"model":"gpt-4.1-mini","stream":`+strconv.FormatBool(tc.name == "stream")+`}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept-Encoding", "gzip")
			resp, err := llmhttp.NewClient(llmhttp.WithTracerProvider(p.tp)).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !bytes.Equal(got, gz.Bytes()) {
				t.Fatalf("caller got %d bytes, server sent %d", len(got), gz.Len())
			}
			s := p.only(t)
			want(t, s, genaix.UsageUnavailableKey, "unparsed")
			absent(t, s, genaix.ResponseMalformedKey)
		})
	}
}
