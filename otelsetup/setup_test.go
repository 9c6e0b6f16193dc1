package otelsetup_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	collectormetrics "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/otelsetup"
)

// recorder is a span exporter that, unlike tracetest.InMemoryExporter, keeps
// its spans after Shutdown and counts Shutdown calls.
type recorder struct {
	mu          sync.Mutex
	spans       tracetest.SpanStubs
	shutdowns   int
	shutdownErr error
}

func (r *recorder) ExportSpans(_ context.Context, spans []sdktrace.ReadOnlySpan) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.spans = append(r.spans, tracetest.SpanStubsFromReadOnlySpans(spans)...)
	return nil
}

func (r *recorder) Shutdown(context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.shutdowns++
	return r.shutdownErr
}

func (r *recorder) get() (tracetest.SpanStubs, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append(tracetest.SpanStubs(nil), r.spans...), r.shutdowns
}

// span returns the exported span called name.
func (r *recorder) span(t *testing.T, name string) tracetest.SpanStub {
	t.Helper()
	spans, _ := r.get()
	for _, s := range spans {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("span %q not exported; got %d spans", name, len(spans))
	return tracetest.SpanStub{}
}

func attr(kvs []attribute.KeyValue, key attribute.Key) (attribute.Value, bool) {
	for _, kv := range kvs {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}

// cleanEnv clears the environment variables Setup reads, so that the
// developer's or CI's environment cannot change a test's outcome.
func cleanEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{
		otelsetup.PricesFileEnv, "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES",
		"OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_METRICS_PRODUCERS",
		"OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL",
		"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
		"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_COMPRESSION",
	} {
		t.Setenv(k, "")
	}
}

// setup calls Setup with a recorder and a manual reader, and shuts it down
// at the end of the test.
func setup(t *testing.T, opts ...otelsetup.Option) (*otelsetup.Telemetry, *recorder, *sdkmetric.ManualReader) {
	t.Helper()
	rec, reader := &recorder{}, sdkmetric.NewManualReader()
	tel, err := otelsetup.Setup(context.Background(),
		append([]otelsetup.Option{otelsetup.WithSpanExporter(rec), otelsetup.WithMetricReader(reader)}, opts...)...)
	if err != nil {
		t.Fatalf("Setup: %v", err)
	}
	t.Cleanup(func() { _ = tel.Shutdown(context.Background()) })
	return tel, rec, reader
}

// llmSpan ends a span shaped as any GenAI instrumentation would make it for
// a chat call of test-model using 1000 input and 500 output tokens.
func llmSpan(ctx context.Context, tp trace.TracerProvider) {
	_, span := tp.Tracer("otelsetup-test").Start(ctx, "chat test-model", trace.WithAttributes(
		genaix.OperationNameKey.String("chat"),
		genaix.ProviderNameKey.String("openai"),
		genaix.RequestModelKey.String("test-model"),
	))
	span.SetAttributes(genaix.InputTokensKey.Int(1000), genaix.OutputTokensKey.Int(500))
	span.End()
}

func shutdown(t *testing.T, tel *otelsetup.Telemetry) {
	t.Helper()
	if err := tel.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
}

func TestSetupExportsConversationThroughGlobalTracer(t *testing.T) {
	cleanEnv(t)
	tel, rec, _ := setup(t, otelsetup.WithServiceName("svc-test"))
	if otel.GetTracerProvider() != trace.TracerProvider(tel.TracerProvider()) {
		t.Fatal("the global TracerProvider is not Setup's")
	}

	ctx := genaix.WithConversation(context.Background(), "conv-1", genaix.UserID("ada"))
	_, span := otel.Tracer("app").Start(ctx, "handle request")
	span.End()
	shutdown(t, tel)

	s := rec.span(t, "handle request")
	if v, ok := attr(s.Attributes, genaix.ConversationIDKey); !ok || v.AsString() != "conv-1" {
		t.Errorf("gen_ai.conversation.id = %v, %v; want conv-1", v.String(), ok)
	}
	if v, ok := attr(s.Attributes, genaix.UserIDKey); !ok || v.AsString() != "ada" {
		t.Errorf("user.id = %v, %v; want ada", v.String(), ok)
	}
	if v, ok := attr(s.Resource.Attributes(), "service.name"); !ok || v.AsString() != "svc-test" {
		t.Errorf("resource service.name = %v, %v; want svc-test", v.String(), ok)
	}
	if _, ok := attr(s.Resource.Attributes(), "telemetry.sdk.language"); !ok {
		t.Error("resource lacks the telemetry SDK attributes")
	}
}

func TestServiceNamePrecedence(t *testing.T) {
	for _, tc := range []struct {
		name, env, option, want string
	}{
		{"option wins over env", "from-env", "from-option", "from-option"},
		{"env without option", "from-env", "", "from-env"},
		{"default", "", "", "unknown_service:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cleanEnv(t)
			t.Setenv("OTEL_SERVICE_NAME", tc.env)
			t.Setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=test")
			var opts []otelsetup.Option
			if tc.option != "" {
				opts = append(opts, otelsetup.WithServiceName(tc.option))
			}
			tel, _, _ := setup(t, opts...)
			res := tel.Resource().Attributes()
			v, _ := attr(res, "service.name")
			if got := v.AsString(); got != tc.want && !(strings.HasSuffix(tc.want, ":") && strings.HasPrefix(got, tc.want)) {
				t.Errorf("service.name = %q, want %q", got, tc.want)
			}
			if v, _ := attr(res, "deployment.environment.name"); v.AsString() != "test" {
				t.Errorf("OTEL_RESOURCE_ATTRIBUTES not applied: deployment.environment.name = %q", v.AsString())
			}
		})
	}
}

