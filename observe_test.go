package genaix_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/genaix/genaix-go"
)

func eventAttr(t testing.TB, s tracetest.SpanStub, event string, key attribute.Key) (string, bool) {
	t.Helper()
	for _, e := range s.Events {
		if e.Name != event {
			continue
		}
		for _, kv := range e.Attributes {
			if kv.Key == key {
				return kv.Value.AsString(), true
			}
		}
	}
	return "", false
}

type answer struct {
	Text  string `json:"text"`
	Score int    `json:"score"`
}

func TestObserveRecordsSpan(t *testing.T) {
	p := newPipeline(t)
	parentCtx, parent := p.tp.Tracer("app").Start(context.Background(), "request")
	got, err := genaix.Observe(parentCtx, "answer", func(ctx context.Context) (answer, error) {
		if !trace.SpanContextFromContext(ctx).IsValid() {
			t.Error("fn's context carries no span")
		}
		return answer{Text: "hi", Score: 3}, nil
	},
		genaix.WithTracerProvider(p.tp),
		genaix.Input(map[string]string{"q": "hello"}),
		genaix.Tags("beta", "rag"),
		genaix.Metadata(map[string]any{"category": "billing", "priority": 2}),
		genaix.WithKind(genaix.KindChain),
	)
	parent.End()
	if err != nil || got.Text != "hi" {
		t.Fatalf("Observe returned %+v, %v", got, err)
	}
	s := p.span(t, "answer")
	if s.Parent.SpanID() != parent.SpanContext().SpanID() {
		t.Error("Observe's span is not a child of the caller's span")
	}
	wantString(t, s, genaix.SpanKindKey, "chain")
	wantString(t, s, "metadata.category", "billing")
	wantString(t, s, "metadata.priority", "2")
	wantString(t, s, genaix.UserCategoryKey, "billing")
	if v, _ := attr(s, genaix.TagsKey); strings.Join(v.AsStringSlice(), ",") != "beta,rag" {
		t.Errorf("tags = %v", v.AsStringSlice())
	}
	if _, ok := attr(s, genaix.LatencyMsKey); !ok {
		t.Error("latency_ms missing")
	}
	if in, _ := eventAttr(t, s, genaix.PromptEventName, genaix.PromptKey); in != `{"q":"hello"}` {
		t.Errorf("input = %q", in)
	}
	if out, _ := eventAttr(t, s, genaix.CompletionEventName, genaix.CompletionKey); out != `{"text":"hi","score":3}` {
		t.Errorf("output = %q", out)
	}
	if s.Status.Code != codes.Unset {
		t.Errorf("status = %v, want Unset on success", s.Status)
	}
}

func TestObserveDefaultsToLLMKind(t *testing.T) {
	p := newPipeline(t)
	_, _ = genaix.Observe(context.Background(), "op", noop, genaix.WithTracerProvider(p.tp))
	wantString(t, p.span(t, "op"), genaix.SpanKindKey, "llm")
}

type myErr struct{}

func (myErr) Error() string { return "boom" }

func TestObserveRecordsError(t *testing.T) {
	p := newPipeline(t)
	_, err := genaix.Observe(context.Background(), "fails", func(context.Context) (int, error) {
		return 0, myErr{}
	}, genaix.WithTracerProvider(p.tp))
	if !errors.Is(err, myErr{}) {
		t.Fatalf("error not returned unchanged: %v", err)
	}
	s := p.span(t, "fails")
	if s.Status.Code != codes.Error || s.Status.Description != "boom" {
		t.Errorf("status = %+v", s.Status)
	}
	wantString(t, s, genaix.ErrorTypeKey, "genaix_test.myErr")
	if len(s.Events) == 0 || s.Events[0].Name != "exception" {
		t.Errorf("error not recorded as an exception event: %+v", s.Events)
	}
	if _, ok := eventAttr(t, s, genaix.CompletionEventName, genaix.CompletionKey); ok {
		t.Error("a zero result next to an error was captured as output")
	}
}

