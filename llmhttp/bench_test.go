package llmhttp_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/llmhttp"
)

// Benchmarks compare the same loopback calls raw (http.DefaultTransport) and
// through llmhttp, measured in one run; ratios are in the README. The traced
// side exports as production does, through a batch processor, here to an
// exporter that drops the spans.

type discard struct{}

func (discard) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discard) Shutdown(context.Context) error                             { return nil }

func benchProvider(b *testing.B) *sdktrace.TracerProvider {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(genaix.NewSpanProcessor(
		genaix.WithPrices(prices), genaix.WithNext(sdktrace.NewBatchSpanProcessor(discard{})))))
	b.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	return tp
}

func chatResponse4KiB() []byte {
	text := strings.Repeat("lorem ipsum ", 330) // ≈ 4 KiB of content
	return []byte(fmt.Sprintf(`{"id":"chatcmpl-b","object":"chat.completion","created":1767225600,"model":"gpt-4.1-mini-2025-04-14","choices":[{"index":0,"message":{"role":"assistant","content":%q},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":900,"total_tokens":912}}`, text))
}

// sseStream is an OpenAI chat stream of about size bytes.
func sseStream(size int) []byte {
	var b bytes.Buffer
	chunk := `data: {"id":"chatcmpl-s","object":"chat.completion.chunk","created":1767225601,"model":"gpt-4.1-mini-2025-04-14","choices":[{"index":0,"delta":{"content":"some streamed words of the answer "},"finish_reason":null}],"usage":null}` + "\n\n"
	for b.Len() < size {
		b.WriteString(chunk)
	}
	b.WriteString(`data: {"id":"chatcmpl-s","object":"chat.completion.chunk","created":1767225601,"model":"gpt-4.1-mini-2025-04-14","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":90000,"total_tokens":90012}}` + "\n\ndata: [DONE]\n\n")
	return b.Bytes()
}

func benchServer(b *testing.B, ctype string, body []byte) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", ctype)
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

func runCalls(b *testing.B, c *http.Client, url string, reqBody []byte, n int64) {
	b.ReportAllocs()
	b.SetBytes(n)
	for b.Loop() {
		resp, err := c.Post(url, "application/json", bytes.NewReader(reqBody))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
	}
}

// BenchmarkNonStreaming4KiB: raw, then the floor any tracing pays (one
// plain OTel client span per call, same batch processor, no genaix), then
// llmhttp.
func BenchmarkNonStreaming4KiB(b *testing.B) {
	body := chatResponse4KiB()
	srv := benchServer(b, "application/json", body)
	req := []byte(`{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"hi"}]}`)
	url := srv.URL + "/v1/chat/completions"
	tp := benchProvider(b)
	b.Run("raw", func(b *testing.B) {
		runCalls(b, &http.Client{Transport: http.DefaultTransport}, url, req, int64(len(body)))
	})
	bare := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sdktrace.NewBatchSpanProcessor(discard{})))
	b.Cleanup(func() { _ = bare.Shutdown(context.Background()) })
	b.Run("otel-span", func(b *testing.B) {
		runCalls(b, &http.Client{Transport: spanTransport{tr: bare.Tracer("bench")}}, url, req, int64(len(body)))
	})
	// The same span genaix makes (its name, start and end attributes, as one
	// call through genaix records them), made with the plain OTel API: the
	// floor of recording what genaix records, with no parsing or pricing.
	start, end := genaixSpanShape(b, url, req)
	b.Run("otel-span-genaix-attrs", func(b *testing.B) {
		runCalls(b, &http.Client{Transport: spanTransport{tr: bare.Tracer("bench"), start: start, end: end}}, url, req, int64(len(body)))
	})
	b.Run("genaix", func(b *testing.B) {
		runCalls(b, llmhttp.NewClient(llmhttp.WithTracerProvider(tp)), url, req, int64(len(body)))
	})
}

// genaixSpanShape makes one call through genaix and returns its span's
// attributes, split into those set at start (what a sampler sees) and the
// rest.
func genaixSpanShape(b *testing.B, url string, req []byte) (start, end []attribute.KeyValue) {
	p := newPipeline(b)
	resp, err := llmhttp.NewClient(llmhttp.WithTracerProvider(p.tp)).Post(url, "application/json", bytes.NewReader(req))
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	atStart := map[attribute.Key]bool{genaix.OperationNameKey: true, genaix.ProviderNameKey: true,
		genaix.RequestModelKey: true, genaix.ServerAddressKey: true, genaix.ServerPortKey: true}
	for _, kv := range p.only(b).Attributes {
		if atStart[kv.Key] {
			start = append(start, kv)
		} else {
			end = append(end, kv)
		}
	}
	if len(start) != len(atStart) || len(end) < 10 {
		b.Fatalf("unexpected genaix span: start %v, end %v", start, end)
	}
	return start, end
}

