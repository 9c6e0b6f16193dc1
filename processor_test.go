package genaix_test

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/genaix/genaix-go"
)

func TestPlainTracerSpanGetsScope(t *testing.T) {
	p := newPipeline(t)
	ctx := genaix.WithConversation(context.Background(), "conv-1", genaix.UserID("u-1"))
	ctx = genaix.WithWorkflow(ctx, "wf-1", "support")
	ctx = genaix.WithAgent(ctx, "triage", genaix.AgentID("agent-7"), genaix.AgentDescription("routes tickets"), genaix.AgentVersion("2"))
	ctx = genaix.WithAttributes(ctx, attribute.String("tenant", "acme"))

	// A span from another library's tracer, knowing nothing of genaix.
	_, span := p.tp.Tracer("otherlib").Start(ctx, "db.query")
	span.End()

	s := p.span(t, "db.query")
	wantString(t, s, genaix.ConversationIDKey, "conv-1")
	wantString(t, s, genaix.UserIDKey, "u-1")
	wantString(t, s, genaix.WorkflowIDKey, "wf-1")
	wantString(t, s, genaix.WorkflowTypeKey, "support")
	wantString(t, s, genaix.AgentNameKey, "triage")
	wantString(t, s, genaix.AgentIDKey, "agent-7")
	wantString(t, s, genaix.AgentDescriptionKey, "routes tickets")
	wantString(t, s, genaix.AgentVersionKey, "2")
	wantString(t, s, "tenant", "acme")
	// Outside any turn, a plain span carries no turn number.
	wantAbsent(t, s, genaix.TurnNumberKey)
}

func TestCreatorValueWins(t *testing.T) {
	p := newPipeline(t)
	ctx := genaix.WithConversation(context.Background(), "from-context")
	ctx = genaix.WithAttributes(ctx, attribute.String("tenant", "context"))
	_, span := p.tp.Tracer("sdk").Start(ctx, "sdk.call", trace.WithAttributes(
		genaix.ConversationIDKey.String("from-creator"),
		attribute.String("tenant", "creator"),
	))
	span.End()
	s := p.span(t, "sdk.call")
	wantString(t, s, genaix.ConversationIDKey, "from-creator")
	wantString(t, s, "tenant", "creator")
	if n := len(s.Attributes); n != 2 {
		t.Errorf("span has %d attributes, want 2 (no duplicates): %v", n, s.Attributes)
	}
}

func TestSpanWithoutScopeIsUntouched(t *testing.T) {
	p := newPipeline(t)
	_, span := p.tp.Tracer("x").Start(context.Background(), "plain", trace.WithAttributes(attribute.String("a", "b")))
	span.End()
	s := p.span(t, "plain")
	if len(s.Attributes) != 1 {
		t.Fatalf("attributes = %v, want only a=b", s.Attributes)
	}
}

func TestSpanStartedBeforeScopeIsNotBackfilled(t *testing.T) {
	p := newPipeline(t)
	ctx, parent := p.tp.Tracer("x").Start(context.Background(), "parent")
	ctx = genaix.WithConversation(ctx, "c")
	_, child := p.tp.Tracer("x").Start(ctx, "child")
	child.End()
	parent.End()
	wantAbsent(t, p.span(t, "parent"), genaix.ConversationIDKey)
	wantString(t, p.span(t, "child"), genaix.ConversationIDKey, "c")
}
