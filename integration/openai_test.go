package integration

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"
	"go.opentelemetry.io/otel/codes"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/llmhttp"
)

const openaiKey = "sk-integration-SECRET-0a1b2c"

// newOpenAI returns an openai-go client hooked to h and talking to srv.
func newOpenAI(h *harness, srv *server, opts ...option.RequestOption) openai.Client {
	return openai.NewClient(append([]option.RequestOption{
		option.WithMiddleware(h.middleware()),
		option.WithBaseURL(srv.URL + "/v1"),
		option.WithAPIKey(openaiKey),
		option.WithMaxRetries(0),
	}, opts...)...)
}

// checkOpenAIKey checks the key reached the server (so noSecret is not
// vacuous) and that no span recorded it.
func checkOpenAIKey(t *testing.T, h *harness, req request) {
	t.Helper()
	if got := req.header.Get("Authorization"); got != "Bearer "+openaiKey {
		t.Errorf("server saw Authorization %q", got)
	}
	noSecret(t, h.spans(), openaiKey)
}

// gpt4oCached is openai_chat_response_cached.json as the span must report it.
//
// Cost by hand (gpt-4o: $2.50 in, $10 out, $1.25 cache read per M):
//
//	uncached  (1999 − 1792) = 207 × 2.50 × 1000 =   517,500 n$
//	cache read        1792 × 1.25 × 1000        = 2,240,000 n$
//	input                                       = 2,757,500 n$
//	output             212 × 10 × 1000          = 2,120,000 n$
//	total                                       = 4,877,500 n$
var gpt4oCached = call{
	name: "chat gpt-4o", operation: "chat", provider: "openai",
	reqModel: "gpt-4o", respModel: "gpt-4o-2024-08-06",
	respID: "chatcmpl-C0a1b2c3d4e5f6g7h8i9j0kL", finish: []string{"stop"},
	in: 1999, out: 212, cacheRead: 1792,
	cost:     costs{total: 4_877_500, input: 2_757_500, output: 2_120_000, cacheRead: 2_240_000},
	priceKey: "gpt-4o", priceMatch: "normalized",
}

const gpt4oCachedText = "Order A17 shipped on 1 November and should arrive by 3 November."

func gpt4oParams() openai.ChatCompletionNewParams {
	return openai.ChatCompletionNewParams{
		Model: "gpt-4o",
		Messages: []openai.ChatCompletionMessageParamUnion{
			openai.SystemMessage("You are a concise order-tracking assistant."),
			openai.UserMessage("When will order A17 arrive?"),
		},
	}
}

func TestOpenAIChat(t *testing.T) {
	h := newHarness(t)
	srv := serve(t, jsonReply(wireFixture(t, "openai_chat_response_cached.json")))
	client := newOpenAI(h, srv)

	resp, err := client.Chat.Completions.New(context.Background(), gpt4oParams())
	if err != nil {
		t.Fatal(err)
	}

	// The caller got the fixture's data.
	if resp.ID != "chatcmpl-C0a1b2c3d4e5f6g7h8i9j0kL" || resp.Model != "gpt-4o-2024-08-06" ||
		len(resp.Choices) != 1 || resp.Choices[0].Message.Content != gpt4oCachedText ||
		resp.Choices[0].FinishReason != "stop" || resp.Usage.PromptTokens != 1999 ||
		resp.Usage.PromptTokensDetails.CachedTokens != 1792 || resp.Usage.CompletionTokens != 212 {
		t.Errorf("SDK decoded %+v", resp)
	}

	req := srv.onlyRequest(t)
	if req.path != "/v1/chat/completions" || req.jsonBody(t)["model"] != "gpt-4o" {
		t.Errorf("server got %s %s", req.path, req.body)
	}
	s := h.only(t)
	checkCall(t, s, srv, gpt4oCached)
	wantAbsent(t, s, genaix.ConversationIDKey, genaix.TurnNumberKey, genaix.WorkflowIDKey) // no genaix scope
	checkMetrics(t, h, gpt4oCached)
	checkOpenAIKey(t, h, req)
}

