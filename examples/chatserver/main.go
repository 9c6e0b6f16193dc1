// Command chatserver is a small JSON chat server instrumented with genaix.
// Each request is one turn of the conversation named by its session id
// (header or cookie session_id; a new one is issued when neither is sent).
// The model is called through openai-go with the llmhttp middleware, so every
// call is a span carrying the conversation, the turn number and the cost.
//
//	go run ./chatserver        # listens on ADDR (default localhost:8080)
//	curl -H 'session_id: s1' -d '{"message":"Hello"}' localhost:8080/chat
//
// Without OPENAI_API_KEY it answers from a local mock LLM server.
package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/internal/mockllm"
	"github.com/genaix/genaix-go/llmhttp"
	"github.com/genaix/genaix-go/otelsetup"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "chatserver:", err)
		os.Exit(1)
	}
}

// run serves until ctx is cancelled.
func run(ctx context.Context, out io.Writer) error {
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = "localhost:8080"
	}
	tel, err := otelsetup.Setup(ctx, otelsetup.WithServiceName("chatserver"), otelsetup.WithConsoleFallback(out),
		otelsetup.WithPrices(genaix.Prices{"gpt-4o-mini": {Input: 0.15, Output: 0.60, CacheRead: 0.075}}))
	if err != nil {
		return err
	}
	defer tel.Shutdown(context.WithoutCancel(ctx)) // flushes the last spans on exit
	opts := []option.RequestOption{option.WithMiddleware(llmhttp.Middleware())}
	if os.Getenv("OPENAI_API_KEY") == "" {
		base, stop, err := mockllm.New().Start()
		if err != nil {
			return err
		}
		defer stop()
		opts = append(opts, option.WithBaseURL(base+"/v1/"), option.WithAPIKey("mock"))
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: newChat(openai.NewClient(opts...), tel.Processor())}
	go func() { <-ctx.Done(); srv.Close() }()
	fmt.Fprintf(out, "listening on http://%s/chat\n", ln.Addr())
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}

// chat answers POST /chat {"message": "..."} with the reply, the turn number
// and what the turn and the conversation have cost so far.
type chat struct {
	client  openai.Client
	proc    *genaix.SpanProcessor
	mu      sync.Mutex
	history map[string][]openai.ChatCompletionMessageParamUnion // a real server keeps this in its store
	reqs    atomic.Int64
}

func newChat(client openai.Client, proc *genaix.SpanProcessor) http.Handler {
	c := &chat{client: client, proc: proc, history: map[string][]openai.ChatCompletionMessageParamUnion{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /chat", c.serve)
	return mux
}

// maxHistory bounds the messages kept per session.
const maxHistory = 20

// validSession bounds what a client can put in span attributes.
var validSession = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func (c *chat) serve(w http.ResponseWriter, r *http.Request) {
	session := r.Header.Get("session_id")
	if ck, err := r.Cookie("session_id"); session == "" && err == nil {
		session = ck.Value
	}
	if session == "" {
		session = rand.Text()[:16]
		http.SetCookie(w, &http.Cookie{Name: "session_id", Value: session, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	var req struct{ Message string }
	if !validSession.MatchString(session) || json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req) != nil || req.Message == "" {
		http.Error(w, `want a JSON body {"message": "..."} and a session_id of 1-64 letters, digits, _ or -`, http.StatusBadRequest)
		return
	}

	// The request is a turn of the session's conversation: genaix numbers it.
	ctx := genaix.WithConversation(r.Context(), session)
	ctx, wf := genaix.StartWorkflow(ctx, fmt.Sprintf("chat-%d", c.reqs.Add(1)), "chat")
	c.mu.Lock()
	msgs := append(slices.Clip(c.history[session]), openai.UserMessage(req.Message)) // a copy: requests may overlap
	c.mu.Unlock()
	resp, err := c.client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: openai.ChatModelGPT4oMini, Messages: msgs})
	wf.RecordError(err)
	wf.End()
	if err != nil || len(resp.Choices) == 0 {
		http.Error(w, "the model did not answer", http.StatusBadGateway)
		return
	}
	answer := resp.Choices[0].Message.Content
	c.mu.Lock()
	c.history[session] = append(msgs[max(0, len(msgs)-maxHistory):], openai.AssistantMessage(answer))
	c.mu.Unlock()

	conv, _ := c.proc.ConversationTotals(session)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"session_id":            session,
		"turn":                  genaix.ScopeFrom(ctx).Turn,
		"answer":                answer,
		"cost_usd":              wf.Totals().CostUSD(),
		"conversation_cost_usd": conv.CostUSD(),
	})
}