func TestObservePanicIsRecordedAndRepanicked(t *testing.T) {
	p := newPipeline(t)
	defer func() {
		r := recover()
		if r != "kaboom" {
			t.Fatalf("recovered %v, want the original panic value", r)
		}
		s := p.span(t, "panics")
		if s.Status.Code != codes.Error {
			t.Errorf("status = %+v", s.Status)
		}
		wantString(t, s, genaix.ErrorTypeKey, "panic")
		if s.EndTime.IsZero() {
			t.Error("span not ended")
		}
	}()
	_, _ = genaix.Observe(context.Background(), "panics", func(context.Context) (int, error) {
		panic("kaboom")
	}, genaix.WithTracerProvider(p.tp))
	t.Fatal("Observe swallowed the panic")
}

func TestObserveCaptureSwitches(t *testing.T) {
	t.Run("per call", func(t *testing.T) {
		p := newPipeline(t)
		_, _ = genaix.Observe(context.Background(), "op", noop, genaix.WithTracerProvider(p.tp),
			genaix.Input("secret question"), genaix.CaptureInput(false), genaix.CaptureOutput(false))
		if len(p.span(t, "op").Events) != 0 {
			t.Errorf("content captured although switched off: %+v", p.span(t, "op").Events)
		}
	})
	t.Run("processor-wide, overridden per call", func(t *testing.T) {
		p := newPipeline(t, genaix.WithContentCapture(false, false))
		_, _ = genaix.Observe(context.Background(), "off", noop, genaix.WithTracerProvider(p.tp), genaix.Input("q"))
		_, _ = genaix.Observe(context.Background(), "on", noop, genaix.WithTracerProvider(p.tp), genaix.Input("q"), genaix.CaptureOutput(true))
		if len(p.span(t, "off").Events) != 0 {
			t.Error("processor-wide switch ignored")
		}
		if out, _ := eventAttr(t, p.span(t, "on"), genaix.CompletionEventName, genaix.CompletionKey); out != "ok" {
			t.Errorf("per-call override ignored: output %q", out)
		}
		if _, ok := eventAttr(t, p.span(t, "on"), genaix.PromptEventName, genaix.PromptKey); ok {
			t.Error("input captured although only output was switched on")
		}
	})
}

func TestObserveTruncatesAtUTF8Boundary(t *testing.T) {
	p := newPipeline(t, genaix.WithMaxContentBytes(64))
	long := strings.Repeat("é", 100) // 200 bytes of two-byte runes
	_, _ = genaix.Observe(context.Background(), "op", func(context.Context) (string, error) { return long, nil },
		genaix.WithTracerProvider(p.tp))
	s := p.span(t, "op")
	out, _ := eventAttr(t, s, genaix.CompletionEventName, genaix.CompletionKey)
	if len(out) > 64 || !strings.HasSuffix(out, "…[truncated]") || !strings.HasPrefix(out, "éé") {
		t.Errorf("truncated output = %q (%d bytes)", out, len(out))
	}
	if strings.ContainsRune(strings.TrimSuffix(out, "…[truncated]"), '\uFFFD') {
		t.Error("truncation split a rune")
	}
	if v, ok := attr(s, genaix.ContentTruncatedKey); !ok || !v.AsBool() {
		t.Error("span not marked truncated")
	}
}

func TestRedactorSeesEveryCapture(t *testing.T) {
	var kinds []string
	p := newPipeline(t, genaix.WithRedactor(func(kind, v string) string {
		kinds = append(kinds, kind)
		return strings.ReplaceAll(v, "sk-123", "[REDACTED]")
	}))
	_, _ = genaix.Observe(context.Background(), "op", func(context.Context) (string, error) {
		return "key sk-123 out", nil
	}, genaix.WithTracerProvider(p.tp), genaix.Input("key sk-123 in"))
	_, _ = genaix.ObserveTool(context.Background(), "lookup", map[string]string{"k": "sk-123"}, func(context.Context) (string, error) {
		return "sk-123", nil
	}, genaix.WithTracerProvider(p.tp))
	for _, sp := range p.exp.GetSpans() {
		for _, kv := range sp.Attributes {
			if strings.Contains(kv.Value.String(), "sk-123") {
				t.Errorf("secret leaked in %s %s", sp.Name, kv.Key)
			}
		}
		for _, e := range sp.Events {
			for _, kv := range e.Attributes {
				if strings.Contains(kv.Value.String(), "sk-123") {
					t.Errorf("secret leaked in %s event %s", sp.Name, e.Name)
				}
			}
		}
	}
	if strings.Join(kinds, ",") != "input,output,tool.arguments,tool.result" {
		t.Errorf("redactor saw kinds %v", kinds)
	}
}