func TestOpenAIChatToolCalls(t *testing.T) {
	h := newHarness(t)
	srv := serve(t, jsonReply(wireFixture(t, "openai_chat_response.json")))
	client := newOpenAI(h, srv)

	resp, err := client.Chat.Completions.New(context.Background(), openai.ChatCompletionNewParams{
		Model:               "gpt-4.1-mini",
		Messages:            []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Where is order A17?")},
		Temperature:         openai.Float(0.2),
		TopP:                openai.Float(0.9),
		MaxCompletionTokens: openai.Int(512),
		Seed:                openai.Int(42),
		Stop:                openai.ChatCompletionNewParamsStopUnion{OfString: openai.String("END")},
		Tools: []openai.ChatCompletionToolUnionParam{openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
			Name:        "lookup_order",
			Description: openai.String("Look up an order by its id."),
			Parameters: shared.FunctionParameters{
				"type":       "object",
				"properties": map[string]any{"order_id": map[string]any{"type": "string"}},
				"required":   []string{"order_id"},
			},
		})},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Choices) != 1 || resp.Choices[0].FinishReason != "tool_calls" || len(resp.Choices[0].Message.ToolCalls) != 1 {
		t.Fatalf("SDK decoded %+v", resp)
	}
	tc := resp.Choices[0].Message.ToolCalls[0]
	if tc.ID != "call_Qw3rTy12uI0pAs9dFg8hJk7l" || tc.Function.Name != "lookup_order" || tc.Function.Arguments != `{"order_id":"A17"}` {
		t.Errorf("SDK decoded tool call %+v", tc)
	}

	s := h.only(t)
	// gpt-4.1-mini ($0.40 in, $1.60 out, $0.10 cache read per M):
	//	uncached (3520 − 3072) = 448 × 0.40 × 1000 = 179,200 n$
	//	cache read      3072 × 0.10 × 1000         = 307,200 n$
	//	input                                      = 486,400 n$
	//	output           150 × 1.60 × 1000         = 240,000 n$
	//	total                                      = 726,400 n$
	checkCall(t, s, srv, call{
		name: "chat gpt-4.1-mini", operation: "chat", provider: "openai",
		reqModel: "gpt-4.1-mini", respModel: "gpt-4.1-mini-2025-04-14",
		respID: "chatcmpl-BxQ7m2kTfR9aL0pZcV3nW8yE", finish: []string{"tool_calls"},
		in: 3520, out: 150, cacheRead: 3072,
		cost:     costs{total: 726_400, input: 486_400, output: 240_000, cacheRead: 307_200},
		priceKey: "gpt-4.1-mini", priceMatch: "normalized",
		toolNames: []string{"lookup_order"}, toolIDs: []string{"call_Qw3rTy12uI0pAs9dFg8hJk7l"},
	})
	// Request parameters as sent by the SDK.
	wantAttr(t, s, genaix.RequestTemperatureKey, 0.2)
	wantAttr(t, s, genaix.RequestTopPKey, 0.9)
	wantAttr(t, s, genaix.RequestMaxTokensKey, 512)
	wantAttr(t, s, genaix.RequestSeedKey, 42)
	wantAttr(t, s, genaix.RequestStopSequencesKey, []string{"END"})
	checkOpenAIKey(t, h, srv.onlyRequest(t))
}

