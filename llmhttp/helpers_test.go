package llmhttp_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/genaix/genaix-go"
)

var prices = genaix.Prices{
	"gpt-4.1-mini":      {Input: 0.40, Output: 1.60, CacheRead: 0.10},
	"claude-sonnet-4-5": {Input: 3, Output: 15, CacheRead: 0.30, CacheWrite: 3.75, CacheWrite1h: 6},
	"gemini-2.5-flash":  {Input: 0.30, Output: 2.50, CacheRead: 0.075},
}

type pipeline struct {
	tp  *sdktrace.TracerProvider
	exp *tracetest.InMemoryExporter
	gx  *genaix.SpanProcessor
}

func newPipeline(t testing.TB, opts ...genaix.Option) *pipeline {
	exp := tracetest.NewInMemoryExporter()
	gx := genaix.NewSpanProcessor(append([]genaix.Option{genaix.WithPrices(prices),
		genaix.WithNext(sdktrace.NewSimpleSpanProcessor(exp))}, opts...)...)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(gx))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return &pipeline{tp: tp, exp: exp, gx: gx}
}

func (p *pipeline) only(t testing.TB) tracetest.SpanStub {
	t.Helper()
	spans := p.exp.GetSpans()
	if len(spans) != 1 {
		t.Fatalf("want 1 span, got %d: %v", len(spans), spans)
	}
	return spans[0]
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "internal", "wire", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// replay serves body with the given status and content type, written in
// random chunks (flushed one by one) so that the client sees arbitrary
// splits. It records the last request body it received.
type replay struct {
	status int
	ctype  string
	body   []byte
	seed   uint64
	got    []byte
	header http.Header
	url    string
}

func (r *replay) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.got, _ = io.ReadAll(req.Body)
	r.header = req.Header.Clone()
	r.url = req.URL.String()
	w.Header().Set("Content-Type", r.ctype)
	w.WriteHeader(r.status)
	rng := rand.New(rand.NewPCG(r.seed, 7))
	for b := r.body; len(b) > 0; {
		n := min(len(b), 1+rng.IntN(300))
		_, _ = w.Write(b[:n])
		w.(http.Flusher).Flush()
		b = b[n:]
	}
}

func serve(t testing.TB, r *replay) *httptest.Server {
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv
}

func post(t testing.TB, c *http.Client, ctx context.Context, url string, body []byte) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer sk-secret-key")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func attr(s tracetest.SpanStub, key attribute.Key) (attribute.Value, bool) {
	for _, kv := range s.Attributes {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}

func want(t testing.TB, s tracetest.SpanStub, key attribute.Key, v any) {
	t.Helper()
	got, ok := attr(s, key)
	if !ok {
		t.Errorf("%s missing", key)
		return
	}
	if w := attribute.NewSet(attribute.KeyValue{Key: key, Value: toValue(v)}); w.Len() == 1 {
		if exp, _ := w.Value(key); exp.String() != got.String() {
			t.Errorf("%s = %s, want %s", key, got.String(), exp.String())
		}
	}
}

func toValue(v any) attribute.Value {
	switch v := v.(type) {
	case string:
		return attribute.StringValue(v)
	case int:
		return attribute.IntValue(v)
	case float64:
		return attribute.Float64Value(v)
	case bool:
		return attribute.BoolValue(v)
	case []string:
		return attribute.StringSliceValue(v)
	}
	panic("unsupported")
}

func absent(t testing.TB, s tracetest.SpanStub, key attribute.Key) {
	t.Helper()
	if v, ok := attr(s, key); ok {
		t.Errorf("%s = %s, want absent", key, v.String())
	}
}
