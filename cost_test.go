package genaix_test

import (
	"context"
	"math"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/genaix/genaix-go"
)

var testPrices = genaix.Prices{
	"gpt-4o":            {Input: 2.50, Output: 10, CacheRead: 1.25},
	"claude-sonnet-4-5": {Input: 3, Output: 15, CacheRead: 0.30, CacheWrite: 3.75},
}

// thirdPartyLLMSpan makes a span the way another library's instrumentation
// would: semconv attributes, usage set before End, no genaix involved.
func thirdPartyLLMSpan(ctx context.Context, p *pipeline, name string, attrs ...attribute.KeyValue) {
	_, span := p.tp.Tracer("vendor-sdk").Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attribute.String("gen_ai.operation.name", "chat")))
	span.SetAttributes(attrs...)
	span.End()
}

func usd(t testing.TB, s tracetest.SpanStub, key attribute.Key) float64 {
	t.Helper()
	v, ok := attr(s, key)
	if !ok {
		t.Fatalf("span %q: %s missing", s.Name, key)
	}
	return v.AsFloat64()
}

func nanos(f float64) int64 { return int64(math.Round(f * 1e9)) }

func TestThirdPartySpanIsPricedAndRolledUp(t *testing.T) {
	p := newPipeline(t, genaix.WithPrices(testPrices))
	ctx, wf := genaix.StartWorkflow(context.Background(), "wf-1", "rag", genaix.WithTracerProvider(p.tp))
	thirdPartyLLMSpan(ctx, p, "chat gpt-4o",
		genaix.ProviderNameKey.String("openai"),
		genaix.RequestModelKey.String("gpt-4o"),
		genaix.ResponseModelKey.String("gpt-4o-2024-08-06"),
		genaix.InputTokensKey.Int(1000), genaix.CacheReadTokensKey.Int(200), genaix.OutputTokensKey.Int(100))
	_, _ = genaix.ObserveTool(ctx, "search", "q", func(context.Context) (int, error) { return 3, nil }, genaix.WithTracerProvider(p.tp))
	wf.End()

	// By hand: 800 uncached × $2.50/M = $0.002; 200 cached × $1.25/M = $0.00025;
	// 100 output × $10/M = $0.001. Total $0.00325 = 3,250,000 nano-dollars.
	llm := p.span(t, "chat gpt-4o")
	if got := nanos(usd(t, llm, genaix.CostUSDKey)); got != 3_250_000 {
		t.Errorf("cost_usd = %d nanos, want 3250000", got)
	}
	if got := nanos(usd(t, llm, genaix.CostInputUSDKey)); got != 2_250_000 {
		t.Errorf("cost_input_usd = %d nanos, want 2250000", got)
	}
	if got := nanos(usd(t, llm, genaix.CostOutputUSDKey)); got != 1_000_000 {
		t.Errorf("cost_output_usd = %d nanos, want 1000000", got)
	}
	if got := nanos(usd(t, llm, genaix.CostCacheReadUSDKey)); got != 250_000 {
		t.Errorf("cost_cache_read_usd = %d nanos, want 250000", got)
	}
	if usd(t, llm, genaix.CostKey) != usd(t, llm, genaix.CostUSDKey) {
		t.Error("gen_ai.usage.cost differs from cost_usd")
	}
	wantString(t, llm, genaix.PriceKeyKey, "gpt-4o")
	wantString(t, llm, genaix.SpanKindKey, "llm")
	wantString(t, llm, genaix.WorkflowIDKey, "wf-1")

	w := p.span(t, "invoke_workflow rag")
	if got := nanos(usd(t, w, genaix.WorkflowTotalCostKey)); got != 3_250_000 {
		t.Errorf("workflow.total_cost_usd = %d nanos, want 3250000", got)
	}
	wantInt(t, w, genaix.WorkflowLLMCallsKey, 1)
	wantInt(t, w, genaix.WorkflowToolCallsKey, 1)
	wantInt(t, w, genaix.WorkflowInputTokensKey, 1000)
	wantInt(t, w, genaix.WorkflowOutputTokensKey, 100)
	wantAbsent(t, w, genaix.CostUSDKey) // aggregates never reuse per-call keys
	if tot := wf.Totals(); tot.Cost != 3_250_000 || tot.LLMCalls != 1 || tot.ToolCalls != 1 {
		t.Errorf("Totals() = %+v", tot)
	}
}