func TestOpenAIChatStreamWithUsage(t *testing.T) {
	h := newHarness(t)
	srv := serve(t, sseReply(wireFixture(t, "openai_chat_stream_usage.sse")))
	client := newOpenAI(h, srv)

	stream := client.Chat.Completions.NewStreaming(context.Background(), openai.ChatCompletionNewParams{
		Model:         "gpt-4.1-mini",
		Messages:      []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Where is order A17?")},
		StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)},
	})
	var acc openai.ChatCompletionAccumulator
	chunks := 0
	for stream.Next() {
		acc.AddChunk(stream.Current())
		chunks++
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if err := stream.Close(); err != nil {
		t.Fatal(err)
	}

	// The caller got every chunk and the usage chunk.
	if chunks != 5 || acc.ID != "chatcmpl-C1d2e3F4g5H6i7J8k9L0mN1o" || len(acc.Choices) != 1 ||
		acc.Choices[0].Message.Content != "Order A17 shipped on 1 November — it’s on its way." ||
		acc.Choices[0].FinishReason != "stop" || acc.Usage.PromptTokens != 58 || acc.Usage.CompletionTokens != 14 {
		t.Errorf("SDK accumulated %d chunks: %+v", chunks, acc.ChatCompletion)
	}
	req := srv.onlyRequest(t)
	body := req.jsonBody(t)
	if body["stream"] != true || !strings.Contains(string(req.body), `"include_usage":true`) {
		t.Errorf("server got %s", req.body)
	}

	// gpt-4.1-mini: 58 × 0.40 × 1000 = 23,200 n$ in; 14 × 1.60 × 1000 = 22,400 n$ out.
	want := call{
		name: "chat gpt-4.1-mini", operation: "chat", provider: "openai",
		reqModel: "gpt-4.1-mini", respModel: "gpt-4.1-mini-2025-04-14",
		respID: "chatcmpl-C1d2e3F4g5H6i7J8k9L0mN1o", finish: []string{"stop"}, stream: true,
		in: 58, out: 14,
		cost:     costs{total: 45_600, input: 23_200, output: 22_400},
		priceKey: "gpt-4.1-mini", priceMatch: "normalized",
	}
	checkCall(t, h.only(t), srv, want)
	checkMetrics(t, h, want)
	checkOpenAIKey(t, h, req)
}

