package llmhttp_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/llmhttp"
)

var prop = propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})

// injecting is what otelhttp's transport does: inject the context's trace
// and baggage into the outgoing headers.
type injecting struct{ next http.RoundTripper }

func (i injecting) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	prop.Inject(r.Context(), propagation.HeaderCarrier(r.Header))
	return i.next.RoundTrip(r)
}

// TestConversationAcrossServices runs two services over loopback: the
// frontend opens a conversation and calls the backend with the scope in
// baggage; the backend's spans and scope pick it up; the backend's LLM call
// never forwards genaix's baggage members to the provider.
func TestConversationAcrossServices(t *testing.T) {
	p := newPipeline(t)
	provider := &replay{status: 200, ctype: "application/json", body: fixture(t, "openai_chat_response.json")}
	providerSrv := serve(t, provider)

	// The backend: genaix.BaggageHandler, then its own work and an LLM call
	// through an otelhttp-like transport outside llmhttp's.
	llmClient := &http.Client{Transport: injecting{llmhttp.NewTransport(nil, llmhttp.WithTracerProvider(p.tp))}}
	backend := httptest.NewServer(genaix.BaggageHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		_, span := p.tp.Tracer("backend").Start(ctx, "backend.work")
		span.End()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, providerSrv.URL+"/v1/chat/completions",
			strings.NewReader(string(fixture(t, "openai_chat_request.json"))))
		resp, err := llmClient.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		_ = json.NewEncoder(w).Encode(genaix.ScopeFrom(ctx))
	}), prop))
	defer backend.Close()

	// The frontend: a conversation, opted in to cross-service propagation.
	ctx := genaix.WithConversation(context.Background(), "conv-x", genaix.UserID("u-x"), genaix.Turn(4))
	ctx = genaix.WithWorkflow(ctx, "wf-x", "support")
	ctx = genaix.InjectBaggage(ctx)
	m, _ := baggage.NewMemberRaw("tenant", "acme")
	bag, _ := baggage.FromContext(ctx).SetMember(m)
	ctx = baggage.ContextWithBaggage(ctx, bag)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, backend.URL, nil)
	resp, err := (&http.Client{Transport: injecting{http.DefaultTransport}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var got genaix.Scope
	_ = json.NewDecoder(resp.Body).Decode(&got)
	resp.Body.Close()

	if got.ConversationID != "conv-x" || got.UserID != "u-x" || got.Turn != 4 || got.WorkflowID != "wf-x" || got.WorkflowType != "support" {
		t.Errorf("backend scope = %+v", got)
	}
	for _, s := range p.exp.GetSpans() {
		want(t, s, genaix.ConversationIDKey, "conv-x")
		want(t, s, genaix.TurnNumberKey, 4)
		want(t, s, genaix.WorkflowIDKey, "wf-x")
	}
	if len(p.exp.GetSpans()) != 2 {
		t.Errorf("backend exported %d spans, want backend.work and the LLM call", len(p.exp.GetSpans()))
	}
	sent := provider.header.Get("Baggage")
	for _, k := range genaix.BaggageKeys {
		if strings.Contains(sent, k) {
			t.Errorf("provider received genaix baggage member %s: %q", k, sent)
		}
	}
	if !strings.Contains(sent, "tenant=acme") {
		t.Errorf("other baggage members must pass untouched: %q", sent)
	}
}

func TestExtractBaggageRejectsHostileValues(t *testing.T) {
	for _, v := range []string{strings.Repeat("a", 300), "bad\x01value"} {
		m, err := baggage.NewMemberRaw(string(genaix.ConversationIDKey), v)
		if err != nil {
			continue // the baggage package itself refused it: also fine
		}
		bag, _ := baggage.New(m)
		ctx := genaix.ExtractBaggage(baggage.ContextWithBaggage(context.Background(), bag))
		if id := genaix.ScopeFrom(ctx).ConversationID; id != "" {
			t.Errorf("accepted hostile conversation id %q", id)
		}
	}
	m, _ := baggage.NewMemberRaw(string(genaix.TurnNumberKey), "-3")
	c, _ := baggage.NewMemberRaw(string(genaix.ConversationIDKey), "c")
	bag, _ := baggage.New(m, c)
	if n := genaix.ScopeFrom(genaix.ExtractBaggage(baggage.ContextWithBaggage(context.Background(), bag))).Turn; n != 0 {
		t.Errorf("accepted turn %d", n)
	}
}

func TestBaggageTurnStaysWithItsConversation(t *testing.T) {
	c, _ := baggage.NewMemberRaw(string(genaix.ConversationIDKey), "conv-B")
	n, _ := baggage.NewMemberRaw(string(genaix.TurnNumberKey), "7")
	bag, _ := baggage.New(c, n)
	ctx := genaix.WithConversation(context.Background(), "conv-A") // already in a conversation
	ctx = genaix.ExtractBaggage(baggage.ContextWithBaggage(ctx, bag))
	if s := genaix.ScopeFrom(ctx); s.ConversationID != "conv-A" || s.Turn != 0 {
		t.Errorf("scope = %+v: conv-B's turn must not land on conv-A", s)
	}
}