func TestPricesFileEnvPricesSpans(t *testing.T) {
	cleanEnv(t)
	t.Setenv(otelsetup.PricesFileEnv, filepath.Join("testdata", "prices.json"))
	tel, rec, reader := setup(t)

	ctx := genaix.WithConversation(context.Background(), "priced")
	llmSpan(ctx, otel.GetTracerProvider())

	// Metrics are recorded with Setup's MeterProvider.
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	if got := costMetric(rm); math.Abs(got-0.002) > 1e-12 {
		t.Errorf("%s sum = %v, want 0.002", genaix.CostMetric, got)
	}
	shutdown(t, tel)

	// 1000 input tokens at $1/M plus 500 output tokens at $2/M.
	s := rec.span(t, "chat test-model")
	if v, ok := attr(s.Attributes, genaix.CostUSDKey); !ok || math.Abs(v.AsFloat64()-0.002) > 1e-12 {
		t.Errorf("gen_ai.usage.cost_usd = %v, %v; want 0.002", v.String(), ok)
	}
	if v, _ := attr(s.Attributes, genaix.PriceKeyKey); v.AsString() != "test-model" {
		t.Errorf("genaix.cost.price_key = %q, want test-model", v.AsString())
	}
	totals, ok := tel.Processor().ConversationTotals("priced")
	if !ok || totals.LLMCalls != 1 || totals.Cost != 2_000_000 {
		t.Errorf("ConversationTotals = %+v, %v; want 1 call costing 2,000,000 nanodollars", totals, ok)
	}
}

func costMetric(rm metricdata.ResourceMetrics) float64 {
	var sum float64
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != genaix.CostMetric {
				continue
			}
			if d, ok := m.Data.(metricdata.Sum[float64]); ok {
				for _, p := range d.DataPoints {
					sum += p.Value
				}
			}
		}
	}
	return sum
}

func TestPricePrecedence(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []otelsetup.Option
		want float64 // cost of 1000 input and 500 output tokens
	}{
		{"env only", nil, 0.002},
		{"WithPriceFile wins over env", []otelsetup.Option{
			otelsetup.WithPriceFile(filepath.Join("testdata", "override-prices.json"))}, 0.005},
		{"WithPrices wins over files", []otelsetup.Option{
			otelsetup.WithPriceFile(filepath.Join("testdata", "override-prices.json")),
			otelsetup.WithPrices(genaix.Prices{"test-model": {Input: 10, Output: 20}})}, 0.02},
		{"genaix options win", []otelsetup.Option{
			otelsetup.WithPrices(genaix.Prices{"test-model": {Input: 10, Output: 20}}),
			otelsetup.WithGenaixOptions(genaix.WithPrices(genaix.Prices{"test-model": {Input: 100, Output: 200}}))}, 0.2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cleanEnv(t)
			t.Setenv(otelsetup.PricesFileEnv, filepath.Join("testdata", "prices.json"))
			tel, rec, _ := setup(t, tc.opts...)
			llmSpan(context.Background(), tel.TracerProvider())
			shutdown(t, tel)
			s := rec.span(t, "chat test-model")
			if v, ok := attr(s.Attributes, genaix.CostUSDKey); !ok || math.Abs(v.AsFloat64()-tc.want) > 1e-12 {
				t.Errorf("gen_ai.usage.cost_usd = %v, %v; want %v", v.String(), ok, tc.want)
			}
		})
	}
}