func TestOpenAIResponsesStream(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		model   string
		want    call
		check   func(t *testing.T, final responses.Response, args string)
	}{{
		fixture: "openai_responses_stream_function_call.sse",
		model:   "o4-mini",
		// o4-mini ($1.10 in, $4.40 out and reasoning, $0.275 cache read per M):
		//	uncached (1290 − 1024) = 266 × 1.10 × 1000  =   292,600 n$
		//	cache read      1024 × 0.275 × 1000          =   281,600 n$
		//	input                                        =   574,200 n$
		//	visible output (188 − 128) = 60 × 4.40 × 1000 =  264,000 n$
		//	reasoning        128 × 4.40 × 1000           =   563,200 n$
		//	output                                       =   827,200 n$
		//	total                                        = 1,401,400 n$
		want: call{
			name: "chat o4-mini", operation: "chat", provider: "openai",
			reqModel: "o4-mini", respModel: "o4-mini-2025-04-16",
			respID: "resp_0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f",
			finish: []string{"tool_call"}, stream: true,
			in: 1290, out: 188, cacheRead: 1024, reasoning: 128,
			cost:     costs{total: 1_401_400, input: 574_200, output: 827_200, cacheRead: 281_600, reasoning: 563_200},
			priceKey: "o4-mini", priceMatch: "normalized",
			toolNames: []string{"lookup_order"}, toolIDs: []string{"call_Vb7Nm3Qw9Er5Ty1Ui8Op2As6"},
		},
		check: func(t *testing.T, final responses.Response, args string) {
			if final.Status != "completed" || final.Usage.OutputTokensDetails.ReasoningTokens != 128 ||
				final.Usage.InputTokensDetails.CachedTokens != 1024 || len(final.Output) != 2 ||
				final.Output[1].Name != "lookup_order" || final.Output[1].CallID != "call_Vb7Nm3Qw9Er5Ty1Ui8Op2As6" ||
				args != `{"order_id":"A17"}` {
				t.Errorf("SDK decoded %s / args %q", final.RawJSON(), args)
			}
		},
	}, {
		fixture: "openai_responses_stream_text.sse",
		model:   "gpt-4.1",
		// gpt-4.1 ($2 in, $8 out per M): 41 × 2 × 1000 = 82,000 n$ in; 8 × 8 × 1000 = 64,000 n$ out.
		want: call{
			name: "chat gpt-4.1", operation: "chat", provider: "openai",
			reqModel: "gpt-4.1", respModel: "gpt-4.1-2025-04-14",
			respID: "resp_1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607182",
			finish: []string{"length"}, stream: true,
			in: 41, out: 8,
			cost:     costs{total: 146_000, input: 82_000, output: 64_000},
			priceKey: "gpt-4.1", priceMatch: "normalized",
		},
		check: func(t *testing.T, final responses.Response, text string) {
			if final.Status != "incomplete" || final.IncompleteDetails.Reason != "max_output_tokens" ||
				final.OutputText() != "Dear customer, your order A17 is" || text != "Dear customer, your order A17 is" {
				t.Errorf("SDK decoded %s / deltas %q", final.RawJSON(), text)
			}
		},
	}} {
		t.Run(tc.model, func(t *testing.T) {
			h := newHarness(t)
			srv := serve(t, sseReply(wireFixture(t, tc.fixture)))
			client := newOpenAI(h, srv)
			stream := client.Responses.NewStreaming(context.Background(), responses.ResponseNewParams{
				Model:           tc.model,
				Input:           responses.ResponseNewParamsInputUnion{OfString: openai.String("Where is order A17?")},
				MaxOutputTokens: openai.Int(2048),
			})
			var final responses.Response
			var deltas strings.Builder
			terminal := 0
			for stream.Next() {
				ev := stream.Current()
				switch ev.Type {
				case "response.function_call_arguments.delta", "response.output_text.delta":
					deltas.WriteString(ev.Delta)
				case "response.completed", "response.incomplete":
					final = ev.Response
					terminal++
				}
			}
			if err := stream.Err(); err != nil {
				t.Fatal(err)
			}
			if err := stream.Close(); err != nil {
				t.Fatal(err)
			}
			if terminal != 1 {
				t.Fatalf("SDK saw %d terminal events", terminal)
			}
			tc.check(t, final, deltas.String())

			req := srv.onlyRequest(t)
			if req.path != "/v1/responses" || req.jsonBody(t)["stream"] != true {
				t.Errorf("server got %s %s", req.path, req.body)
			}
			s := h.only(t)
			checkCall(t, s, srv, tc.want)
			wantAttr(t, s, genaix.RequestMaxTokensKey, 2048)
			checkMetrics(t, h, tc.want)
			checkOpenAIKey(t, h, req)
		})
	}
}

func TestOpenAIEmbeddings(t *testing.T) {
	h := newHarness(t)
	srv := serve(t, jsonReply(wireFixture(t, "openai_embeddings_response.json")))
	client := newOpenAI(h, srv)

	resp, err := client.Embeddings.New(context.Background(), openai.EmbeddingNewParams{
		Model:          "text-embedding-3-small",
		Input:          openai.EmbeddingNewParamsInputUnion{OfArrayOfStrings: []string{"order A17 shipped from Rotterdam", "order B22 delayed at customs"}},
		EncodingFormat: openai.EmbeddingNewParamsEncodingFormatBase64,
		Dimensions:     openai.Int(8),
	})
	if err != nil {
		t.Fatal(err)
	}
	// The fixture's base64 vectors are little-endian float32s.
	f := func(v ...float32) []float64 {
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = float64(x)
		}
		return out
	}
	want := [][]float64{
		f(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8),
		f(-0.8, -0.6, -0.5, -0.3, -0.2, -0.1, 0.1, 1),
	}
	if len(resp.Data) != 2 || resp.Model != "text-embedding-3-small" || resp.Usage.PromptTokens != 13 {
		t.Fatalf("SDK decoded %s", resp.RawJSON())
	}
	for i, d := range resp.Data {
		if d.Index != int64(i) || len(d.Embedding) != 8 {
			t.Fatalf("embedding %d: %+v", i, d)
		}
		for j := range d.Embedding {
			if math.Float64bits(d.Embedding[j]) != math.Float64bits(want[i][j]) {
				t.Errorf("embedding %d[%d] = %v, want %v", i, j, d.Embedding[j], want[i][j])
			}
		}
	}

	s := h.only(t)
	// text-embedding-3-small ($0.02 per M): 13 × 0.02 × 1000 = 260 n$. Embeddings
	// have no output tokens, so the output total is reported missing, not 0.
	checkCall(t, s, srv, call{
		name: "embeddings text-embedding-3-small", operation: "embeddings", provider: "openai",
		reqModel: "text-embedding-3-small", respModel: "text-embedding-3-small",
		in: 13, missing: []string{"output"},
		cost:     costs{total: 260, input: 260},
		priceKey: "text-embedding-3-small",
	})
	wantAttr(t, s, genaix.EmbeddingsDimensionKey, 8)
	wantAttr(t, s, genaix.RequestEncodingFormatsKey, []string{"base64"})
	checkOpenAIKey(t, h, srv.onlyRequest(t))
}

