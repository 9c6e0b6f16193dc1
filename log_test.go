package genaix_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/genaix/genaix-go"
)

func TestLogHandlerAddsScopeAndTrace(t *testing.T) {
	p := newPipeline(t)
	var buf bytes.Buffer
	log := slog.New(genaix.NewLogHandler(slog.NewJSONHandler(&buf, nil)))

	ctx := genaix.WithConversation(context.Background(), "conv-9", genaix.UserID("u-2"))
	ctx = genaix.WithAgent(ctx, "writer", genaix.AgentID("a-3"))
	var spanID, traceID string
	_, _ = genaix.Observe(ctx, "step", func(ctx context.Context) (int, error) {
		ctx, wf := genaix.StartWorkflow(ctx, "wf-5", "rag", genaix.WithTracerProvider(p.tp))
		defer wf.End()
		sc := wf.Span().SpanContext()
		spanID, traceID = sc.SpanID().String(), sc.TraceID().String()
		log.InfoContext(ctx, "retrieved", "docs", 3)
		return 0, nil
	}, genaix.WithTracerProvider(p.tp))
	log.Info("no context")

	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	if len(lines) != 2 {
		t.Fatalf("got %d log lines", len(lines))
	}
	var rec map[string]any
	if err := json.Unmarshal(lines[0], &rec); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"gen_ai.conversation.id": "conv-9", "gen_ai.conversation.turn_number": float64(1), "user.id": "u-2",
		"workflow.id": "wf-5", "workflow.type": "rag", "gen_ai.agent.name": "writer", "gen_ai.agent.id": "a-3",
		"trace_id": traceID, "span_id": spanID, "docs": float64(3), "msg": "retrieved",
	}
	for k, v := range want {
		if rec[k] != v {
			t.Errorf("%s = %v, want %v", k, rec[k], v)
		}
	}
	var plain map[string]any
	_ = json.Unmarshal(lines[1], &plain)
	if _, ok := plain["gen_ai.conversation.id"]; ok {
		t.Error("a record without context got scope attributes")
	}
	// WithAttrs and WithGroup keep the wrapping.
	buf.Reset()
	log.With("svc", "api").WithGroup("g").InfoContext(ctx, "x")
	if !bytes.Contains(buf.Bytes(), []byte(`"svc":"api"`)) || !bytes.Contains(buf.Bytes(), []byte(`"g":{"gen_ai.conversation.id":"conv-9"`)) {
		t.Errorf("With/WithGroup lost the handler: %s", buf.Bytes())
	}
}
