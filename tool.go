package genaix

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// Tool describes one tool execution, for SetToolAttributes and the tool
// options of ObserveTool.
type Tool struct {
	Name        string
	Type        string // function (default), extension or datastore
	CallID      string // the id the model gave the call, linking it to the LLM span that asked for it
	Description string
	Arguments   any // recorded JSON-encoded
	Result      any // recorded JSON-encoded
	Duration    time.Duration
}

// ToolCallID sets the tool call id (gen_ai.tool.call.id) on ObserveTool.
func ToolCallID(id string) ObserveOption { return func(c *observeConfig) { c.tool.CallID = id } }

// ToolType sets the tool type (gen_ai.tool.type) on ObserveTool; "function" by default.
func ToolType(t string) ObserveOption { return func(c *observeConfig) { c.tool.Type = t } }

// ToolDescription sets the tool description (gen_ai.tool.description) on ObserveTool.
func ToolDescription(d string) ObserveOption {
	return func(c *observeConfig) { c.tool.Description = d }
}

func (t Tool) identity() []attribute.KeyValue {
	typ := t.Type
	if typ == "" {
		typ = "function"
	}
	kv := []attribute.KeyValue{
		OperationNameKey.String("execute_tool"),
		ToolNameKey.String(t.Name),
		ToolTypeKey.String(typ),
		FunctionCallNameKey.String(t.Name),
		SpanKindKey.String(string(KindTool)),
	}
	if t.CallID != "" {
		kv = append(kv, ToolCallIDKey.String(t.CallID))
	}
	if t.Description != "" {
		kv = append(kv, ToolDescriptionKey.String(t.Description))
	}
	return kv
}

func durationAttribute(d time.Duration) attribute.KeyValue {
	return FunctionCallDurationKey.Float64(float64(d.Microseconds()) / 1000)
}

// ObserveTool runs fn as the execution of tool name with arguments args, in a
// span "execute_tool <name>" (gen_ai.operation.name execute_tool, kind tool)
// that is a child of ctx. The arguments and the result are captured like
// Observe's input and output, under the semconv names
// (gen_ai.tool.call.arguments, gen_ai.tool.call.result) and the last9-genai
// ones (gen_ai.function.call.*), with the duration. Errors and panics are
// recorded as in Observe. The call counts as a tool call in the workflow and
// turn totals.
func ObserveTool[T any](ctx context.Context, name string, args any, fn func(context.Context) (T, error), opts ...ObserveOption) (T, error) {
	c := newObserveConfig(opts)
	t := c.tool
	t.Name = name
	start := append(t.identity(), c.startAttributes(KindTool)[1:]...) // kind is in identity
	op := startOperation(ctx, c.tp, "execute_tool "+name, nil,
		trace.WithSpanKind(trace.SpanKindInternal), trace.WithAttributes(start...))
	capt := c.capture(op.capture())
	if capt.input {
		op.record(capt, "tool.arguments", args, ToolCallArgumentsKey, FunctionCallArgsKey)
	}
	began := time.Now()
	cl := call{tool: true}
	var done bool
	defer func() {
		if !done {
			op.span.SetAttributes(durationAttribute(time.Since(began)))
			panicked(op, cl, recover())
		}
	}()
	res, err := fn(op.ctx)
	done = true
	op.span.SetAttributes(durationAttribute(time.Since(began)))
	if err != nil {
		op.fail(err)
	}
	if capt.output && err == nil {
		op.record(capt, "tool.result", res, ToolCallResultKey, FunctionCallResultKey)
	}
	op.end(cl)
	return res, err
}

// SetToolAttributes records t on a span the application made itself, under
// the same names ObserveTool uses. Arguments and Result are JSON-encoded and
// bounded by DefaultMaxContentBytes; pass nil to leave them out.
func SetToolAttributes(span trace.Span, t Tool) {
	if span == nil || !span.IsRecording() {
		return
	}
	kv := t.identity()
	if t.Duration > 0 {
		kv = append(kv, durationAttribute(t.Duration))
	}
	for _, part := range [...]struct {
		kind        string
		v           any
		semconv, l9 attribute.Key
	}{
		{"tool.arguments", t.Arguments, ToolCallArgumentsKey, FunctionCallArgsKey},
		{"tool.result", t.Result, ToolCallResultKey, FunctionCallResultKey},
	} {
		kv = defaultCapture.appendContent(kv, part.kind, part.v, part.semconv, part.l9)
	}
	span.SetAttributes(kv...)
}