func BenchmarkStream(b *testing.B) {
	req := []byte(`{"model":"gpt-4.1-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}`)
	for _, mib := range []int{5, 50} {
		body := sseStream(mib << 20)
		srv := benchServer(b, "text/event-stream", body)
		url := srv.URL + "/v1/chat/completions"
		tp := benchProvider(b)
		b.Run(fmt.Sprintf("%dMiB/raw", mib), func(b *testing.B) {
			runCalls(b, &http.Client{Transport: http.DefaultTransport}, url, req, int64(len(body)))
		})
		b.Run(fmt.Sprintf("%dMiB/genaix", mib), func(b *testing.B) {
			runCalls(b, llmhttp.NewClient(llmhttp.WithTracerProvider(tp)), url, req, int64(len(body)))
		})
	}
}

// BenchmarkStreamParseOnly isolates the wrapper: the stream comes from
// memory, raw io.Copy versus io.Copy through an instrumented response body.
func BenchmarkStreamParseOnly(b *testing.B) {
	body := sseStream(50 << 20)
	rt := llmhttp.NewTransport(memTransport{body: body}, llmhttp.WithTracerProvider(benchProvider(b)))
	req := []byte(`{"model":"gpt-4.1-mini","stream":true}`)
	b.Run("raw", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			_, _ = io.Copy(io.Discard, onlyReader{bytes.NewReader(body)})
		}
	})
	b.Run("genaix", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			r, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, "http://api.openai.com/v1/chat/completions", bytes.NewReader(req))
			resp, err := rt.RoundTrip(r)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}

// spanTransport wraps each call in one plain OTel client span, with start
// attributes (by default the two that name the call) and end attributes set
// when the round trip returns.
type spanTransport struct {
	tr         trace.Tracer
	start, end []attribute.KeyValue
	base       http.RoundTripper // http.DefaultTransport if nil
}

var callNaming = []attribute.KeyValue{attribute.String("gen_ai.operation.name", "chat"), attribute.String("gen_ai.provider.name", "openai")}

func (s spanTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	start := s.start
	if start == nil {
		start = callNaming
	}
	ctx, span := s.tr.Start(r.Context(), "chat gpt-4.1-mini", trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(start...))
	defer span.End()
	span.SetAttributes(s.end...)
	base := s.base
	if base == nil {
		base = http.DefaultTransport
	}
	return base.RoundTrip(r.WithContext(ctx))
}

// memTransport answers every request with body, from memory.
type memTransport struct {
	body  []byte
	ctype string // text/event-stream if empty
}

func (m memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ctype := m.ctype
	if ctype == "" {
		ctype = "text/event-stream"
	}
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {ctype}}, ContentLength: int64(len(m.body)),
		Body: io.NopCloser(onlyReader{bytes.NewReader(m.body)}), Request: r}, nil
}

// BenchmarkCallOverhead is BenchmarkNonStreaming4KiB without the network:
// the answer comes from memory, so what is left is the CPU each way of
// tracing adds to a call.
func BenchmarkCallOverhead(b *testing.B) {
	body := chatResponse4KiB()
	mem := memTransport{body, "application/json"}
	req := []byte(`{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"hi"}]}`)
	const url = "http://api.openai.com/v1/chat/completions"
	srv := benchServer(b, "application/json", body)
	start, end := genaixSpanShape(b, srv.URL+"/v1/chat/completions", req)
	bare := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sdktrace.NewBatchSpanProcessor(discard{})))
	b.Cleanup(func() { _ = bare.Shutdown(context.Background()) })
	for _, c := range []struct {
		name string
		rt   http.RoundTripper
	}{
		{"raw", mem},
		{"otel-span-genaix-attrs", spanTransport{bare.Tracer("bench"), start, end, mem}},
		{"genaix", llmhttp.NewTransport(mem, llmhttp.WithTracerProvider(benchProvider(b)))},
	} {
		b.Run(c.name, func(b *testing.B) {
			runCalls(b, &http.Client{Transport: c.rt}, url, req, int64(len(body)))
		})
	}
}
