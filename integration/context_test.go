package integration

import (
	"context"
	"sync"
	"testing"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/ollama/ollama/api"
	"github.com/openai/openai-go/v3"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"google.golang.org/genai"

	"github.com/genaix/genaix-go"
)

// TestConversationAndWorkflow makes five calls through four SDKs in one
// conversation: a top-level call (turn 1), a workflow whose three calls run
// concurrently and share the workflow's turn (turn 2), and another top-level
// call (turn 3). The workflow span's totals must be the sums of its leaf
// spans, and the conversation's the sums of all five.
func TestConversationAndWorkflow(t *testing.T) {
	const conv = "conv-int-7f3a"
	h := newHarness(t)
	oaSrv := serve(t,
		jsonReply(wireFixture(t, "openai_chat_response_cached.json")), // turn 1
		sseReply(wireFixture(t, "openai_chat_stream_usage.sse")),      // turn 2, in the workflow
	)
	anSrv := serve(t, jsonReply(wireFixture(t, "anthropic_messages_response.json")))
	gSrv := serve(t, jsonReply(ownFixture(t, "gemini_generate_response_tool.json")))
	olSrv := serve(t, ndjsonReply(wireFixture(t, "ollama_chat_stream.ndjson")))
	oa := newOpenAI(h, oaSrv)
	an := newAnthropic(h, anSrv)
	g := newGenAI(t, h, gSrv)
	ol := newOllama(t, h, olSrv)

	ctx := genaix.WithConversation(context.Background(), conv)

	// Turn 1: a top-level call opens a turn.
	if _, err := oa.Chat.Completions.New(ctx, gpt4oParams()); err != nil {
		t.Fatal(err)
	}

	// Turn 2: a workflow; its calls share its turn.
	wctx, wf := genaix.StartWorkflow(ctx, "wf-ctx-1", "order_lookup", genaix.WithTracerProvider(h.tp))
	var wg sync.WaitGroup
	wg.Go(func() {
		stream := oa.Chat.Completions.NewStreaming(wctx, openai.ChatCompletionNewParams{
			Model:         "gpt-4.1-mini",
			Messages:      []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Where is order A17?")},
			StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)},
		})
		for stream.Next() {
		}
		if err := stream.Err(); err != nil {
			t.Error(err)
		}
		_ = stream.Close()
	})
	wg.Go(func() {
		msg, err := an.Messages.New(wctx, claudeParams())
		if err != nil {
			t.Error(err)
			return
		}
		if msg.StopReason != anthropic.StopReasonToolUse {
			t.Errorf("anthropic decoded %s", msg.RawJSON())
		}
	})
	wg.Go(func() {
		resp, err := g.Models.GenerateContent(wctx, "gemini-2.5-flash", genai.Text("Where is order A17?"), nil)
		if err != nil {
			t.Error(err)
			return
		}
		if resp.ResponseID != "k3Jd-Z8vB4mQx2LpR7sT0a" {
			t.Errorf("genai decoded %+v", resp)
		}
	})
	wg.Wait()
	wf.End()

	// Turn 3: another top-level call.
	err := ol.Chat(ctx, &api.ChatRequest{
		Model:    "llama3.2",
		Messages: []api.Message{{Role: "user", Content: "Why is the sky blue?"}},
	}, func(api.ChatResponse) error { return nil })
	if err != nil {
		t.Fatal(err)
	}

	llm := h.llmSpans()
	if len(llm) != 5 {
		t.Fatalf("want 5 LLM spans, got %v", names(h.spans()))
	}
	w := findSpan(t, h, "invoke_workflow order_lookup")
	byName := map[string]tracetest.SpanStub{}
	for _, s := range llm {
		wantAttr(t, s, genaix.ConversationIDKey, conv)
		if s.Parent.SpanID() == w.SpanContext.SpanID() {
			byName[s.Name] = s
		}
	}
	top1, top3 := llm[0], llm[4]
	if top1.Name != "chat gpt-4o" || top3.Name != "chat llama3.2" {
		t.Fatalf("top-level calls are %q and %q", top1.Name, top3.Name)
	}
	if len(byName) != 3 {
		t.Fatalf("workflow children: %v", byName)
	}

	// Turn numbers.
	wantAttr(t, top1, genaix.TurnNumberKey, 1)
	wantAttr(t, w, genaix.TurnNumberKey, 2)
	wantAttr(t, w, genaix.ConversationIDKey, conv)
	for _, s := range byName {
		wantAttr(t, s, genaix.TurnNumberKey, 2)
		wantAttr(t, s, genaix.WorkflowIDKey, "wf-ctx-1")
		wantAttr(t, s, genaix.WorkflowTypeKey, "order_lookup")
		// Only the span that opened the turn carries the turn's totals.
		wantAbsent(t, s, genaix.TurnLLMCallsKey, genaix.TurnTotalCostKey)
	}
	wantAttr(t, top3, genaix.TurnNumberKey, 3)
	wantAbsent(t, top1, genaix.WorkflowIDKey)
	wantAbsent(t, top3, genaix.WorkflowIDKey)

	// Every leaf is priced as in its single-SDK test.
	checkCall(t, byName["chat gpt-4.1-mini"], oaSrv, call{
		name: "chat gpt-4.1-mini", operation: "chat", provider: "openai",
		reqModel: "gpt-4.1-mini", respModel: "gpt-4.1-mini-2025-04-14",
		respID: "chatcmpl-C1d2e3F4g5H6i7J8k9L0mN1o", finish: []string{"stop"}, stream: true,
		in: 58, out: 14,
		cost:     costs{total: 45_600, input: 23_200, output: 22_400},
		priceKey: "gpt-4.1-mini", priceMatch: "normalized",
	})
	checkCall(t, byName["chat "+claudeModel], anSrv, claudeToolUse)
	checkCall(t, byName["generate_content gemini-2.5-flash"], gSrv, call{
		name: "generate_content gemini-2.5-flash", operation: "generate_content", provider: "gcp.gemini",
		reqModel: "gemini-2.5-flash", respModel: "gemini-2.5-flash",
		respID: "k3Jd-Z8vB4mQx2LpR7sT0a", finish: []string{"STOP"},
		in: 4210, out: 250, cacheRead: 4096, reasoning: 212,
		cost:      costs{total: 966_400, input: 341_400, output: 625_000, cacheRead: 307_200, reasoning: 530_000},
		priceKey:  "gemini-2.5-flash",
		toolNames: []string{"lookup_order"}, toolIDs: []string{""},
	})
	checkCall(t, top1, oaSrv, gpt4oCached)

	// The workflow's totals are the sums of its leaves, in nano-dollars.
	var sumCost, sumIn, sumOut int64
	for _, s := range byName {
		c, ok := costNanos(s, genaix.CostUSDKey)
		if !ok {
			t.Errorf("%s has no cost", s.Name)
		}
		sumCost += c
		sumIn += intAttr(t, s, genaix.InputTokensKey)
		sumOut += intAttr(t, s, genaix.OutputTokensKey)
	}
	// By hand: 45,600 (gpt-4.1-mini stream) + 5,085,000 (claude) + 966,400
	// (gemini) = 6,097,000 n$; input 58 + 3520 + 4210 = 7788; output
	// 14 + 150 + 250 = 414.
	if sumCost != 6_097_000 || sumIn != 7788 || sumOut != 414 {
		t.Errorf("leaf sums: cost %d n$, input %d, output %d", sumCost, sumIn, sumOut)
	}
	wantCost(t, w, genaix.WorkflowTotalCostKey, sumCost)
	wantAttr(t, w, genaix.WorkflowLLMCallsKey, 3)
	wantAttr(t, w, genaix.WorkflowInputTokensKey, sumIn)
	wantAttr(t, w, genaix.WorkflowOutputTokensKey, sumOut)
	wantAttr(t, w, genaix.WorkflowUnpricedKey, 0)
	// The workflow opened turn 2, so it carries the turn's totals too.
	wantCost(t, w, genaix.TurnTotalCostKey, sumCost)
	wantAttr(t, w, genaix.TurnLLMCallsKey, 3)
	wantAttr(t, w, genaix.TurnInputTokensKey, sumIn)
	// Per-call cost stays on leaves: never rolled up onto the workflow span.
	wantAbsent(t, w, genaix.CostUSDKey, genaix.CostKey, genaix.InputTokensKey, genaix.OutputTokensKey)

	// Top-level calls each opened, and carry, their own turn.
	wantCost(t, top1, genaix.TurnTotalCostKey, gpt4oCached.cost.total)
	wantAttr(t, top1, genaix.TurnLLMCallsKey, 1)
	wantCost(t, top3, genaix.TurnTotalCostKey, 6_400)
	wantAttr(t, top3, genaix.TurnLLMCallsKey, 1)

	// The conversation: 4,877,500 + 6,097,000 + 6,400 = 10,980,900 n$;
	// input 1999 + 7788 + 26 = 9813; output 212 + 414 + 12 = 638.
	tot, ok := h.gx.ConversationTotals(conv)
	if !ok || int64(tot.Cost) != 10_980_900 || tot.LLMCalls != 5 || tot.InputTokens != 9813 || tot.OutputTokens != 638 {
		t.Errorf("ConversationTotals = %+v, %v", tot, ok)
	}
	var all int64
	for _, s := range llm {
		c, _ := costNanos(s, genaix.CostUSDKey)
		all += c
	}
	if all != int64(tot.Cost) {
		t.Errorf("conversation cost %d n$ != sum of all leaves %d n$", tot.Cost, all)
	}
	noSecret(t, h.spans(), openaiKey)
	noSecret(t, h.spans(), anthropicKey)
}