// TestOpenAIRetry: the first attempt gets a retryable 500, the second the
// answer. Each attempt is a span; only the second has usage and cost, and the
// workflow counts the cost once.
func TestOpenAIRetry(t *testing.T) {
	h := newHarness(t)
	srv := serve(t,
		reply{
			status: 500, ctype: "application/json",
			header: map[string]string{"x-should-retry": "true", "retry-after-ms": "0"},
			body:   ownFixture(t, "openai_chat_error_500.json"),
		},
		jsonReply(wireFixture(t, "openai_chat_response_cached.json")),
	)
	client := newOpenAI(h, srv, option.WithMaxRetries(1))

	ctx, wf := genaix.StartWorkflow(context.Background(), "wf-retry", "order_status", genaix.WithTracerProvider(h.tp))
	resp, err := client.Chat.Completions.New(ctx, gpt4oParams())
	wf.End()
	if err != nil {
		t.Fatal(err)
	}
	if resp.Choices[0].Message.Content != gpt4oCachedText {
		t.Errorf("SDK decoded %q", resp.Choices[0].Message.Content)
	}
	reqs := srv.requests()
	if len(reqs) != 2 || reqs[0].header.Get("X-Stainless-Retry-Count") != "0" || reqs[1].header.Get("X-Stainless-Retry-Count") != "1" {
		t.Fatalf("server got %d requests", len(reqs))
	}
	if string(reqs[0].body) != string(reqs[1].body) {
		t.Error("the retried request body differs from the first")
	}

	llm := h.llmSpans()
	if len(llm) != 2 {
		t.Fatalf("want 2 attempt spans, got %v", names(h.spans()))
	}
	first, second := llm[0], llm[1]
	if first.Name != "chat gpt-4o" || first.Status.Code != codes.Error {
		t.Errorf("first attempt: %q status %v", first.Name, first.Status)
	}
	// openai-go closes the 500's body unread before it retries, so the
	// error type is the HTTP status.
	wantAttr(t, first, genaix.ErrorTypeKey, "500")
	wantAbsent(t, first, genaix.ResendCountKey, genaix.InputTokensKey, genaix.OutputTokensKey,
		genaix.CacheReadTokensKey, genaix.CostUSDKey, genaix.CostKey, genaix.ResponseIDKey)
	wantAttr(t, first, genaix.UnpricedKey, "no_usage")

	checkCall(t, second, srv, gpt4oCached)
	wantAttr(t, second, genaix.ResendCountKey, 1)
	for _, s := range llm {
		wantAttr(t, s, genaix.WorkflowIDKey, "wf-retry")
		if s.Parent.SpanID() != wf.Span().SpanContext().SpanID() {
			t.Errorf("%s is not a child of the workflow", s.Name)
		}
	}

	w := findSpan(t, h, "invoke_workflow order_status")
	// Cost counted once: the second attempt's. Both attempts are LLM calls
	// (Totals counts failed calls too); only one reported usage.
	wantCost(t, w, genaix.WorkflowTotalCostKey, gpt4oCached.cost.total)
	wantAttr(t, w, genaix.WorkflowLLMCallsKey, 2)
	wantAttr(t, w, genaix.WorkflowInputTokensKey, 1999)
	wantAttr(t, w, genaix.WorkflowOutputTokensKey, 212)
	wantAttr(t, w, genaix.WorkflowUnpricedKey, 0)
	if got := wf.Totals(); got.Cost != 4_877_500 || got.LLMCalls != 2 {
		t.Errorf("Workflow.Totals() = %+v", got)
	}
	// The token metric counts the usage once; the duration metric both attempts.
	rm := h.collect(t)
	if count, sum, _ := tokenMetrics(t, rm); count["input"] != 1 || sum["input"] != 1999 {
		t.Errorf("token metric counts %v sums %v", count, sum)
	}
	if n := durationCount(t, rm); n != 2 {
		t.Errorf("duration metric recorded %d operations, want 2", n)
	}
	noSecret(t, h.spans(), openaiKey)
}