func TestNoPricesFlagsUnpriced(t *testing.T) {
	cleanEnv(t)
	tel, rec, _ := setup(t)
	llmSpan(context.Background(), tel.TracerProvider())
	shutdown(t, tel)
	s := rec.span(t, "chat test-model")
	if _, ok := attr(s.Attributes, genaix.CostUSDKey); ok {
		t.Error("a call was priced without any price configured")
	}
	if v, _ := attr(s.Attributes, genaix.UnpricedKey); v.AsString() != genaix.UnpricedUnknownModel {
		t.Errorf("genaix.cost.unpriced = %q, want %q", v.AsString(), genaix.UnpricedUnknownModel)
	}
}

func TestBadPriceFileFailsNamingIt(t *testing.T) {
	bad := filepath.Join("testdata", "bad-prices.json")
	missing := filepath.Join(t.TempDir(), "nope.json")
	for _, tc := range []struct {
		name, env, path string
		opts            []otelsetup.Option
	}{
		{"malformed via env", bad, bad, nil},
		{"malformed via option", "", bad, []otelsetup.Option{otelsetup.WithPriceFile(bad)}},
		{"missing via env", missing, missing, nil},
		{"missing via option", "", missing, []otelsetup.Option{otelsetup.WithPriceFile(missing)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cleanEnv(t)
			t.Setenv(otelsetup.PricesFileEnv, tc.env)
			before := otel.GetTracerProvider()
			rec := &recorder{}
			tel, err := otelsetup.Setup(context.Background(),
				append(tc.opts, otelsetup.WithSpanExporter(rec), otelsetup.WithMetricReader(sdkmetric.NewManualReader()))...)
			if err == nil {
				_ = tel.Shutdown(context.Background())
				t.Fatal("Setup succeeded with a bad price file")
			}
			if tel != nil {
				t.Error("Setup returned a Telemetry with its error")
			}
			if !strings.Contains(err.Error(), tc.path) {
				t.Errorf("error %q does not name %s", err, tc.path)
			}
			if otel.GetTracerProvider() != before {
				t.Error("a failed Setup changed the global TracerProvider")
			}
		})
	}
}

func TestInvalidPricesFail(t *testing.T) {
	cleanEnv(t)
	_, err := otelsetup.Setup(context.Background(), otelsetup.WithoutGlobal(),
		otelsetup.WithSpanExporter(&recorder{}), otelsetup.WithMetricReader(sdkmetric.NewManualReader()),
		otelsetup.WithPrices(genaix.Prices{"test-model": {Input: -1, Output: 2}}))
	if err == nil || !strings.Contains(err.Error(), "test-model") {
		t.Fatalf("Setup with a negative price: err = %v, want an error naming test-model", err)
	}
}

func TestExporterNone(t *testing.T) {
	cleanEnv(t)
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	t.Setenv("OTEL_METRICS_EXPORTER", "none")
	tel, err := otelsetup.Setup(context.Background(), otelsetup.WithPrices(genaix.Prices{"test-model": {Input: 1, Output: 2}}))
	if err != nil {
		t.Fatalf("Setup: %v", err)
	}
	// Without an exporter genaix still numbers turns and keeps totals.
	ctx := genaix.WithConversation(context.Background(), "none-conv")
	llmSpan(ctx, otel.GetTracerProvider())
	totals, ok := tel.Processor().ConversationTotals("none-conv")
	if !ok || totals.LLMCalls != 1 || totals.Cost != 2_000_000 {
		t.Errorf("ConversationTotals = %+v, %v; want 1 call costing 2,000,000 nanodollars", totals, ok)
	}
	shutdown(t, tel)
}

