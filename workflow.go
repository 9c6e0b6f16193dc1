package genaix

import (
	"context"
	"sync"

	"go.opentelemetry.io/otel/trace"
)

// Workflow is a workflow in progress: a span that every call made inside it
// is counted in. End it with End.
type Workflow struct {
	op     operation
	totals *totals
	once   sync.Once
}

// StartWorkflow starts a workflow span ("invoke_workflow <workflowType>", a
// child of ctx, kind chain) and returns a context in which every span carries
// the workflow's id and type, as with WithWorkflow. Every LLM and tool call
// made inside it, by genaix or by other instrumentation, is counted in its
// totals (and in those of any workflow it is nested in); End writes them on
// the span as workflow.total_cost_usd, workflow.llm_calls,
// workflow.tool_calls, workflow.input_tokens and workflow.output_tokens.
//
// Calls that end after the workflow (work left running in goroutines) are not
// in its totals: end the workflow when its work is done.
func StartWorkflow(ctx context.Context, id, workflowType string, opts ...ObserveOption) (context.Context, *Workflow) {
	c := newObserveConfig(opts)
	if c.kind == "" {
		c.kind = KindChain
	}
	w := &Workflow{}
	kv := append(c.startAttributes(c.kind), OperationNameKey.String("invoke_workflow"))
	if workflowType != "" {
		kv = append(kv, WorkflowNameKey.String(workflowType))
	}
	w.op = startOperation(ctx, c.tp, spanName("invoke_workflow", workflowType), func(s *scope) {
		s.workflowID, s.workflowType = id, workflowType
		w.totals = &totals{parent: s.workflow}
		s.workflow = w.totals
	}, trace.WithSpanKind(trace.SpanKindInternal), trace.WithAttributes(kv...))
	if c.hasInput {
		capt := c.capture(w.op.capture())
		if capt.input {
			w.op.event(capt, "input", PromptEventName, PromptKey, c.input)
		}
	}
	return w.op.ctx, w
}

func spanName(operation, subject string) string {
	if subject == "" {
		return operation
	}
	return operation + " " + subject
}

// Totals returns what the calls that have ended inside the workflow so far
// add up to.
func (w *Workflow) Totals() Totals {
	if w == nil {
		return Totals{}
	}
	return w.totals.snapshot()
}

// Span returns the workflow's span.
func (w *Workflow) Span() trace.Span {
	if w == nil {
		return trace.SpanFromContext(context.Background())
	}
	return w.op.span
}

// RecordError marks the workflow failed with err. It does not end it.
func (w *Workflow) RecordError(err error) {
	if w != nil && err != nil {
		w.op.fail(err)
	}
}

// End writes the workflow's totals on its span and ends it. Calling End more
// than once has no further effect.
func (w *Workflow) End() {
	if w == nil {
		return
	}
	w.once.Do(func() {
		w.op.end(call{}, w.totals.snapshot().attributes(workflowKeys)...)
	})
}
