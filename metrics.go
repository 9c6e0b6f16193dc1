package genaix

import (
	"context"
	"slices"
	"sync"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
)

// Metric names. The first two are the OpenTelemetry GenAI client metrics.
const (
	TokenUsageMetric    = "gen_ai.client.token.usage"
	DurationMetric      = "gen_ai.client.operation.duration"
	CostMetric          = "gen_ai.client.cost"         // USD, by token type
	UnpricedCallsMetric = "genaix.cost.unpriced_calls" // LLM calls that could not be priced
)

// Bucket boundaries the GenAI semantic conventions specify; the SDK's default
// buckets suit neither token counts nor LLM latencies.
var (
	tokenBuckets    = []float64{1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864}
	durationBuckets = []float64{0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92}
)

// instruments are created once, with the processor.
type instruments struct {
	mu    sync.RWMutex
	cache map[metricKey]*metricSets

	tokens        metric.Int64Histogram
	duration      metric.Float64Histogram
	cost          metric.Float64Counter
	unpricedCalls metric.Int64Counter
}

func newInstruments(mp metric.MeterProvider) *instruments {
	m := mp.Meter(instrumentationName, metric.WithInstrumentationVersion(Version))
	in := instruments{cache: make(map[metricKey]*metricSets)}
	var err error
	if in.tokens, err = m.Int64Histogram(TokenUsageMetric, metric.WithUnit("{token}"),
		metric.WithDescription("Number of input and output tokens used."),
		metric.WithExplicitBucketBoundaries(tokenBuckets...)); err != nil {
		otel.Handle(err)
	}
	if in.duration, err = m.Float64Histogram(DurationMetric, metric.WithUnit("s"),
		metric.WithDescription("GenAI operation duration."),
		metric.WithExplicitBucketBoundaries(durationBuckets...)); err != nil {
		otel.Handle(err)
	}
	if in.cost, err = m.Float64Counter(CostMetric, metric.WithUnit("USD"),
		metric.WithDescription("Cost of GenAI calls, computed from token usage and the configured prices.")); err != nil {
		otel.Handle(err)
	}
	if in.unpricedCalls, err = m.Int64Counter(UnpricedCallsMetric, metric.WithUnit("{call}"),
		metric.WithDescription("GenAI calls that carry no cost, by reason.")); err != nil {
		otel.Handle(err)
	}
	// A failed creation may leave an instrument nil: record nothing there.
	var none noop.Meter
	if in.tokens == nil {
		in.tokens, _ = none.Int64Histogram(TokenUsageMetric)
	}
	if in.duration == nil {
		in.duration, _ = none.Float64Histogram(DurationMetric)
	}
	if in.cost == nil {
		in.cost, _ = none.Float64Counter(CostMetric)
	}
	if in.unpricedCalls == nil {
		in.unpricedCalls, _ = none.Int64Counter(UnpricedCallsMetric)
	}
	return &in
}

// record records one LLM call's metrics. Attributes are bounded: provider,
// operation, models, server, error type, and for cost the workflow type and
// agent name; never conversation, user or workflow ids.
func (in *instruments) record(s sdktrace.ReadOnlySpan, f facts, c call) {
	ctx := context.Background()
	if !in.duration.Enabled(ctx) && !in.tokens.Enabled(ctx) && !in.cost.Enabled(ctx) {
		return // no reader wants them: skip building attribute sets
	}
	m := in.sets(f)
	in.duration.Record(ctx, s.EndTime().Sub(s.StartTime()).Seconds(), m.duration)
	if c.hasUsage {
		if c.usage.HasInput() {
			in.tokens.Record(ctx, c.usage.InputTokens, m.tokensIn)
		}
		if c.usage.HasOutput() {
			in.tokens.Record(ctx, c.usage.OutputTokens, m.tokensOut)
		}
	}
	if !c.priced {
		return
	}
	if c.reported { // the provider's total, not split by token type
		in.cost.Add(ctx, c.cost.Total().USD(), m.cost)
		return
	}
	in.cost.Add(ctx, c.cost.Input.USD(), m.costIn)
	in.cost.Add(ctx, c.cost.Output.USD(), m.costOut)
}

// metricKey is what a call's metric attributes are made of.
type metricKey struct {
	operation, provider, requestModel, responseModel, address, errorType, workflowType, agent string
	port                                                                                      int64
}

// metricSets are the attribute sets of one metricKey, built once: building a
// set sorts and hashes its attributes, which would otherwise dominate the
// cost of recording.
type metricSets struct {
	duration, tokensIn, tokensOut, cost, costIn, costOut metric.MeasurementOption
}

// maxMetricSets bounds the cache; past it sets are built per call.
const maxMetricSets = 4096

func (in *instruments) sets(f facts) *metricSets {
	k := metricKey{f.operation, f.provider, f.requestModel, f.responseModel, f.serverAddress, f.errorType, f.workflowType, f.agentName, f.serverPort}
	in.mu.RLock()
	m, ok := in.cache[k]
	in.mu.RUnlock()
	if ok {
		return m
	}
	m = newMetricSets(k)
	in.mu.Lock()
	if len(in.cache) < maxMetricSets {
		in.cache[k] = m
	}
	in.mu.Unlock()
	return m
}

func newMetricSets(k metricKey) *metricSets {
	base := make([]attribute.KeyValue, 0, 10)
	base = append(base, OperationNameKey.String(k.operation), ProviderNameKey.String(k.provider))
	for _, kv := range [...]struct {
		key attribute.Key
		v   string
	}{{RequestModelKey, k.requestModel}, {ResponseModelKey, k.responseModel}, {ServerAddressKey, k.address}} {
		if kv.v != "" {
			base = append(base, kv.key.String(kv.v))
		}
	}
	if k.port != 0 {
		base = append(base, ServerPortKey.Int64(k.port))
	}
	with := func(extra ...attribute.KeyValue) metric.MeasurementOption {
		return metric.WithAttributeSet(attribute.NewSet(append(slices.Clip(base), extra...)...))
	}
	var m metricSets
	if k.errorType != "" { // error.type belongs on duration only
		m.duration = with(ErrorTypeKey.String(k.errorType))
	} else {
		m.duration = with()
	}
	m.tokensIn, m.tokensOut = with(semconv.GenAITokenTypeInput), with(semconv.GenAITokenTypeOutput)
	if k.workflowType != "" {
		base = append(base, WorkflowTypeKey.String(k.workflowType))
	}
	if k.agent != "" {
		base = append(base, AgentNameKey.String(k.agent))
	}
	m.cost, m.costIn, m.costOut = with(), with(semconv.GenAITokenTypeInput), with(semconv.GenAITokenTypeOutput)
	return &m
}

func (in *instruments) unpriced(provider, model, reason string) {
	in.unpricedCalls.Add(context.Background(), 1, metric.WithAttributes(
		ProviderNameKey.String(provider), RequestModelKey.String(model), UnpricedKey.String(reason)))
}
