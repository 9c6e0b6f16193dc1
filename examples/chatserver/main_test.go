package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/examples/internal/smoke"
	"github.com/genaix/genaix-go/internal/mockllm"
	"github.com/genaix/genaix-go/llmhttp"
	"github.com/genaix/genaix-go/otelsetup"
)

type reply struct {
	SessionID           string  `json:"session_id"`
	Turn                int     `json:"turn"`
	Answer              string  `json:"answer"`
	CostUSD             float64 `json:"cost_usd"`
	ConversationCostUSD float64 `json:"conversation_cost_usd"`
}

// post sends one chat message; header and cookie set the session id if not
// empty.
func post(t *testing.T, srv *httptest.Server, header, cookie string) (reply, *http.Response) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/chat", strings.NewReader(`{"message":"Where is my parcel?"}`))
	if err != nil {
		t.Fatal(err)
	}
	if header != "" {
		req.Header.Set("session_id", header)
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: "session_id", Value: cookie})
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r reply
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
			t.Fatal(err)
		}
	}
	return r, resp
}

func TestHandlerNumbersTurnsPerSession(t *testing.T) {
	smoke.ClearEnv(t)
	exp := tracetest.NewInMemoryExporter()
	tel, err := otelsetup.Setup(t.Context(), otelsetup.WithSpanExporter(exp), otelsetup.WithMetricReader(sdkmetric.NewManualReader()),
		otelsetup.WithPrices(genaix.Prices{"gpt-4o-mini": {Input: 0.15, Output: 0.60}}))
	if err != nil {
		t.Fatal(err)
	}
	defer tel.Shutdown(context.Background())
	base, stop, err := mockllm.New().Start()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	client := openai.NewClient(option.WithMiddleware(llmhttp.Middleware()), option.WithBaseURL(base+"/v1/"), option.WithAPIKey("mock"))
	srv := httptest.NewServer(newChat(client, tel.Processor()))
	defer srv.Close()

	first, _ := post(t, srv, "s1", "")
	second, _ := post(t, srv, "s1", "")
	if first.Turn != 1 || second.Turn != 2 || first.SessionID != "s1" || second.SessionID != "s1" {
		t.Fatalf("session s1: turns %d then %d (sessions %q, %q); want 1 then 2", first.Turn, second.Turn, first.SessionID, second.SessionID)
	}
	if first.CostUSD <= 0 || second.CostUSD <= 0 || first.Answer == "" {
		t.Errorf("replies %+v and %+v: want answers with a cost", first, second)
	}
	if sum := first.CostUSD + second.CostUSD; math.Abs(second.ConversationCostUSD-sum) > 1e-12 {
		t.Errorf("conversation cost %v, want the turns' sum %v", second.ConversationCostUSD, sum)
	}
	// The second request carried the first exchange: a longer prompt.
	if second.CostUSD <= first.CostUSD {
		t.Errorf("turn 2 cost %v should exceed turn 1's %v (it sends the history)", second.CostUSD, first.CostUSD)
	}

	// A cookie names the session too, and sessions are numbered separately.
	if r, _ := post(t, srv, "", "s2"); r.Turn != 1 || r.SessionID != "s2" {
		t.Errorf("cookie session s2: %+v, want turn 1", r)
	}
	// Without a session id the server issues one in a cookie.
	r, resp := post(t, srv, "", "")
	var issued string
	for _, c := range resp.Cookies() {
		if c.Name == "session_id" {
			issued = c.Value
		}
	}
	if issued == "" || r.SessionID != issued || r.Turn != 1 {
		t.Fatalf("no session: reply %+v, cookie %q; want turn 1 of the issued session", r, issued)
	}
	if r, _ := post(t, srv, "", issued); r.Turn != 2 {
		t.Errorf("issued session, second request: turn %d, want 2", r.Turn)
	}
	if _, resp := post(t, srv, "bad id!", ""); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("invalid session id: status %d, want 400", resp.StatusCode)
	}

	// The LLM spans carry the session's conversation id and turn.
	if err := tel.ForceFlush(t.Context()); err != nil {
		t.Fatal(err)
	}
	var s1Turns []int64
	for _, s := range exp.GetSpans() {
		attrs := attribute.NewSet(s.Attributes...)
		conv, _ := attrs.Value(genaix.ConversationIDKey)
		turn, _ := attrs.Value(genaix.TurnNumberKey)
		if strings.HasPrefix(s.Name, "chat ") && conv.AsString() == "s1" {
			s1Turns = append(s1Turns, turn.AsInt64())
		}
	}
	if len(s1Turns) != 2 || s1Turns[0] != 1 || s1Turns[1] != 2 {
		t.Errorf("LLM spans of s1 have turns %v, want [1 2]", s1Turns)
	}
}

// lineWriter collects output and hands the first line over a channel.
type lineWriter struct {
	smoke.Buffer
	once  sync.Once
	first chan string
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.once.Do(func() { w.first <- strings.TrimSpace(string(p)) })
	return w.Buffer.Write(p)
}

func TestRunServes(t *testing.T) {
	smoke.ClearEnv(t)
	t.Setenv("ADDR", "127.0.0.1:0")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	out := &lineWriter{first: make(chan string, 1)}
	done := make(chan error, 1)
	go func() { done <- run(ctx, out) }()

	var url string
	select {
	case line := <-out.first:
		url = strings.TrimPrefix(line, "listening on ")
	case err := <-done:
		t.Fatalf("run returned before listening: %v", err)
	}
	resp, err := http.Post(url, "application/json", bytes.NewReader([]byte(`{"message":"hi"}`)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"turn":1`) {
		t.Fatalf("POST %s: %s %s", url, resp.Status, body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	// On exit run flushes its spans to the console.
	if !strings.Contains(out.String(), `"gen_ai.conversation.id"`) {
		t.Errorf("no span with a conversation id printed:\n%s", out.String())
	}
}
