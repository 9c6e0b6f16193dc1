package genaix_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/attribute"

	"github.com/genaix/genaix-go"
)

func TestScopeNestingAndRestore(t *testing.T) {
	outer := genaix.WithConversation(context.Background(), "conv-1", genaix.UserID("u-1"))
	outer = genaix.WithWorkflow(outer, "wf-1", "rag")
	outer = genaix.WithAgent(outer, "planner", genaix.AgentID("a-1"), genaix.AgentVersion("v1"))
	outer = genaix.WithAttributes(outer, attribute.String("tenant", "acme"), attribute.Int("tier", 1))

	inner := genaix.WithConversation(outer, "conv-2")
	inner = genaix.WithAgent(inner, "writer")
	inner = genaix.WithAttributes(inner, attribute.Int("tier", 2), attribute.Bool("beta", true))

	got := genaix.ScopeFrom(inner)
	if got.ConversationID != "conv-2" || got.UserID != "u-1" || got.WorkflowID != "wf-1" || got.WorkflowType != "rag" {
		t.Fatalf("inner scope = %+v", got)
	}
	if got.Agent != (genaix.Agent{Name: "writer"}) {
		t.Errorf("inner agent = %+v, want only the writer (a hand-off replaces the whole identity)", got.Agent)
	}
	want := []attribute.KeyValue{attribute.String("tenant", "acme"), attribute.Int("tier", 2), attribute.Bool("beta", true)}
	if fmt.Sprint(got.Attributes) != fmt.Sprint(want) {
		t.Errorf("inner attributes = %v, want %v", got.Attributes, want)
	}

	// The outer context still has the outer values.
	o := genaix.ScopeFrom(outer)
	if o.ConversationID != "conv-1" || o.Agent.Name != "planner" || o.Agent.ID != "a-1" {
		t.Errorf("outer scope changed: %+v", o)
	}
	if fmt.Sprint(o.Attributes) != fmt.Sprint([]attribute.KeyValue{attribute.String("tenant", "acme"), attribute.Int("tier", 1)}) {
		t.Errorf("outer attributes changed: %v", o.Attributes)
	}
	if s := genaix.ScopeFrom(context.Background()); s.ConversationID != "" || s.Attributes != nil {
		t.Errorf("empty context has scope %+v", s)
	}
}

func TestScopeAttributesAreACopy(t *testing.T) {
	ctx := genaix.WithAttributes(context.Background(), attribute.String("k", "v"))
	s := genaix.ScopeFrom(ctx)
	s.Attributes[0] = attribute.String("k", "changed")
	if got := genaix.ScopeFrom(ctx).Attributes[0].Value.AsString(); got != "v" {
		t.Fatalf("caller changed the context's attributes: %q", got)
	}
}

func TestWithAttributesLastValueInOneCallWins(t *testing.T) {
	ctx := genaix.WithAttributes(context.Background(), attribute.String("k", "a"), attribute.String("k", "b"), attribute.KeyValue{})
	got := genaix.ScopeFrom(ctx).Attributes
	if len(got) != 1 || got[0].Value.AsString() != "b" {
		t.Fatalf("attributes = %v, want only k=b", got)
	}
}

func TestTurnOptionAndNewConversationResetTurn(t *testing.T) {
	ctx := genaix.WithConversation(context.Background(), "c", genaix.Turn(7))
	if got := genaix.ScopeFrom(ctx).Turn; got != 7 {
		t.Fatalf("Turn(7) gave %d", got)
	}
	same := genaix.WithConversation(ctx, "c")
	if got := genaix.ScopeFrom(same).Turn; got != 7 {
		t.Errorf("re-entering the same conversation lost its turn: %d", got)
	}
	other := genaix.WithConversation(ctx, "d")
	if got := genaix.ScopeFrom(other).Turn; got != 0 {
		t.Errorf("a new conversation inherited turn %d", got)
	}
}

func TestScopesAreIsolatedAcrossGoroutines(t *testing.T) {
	p := newPipeline(t)
	tr := p.tp.Tracer("test")
	const n = 1000
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			ctx := genaix.WithConversation(context.Background(), fmt.Sprint("conv-", i), genaix.UserID(fmt.Sprint("user-", i)))
			ctx = genaix.WithAttributes(ctx, attribute.Int("i", i))
			_, span := tr.Start(ctx, fmt.Sprint("span-", i))
			span.End()
			if s := genaix.ScopeFrom(ctx); s.ConversationID != fmt.Sprint("conv-", i) || s.Attributes[0].Value.AsInt64() != int64(i) {
				errs <- fmt.Errorf("goroutine %d sees %+v", i, s)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	spans := p.exp.GetSpans()
	if len(spans) != n {
		t.Fatalf("exported %d spans, want %d", len(spans), n)
	}
	for _, s := range spans {
		var i int
		fmt.Sscanf(s.Name, "span-%d", &i)
		wantString(t, s, genaix.ConversationIDKey, fmt.Sprint("conv-", i))
		wantString(t, s, genaix.UserIDKey, fmt.Sprint("user-", i))
		wantInt(t, s, "i", int64(i))
	}
}
