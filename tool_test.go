package genaix_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/genaix/genaix-go"
)

func TestObserveTool(t *testing.T) {
	p := newPipeline(t)
	ctx := genaix.WithConversation(context.Background(), "c")
	res, err := genaix.ObserveTool(ctx, "lookup_order", map[string]string{"order_id": "A17"},
		func(context.Context) (map[string]string, error) { return map[string]string{"status": "shipped"}, nil },
		genaix.WithTracerProvider(p.tp), genaix.ToolCallID("call_1"), genaix.ToolDescription("finds orders"))
	if err != nil || res["status"] != "shipped" {
		t.Fatalf("ObserveTool = %v, %v", res, err)
	}
	s := p.span(t, "execute_tool lookup_order")
	if s.SpanKind != trace.SpanKindInternal {
		t.Errorf("span kind = %v", s.SpanKind)
	}
	wantString(t, s, genaix.OperationNameKey, "execute_tool")
	wantString(t, s, genaix.ToolNameKey, "lookup_order")
	wantString(t, s, genaix.ToolTypeKey, "function")
	wantString(t, s, genaix.ToolCallIDKey, "call_1")
	wantString(t, s, genaix.ToolDescriptionKey, "finds orders")
	wantString(t, s, genaix.SpanKindKey, "tool")
	wantString(t, s, genaix.ToolCallArgumentsKey, `{"order_id":"A17"}`)
	wantString(t, s, genaix.FunctionCallArgsKey, `{"order_id":"A17"}`)
	wantString(t, s, genaix.ToolCallResultKey, `{"status":"shipped"}`)
	wantString(t, s, genaix.FunctionCallResultKey, `{"status":"shipped"}`)
	wantString(t, s, genaix.FunctionCallNameKey, "lookup_order")
	wantInt(t, s, genaix.TurnNumberKey, 1)
	if _, ok := attr(s, genaix.FunctionCallDurationKey); !ok {
		t.Error("duration missing")
	}
}

func TestObserveToolError(t *testing.T) {
	p := newPipeline(t)
	_, err := genaix.ObserveTool(context.Background(), "search", "q", func(context.Context) (string, error) {
		return "", errors.New("index offline")
	}, genaix.WithTracerProvider(p.tp))
	if err == nil {
		t.Fatal("error swallowed")
	}
	s := p.span(t, "execute_tool search")
	if s.Status.Code != codes.Error {
		t.Errorf("status = %v", s.Status)
	}
	wantString(t, s, genaix.ErrorTypeKey, "*errors.errorString")
	wantAbsent(t, s, genaix.ToolCallResultKey)
}

func TestSetToolAttributes(t *testing.T) {
	p := newPipeline(t)
	_, span := p.tp.Tracer("app").Start(context.Background(), "my tool")
	genaix.SetToolAttributes(span, genaix.Tool{
		Name: "weather", Type: "extension", CallID: "c9",
		Arguments: map[string]string{"city": "Oslo"}, Result: 21.5, Duration: 1500 * time.Microsecond,
	})
	span.End()
	s := p.span(t, "my tool")
	wantString(t, s, genaix.ToolNameKey, "weather")
	wantString(t, s, genaix.ToolTypeKey, "extension")
	wantString(t, s, genaix.ToolCallIDKey, "c9")
	wantString(t, s, genaix.ToolCallArgumentsKey, `{"city":"Oslo"}`)
	wantString(t, s, genaix.FunctionCallResultKey, "21.5")
	wantString(t, s, genaix.OperationNameKey, "execute_tool")
	if v, _ := attr(s, genaix.FunctionCallDurationKey); v.AsFloat64() != 1.5 {
		t.Errorf("duration_ms = %v, want 1.5", v.AsFloat64())
	}
	genaix.SetToolAttributes(nil, genaix.Tool{Name: "x"}) // must not panic
}