// syncBuffer is a bytes.Buffer safe for the exporter goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestConsoleFallback(t *testing.T) {
	t.Run("env unset", func(t *testing.T) {
		cleanEnv(t)
		var buf syncBuffer
		tel, err := otelsetup.Setup(context.Background(), otelsetup.WithConsoleFallback(&buf),
			otelsetup.WithPrices(genaix.Prices{"test-model": {Input: 1, Output: 2}}))
		if err != nil {
			t.Fatal(err)
		}
		llmSpan(genaix.WithConversation(context.Background(), "fallback-conv"), otel.GetTracerProvider())
		shutdown(t, tel)
		out := buf.String()
		for _, want := range []string{`"Name":"chat test-model"`, `"fallback-conv"`, genaix.TokenUsageMetric, genaix.CostMetric} {
			if !strings.Contains(out, want) {
				t.Errorf("console output lacks %s:\n%s", want, out)
			}
		}
	})
	t.Run("env set to none", func(t *testing.T) {
		cleanEnv(t)
		t.Setenv("OTEL_TRACES_EXPORTER", "none")
		t.Setenv("OTEL_METRICS_EXPORTER", "none")
		var buf syncBuffer
		tel, err := otelsetup.Setup(context.Background(), otelsetup.WithConsoleFallback(&buf))
		if err != nil {
			t.Fatal(err)
		}
		llmSpan(context.Background(), otel.GetTracerProvider())
		shutdown(t, tel)
		if out := buf.String(); out != "" {
			t.Errorf("the fallback was used although OTEL_*_EXPORTER=none: %s", out)
		}
	})
}

