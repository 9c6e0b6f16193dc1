package genaix

import (
	"context"
	"slices"

	"go.opentelemetry.io/otel/attribute"
)

// scopeKey is the single context key genaix uses. It is unexported so that no
// other package, and no baggage propagator, can read or forge genaix values.
type scopeKey struct{}

// scope is the immutable set of genaix values in a context. Every With*
// function and every genaix operation derives a new scope; nothing mutates one
// after it is stored, so scopes are goroutine-safe by construction.
type scope struct {
	conversationID string
	userID         string
	turn           int  // 0: no turn number known
	turnExplicit   bool // set by Turn(n): never allocated from the counter
	workflowID     string
	workflowType   string
	agent          Agent
	attrs          []attribute.KeyValue // custom attributes, outer ones merged in, inner wins

	// Set by genaix operations, never by the With* functions.
	turnTotals *totals    // the open turn's totals; nil outside a turn
	workflow   *totals    // the innermost StartWorkflow's totals; outer ones via parent
	pending    *spanState // an operation whose span is being started right now

	stamp []attribute.KeyValue // what OnStart sets on spans started in this scope
}

func scopeFrom(ctx context.Context) *scope {
	if ctx == nil {
		return nil
	}
	s, _ := ctx.Value(scopeKey{}).(*scope)
	return s
}

// derive returns a copy of the scope in ctx (or an empty one) for a With*
// function or an operation to change.
func derive(ctx context.Context) *scope {
	if s := scopeFrom(ctx); s != nil { // scopeFrom accepts a nil ctx
		c := *s
		c.pending = nil
		return &c
	}
	return &scope{}
}

// with stores s, its stamp rebuilt, in a child of ctx (of Background if ctx
// is nil, as the operations accept).
func (s *scope) with(ctx context.Context) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	s.stamp = s.buildStamp()
	return context.WithValue(ctx, scopeKey{}, s)
}

func (s *scope) buildStamp() []attribute.KeyValue {
	n := len(s.attrs)
	for _, v := range [...]string{s.conversationID, s.userID, s.workflowID, s.workflowType,
		s.agent.ID, s.agent.Name, s.agent.Description, s.agent.Version} {
		if v != "" {
			n++
		}
	}
	if s.turn > 0 {
		n++
	}
	if n == 0 {
		return nil // most operations outside any scope: nothing to stamp, nothing to allocate
	}
	kv := make([]attribute.KeyValue, 0, n)
	add := func(k attribute.Key, v string) {
		if v != "" {
			kv = append(kv, k.String(v))
		}
	}
	add(ConversationIDKey, s.conversationID)
	if s.turn > 0 {
		kv = append(kv, TurnNumberKey.Int(s.turn))
	}
	add(UserIDKey, s.userID)
	add(WorkflowIDKey, s.workflowID)
	add(WorkflowTypeKey, s.workflowType)
	add(AgentIDKey, s.agent.ID)
	add(AgentNameKey, s.agent.Name)
	add(AgentDescriptionKey, s.agent.Description)
	add(AgentVersionKey, s.agent.Version)
	return append(kv, s.attrs...)
}

// Agent identifies the agent a piece of work runs as (gen_ai.agent.*).
type Agent struct {
	ID          string
	Name        string
	Description string
	Version     string
}

// Scope is a snapshot of the genaix values in a context, for logs and for code
// that wants to read them. The zero Scope means no genaix values.
type Scope struct {
	ConversationID string
	UserID         string
	// Turn is the conversation turn number: the one given with Turn, or the
	// one genaix allocated to the turn this context is in. 0 outside a turn.
	Turn         int
	WorkflowID   string
	WorkflowType string
	Agent        Agent
	// Attributes are the custom attributes added with WithAttributes, outer
	// ones merged in, inner values winning per key.
	Attributes []attribute.KeyValue
}

// ScopeFrom returns the genaix values in ctx.
func ScopeFrom(ctx context.Context) Scope {
	s := scopeFrom(ctx)
	if s == nil {
		return Scope{}
	}
	return Scope{
		ConversationID: s.conversationID,
		UserID:         s.userID,
		Turn:           s.turn,
		WorkflowID:     s.workflowID,
		WorkflowType:   s.workflowType,
		Agent:          s.agent,
		Attributes:     slices.Clone(s.attrs),
	}
}