// TestOpenRouterProviderCost: OpenRouter reports the call's cost in
// usage.cost. A cost reported by the provider takes precedence over a
// computed one and is marked as such (wire-formats §7, pitfalls §5); here no
// price is configured for the model, so only the reported cost can price it.
//
// KNOWN BUG (llmhttp): this test fails. See the message below.
func TestOpenRouterProviderCost(t *testing.T) {
	h := newHarness(t)
	srv := serve(t, sseReply(wireFixture(t, "openrouter_chat_stream_comment.sse")))
	client := openai.NewClient(
		option.WithMiddleware(h.middleware(llmhttp.WithProviderName("openrouter"))),
		option.WithBaseURL(srv.URL+"/api/v1"),
		option.WithAPIKey(openaiKey),
		option.WithMaxRetries(0),
	)
	stream := client.Chat.Completions.NewStreaming(context.Background(), openai.ChatCompletionNewParams{
		Model:         "openai/gpt-4o-mini",
		Messages:      []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Summarise today's late orders.")},
		StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)},
	})
	var acc openai.ChatCompletionAccumulator
	for stream.Next() {
		acc.AddChunk(stream.Current())
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	_ = stream.Close()
	if acc.Choices[0].Message.Content != "Summary: 3 late orders, all in zone B." || acc.Usage.PromptTokens != 17903 {
		t.Errorf("SDK accumulated %+v", acc.ChatCompletion)
	}

	s := h.only(t)
	wantAttr(t, s, genaix.ProviderNameKey, "openrouter")
	wantAttr(t, s, genaix.InputTokensKey, 17903) // 17,817 cached inside, not added again (langfuse #10592)
	wantAttr(t, s, genaix.CacheReadTokensKey, 17817)
	wantAttr(t, s, genaix.OutputTokensKey, 96)
	got, ok := costNanos(s, genaix.CostUSDKey)
	src, _ := attr(s, genaix.CostSourceKey)
	if !ok || got != 4_680_000 || src.AsString() != "provider" {
		reason, _ := attr(s, genaix.UnpricedKey)
		t.Errorf("BUG (llmhttp/instrument.go call.finish): the provider-reported cost usage.cost = 0.00468 USD, which "+
			"internal/wire parses into Result.ProviderCostUSD, is never used: the span has gen_ai.usage.cost_usd "+
			"present=%v (%d n$), genaix.cost.source=%q, genaix.cost.unpriced=%q. Expected cost_usd = 4,680,000 n$ "+
			"with genaix.cost.source=provider (and the workflow/turn totals counting that cost).",
			ok, got, src.AsString(), reason.AsString())
	}
	noSecret(t, h.spans(), openaiKey)
}
