package genaix_test

import (
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/genaix/genaix-go"
)

// pipeline is a TracerProvider whose spans pass through a genaix
// SpanProcessor into an in-memory exporter.
type pipeline struct {
	tp   *sdktrace.TracerProvider
	exp  *tracetest.InMemoryExporter
	proc *genaix.SpanProcessor
}

func newPipeline(t testing.TB, opts ...genaix.Option) *pipeline {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	proc := genaix.NewSpanProcessor(append([]genaix.Option{genaix.WithNext(sdktrace.NewSimpleSpanProcessor(exp))}, opts...)...)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(proc))
	t.Cleanup(func() { _ = tp.Shutdown(t.Context()) })
	return &pipeline{tp: tp, exp: exp, proc: proc}
}

// spans returns the exported spans by name; it fails the test if a name is
// not unique.
func (p *pipeline) span(t testing.TB, name string) tracetest.SpanStub {
	t.Helper()
	var found []tracetest.SpanStub
	for _, s := range p.exp.GetSpans() {
		if s.Name == name {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one span %q, got %d (all: %v)", name, len(found), names(p.exp.GetSpans()))
	}
	return found[0]
}

// spanWith returns the one exported span with that name whose key has value.
func (p *pipeline) spanWith(t testing.TB, name string, key attribute.Key, value string) tracetest.SpanStub {
	t.Helper()
	var found []tracetest.SpanStub
	for _, s := range p.exp.GetSpans() {
		if v, ok := attr(s, key); s.Name == name && ok && v.AsString() == value {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one span %q with %s=%s, got %d", name, key, value, len(found))
	}
	return found[0]
}

func names(spans tracetest.SpanStubs) []string {
	var n []string
	for _, s := range spans {
		n = append(n, s.Name)
	}
	return n
}

// attr returns the value of key on s.
func attr(s tracetest.SpanStub, key attribute.Key) (attribute.Value, bool) {
	for _, kv := range s.Attributes {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}

func wantString(t testing.TB, s tracetest.SpanStub, key attribute.Key, want string) {
	t.Helper()
	v, ok := attr(s, key)
	if !ok {
		t.Errorf("span %q: %s missing, want %q", s.Name, key, want)
		return
	}
	if v.AsString() != want {
		t.Errorf("span %q: %s = %q, want %q", s.Name, key, v.AsString(), want)
	}
}

func wantInt(t testing.TB, s tracetest.SpanStub, key attribute.Key, want int64) {
	t.Helper()
	v, ok := attr(s, key)
	if !ok {
		t.Errorf("span %q: %s missing, want %d", s.Name, key, want)
		return
	}
	if v.AsInt64() != want {
		t.Errorf("span %q: %s = %d, want %d", s.Name, key, v.AsInt64(), want)
	}
}

func wantAbsent(t testing.TB, s tracetest.SpanStub, key attribute.Key) {
	t.Helper()
	if v, ok := attr(s, key); ok {
		t.Errorf("span %q: %s = %v, want it absent", s.Name, key, v.String())
	}
}

func newPlainProvider(exp *tracetest.InMemoryExporter) *sdktrace.TracerProvider {
	return sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
}
