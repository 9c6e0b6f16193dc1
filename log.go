package genaix

import (
	"context"
	"log/slog"

	"go.opentelemetry.io/otel/trace"
)

// NewLogHandler returns a slog.Handler that adds to every record logged with
// a context (the slog *Context methods) the genaix scope of that context —
// conversation id, turn number, user id, workflow id and type, agent name and
// id — and the trace and span ids of the span in it, then passes the record
// to h. Attribute names are the span attribute names, plus trace_id and
// span_id, so logs and spans join on the same keys. Like any attribute added
// at Handle time, they land inside the groups opened with WithGroup.
func NewLogHandler(h slog.Handler) slog.Handler {
	return logHandler{h}
}

type logHandler struct{ next slog.Handler }

func (l logHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return l.next.Enabled(ctx, level)
}

func (l logHandler) Handle(ctx context.Context, r slog.Record) error {
	if ctx == nil {
		return l.next.Handle(ctx, r)
	}
	var attrs [10]slog.Attr
	kv := attrs[:0]
	add := func(key, v string) {
		if v != "" {
			kv = append(kv, slog.String(key, v))
		}
	}
	if s := scopeFrom(ctx); s != nil {
		add(string(ConversationIDKey), s.conversationID)
		if s.turn > 0 {
			kv = append(kv, slog.Int(string(TurnNumberKey), s.turn))
		}
		add(string(UserIDKey), s.userID)
		add(string(WorkflowIDKey), s.workflowID)
		add(string(WorkflowTypeKey), s.workflowType)
		add(string(AgentNameKey), s.agent.Name)
		add(string(AgentIDKey), s.agent.ID)
	}
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		add("trace_id", sc.TraceID().String())
		add("span_id", sc.SpanID().String())
	}
	if len(kv) > 0 {
		r = r.Clone()
		r.AddAttrs(kv...)
	}
	return l.next.Handle(ctx, r)
}

func (l logHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return logHandler{l.next.WithAttrs(attrs)}
}

func (l logHandler) WithGroup(name string) slog.Handler {
	return logHandler{l.next.WithGroup(name)}
}