func TestUnknownModelIsFlaggedNotZero(t *testing.T) {
	reader := metric.NewManualReader()
	p := newPipeline(t, genaix.WithPrices(testPrices), genaix.WithMeterProvider(metric.NewMeterProvider(metric.WithReader(reader))))
	ctx, wf := genaix.StartWorkflow(context.Background(), "wf", "chat", genaix.WithTracerProvider(p.tp))
	thirdPartyLLMSpan(ctx, p, "chat mystery", genaix.ProviderNameKey.String("openai"),
		genaix.RequestModelKey.String("mystery-model-9"), genaix.InputTokensKey.Int(10), genaix.OutputTokensKey.Int(5))
	thirdPartyLLMSpan(ctx, p, "chat nousage", genaix.ProviderNameKey.String("openai"), genaix.RequestModelKey.String("gpt-4o"))
	wf.End()

	s := p.span(t, "chat mystery")
	wantAbsent(t, s, genaix.CostUSDKey)
	wantAbsent(t, s, genaix.CostKey)
	wantString(t, s, genaix.UnpricedKey, "unknown_model")
	n := p.span(t, "chat nousage")
	wantString(t, n, genaix.UnpricedKey, "no_usage")
	wantAbsent(t, n, genaix.InputTokensKey) // absent usage is never written as 0

	w := p.span(t, "invoke_workflow chat")
	wantInt(t, w, genaix.WorkflowLLMCallsKey, 2)
	wantInt(t, w, genaix.WorkflowUnpricedKey, 1)
	if got := usd(t, w, genaix.WorkflowTotalCostKey); got != 0 {
		t.Errorf("workflow cost = %v, want 0 (nothing priced)", got)
	}

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != genaix.UnpricedCallsMetric {
				continue
			}
			for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
				reason, _ := dp.Attributes.Value(genaix.UnpricedKey)
				got[reason.AsString()] += dp.Value
			}
		}
	}
	if got["unknown_model"] != 1 || got["no_usage"] != 1 {
		t.Errorf("unpriced counter = %v, want one unknown_model and one no_usage", got)
	}
}

func TestNestedLLMSpansAreCountedOnce(t *testing.T) {
	// An SDK's own LLM span with an instrumented HTTP call inside it: both
	// report the same usage; only the leaf counts and is priced.
	p := newPipeline(t, genaix.WithPrices(testPrices))
	ctx, wf := genaix.StartWorkflow(context.Background(), "wf", "chat", genaix.WithTracerProvider(p.tp))
	usage := []attribute.KeyValue{genaix.RequestModelKey.String("gpt-4o"), genaix.ProviderNameKey.String("openai"),
		genaix.InputTokensKey.Int(100), genaix.OutputTokensKey.Int(10)}
	sdkCtx, sdkSpan := p.tp.Tracer("sdk").Start(ctx, "sdk.chat", trace.WithAttributes(attribute.String("gen_ai.operation.name", "chat")))
	thirdPartyLLMSpan(sdkCtx, p, "http chat", usage...)
	sdkSpan.SetAttributes(usage...)
	sdkSpan.End()
	wf.End()

	wantInt(t, p.span(t, "invoke_workflow chat"), genaix.WorkflowLLMCallsKey, 1)
	wantInt(t, p.span(t, "invoke_workflow chat"), genaix.WorkflowInputTokensKey, 100)
	wantAbsent(t, p.span(t, "sdk.chat"), genaix.CostUSDKey)
	if _, ok := attr(p.span(t, "http chat"), genaix.CostUSDKey); !ok {
		t.Error("the leaf call was not priced")
	}
}

func TestWithoutCostKeepsTokens(t *testing.T) {
	p := newPipeline(t, genaix.WithPrices(testPrices), genaix.WithoutCost())
	ctx, wf := genaix.StartWorkflow(context.Background(), "wf", "x", genaix.WithTracerProvider(p.tp))
	thirdPartyLLMSpan(ctx, p, "chat", genaix.RequestModelKey.String("gpt-4o"), genaix.InputTokensKey.Int(7), genaix.OutputTokensKey.Int(3))
	wf.End()
	s := p.span(t, "chat")
	wantAbsent(t, s, genaix.CostUSDKey)
	wantAbsent(t, s, genaix.UnpricedKey)
	wantInt(t, p.span(t, "invoke_workflow x"), genaix.WorkflowInputTokensKey, 7)
}

