package genaix_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/genaix/genaix-go"
)

func noop(context.Context) (string, error) { return "ok", nil }

func TestSequentialObserveCallsAreTurns123(t *testing.T) {
	p := newPipeline(t)
	for i := 1; i <= 3; i++ {
		// Each request builds a fresh context, as a server handler would.
		ctx := genaix.WithConversation(context.Background(), "conv")
		if _, err := genaix.Observe(ctx, fmt.Sprint("turn-", i), noop, genaix.WithTracerProvider(p.tp)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 3; i++ {
		wantInt(t, p.span(t, fmt.Sprint("turn-", i)), genaix.TurnNumberKey, int64(i))
	}
}

func TestWorkflowsOpenTurnsAndNestedSpansShareThem(t *testing.T) {
	p := newPipeline(t)
	tp := genaix.WithTracerProvider(p.tp)
	for w := 1; w <= 2; w++ {
		ctx := genaix.WithConversation(context.Background(), "conv")
		ctx, wf := genaix.StartWorkflow(ctx, fmt.Sprint("wf-", w), "rag", tp)
		if got := genaix.ScopeFrom(ctx).Turn; got != w {
			t.Errorf("workflow %d: scope turn = %d", w, got)
		}
		for o := 1; o <= 2; o++ {
			if _, err := genaix.Observe(ctx, fmt.Sprintf("wf-%d-step-%d", w, o), noop, tp); err != nil {
				t.Fatal(err)
			}
		}
		_, plain := p.tp.Tracer("x").Start(ctx, fmt.Sprintf("wf-%d-plain", w))
		plain.End()
		wf.End()
	}
	for w := 1; w <= 2; w++ {
		wantInt(t, p.spanWith(t, "invoke_workflow rag", genaix.WorkflowIDKey, fmt.Sprint("wf-", w)), genaix.TurnNumberKey, int64(w))
		for _, n := range []string{fmt.Sprintf("wf-%d-step-1", w), fmt.Sprintf("wf-%d-step-2", w), fmt.Sprintf("wf-%d-plain", w)} {
			wantInt(t, p.span(t, n), genaix.TurnNumberKey, int64(w))
			wantString(t, p.span(t, n), genaix.WorkflowIDKey, fmt.Sprint("wf-", w))
		}
	}
}

func TestConcurrentTurnsGetDistinctNumbers(t *testing.T) {
	p := newPipeline(t)
	const n = 200
	var wg sync.WaitGroup
	turns := make(chan int, n)
	for range n {
		wg.Go(func() {
			ctx := genaix.WithConversation(context.Background(), "shared")
			_, _ = genaix.Observe(ctx, "turn", func(ctx context.Context) (string, error) {
				turns <- genaix.ScopeFrom(ctx).Turn
				return "", nil
			}, genaix.WithTracerProvider(p.tp))
		})
	}
	wg.Wait()
	close(turns)
	var got []int
	for n := range turns {
		got = append(got, n)
	}
	slices.Sort(got)
	for i, n := range got {
		if n != i+1 {
			t.Fatalf("turn numbers %v are not 1..%d, each once", got, len(got))
		}
	}
}

func TestExplicitTurnWins(t *testing.T) {
	p := newPipeline(t)
	ctx := genaix.WithConversation(context.Background(), "conv", genaix.Turn(42))
	_, _ = genaix.Observe(ctx, "explicit", func(ctx context.Context) (string, error) {
		_, _ = genaix.Observe(ctx, "nested", noop, genaix.WithTracerProvider(p.tp))
		return "", nil
	}, genaix.WithTracerProvider(p.tp))
	wantInt(t, p.span(t, "explicit"), genaix.TurnNumberKey, 42)
	wantInt(t, p.span(t, "nested"), genaix.TurnNumberKey, 42)
	// An explicit turn takes no number from the counter.
	ctx = genaix.WithConversation(context.Background(), "conv")
	_, _ = genaix.Observe(ctx, "counted", noop, genaix.WithTracerProvider(p.tp))
	wantInt(t, p.span(t, "counted"), genaix.TurnNumberKey, 1)
}

func TestTurnCounterIsBounded(t *testing.T) {
	counter := genaix.NewTurnCounter(1000)
	ctx := context.Background()
	for i := range 1_000_000 {
		if _, err := counter.NextTurn(ctx, fmt.Sprint("conv-", i)); err != nil {
			t.Fatal(err)
		}
	}
	if n := counter.(interface{ Len() int }).Len(); n > 1000 {
		t.Fatalf("counter holds %d conversations, bound is 1000", n)
	}
	// The most recent conversation is remembered; the oldest was forgotten.
	if n, _ := counter.NextTurn(ctx, "conv-999999"); n != 2 {
		t.Errorf("recent conversation's next turn = %d, want 2", n)
	}
	if n, _ := counter.NextTurn(ctx, "conv-0"); n != 1 {
		t.Errorf("evicted conversation's next turn = %d, want 1", n)
	}
}

type failingCounter struct{}

func (failingCounter) NextTurn(context.Context, string) (int, error) {
	return 0, fmt.Errorf("store down")
}

func TestTurnCounterErrorLeavesTurnUnset(t *testing.T) {
	p := newPipeline(t, genaix.WithTurnCounter(failingCounter{}))
	ctx := genaix.WithConversation(context.Background(), "conv")
	if _, err := genaix.Observe(ctx, "op", noop, genaix.WithTracerProvider(p.tp)); err != nil {
		t.Fatalf("a failing turn store must not fail the operation: %v", err)
	}
	s := p.span(t, "op")
	wantAbsent(t, s, genaix.TurnNumberKey)
	wantString(t, s, genaix.ConversationIDKey, "conv")
}