// ConversationOption configures WithConversation.
type ConversationOption func(*scope)

// UserID sets the end-user id (user.id) along with the conversation.
func UserID(id string) ConversationOption {
	return func(s *scope) { s.userID = id }
}

// Turn sets the conversation's turn number instead of letting genaix count
// turns. Every span in the returned context carries n; each outermost
// operation under it still writes the totals of what it contains.
func Turn(n int) ConversationOption {
	return func(s *scope) {
		if n > 0 {
			s.turn, s.turnExplicit = n, true
		}
	}
}

// WithConversation returns a child of ctx in which every span carries the
// conversation id (gen_ai.conversation.id) and, inside a turn, the turn number.
//
// Turns are counted automatically: the outermost genaix operation (Observe,
// ObserveTool, StartWorkflow, an instrumented LLM call) in a conversation opens
// a turn and takes the conversation's next number, and everything nested in it
// shares that number, across traces, requests and goroutines. Two operations
// started side by side at the top level are two turns: to make one turn of a
// request's work, run it inside one Observe or StartWorkflow. Entering a new
// conversation id leaves the turn of the outer one.
func WithConversation(ctx context.Context, id string, opts ...ConversationOption) context.Context {
	s := derive(ctx)
	if s.conversationID != id {
		s.turn, s.turnExplicit, s.turnTotals = 0, false, nil
	}
	s.conversationID = id
	for _, o := range opts {
		o(s)
	}
	return s.with(ctx)
}

// WithUser returns a child of ctx in which every span carries the end-user id
// (user.id).
func WithUser(ctx context.Context, id string) context.Context {
	s := derive(ctx)
	s.userID = id
	return s.with(ctx)
}

// WithWorkflow returns a child of ctx in which every span carries the workflow
// id and type (workflow.id, workflow.type). It starts no span and keeps no
// totals; StartWorkflow does both.
func WithWorkflow(ctx context.Context, id, workflowType string) context.Context {
	s := derive(ctx)
	s.workflowID, s.workflowType = id, workflowType
	return s.with(ctx)
}

// AgentOption configures WithAgent.
type AgentOption func(*Agent)

// AgentID sets gen_ai.agent.id.
func AgentID(id string) AgentOption { return func(a *Agent) { a.ID = id } }

// AgentDescription sets gen_ai.agent.description.
func AgentDescription(d string) AgentOption { return func(a *Agent) { a.Description = d } }

// AgentVersion sets gen_ai.agent.version.
func AgentVersion(v string) AgentOption { return func(a *Agent) { a.Version = v } }

// WithAgent returns a child of ctx in which every span carries the agent's
// identity (gen_ai.agent.*). An inner WithAgent replaces the whole identity,
// so a hand-off never mixes two agents' fields.
func WithAgent(ctx context.Context, name string, opts ...AgentOption) context.Context {
	s := derive(ctx)
	s.agent = Agent{Name: name}
	for _, o := range opts {
		o(&s.agent)
	}
	return s.with(ctx)
}

// WithAttributes returns a child of ctx in which every span carries attrs, in
// addition to the custom attributes of outer scopes; for a key set at both
// levels the inner value wins. Keys are emitted exactly as given (the Python
// last9-genai SDK prefixed them with "custom."; name them so if your dashboards
// expect it). Invalid attributes are dropped.
func WithAttributes(ctx context.Context, attrs ...attribute.KeyValue) context.Context {
	s := derive(ctx)
	merged := make([]attribute.KeyValue, 0, len(s.attrs)+len(attrs))
	for _, kv := range s.attrs {
		if !slices.ContainsFunc(attrs, func(n attribute.KeyValue) bool { return n.Key == kv.Key }) {
			merged = append(merged, kv)
		}
	}
	for i, kv := range attrs {
		// The last of several values for one key in a single call wins, as in SetAttributes.
		if kv.Valid() && !slices.ContainsFunc(attrs[i+1:], func(n attribute.KeyValue) bool { return n.Key == kv.Key }) {
			merged = append(merged, kv)
		}
	}
	s.attrs = merged
	return s.with(ctx)
}