func TestConversationTotalsAcrossTurns(t *testing.T) {
	p := newPipeline(t, genaix.WithPrices(testPrices))
	for range 2 {
		ctx := genaix.WithConversation(context.Background(), "conv-t")
		_, _ = genaix.Observe(ctx, "turn", func(ctx context.Context) (int, error) {
			thirdPartyLLMSpan(ctx, p, "chat", genaix.RequestModelKey.String("gpt-4o"),
				genaix.InputTokensKey.Int(1000), genaix.OutputTokensKey.Int(100))
			return 0, nil
		}, genaix.WithTracerProvider(p.tp))
	}
	tot, ok := p.proc.ConversationTotals("conv-t")
	// Each call: 1000 × 2.5 + 100 × 10 = 3,500 micro-dollars = 3,500,000 nanos.
	if !ok || tot.LLMCalls != 2 || tot.Cost != 7_000_000 || tot.InputTokens != 2000 {
		t.Fatalf("ConversationTotals = %+v, %v", tot, ok)
	}
	// The outermost span of each turn carries that turn's totals.
	for _, s := range p.exp.GetSpans() {
		if s.Name != "turn" {
			continue
		}
		wantInt(t, s, genaix.TurnLLMCallsKey, 1)
		if got := nanos(usd(t, s, genaix.TurnTotalCostKey)); got != 3_500_000 {
			t.Errorf("turn.total_cost_usd = %d nanos", got)
		}
		wantAbsent(t, s, genaix.CostUSDKey)
	}
	if _, ok := p.proc.ConversationTotals("unknown"); ok {
		t.Error("totals for a conversation never seen")
	}
}

func TestMetricsAreRecordedWithBoundedAttributes(t *testing.T) {
	reader := metric.NewManualReader()
	p := newPipeline(t, genaix.WithPrices(testPrices), genaix.WithMeterProvider(metric.NewMeterProvider(metric.WithReader(reader))))
	ctx := genaix.WithConversation(context.Background(), "conv-secret", genaix.UserID("user-secret"))
	ctx, wf := genaix.StartWorkflow(ctx, "wf-secret", "rag", genaix.WithTracerProvider(p.tp))
	ctx = genaix.WithAgent(ctx, "bot")
	thirdPartyLLMSpan(ctx, p, "chat", genaix.ProviderNameKey.String("openai"), genaix.RequestModelKey.String("gpt-4o"),
		genaix.InputTokensKey.Int(1000), genaix.OutputTokensKey.Int(100), attribute.String("server.address", "api.openai.com"))
	wf.End()

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			seen[m.Name] = true
			var sets []attribute.Set
			switch d := m.Data.(type) {
			case metricdata.Histogram[int64]:
				if m.Unit != "{token}" {
					t.Errorf("%s unit = %q", m.Name, m.Unit)
				}
				tokens := map[string]int64{}
				for _, dp := range d.DataPoints {
					sets = append(sets, dp.Attributes)
					tt, _ := dp.Attributes.Value("gen_ai.token.type")
					tokens[tt.AsString()] = dp.Sum
					if len(dp.Bounds) != 14 || dp.Bounds[0] != 1 || dp.Bounds[13] != 67108864 {
						t.Errorf("token buckets = %v", dp.Bounds)
					}
				}
				if tokens["input"] != 1000 || tokens["output"] != 100 {
					t.Errorf("token usage = %v", tokens)
				}
			case metricdata.Histogram[float64]:
				for _, dp := range d.DataPoints {
					sets = append(sets, dp.Attributes)
					if dp.Count != 1 || len(dp.Bounds) != 14 || dp.Bounds[0] != 0.01 {
						t.Errorf("duration point = %+v", dp)
					}
				}
			case metricdata.Sum[float64]:
				var total float64
				for _, dp := range d.DataPoints {
					sets = append(sets, dp.Attributes)
					total += dp.Value
					if v, _ := dp.Attributes.Value(genaix.WorkflowTypeKey); v.AsString() != "rag" {
						t.Errorf("cost point lacks workflow.type: %v", dp.Attributes)
					}
					if v, _ := dp.Attributes.Value(genaix.AgentNameKey); v.AsString() != "bot" {
						t.Errorf("cost point lacks gen_ai.agent.name: %v", dp.Attributes)
					}
				}
				if nanos(total) != 3_500_000 {
					t.Errorf("cost counter total = %v", total)
				}
			}
			for _, s := range sets {
				for _, kv := range s.ToSlice() {
					if v := kv.Value.String(); v == "conv-secret" || v == "user-secret" || v == "wf-secret" {
						t.Errorf("%s carries high-cardinality %s=%s", m.Name, kv.Key, v)
					}
				}
				if op, _ := s.Value("gen_ai.operation.name"); op.AsString() != "chat" {
					t.Errorf("%s point lacks gen_ai.operation.name: %v", m.Name, s)
				}
			}
		}
	}
	for _, name := range []string{genaix.TokenUsageMetric, genaix.DurationMetric, genaix.CostMetric} {
		if !seen[name] {
			t.Errorf("metric %s not recorded", name)
		}
	}
}