// TestExporterConsole runs the test binary again with
// OTEL_TRACES_EXPORTER=console, because the console exporter writes to the
// process's standard output.
func TestExporterConsole(t *testing.T) {
	if os.Getenv("OTELSETUP_CONSOLE_CHILD") == "1" {
		tel, err := otelsetup.Setup(context.Background(), otelsetup.WithPrices(genaix.Prices{"test-model": {Input: 1, Output: 2}}))
		if err != nil {
			t.Fatal(err)
		}
		llmSpan(genaix.WithConversation(context.Background(), "console-conv"), otel.GetTracerProvider())
		shutdown(t, tel)
		return
	}
	cleanEnv(t)
	t.Setenv("OTEL_TRACES_EXPORTER", "console")
	t.Setenv("OTEL_METRICS_EXPORTER", "console")
	t.Setenv("OTELSETUP_CONSOLE_CHILD", "1")
	cmd := exec.Command(os.Args[0], "-test.run=^TestExporterConsole$", "-test.count=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("child: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{`"Name":"chat test-model"`, `"console-conv"`, `"gen_ai.usage.cost_usd"`, genaix.TokenUsageMetric} {
		if !strings.Contains(out, want) {
			t.Errorf("console output lacks %s:\n%s", want, out)
		}
	}
}

// otlpSink is an OTLP/HTTP receiver on loopback.
type otlpSink struct {
	mu      sync.Mutex
	traces  []*collectortrace.ExportTraceServiceRequest
	metrics []*collectormetrics.ExportMetricsServiceRequest
	errs    []error
}

func (s *otlpSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		switch r.URL.Path {
		case "/v1/traces":
			req := &collectortrace.ExportTraceServiceRequest{}
			if err = proto.Unmarshal(body, req); err == nil {
				s.traces = append(s.traces, req)
			}
		case "/v1/metrics":
			req := &collectormetrics.ExportMetricsServiceRequest{}
			if err = proto.Unmarshal(body, req); err == nil {
				s.metrics = append(s.metrics, req)
			}
		default:
			err = errors.New("unexpected path " + r.URL.Path)
		}
	}
	if err != nil {
		s.errs = append(s.errs, err)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/x-protobuf")
}

func TestExporterOTLPHTTP(t *testing.T) {
	cleanEnv(t)
	sink := &otlpSink{}
	srv := httptest.NewServer(sink)
	defer srv.Close()
	t.Setenv("OTEL_TRACES_EXPORTER", "otlp")
	t.Setenv("OTEL_METRICS_EXPORTER", "otlp")
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", srv.URL)

	tel, err := otelsetup.Setup(context.Background(), otelsetup.WithServiceName("otlp-svc"),
		otelsetup.WithPrices(genaix.Prices{"test-model": {Input: 1, Output: 2}}))
	if err != nil {
		t.Fatal(err)
	}
	llmSpan(genaix.WithConversation(context.Background(), "otlp-conv"), otel.GetTracerProvider())
	shutdown(t, tel)

	sink.mu.Lock()
	defer sink.mu.Unlock()
	if len(sink.errs) > 0 {
		t.Fatalf("receiver errors: %v", sink.errs)
	}
	var conv, cost, service bool
	for _, req := range sink.traces {
		for _, rs := range req.ResourceSpans {
			for _, kv := range rs.Resource.Attributes {
				service = service || kv.Key == "service.name" && kv.Value.GetStringValue() == "otlp-svc"
			}
			for _, ss := range rs.ScopeSpans {
				for _, s := range ss.Spans {
					for _, kv := range s.Attributes {
						conv = conv || kv.Key == string(genaix.ConversationIDKey) && kv.Value.GetStringValue() == "otlp-conv"
						cost = cost || kv.Key == string(genaix.CostUSDKey) && math.Abs(kv.Value.GetDoubleValue()-0.002) < 1e-12
					}
				}
			}
		}
	}
	if !conv || !cost || !service {
		t.Errorf("OTLP traces: conversation id %v, cost %v, service name %v; want all (%d requests)", conv, cost, service, len(sink.traces))
	}
	var tokens bool
	for _, req := range sink.metrics {
		for _, rm := range req.ResourceMetrics {
			for _, sm := range rm.ScopeMetrics {
				for _, m := range sm.Metrics {
					tokens = tokens || m.Name == genaix.TokenUsageMetric
				}
			}
		}
	}
	if !tokens {
		t.Errorf("OTLP metrics lack %s (%d requests)", genaix.TokenUsageMetric, len(sink.metrics))
	}
}

func TestExporterEnvErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"unknown traces exporter", map[string]string{"OTEL_TRACES_EXPORTER": "bogus"}, "span exporter"},
		{"unknown metrics exporter", map[string]string{"OTEL_TRACES_EXPORTER": "none", "OTEL_METRICS_EXPORTER": "bogus"}, "metric reader"},
		{"unknown OTLP protocol", map[string]string{"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "carrier-pigeon"}, "span exporter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cleanEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			tel, err := otelsetup.Setup(context.Background())
			if err == nil {
				_ = tel.Shutdown(context.Background())
				t.Fatal("Setup succeeded")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestExporterOTLPGRPCConfigured(t *testing.T) {
	cleanEnv(t)
	t.Setenv("OTEL_TRACES_EXPORTER", "otlp")
	t.Setenv("OTEL_METRICS_EXPORTER", "none")
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
	// Nothing listens there and no span is made: creating the exporter does
	// not connect.
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")
	tel, err := otelsetup.Setup(context.Background(), otelsetup.WithoutGlobal())
	if err != nil {
		t.Fatalf("Setup with OTLP/gRPC: %v", err)
	}
	shutdown(t, tel)
}

func TestPropagators(t *testing.T) {
	cleanEnv(t)
	tel, _, _ := setup(t)
	bag, err := baggage.New(must(baggage.NewMemberRaw("tenant", "acme")))
	if err != nil {
		t.Fatal(err)
	}
	ctx, span := otel.Tracer("app").Start(baggage.ContextWithBaggage(context.Background(), bag), "outbound")
	defer span.End()

	for name, p := range map[string]propagation.TextMapPropagator{"global": otel.GetTextMapPropagator(), "accessor": tel.Propagator()} {
		carrier := propagation.MapCarrier{}
		p.Inject(ctx, carrier)
		tp := carrier.Get("traceparent")
		if want := span.SpanContext().TraceID().String(); !strings.Contains(tp, want) {
			t.Errorf("%s: traceparent = %q, want the trace id %s", name, tp, want)
		}
		if got := carrier.Get("baggage"); got != "tenant=acme" {
			t.Errorf("%s: baggage = %q, want tenant=acme", name, got)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestWithoutGlobal(t *testing.T) {
	cleanEnv(t)
	// Known globals to compare with.
	tp0 := sdktrace.NewTracerProvider()
	defer tp0.Shutdown(context.Background())
	prop0 := propagation.TraceContext{}
	otel.SetTracerProvider(tp0)
	otel.SetTextMapPropagator(prop0)
	mp0 := otel.GetMeterProvider()

	tel, rec, _ := setup(t, otelsetup.WithoutGlobal())
	if otel.GetTracerProvider() != trace.TracerProvider(tp0) {
		t.Error("WithoutGlobal changed the global TracerProvider")
	}
	if otel.GetMeterProvider() != mp0 {
		t.Error("WithoutGlobal changed the global MeterProvider")
	}
	if otel.GetTextMapPropagator() != propagation.TextMapPropagator(prop0) {
		t.Error("WithoutGlobal changed the global propagator")
	}

	ctx := genaix.WithConversation(context.Background(), "local")
	_, err := genaix.Observe(ctx, "step", func(context.Context) (string, error) { return "ok", nil },
		genaix.WithTracerProvider(tel.TracerProvider()))
	if err != nil {
		t.Fatal(err)
	}
	shutdown(t, tel)
	s := rec.span(t, "step")
	if v, _ := attr(s.Attributes, genaix.TurnNumberKey); v.AsInt64() != 1 {
		t.Errorf("turn number = %d, want 1", v.AsInt64())
	}
}

func TestContentCapture(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []otelsetup.Option
		want string // the gen_ai.prompt recorded, "" for none
	}{
		{"default on", nil, "secret question"},
		{"off", []otelsetup.Option{otelsetup.WithContentCapture(false)}, ""},
		{"on with a redactor", []otelsetup.Option{otelsetup.WithContentCapture(true),
			otelsetup.WithGenaixOptions(genaix.WithRedactor(func(kind, v string) string { return kind + ":redacted" }))}, "input:redacted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cleanEnv(t)
			tel, rec, _ := setup(t, tc.opts...)
			_, err := genaix.Observe(context.Background(), "ask", func(context.Context) (string, error) { return "answer", nil },
				genaix.Input("secret question"))
			if err != nil {
				t.Fatal(err)
			}
			shutdown(t, tel)
			var got string
			for _, e := range rec.span(t, "ask").Events {
				if v, ok := attr(e.Attributes, genaix.PromptKey); ok {
					got = v.AsString()
				}
			}
			if got != tc.want {
				t.Errorf("gen_ai.prompt = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestShutdownIdempotent(t *testing.T) {
	cleanEnv(t)
	tel, rec, _ := setup(t)
	_, span := otel.Tracer("app").Start(context.Background(), "before")
	span.End()
	for i := range 3 {
		if err := tel.Shutdown(context.Background()); err != nil {
			t.Fatalf("Shutdown #%d: %v", i+1, err)
		}
	}
	_, span = otel.Tracer("app").Start(context.Background(), "after")
	span.End()
	if err := tel.ForceFlush(context.Background()); err != nil {
		t.Logf("ForceFlush after Shutdown: %v", err)
	}
	spans, shutdowns := rec.get()
	if shutdowns != 1 {
		t.Errorf("exporter shut down %d times, want 1", shutdowns)
	}
	if len(spans) != 1 || spans[0].Name != "before" {
		t.Errorf("exported %v, want only the span ended before Shutdown", spanNames(spans))
	}
}

func TestShutdownErrorRepeated(t *testing.T) {
	cleanEnv(t)
	boom := errors.New("exporter failed to shut down")
	rec := &recorder{shutdownErr: boom}
	tel, err := otelsetup.Setup(context.Background(), otelsetup.WithoutGlobal(),
		otelsetup.WithSpanExporter(rec), otelsetup.WithMetricReader(sdkmetric.NewManualReader()))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := tel.Shutdown(context.Background()); !errors.Is(err, boom) {
			t.Errorf("Shutdown #%d = %v, want %v", i+1, err, boom)
		}
	}
	if _, n := rec.get(); n != 1 {
		t.Errorf("exporter shut down %d times, want 1", n)
	}
}

func spanNames(spans tracetest.SpanStubs) []string {
	var names []string
	for _, s := range spans {
		names = append(names, s.Name)
	}
	return names
}

func TestTracerProviderOptions(t *testing.T) {
	cleanEnv(t)
	tel, rec, _ := setup(t, otelsetup.WithTracerProviderOptions(sdktrace.WithSampler(sdktrace.NeverSample())))
	_, span := otel.Tracer("app").Start(context.Background(), "unsampled")
	span.End()
	shutdown(t, tel)
	if spans, _ := rec.get(); len(spans) != 0 {
		t.Errorf("exported %v with a NeverSample sampler", spanNames(spans))
	}
}
