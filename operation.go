package genaix

import (
	"context"
	"fmt"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/genaix/genaix-go/pricing"
)

const instrumentationName = "github.com/genaix/genaix-go"

// Version is the genaix release, recorded as the instrumentation scope version.
const Version = "0.1.0"

// tracerOptions are built once: a fresh option per operation would be an
// allocation on every span.
var tracerOptions = []trace.TracerOption{trace.WithInstrumentationVersion(Version)}

func tracer(tp trace.TracerProvider) trace.Tracer {
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	return tp.Tracer(instrumentationName, tracerOptions...)
}

// operation is a genaix-tracked span in flight: Observe, ObserveTool,
// StartWorkflow, or an LLM call instrumented by llmhttp. Its span is always a
// child of the caller's context, never a new root.
type operation struct {
	ctx  context.Context // the span's context, carrying the operation's scope
	span trace.Span
	st   *spanState
}

// startOperation starts a span for a genaix operation. The span's scope is
// handed to the genaix SpanProcessor through the start context: the processor
// claims the operation (so the operation learns its configuration without any
// global), opens a conversation turn if the operation is the outermost one in
// its conversation, and stamps the span. change, if not nil, alters the scope
// the span and its descendants run in (StartWorkflow adds the workflow).
func startOperation(ctx context.Context, tp trace.TracerProvider, name string, change func(*scope), opts ...trace.SpanStartOption) operation {
	if ctx == nil {
		ctx = context.Background()
	}
	st := &spanState{}
	inner := derive(ctx)
	if change != nil {
		change(inner)
		inner.stamp = inner.buildStamp()
	}
	st.opensTurn = inner.conversationID != "" && inner.turnTotals == nil

	starting := *inner
	starting.pending = st
	sctx, span := tracer(tp).Start(context.WithValue(ctx, scopeKey{}, &starting), name, opts...)

	if st.turnTotals != nil { // set by the processor in OnStart
		inner.turnTotals = st.turnTotals
		if st.turn > 0 && st.turn != inner.turn {
			inner.turn = st.turn
			inner.stamp = inner.buildStamp() // the only stamped field that changed
		}
	}
	// inner.stamp is current: derive copied it, or change rebuilt it above.
	return operation{ctx: context.WithValue(sctx, scopeKey{}, inner), span: span, st: st}
}

// capture is the operation's content policy: the processor's, else the
// default.
func (o operation) capture() capture {
	if p := o.st.proc; p != nil {
		return p.cfg.capture
	}
	return defaultCapture
}

// record adds captured content as a span attribute, marking truncation.
func (o operation) record(c capture, kind string, v any, keys ...attribute.Key) {
	if kv := c.appendContent(nil, kind, v, keys...); len(kv) > 0 {
		o.span.SetAttributes(kv...)
	}
}

// event adds captured content as a span event with one attribute, the way the
// last9-genai Python SDK records prompts and completions.
func (o operation) event(c capture, kind, name string, key attribute.Key, v any) {
	s, truncated, ok := c.content(kind, v)
	if !ok {
		return
	}
	o.span.AddEvent(name, trace.WithAttributes(key.String(s)))
	if truncated {
		o.span.SetAttributes(ContentTruncatedKey.Bool(true))
	}
}

// fail marks the span failed: status Error, error.type, and the error recorded.
func (o operation) fail(err error) {
	o.span.RecordError(err)
	o.span.SetStatus(codes.Error, err.Error())
	o.span.SetAttributes(ErrorTypeKey.String(errorType(err)))
}

// panicked ends the operation of a function that did not return: it records
// the panic and re-panics, or, for runtime.Goexit (r == nil), just ends the span.
func panicked(o operation, c call, r any) {
	if r == nil {
		o.span.SetStatus(codes.Error, "goroutine exited")
		o.end(c)
		return
	}
	o.span.RecordError(fmt.Errorf("panic: %v", r), trace.WithStackTrace(true))
	o.span.SetStatus(codes.Error, fmt.Sprint("panic: ", r))
	o.span.SetAttributes(ErrorTypeKey.String("panic"))
	o.end(c)
	panic(r)
}

// errorType is a low-cardinality name for err: its Go type.
func errorType(err error) string {
	return fmt.Sprintf("%T", err)
}

// appendUsage records a model call's usage in c and appends to kv the usage
// attributes and, when a price applies, the cost attributes, for the caller
// to set before End so that every processor and exporter sees them. A cost
// the provider reported (reportedUSD) takes precedence over a computed one.
func (o operation) appendUsage(kv []attribute.KeyValue, c *call, provider, responseModel, requestModel string, u pricing.Usage, reportedUSD *float64) []attribute.KeyValue {
	c.llm, c.usage, c.hasUsage = true, u, true
	kv = appendUsageAttributes(kv, u)
	p := o.st.proc
	switch {
	case p != nil && p.cfg.noCost:
	case reportedUSD != nil:
		total := usdToNanos(*reportedUSD)
		c.cost, c.priced, c.reported = pricing.Cost{Input: total}, true, true
		kv = append(kv, CostUSDKey.Float64(total.USD()), CostKey.Float64(total.USD()), CostSourceKey.String("provider"))
	case p == nil:
		// No genaix processor saw this span: there are no prices to apply.
	default:
		cost, m, reason := p.price(provider, responseModel, requestModel, u, true)
		if reason != "" {
			kv = append(kv, UnpricedKey.String(reason))
			break
		}
		c.cost, c.priced = cost, true
		kv = appendCostAttributes(kv, cost, m)
	}
	return kv
}

// end counts the operation in its aggregates, writes the totals of the turn it
// opened, and ends the span.
func (o operation) end(c call, extra ...attribute.KeyValue) {
	st := o.st
	if p := st.proc; p != nil {
		p.count(st, c)
		st.result, st.counted = c, true
	}
	if st.turnTotals != nil {
		extra = append(extra, st.turnTotals.snapshot().attributes(turnKeys)...)
	}
	if len(extra) > 0 {
		o.span.SetAttributes(extra...)
	}
	o.span.End()
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
