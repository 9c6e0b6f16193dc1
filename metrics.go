package genaix

import (
	"context"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
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
	tokens        metric.Int64Histogram
	duration      metric.Float64Histogram
	cost          metric.Float64Counter
	unpricedCalls metric.Int64Counter
}

func newInstruments(mp metric.MeterProvider) *instruments {
	m := mp.Meter(instrumentationName, metric.WithInstrumentationVersion(Version))
	var in instruments
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
	return &in
}

// record records one LLM call's metrics. Attributes are bounded: provider,
// operation, models, server, error type, and for cost the workflow type and
// agent name; never conversation, user or workflow ids.
func (in *instruments) record(s sdktrace.ReadOnlySpan, f facts, c call) {
	ctx := context.Background()
	base := make([]attribute.KeyValue, 0, 10)
	base = append(base, OperationNameKey.String(f.operation), ProviderNameKey.String(f.provider))
	if f.requestModel != "" {
		base = append(base, RequestModelKey.String(f.requestModel))
	}
	if f.responseModel != "" {
		base = append(base, ResponseModelKey.String(f.responseModel))
	}
	if f.serverAddress != "" {
		base = append(base, ServerAddressKey.String(f.serverAddress))
	}
	if f.serverPort != 0 {
		base = append(base, ServerPortKey.Int64(f.serverPort))
	}
	n := len(base)
	if f.errorType != "" {
		base = append(base, ErrorTypeKey.String(f.errorType))
	}
	if in.duration != nil {
		in.duration.Record(ctx, s.EndTime().Sub(s.StartTime()).Seconds(), metric.WithAttributes(base...))
	}
	base = base[:n] // error.type belongs on duration only
	if c.hasUsage && in.tokens != nil {
		if c.usage.HasInput() {
			in.tokens.Record(ctx, c.usage.InputTokens, metric.WithAttributes(append(base, semconv.GenAITokenTypeInput)...))
		}
		if c.usage.HasOutput() {
			in.tokens.Record(ctx, c.usage.OutputTokens, metric.WithAttributes(append(base, semconv.GenAITokenTypeOutput)...))
		}
	}
	if c.priced && in.cost != nil {
		if f.workflowType != "" {
			base = append(base, WorkflowTypeKey.String(f.workflowType))
		}
		if f.agentName != "" {
			base = append(base, AgentNameKey.String(f.agentName))
		}
		if c.reported { // the provider's total, not split by token type
			in.cost.Add(ctx, c.cost.Total().USD(), metric.WithAttributes(base...))
			return
		}
		in.cost.Add(ctx, c.cost.Input.USD(), metric.WithAttributes(append(base, semconv.GenAITokenTypeInput)...))
		in.cost.Add(ctx, c.cost.Output.USD(), metric.WithAttributes(append(base, semconv.GenAITokenTypeOutput)...))
	}
}

func (in *instruments) unpriced(provider, model, reason string) {
	if in.unpricedCalls == nil {
		return
	}
	in.unpricedCalls.Add(context.Background(), 1, metric.WithAttributes(
		ProviderNameKey.String(provider), RequestModelKey.String(model), UnpricedKey.String(reason)))
}
