package genaix

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/genaix/genaix-go/internal/wire"
)

// ObserveOption configures Observe, ObserveTool and StartWorkflow.
type ObserveOption func(*observeConfig)

type observeConfig struct {
	kind          Kind
	tags          []string
	metadata      map[string]any
	input         any
	hasInput      bool
	captureInput  *bool
	captureOutput *bool
	tp            trace.TracerProvider
	attrs         []attribute.KeyValue
	tool          Tool
}

func newObserveConfig(opts []ObserveOption) observeConfig {
	var c observeConfig
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// WithKind classifies the span (gen_ai.l9.span.kind). Observe defaults to
// KindLLM, as the last9-genai Python SDK's observe does.
func WithKind(k Kind) ObserveOption { return func(c *observeConfig) { c.kind = k } }

// Tags adds tags, recorded as the string-slice attribute "tags".
func Tags(tags ...string) ObserveOption {
	return func(c *observeConfig) { c.tags = append(c.tags, tags...) }
}

// Metadata adds one "metadata.<key>" string attribute per entry; the
// "category" entry is also recorded as user.category.
func Metadata(m map[string]any) ObserveOption {
	return func(c *observeConfig) {
		if c.metadata == nil {
			c.metadata = make(map[string]any, len(m))
		}
		maps.Copy(c.metadata, m)
	}
}

// Input records v as the operation's input (JSON-encoded, bounded, redacted).
func Input(v any) ObserveOption {
	return func(c *observeConfig) { c.input, c.hasInput = v, true }
}

// CaptureInput overrides, for this call, whether the input is recorded.
func CaptureInput(on bool) ObserveOption { return func(c *observeConfig) { c.captureInput = &on } }

// CaptureOutput overrides, for this call, whether the output is recorded.
func CaptureOutput(on bool) ObserveOption { return func(c *observeConfig) { c.captureOutput = &on } }

// SpanAttributes adds attributes to the operation's own span only (use
// WithAttributes on the context for every span in scope).
func SpanAttributes(kv ...attribute.KeyValue) ObserveOption {
	return func(c *observeConfig) {
		if c.attrs == nil {
			// Only read, never written: the caller's slice is used as is. Clipped,
			// so that a later SpanAttributes never appends into its array.
			c.attrs = slices.Clip(kv)
			return
		}
		c.attrs = append(c.attrs, kv...)
	}
}

// WithTracerProvider makes the operation use tp instead of the global
// TracerProvider.
func WithTracerProvider(tp trace.TracerProvider) ObserveOption {
	return func(c *observeConfig) { c.tp = tp }
}

func (c observeConfig) capture(base capture) capture {
	if c.captureInput != nil {
		base.input = *c.captureInput
	}
	if c.captureOutput != nil {
		base.output = *c.captureOutput
	}
	return base
}

// startAttributes are the attributes the operation's span starts with.
func (c observeConfig) startAttributes(kind Kind) []attribute.KeyValue {
	kv := make([]attribute.KeyValue, 0, 2+2*len(c.metadata)+len(c.attrs))
	kv = append(kv, SpanKindKey.String(string(kind)))
	if len(c.tags) > 0 {
		kv = append(kv, TagsKey.StringSlice(c.tags))
	}
	if len(c.metadata) == 0 {
		return append(kv, c.attrs...)
	}
	for _, k := range slices.Sorted(maps.Keys(c.metadata)) {
		v := fmt.Sprint(c.metadata[k])
		kv = append(kv, attribute.String(MetadataKeyPrefix+k, v))
		if k == "category" {
			kv = append(kv, UserCategoryKey.String(v))
		}
	}
	return append(kv, c.attrs...)
}

// Observe runs fn inside a span named name, a child of ctx, and records what
// happened: latency, the error (status Error, error.type, the error as an
// event), a panic (recorded, the span ended, then re-panicked), the input
// given with Input and the returned value as output (both on by default,
// JSON-encoded, bounded, passed through the processor's Redactor).
//
// When the returned value JSON-encodes to a known LLM response (OpenAI Chat
// Completions or Responses, Anthropic Messages, Gemini GenerateContent), the
// model, token usage and cost are recorded on the span, unless a span inside
// fn already reported the call's usage: each call is counted once, at the
// span that made it.
//
// Observe is the outermost genaix operation of a conversation turn if it runs
// in a conversation outside any turn; see WithConversation.
func Observe[T any](ctx context.Context, name string, fn func(context.Context) (T, error), opts ...ObserveOption) (T, error) {
	c := newObserveConfig(opts)
	if c.kind == "" {
		c.kind = KindLLM
	}
	op := startOperation(ctx, c.tp, name, nil, trace.WithAttributes(c.startAttributes(c.kind)...))
	capt := c.capture(op.capture())
	if c.hasInput && capt.input {
		op.event(capt, "input", PromptEventName, PromptKey, c.input)
	}
	start := time.Now()
	var done bool
	var cl call
	defer func() {
		if !done {
			op.span.SetAttributes(latency(start))
			panicked(op, cl, recover())
		}
	}()
	res, err := fn(op.ctx)
	done = true
	op.span.SetAttributes(latency(start))
	if err != nil {
		op.fail(err)
	}
	// Encode once: the same JSON is the captured output and what sniff reads.
	var out any = res
	var encoded []byte
	if _, isString := out.(string); !isString && (capt.output || !op.st.childLLM.Load()) {
		if b, jerr := marshal(res); jerr == nil && !(err != nil && isEmptyJSON(b)) {
			encoded, out = b, json.RawMessage(b)
		}
	}
	if capt.output && (encoded != nil || err == nil) {
		op.event(capt, "output", CompletionEventName, CompletionKey, out)
	}
	if !op.st.childLLM.Load() && len(encoded) > 0 && encoded[0] == '{' {
		if r, ok := wire.Sniff(encoded); ok && r.HasUsage {
			op.recordSniffed(&cl, r)
		}
	}
	op.end(cl)
	return res, err
}

func latency(start time.Time) attribute.KeyValue {
	return LatencyMsKey.Float64(float64(time.Since(start).Microseconds()) / 1000)
}

// isEmptyJSON reports whether b encodes a zero value not worth recording
// next to an error.
func isEmptyJSON(b []byte) bool {
	switch string(b) {
	case "null", `""`, "{}", "0", "false", "[]":
		return true
	}
	return false
}

// recordSniffed records what a recognised LLM response says about the call
// that produced it: provider and operation (from its shape), model, id,
// finish reasons, usage and cost.
func (o operation) recordSniffed(c *call, r *wire.Result) {
	provider, operation := r.API.DefaultProvider(), r.API.Operation()
	kv := []attribute.KeyValue{OperationNameKey.String(operation), ProviderNameKey.String(provider)}
	if r.ResponseModel != "" {
		kv = append(kv, ResponseModelKey.String(r.ResponseModel))
	}
	if r.ResponseID != "" {
		kv = append(kv, ResponseIDKey.String(r.ResponseID))
	}
	if len(r.FinishReasons) > 0 {
		kv = append(kv, FinishReasonsKey.StringSlice(r.FinishReasons))
	}
	o.span.SetAttributes(o.appendUsage(kv, c, provider, r.ResponseModel, "", r.Usage, r.ProviderCostUSD)...)
}
