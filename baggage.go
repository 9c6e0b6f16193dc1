package genaix

import (
	"context"
	"net/http"
	"strconv"
	"unicode"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
)

// Cross-service conversations, opt-in. genaix keeps its values under an
// unexported context key, so by default nothing leaves the process. When a
// conversation spans services, InjectBaggage copies the allow-listed values
// into W3C baggage for the Baggage propagator to carry on instrumented
// outbound calls, and the downstream service's BaggageHandler (or
// ExtractBaggage) turns them back into a genaix scope. The llmhttp
// instrumentation removes these members from calls to LLM providers.

// BaggageKeys are the only baggage members genaix writes or reads.
var BaggageKeys = []string{
	string(ConversationIDKey), string(TurnNumberKey), string(UserIDKey),
	string(WorkflowIDKey), string(WorkflowTypeKey),
}

// maxBaggageValue bounds each inbound value: baggage is attacker-controlled.
const maxBaggageValue = 256

// InjectBaggage returns ctx with the conversation id, turn number, user id
// and workflow id and type of its genaix scope added to its W3C baggage.
// Members over the W3C limits are left out rather than failing.
func InjectBaggage(ctx context.Context) context.Context {
	s := scopeFrom(ctx)
	if s == nil {
		return ctx
	}
	bag := baggage.FromContext(ctx)
	vals := [...]string{s.conversationID, "", s.userID, s.workflowID, s.workflowType}
	if s.turn > 0 {
		vals[1] = strconv.Itoa(s.turn)
	}
	for i, v := range vals {
		if v == "" {
			continue
		}
		m, err := baggage.NewMemberRaw(BaggageKeys[i], v)
		if err != nil {
			continue
		}
		if b, err := bag.SetMember(m); err == nil {
			bag = b
		}
	}
	return baggage.ContextWithBaggage(ctx, bag)
}

// ExtractBaggage returns ctx with a genaix scope filled from the allow-listed
// members of its baggage, for a service downstream of one that called
// InjectBaggage. Values already in ctx's scope win. Inbound baggage is
// untrusted: values longer than 256 bytes or with control characters are
// ignored, and a turn must be a positive number.
func ExtractBaggage(ctx context.Context) context.Context {
	bag := baggage.FromContext(ctx)
	if bag.Len() == 0 {
		return ctx
	}
	s := derive(ctx)
	changed := false
	set := func(dst *string, key string) {
		if v := bag.Member(key).Value(); *dst == "" && acceptable(v) {
			*dst, changed = v, true
		}
	}
	bagConversation := bag.Member(BaggageKeys[0]).Value()
	set(&s.conversationID, BaggageKeys[0])
	set(&s.userID, BaggageKeys[2])
	set(&s.workflowID, BaggageKeys[3])
	set(&s.workflowType, BaggageKeys[4])
	// A turn belongs to the conversation it came with, never to another one
	// already in ctx.
	if n, err := strconv.Atoi(bag.Member(BaggageKeys[1]).Value()); err == nil && n > 0 && s.turn == 0 &&
		s.conversationID != "" && s.conversationID == bagConversation {
		s.turn, s.turnExplicit, changed = n, true, true
	}
	if !changed {
		return ctx
	}
	return s.with(ctx)
}

func acceptable(v string) bool {
	if v == "" || len(v) > maxBaggageValue {
		return false
	}
	for _, r := range v {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return false
		}
	}
	return true
}

// BaggageHandler wraps h so that each request's genaix scope is taken from
// its W3C baggage header (see ExtractBaggage). It extracts with prop, or the
// global propagator if prop is nil; register the Baggage propagator there.
func BaggageHandler(h http.Handler, prop propagation.TextMapPropagator) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := prop
		if p == nil {
			p = otel.GetTextMapPropagator()
		}
		ctx := p.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		h.ServeHTTP(w, r.WithContext(ExtractBaggage(ctx)))
	})
}

// WithoutScopeBaggage returns ctx with the genaix members removed from its
// baggage: what the llmhttp instrumentation passes on to LLM providers.
func WithoutScopeBaggage(ctx context.Context) context.Context {
	bag := baggage.FromContext(ctx)
	if bag.Len() == 0 {
		return ctx
	}
	out := bag
	for _, k := range BaggageKeys {
		out = out.DeleteMember(k)
	}
	if out.Len() == bag.Len() {
		return ctx
	}
	return baggage.ContextWithBaggage(ctx, out)
}