func TestObserveWithoutProcessorStillTraces(t *testing.T) {
	// A TracerProvider without the genaix processor: Observe must still work.
	exp := tracetest.NewInMemoryExporter()
	tp := newPlainProvider(exp)
	ctx := genaix.WithConversation(context.Background(), "c")
	if _, err := genaix.Observe(ctx, "op", noop, genaix.WithTracerProvider(tp)); err != nil {
		t.Fatal(err)
	}
	if got := len(exp.GetSpans()); got != 1 {
		t.Fatalf("exported %d spans", got)
	}
}

type explosive struct{}

func (explosive) MarshalJSON() ([]byte, error) { panic("marshal bug") }

// TestGenaixFailureNeverBecomesTheCallers: a result whose MarshalJSON panics,
// and a Redactor that panics, lose the captured content but never the call.
func TestGenaixFailureNeverBecomesTheCallers(t *testing.T) {
	p := newPipeline(t, genaix.WithRedactor(func(kind, v string) string {
		if kind == "input" {
			panic("redactor bug")
		}
		return v
	}))
	res, err := genaix.Observe(context.Background(), "op", func(context.Context) (explosive, error) {
		return explosive{}, nil
	}, genaix.WithTracerProvider(p.tp), genaix.Input("question"))
	if err != nil || res != (explosive{}) {
		t.Fatalf("Observe = %v, %v", res, err)
	}
	s := p.span(t, "op")
	if s.EndTime.IsZero() {
		t.Error("span not ended")
	}
	if len(s.Events) != 0 {
		t.Errorf("content recorded from a failing encoder or redactor: %+v", s.Events)
	}
}

func TestTwoProcessorsCountOnce(t *testing.T) {
	exp := tracetest.NewInMemoryExporter()
	first := genaix.NewSpanProcessor(genaix.WithNext(sdktrace.NewSimpleSpanProcessor(exp)))
	second := genaix.NewSpanProcessor()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(first), sdktrace.WithSpanProcessor(second))
	ctx, wf := genaix.StartWorkflow(context.Background(), "wf", "x", genaix.WithTracerProvider(tp))
	_, _ = genaix.ObserveTool(ctx, "t", nil, func(context.Context) (int, error) { return 1, nil }, genaix.WithTracerProvider(tp))
	wf.End()
	if got := wf.Totals().ToolCalls; got != 1 {
		t.Errorf("tool calls = %d with two processors, want 1", got)
	}
}

// SpanAttributes uses the caller's slice without copying it; a second
// SpanAttributes must still never write into that slice's spare capacity,
// or an option kept and reused would see another call's attributes.
func TestSpanAttributesLeaveCallersSliceAlone(t *testing.T) {
	p := newPipeline(t)
	kv := make([]attribute.KeyValue, 1, 4)
	kv[0] = attribute.String("first", "a")
	keep := genaix.SpanAttributes(kv...)
	for i, second := range []string{"b", "c"} {
		_, _ = genaix.Observe(context.Background(), fmt.Sprint("op", i), noop, genaix.WithTracerProvider(p.tp),
			keep, genaix.SpanAttributes(attribute.String("second", second)))
	}
	if spare := kv[:2][1]; spare.Key != "" {
		t.Fatalf("SpanAttributes wrote %v into the caller's slice", spare)
	}
	for i, second := range []string{"b", "c"} {
		s := p.span(t, fmt.Sprint("op", i))
		if v, _ := attr(s, "first"); v.AsString() != "a" {
			t.Errorf("op%d: first = %q, want a", i, v.AsString())
		}
		if v, _ := attr(s, "second"); v.AsString() != second {
			t.Errorf("op%d: second = %q, want %s", i, v.AsString(), second)
		}
	}
}
