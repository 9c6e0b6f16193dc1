package genaix_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/llmhttp"
)

// chatCompletion is shaped like the JSON encoding of openai-go's and
// go-openai's ChatCompletion: what Observe sees when fn returns one.
type chatCompletion struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Model   string `json:"model"`
	Choices []struct {
		Index        int    `json:"index"`
		FinishReason string `json:"finish_reason"`
		Message      struct {
			Role    string `json:"role"`
			Content string `json:"content"`
		} `json:"message"`
	} `json:"choices"`
	Usage struct {
		PromptTokens        int `json:"prompt_tokens"`
		CompletionTokens    int `json:"completion_tokens"`
		PromptTokensDetails struct {
			CachedTokens int `json:"cached_tokens"`
		} `json:"prompt_tokens_details"`
	} `json:"usage"`
}

func sdkResult(t testing.TB) chatCompletion {
	var c chatCompletion
	raw := `{"id":"chatcmpl-obs1","object":"chat.completion","model":"gpt-4o-2024-08-06",
		"choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Hello"}}],
		"usage":{"prompt_tokens":2000,"completion_tokens":300,"prompt_tokens_details":{"cached_tokens":1000}}}`
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// llmServer answers OpenAI chat completions with the wire package's fixture.
func llmServer(t testing.TB) *httptest.Server {
	body, err := os.ReadFile("internal/wire/testdata/openai_chat_response.json")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func callLLM(t testing.TB, ctx context.Context, p *pipeline, url string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/v1/chat/completions",
		bytes.NewReader([]byte(`{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"hi"}]}`)))
	req.Header.Set("Content-Type", "application/json")
	resp, err := llmhttp.NewClient(llmhttp.WithTracerProvider(p.tp)).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

var aggPrices = genaix.Prices{
	"gpt-4o":       {Input: 2.50, Output: 10, CacheRead: 1.25},
	"gpt-4.1-mini": {Input: 0.40, Output: 1.60, CacheRead: 0.10},
}

func TestObserveRecordsUsageFromSDKResult(t *testing.T) {
	p := newPipeline(t, genaix.WithPrices(aggPrices))
	_, err := genaix.Observe(context.Background(), "ask", func(context.Context) (chatCompletion, error) {
		return sdkResult(t), nil
	}, genaix.WithTracerProvider(p.tp))
	if err != nil {
		t.Fatal(err)
	}
	s := p.span(t, "ask")
	wantString(t, s, genaix.ResponseModelKey, "gpt-4o-2024-08-06")
	wantString(t, s, genaix.ProviderNameKey, "openai")
	wantString(t, s, genaix.OperationNameKey, "chat")
	wantString(t, s, genaix.ResponseIDKey, "chatcmpl-obs1")
	wantInt(t, s, genaix.InputTokensKey, 2000)
	wantInt(t, s, genaix.CacheReadTokensKey, 1000)
	wantInt(t, s, genaix.OutputTokensKey, 300)
	// By hand: 1,000 uncached × $2.50/M + 1,000 cached × $1.25/M + 300 × $10/M
	// = 2,500,000 + 1,250,000 + 3,000,000 = 6,750,000 nano-dollars.
	if got := nanos(usd(t, s, genaix.CostUSDKey)); got != 6_750_000 {
		t.Errorf("cost = %d nanos, want 6750000", got)
	}
	wantString(t, s, genaix.PriceKeyKey, "gpt-4o")
	wantString(t, s, genaix.PriceMatchKey, "normalized")
}

// TestObserveAroundInstrumentedCallCountsOnce: Observe returns the SDK's
// result, but the instrumented HTTP call inside already reported the usage.
func TestObserveAroundInstrumentedCallCountsOnce(t *testing.T) {
	p := newPipeline(t, genaix.WithPrices(aggPrices))
	srv := llmServer(t)
	ctx, wf := genaix.StartWorkflow(context.Background(), "wf", "once", genaix.WithTracerProvider(p.tp))
	_, _ = genaix.Observe(ctx, "wrapper", func(ctx context.Context) (chatCompletion, error) {
		callLLM(t, ctx, p, srv.URL)
		return sdkResult(t), nil // a usage-bearing result, like the SDK's
	}, genaix.WithTracerProvider(p.tp))
	wf.End()
	w := p.span(t, "wrapper")
	wantAbsent(t, w, genaix.CostUSDKey)
	wantAbsent(t, w, genaix.InputTokensKey)
	tot := wf.Totals()
	// The fixture's call: 448 uncached × 0.40 + 3,072 cached × 0.10 + 150 × 1.60 (per M) = 726,400 nanos.
	if tot.LLMCalls != 1 || tot.Cost != 726_400 || tot.InputTokens != 3520 {
		t.Errorf("totals = %+v, want one call of 726400 nanos", tot)
	}
}

// TestWorkflowTotalsExact is the roll-up acceptance test: three LLM calls —
// an Observe'd SDK result, an instrumented HTTP call, a third-party span —
// and one tool call; the exported workflow span's totals are exact and equal
// the sum of the leaves' exported costs.
func TestWorkflowTotalsExact(t *testing.T) {
	p := newPipeline(t, genaix.WithPrices(aggPrices))
	srv := llmServer(t)
	ctx := genaix.WithConversation(context.Background(), "conv-agg")
	ctx, wf := genaix.StartWorkflow(ctx, "wf-agg", "rag", genaix.WithTracerProvider(p.tp))
	_, _ = genaix.Observe(ctx, "observed-llm", func(context.Context) (chatCompletion, error) { return sdkResult(t), nil },
		genaix.WithTracerProvider(p.tp))
	callLLM(t, ctx, p, srv.URL)
	thirdPartyLLMSpan(ctx, p, "vendor chat", genaix.ProviderNameKey.String("openai"), genaix.RequestModelKey.String("gpt-4o"),
		genaix.InputTokensKey.Int(1000), genaix.CacheReadTokensKey.Int(200), genaix.OutputTokensKey.Int(100))
	_, _ = genaix.ObserveTool(ctx, "search", "q", func(context.Context) (int, error) { return 1, nil }, genaix.WithTracerProvider(p.tp))
	wf.End()

	var leaves int64
	for _, s := range p.exp.GetSpans() {
		if v, ok := attr(s, genaix.CostUSDKey); ok {
			leaves += nanos(v.AsFloat64())
		}
	}
	// 6,750,000 (Observe) + 726,400 (HTTP) + 3,250,000 (third party).
	const want = 6_750_000 + 726_400 + 3_250_000
	w := p.span(t, "invoke_workflow rag")
	if got := nanos(usd(t, w, genaix.WorkflowTotalCostKey)); got != want || leaves != want {
		t.Errorf("workflow total = %d, leaves = %d, want %d", got, leaves, want)
	}
	wantInt(t, w, genaix.WorkflowLLMCallsKey, 3)
	wantInt(t, w, genaix.WorkflowToolCallsKey, 1)
	wantInt(t, w, genaix.WorkflowInputTokensKey, 2000+3520+1000)
	wantInt(t, w, genaix.WorkflowOutputTokensKey, 300+150+100)
	// The workflow opened the turn: its span also carries the turn's totals.
	if got := nanos(usd(t, w, genaix.TurnTotalCostKey)); got != want {
		t.Errorf("turn total = %d, want %d", got, want)
	}
	if got := nanos(usd(t, p.span(t, "vendor chat"), genaix.CostUSDKey)); got != 3_250_000 {
		t.Errorf("third-party span's exported cost = %d", got)
	}
	if tot, _ := p.proc.ConversationTotals("conv-agg"); tot.Cost != want || tot.ToolCalls != 1 {
		t.Errorf("conversation totals = %+v", tot)
	}
}
