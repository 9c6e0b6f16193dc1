package genaix_test

import (
	"context"
	"sync/atomic"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/genaix/genaix-go"
)

// The span benchmarks compare the same span start+end through a
// TracerProvider exporting to tracetest's in-memory exporter, bare and with
// the genaix processor in front of the exporting processor. The "discard"
// variants use an exporter that drops spans, which makes genaix's share of
// the cost look as large as it can. Ratios are in the README.

type discard struct{}

func (discard) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discard) Shutdown(context.Context) error                             { return nil }

// reading reads every exported span's attributes, as an exporter turning
// spans into OTLP does, and then drops them.
type reading struct{ n *atomic.Int64 }

func (r reading) ExportSpans(_ context.Context, spans []sdktrace.ReadOnlySpan) error {
	for _, s := range spans {
		r.n.Add(int64(len(s.Attributes())))
	}
	return nil
}
func (reading) Shutdown(context.Context) error { return nil }

func providers(exp sdktrace.SpanExporter) (bare, withGenaix *sdktrace.TracerProvider) {
	bare = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(sdktrace.NewSimpleSpanProcessor(exp)))
	withGenaix = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(
		genaix.NewSpanProcessor(genaix.WithNext(sdktrace.NewSimpleSpanProcessor(exp)))))
	return bare, withGenaix
}

// scopeAttrs are what a conversation+workflow+agent+3 custom attributes scope
// stamps: the bare SDK sets the same attributes itself.
var scopeAttrs = []attribute.KeyValue{
	genaix.ConversationIDKey.String("conv-123"),
	genaix.UserIDKey.String("user-9"),
	genaix.WorkflowIDKey.String("wf-42"),
	genaix.WorkflowTypeKey.String("rag"),
	genaix.AgentNameKey.String("support-bot"),
	genaix.AgentIDKey.String("agent-1"),
	attribute.String("tenant", "acme"),
	attribute.String("region", "eu"),
	attribute.Int("plan", 3),
}

func scopeContext() context.Context {
	ctx := genaix.WithConversation(context.Background(), "conv-123", genaix.UserID("user-9"))
	ctx = genaix.WithWorkflow(ctx, "wf-42", "rag")
	ctx = genaix.WithAgent(ctx, "support-bot", genaix.AgentID("agent-1"))
	return genaix.WithAttributes(ctx, attribute.String("tenant", "acme"), attribute.String("region", "eu"), attribute.Int("plan", 3))
}

func runSpans(b *testing.B, tp *sdktrace.TracerProvider, ctx context.Context, reset func(), opts ...trace.SpanStartOption) {
	tr := tp.Tracer("bench")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_, span := tr.Start(ctx, "op", opts...)
		span.End()
		if i++; reset != nil && i%4096 == 0 {
			reset() // keep the in-memory exporter's memory flat
		}
	}
}

func BenchmarkSpan(b *testing.B) {
	mem := tracetest.NewInMemoryExporter()
	for _, e := range []struct {
		name  string
		exp   sdktrace.SpanExporter
		reset func()
	}{{"inmemory", mem, mem.Reset}, {"discard", discard{}, nil}} {
		bare, gx := providers(e.exp)
		sc := scopeContext()
		bg := context.Background()
		b.Run(e.name+"/no-context/bare", func(b *testing.B) { runSpans(b, bare, bg, e.reset) })
		b.Run(e.name+"/no-context/genaix", func(b *testing.B) { runSpans(b, gx, bg, e.reset) })
		b.Run(e.name+"/scope/bare-sets-attrs", func(b *testing.B) {
			runSpans(b, bare, bg, e.reset, trace.WithAttributes(scopeAttrs...))
		})
		b.Run(e.name+"/scope/genaix", func(b *testing.B) { runSpans(b, gx, sc, e.reset) })
	}
}

// BenchmarkGenAISpanCost measures what pricing adds at span end: the same
// third-party GenAI span — the attributes a GenAI instrumentation sets at
// start, then response and usage attributes before End — through the genaix
// processor with prices, and with WithoutCost. Both export through a batch
// processor to a discarding exporter.
func BenchmarkGenAISpanCost(b *testing.B) {
	start := []attribute.KeyValue{
		genaix.OperationNameKey.String("chat"), genaix.ProviderNameKey.String("openai"),
		genaix.RequestModelKey.String("gpt-4o"), genaix.ServerAddressKey.String("api.openai.com"), genaix.ServerPortKey.Int(443),
		genaix.RequestTemperatureKey.Float64(0.2), genaix.RequestMaxTokensKey.Int(512), genaix.RequestStreamKey.Bool(false),
	}
	end := []attribute.KeyValue{
		genaix.ResponseModelKey.String("gpt-4o-2024-08-06"), genaix.ResponseIDKey.String("chatcmpl-bench"),
		genaix.FinishReasonsKey.StringSlice([]string{"stop"}),
		genaix.InputTokensKey.Int(1200), genaix.CacheReadTokensKey.Int(1024), genaix.OutputTokensKey.Int(300),
	}
	for _, e := range []struct {
		name string
		exp  sdktrace.SpanExporter
	}{{"discard", discard{}}, {"reading", reading{new(atomic.Int64)}}} {
		for _, c := range []struct {
			name string
			opt  genaix.Option
		}{{"without-cost", genaix.WithoutCost()}, {"with-cost", genaix.WithPrices(genaix.Prices{"gpt-4o": {Input: 2.5, Output: 10, CacheRead: 1.25}})}} {
			tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(genaix.NewSpanProcessor(c.opt,
				genaix.WithNext(sdktrace.NewBatchSpanProcessor(e.exp)))))
			b.Run(e.name+"/"+c.name, func(b *testing.B) {
				tr := tp.Tracer("vendor")
				ctx := context.Background()
				b.ReportAllocs()
				for b.Loop() {
					_, span := tr.Start(ctx, "chat gpt-4o", trace.WithAttributes(start...))
					span.SetAttributes(end...)
					span.End()
				}
			})
			_ = tp.Shutdown(context.Background())
		}
	}
}
