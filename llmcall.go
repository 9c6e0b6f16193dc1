package genaix

import (
	"context"
	"math"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// LLMCall is one model call in progress, for instrumentation that makes its
// own LLM spans: the llmhttp package, or an application calling a client
// genaix does not instrument. It gives such spans what Observe's get — the
// conversation turn, pricing, roll-ups into workflow and turn totals, metrics
// — with the call counted once however many spans wrap it.
type LLMCall struct {
	op              operation
	c               call
	provider, model string
	reportedUSD     *float64
	attrs           []attribute.KeyValue   // set on the span at End, in one call
	buf             [24]attribute.KeyValue // attrs' first storage, in the same allocation
	once            sync.Once
}

// StartLLMCall starts a CLIENT span for one model call, a child of ctx, and
// returns the span's context. name should follow the GenAI conventions,
// "{operation} {model}" (e.g. "chat gpt-4o"); pass the sampling-relevant
// attributes (gen_ai.operation.name, gen_ai.provider.name,
// gen_ai.request.model, server.address, server.port) with SpanAttributes so
// samplers see them. Like Observe, a call at the top level of a conversation
// opens a turn.
func StartLLMCall(ctx context.Context, name string, opts ...ObserveOption) (context.Context, *LLMCall) {
	c := newObserveConfig(opts)
	if c.kind == "" {
		c.kind = KindLLM
	}
	op := startOperation(ctx, c.tp, name, nil, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(c.startAttributes(c.kind)...))
	// The enclosing spans (an SDK's own LLM span, an Observe) are not leaves
	// from now on, whatever order they end in. A parent genaix does not track
	// (one started outside any genaix scope, such as anthropic-sdk-go's own
	// span) gets a marker, so that it is not priced as a second call.
	op.st.markAncestors()
	if p := op.st.proc; p != nil && op.st.parent == nil {
		if parent := trace.SpanFromContext(ctx); parent.IsRecording() && isLLMSpan(parent) {
			p.live.markHasLLMChild(parent.SpanContext().SpanID())
		}
	}
	l := &LLMCall{op: op, c: call{llm: true}}
	l.attrs = l.buf[:0]
	return op.ctx, l
}

// isLLMSpan reports whether a live span of the OpenTelemetry SDK is a model
// call by its start attributes (an SDK's own span, such as
// anthropic-sdk-go's): only those get a marker, so that unrelated parents
// (a server span, a span of another TracerProvider) leave nothing behind.
func isLLMSpan(s trace.Span) bool {
	ro, ok := s.(sdktrace.ReadOnlySpan)
	if !ok {
		return false
	}
	for _, kv := range ro.Attributes() {
		if kv.Key == OperationNameKey {
			return isInference(kv.Value.AsString())
		}
	}
	return false
}

// Span returns the call's span.
func (l *LLMCall) Span() trace.Span { return l.op.span }

// SetAttributes adds attributes to the call's span. They are set at End,
// together with usage, cost and totals, in one call: a span's attribute
// slice then grows once.
func (l *LLMCall) SetAttributes(kv ...attribute.KeyValue) {
	l.attrs = append(l.attrs, kv...)
}

// CaptureContent prepares content for recording on the span: v rendered as
// text (JSON unless it is a string), passed through the processor's Redactor
// under kind, and bounded by its size limit. ok is false when there is
// nothing to record.
func (l *LLMCall) CaptureContent(kind string, v any) (s string, truncated, ok bool) {
	return l.op.capture().content(kind, v)
}

// SetUsage records the call's token usage and, when a price applies, its
// cost, on the span. provider and model select the price (model is the
// response model when known, else the requested one; requestModel is tried
// next if it differs).
func (l *LLMCall) SetUsage(provider, model, requestModel string, u Usage) {
	l.SetModel(provider, firstNonEmpty(model, requestModel))
	l.attrs = l.op.appendUsage(l.attrs, &l.c, provider, model, requestModel, u, l.reportedUSD)
}

// SetProviderCost records the cost the provider itself reported for the call
// (OpenRouter's usage.cost), in US dollars. It takes precedence over the
// price table, and the span says genaix.cost.source=provider. Call it before
// SetUsage.
func (l *LLMCall) SetProviderCost(usd float64) {
	if !math.IsNaN(usd) && !math.IsInf(usd, 0) && usd >= 0 {
		l.reportedUSD = &usd
	}
}

// SetModel names the provider and model of a call that may end without
// usage, for the unpriced-calls metric.
func (l *LLMCall) SetModel(provider, model string) {
	l.provider, l.model = provider, model
}

// Fail marks the call failed with a low-cardinality error type (the provider's
// error code, an HTTP status, or "_OTHER") and a description.
func (l *LLMCall) Fail(errorType, description string) {
	l.op.span.SetStatus(codes.Error, description)
	l.attrs = append(l.attrs, ErrorTypeKey.String(errorType))
}

// End counts the call in its workflow, turn and conversation totals and ends
// the span. Only the first End has an effect.
func (l *LLMCall) End() {
	l.once.Do(func() {
		if p := l.op.st.proc; !l.c.hasUsage && p != nil && !p.cfg.noCost {
			l.attrs = append(l.attrs, UnpricedKey.String(UnpricedNoUsage))
			p.metrics.unpriced(l.provider, l.model, UnpricedNoUsage)
		}
		l.op.end(l.c, l.attrs...)
	})
}
