package integration

import (
	"context"
	"strings"
	"testing"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/genaix/genaix-go"
)

const anthropicKey = "sk-ant-integration-SECRET-9z8y"

const claudeModel = "claude-sonnet-4-5-20250929"

// newAnthropic returns an anthropic-sdk-go client hooked to h and talking to
// srv, with the SDK's own OpenTelemetry off unless opts turn it on.
func newAnthropic(h *harness, srv *server, opts ...option.RequestOption) anthropic.Client {
	return anthropic.NewClient(append([]option.RequestOption{
		option.WithMiddleware(h.middleware()),
		option.WithBaseURL(srv.URL),
		option.WithAPIKey(anthropicKey),
		option.WithMaxRetries(0),
		option.WithoutOpenTelemetry(),
	}, opts...)...)
}

func checkAnthropicKey(t *testing.T, h *harness, req request) {
	t.Helper()
	if got := req.header.Get("X-Api-Key"); got != anthropicKey {
		t.Errorf("server saw x-api-key %q", got)
	}
	noSecret(t, h.spans(), anthropicKey)
}

func lookupOrderTool() []anthropic.ToolUnionParam {
	return []anthropic.ToolUnionParam{{OfTool: &anthropic.ToolParam{
		Name:        "lookup_order",
		Description: anthropic.String("Look up an order by its id."),
		InputSchema: anthropic.ToolInputSchemaParam{
			Properties: map[string]any{"order_id": map[string]any{"type": "string"}},
			Required:   []string{"order_id"},
		},
	}}}
}

func claudeParams() anthropic.MessageNewParams {
	return anthropic.MessageNewParams{
		Model:         claudeModel,
		MaxTokens:     4096,
		System:        []anthropic.TextBlockParam{{Text: "You are an order-tracking agent for Acme Logistics."}},
		Messages:      []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("Where is order A17?"))},
		Tools:         lookupOrderTool(),
		Temperature:   anthropic.Float(1),
		StopSequences: []string{"</answer>"},
	}
}

// claudeToolUse is anthropic_messages_response.json as the span must report
// it. Anthropic reports cache reads and writes outside input_tokens, so the
// normalised input is 20 + 3000 + 500 = 3520.
//
// Cost by hand (claude-sonnet-4-5: $3 in, $15 out, $0.30 cache read, $3.75
// 5-minute cache write per M; the 500 written tokens are all 5-minute):
//
//	uncached       20 × 3 × 1000        =    60,000 n$
//	cache read   3000 × 0.30 × 1000     =   900,000 n$
//	cache write   500 × 3.75 × 1000     = 1,875,000 n$
//	input                               = 2,835,000 n$
//	visible out  (150 − 100) × 15 × 1000 =  750,000 n$
//	thinking      100 × 15 × 1000       = 1,500,000 n$
//	output                              = 2,250,000 n$
//	total                               = 5,085,000 n$
var claudeToolUse = call{
	name: "chat " + claudeModel, operation: "chat", provider: "anthropic",
	reqModel: claudeModel, respModel: claudeModel,
	respID: "msg_01XFDUDYJgAACzvnptvVoYEL", finish: []string{"tool_use"},
	in: 3520, out: 150, cacheRead: 3000, cacheWrite: 500, reasoning: 100,
	cost: costs{
		total: 5_085_000, input: 2_835_000, output: 2_250_000,
		cacheRead: 900_000, cacheWrite: 1_875_000, reasoning: 1_500_000,
	},
	priceKey: "claude-sonnet-4-5", priceMatch: "normalized",
	toolNames: []string{"lookup_order"}, toolIDs: []string{"toolu_01A09q90qw90lq917835lq9"},
}

// checkClaudeToolUse checks the SDK decoded anthropic_messages_response.json.
func checkClaudeToolUse(t *testing.T, msg *anthropic.Message) {
	t.Helper()
	if msg.ID != "msg_01XFDUDYJgAACzvnptvVoYEL" || msg.StopReason != "tool_use" || len(msg.Content) != 3 ||
		msg.Usage.InputTokens != 20 || msg.Usage.CacheReadInputTokens != 3000 ||
		msg.Usage.CacheCreationInputTokens != 500 || msg.Usage.OutputTokens != 150 {
		t.Fatalf("SDK decoded %s", msg.RawJSON())
	}
	if c := msg.Content[0]; c.Type != "thinking" || c.Thinking != "The user asks about A17; I should look it up." {
		t.Errorf("content[0] = %s", c.RawJSON())
	}
	if c := msg.Content[1]; c.Type != "text" || c.Text != "Let me check that order." {
		t.Errorf("content[1] = %s", c.RawJSON())
	}
	if c := msg.Content[2]; c.Type != "tool_use" || c.ID != "toolu_01A09q90qw90lq917835lq9" || c.Name != "lookup_order" ||
		string(c.Input) != `{"order_id": "A17"}` {
		t.Errorf("content[2] = %s", c.RawJSON())
	}
}

func TestAnthropicMessagesToolUse(t *testing.T) {
	h := newHarness(t)
	srv := serve(t, jsonReply(wireFixture(t, "anthropic_messages_response.json")))
	client := newAnthropic(h, srv)

	msg, err := client.Messages.New(context.Background(), claudeParams())
	if err != nil {
		t.Fatal(err)
	}
	checkClaudeToolUse(t, msg)

	req := srv.onlyRequest(t)
	if req.path != "/v1/messages" || req.jsonBody(t)["model"] != claudeModel {
		t.Errorf("server got %s %s", req.path, req.body)
	}
	s := h.only(t) // WithoutOpenTelemetry: genaix's span only
	checkCall(t, s, srv, claudeToolUse)
	wantAttr(t, s, genaix.RequestMaxTokensKey, 4096)
	wantAttr(t, s, genaix.RequestTemperatureKey, 1.0)
	wantAttr(t, s, genaix.RequestStopSequencesKey, []string{"</answer>"})
	checkMetrics(t, h, claudeToolUse)
	checkAnthropicKey(t, h, req)
}

func TestAnthropicStreamCache(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fixture []byte
		want    call
		check   func(t *testing.T, msg anthropic.Message)
	}{{
		// 5-minute cache write, priced at the CacheWrite rate. Normalised
		// input = 35 + 12,000 read + 2,200 written = 14,235.
		//	uncached       35 × 3 × 1000      =    105,000 n$
		//	cache read  12000 × 0.30 × 1000   =  3,600,000 n$
		//	cache write  2200 × 3.75 × 1000   =  8,250,000 n$
		//	input                             = 11,955,000 n$
		//	output         64 × 15 × 1000     =    960,000 n$
		//	total                             = 12,915,000 n$
		name:    "5m",
		fixture: ownFixture(t, "anthropic_messages_stream_cache_5m.sse"),
		want: call{
			name: "chat " + claudeModel, operation: "chat", provider: "anthropic",
			reqModel: claudeModel, respModel: claudeModel,
			respID: "msg_01Tq8Wz4Rk2Yp6Nd3Hs9Ve5C", finish: []string{"end_turn"}, stream: true,
			in: 14_235, out: 64, cacheRead: 12_000, cacheWrite: 2_200,
			cost: costs{
				total: 12_915_000, input: 11_955_000, output: 960_000,
				cacheRead: 3_600_000, cacheWrite: 8_250_000,
			},
			priceKey: "claude-sonnet-4-5", priceMatch: "normalized",
		},
		check: func(t *testing.T, msg anthropic.Message) {
			if msg.ID != "msg_01Tq8Wz4Rk2Yp6Nd3Hs9Ve5C" || msg.StopReason != "end_turn" || len(msg.Content) != 1 ||
				msg.Content[0].Text != "Per the returns policy, order B22 can be returned until 30 November — free of charge." ||
				msg.Usage.InputTokens != 35 || msg.Usage.CacheReadInputTokens != 12_000 ||
				msg.Usage.CacheCreationInputTokens != 2_200 || msg.Usage.OutputTokens != 64 {
				t.Errorf("SDK accumulated %s", msg.RawJSON())
			}
		},
	}, {
		// 1-hour cache write (the wire-parser fixture), priced at the
		// CacheWrite1h rate ($6/M, not $3.75). Normalised input = 12 + 20,480
		// + 1,843 = 22,335.
		//	uncached       12 × 3 × 1000      =     36,000 n$
		//	cache read  20480 × 0.30 × 1000   =  6,144,000 n$
		//	cache write  1843 × 6 × 1000      = 11,058,000 n$
		//	input                             = 17,238,000 n$
		//	visible out (187 − 96) = 91 × 15 × 1000 = 1,365,000 n$
		//	thinking       96 × 15 × 1000     =  1,440,000 n$
		//	output                            =  2,805,000 n$
		//	total                             = 20,043,000 n$
		name:    "1h",
		fixture: wireFixture(t, "anthropic_messages_stream_cache.sse"),
		want: call{
			name: "chat " + claudeModel, operation: "chat", provider: "anthropic",
			reqModel: claudeModel, respModel: claudeModel,
			respID: "msg_01Hq7Ls3Vb9Nx2Mc5Kd8Jf1G", finish: []string{"tool_use"}, stream: true,
			in: 22_335, out: 187, cacheRead: 20_480, cacheWrite: 1_843, reasoning: 96,
			cost: costs{
				total: 20_043_000, input: 17_238_000, output: 2_805_000,
				cacheRead: 6_144_000, cacheWrite: 11_058_000, reasoning: 1_440_000,
			},
			priceKey: "claude-sonnet-4-5", priceMatch: "normalized",
			toolNames: []string{"lookup_order"}, toolIDs: []string{"toolu_01T9xqRm4Ve7Nb2Lp8Kc5Wd3"},
		},
		check: func(t *testing.T, msg anthropic.Message) {
			if msg.ID != "msg_01Hq7Ls3Vb9Nx2Mc5Kd8Jf1G" || msg.StopReason != "tool_use" || len(msg.Content) != 3 ||
				msg.Content[0].Thinking != "A17 is not in the cached policy; I need the order tool." ||
				msg.Content[1].Text != "Checking order A17 now." ||
				msg.Content[2].Name != "lookup_order" || string(msg.Content[2].Input) != `{"order_id": "A17"}` ||
				msg.Usage.CacheCreation.Ephemeral1hInputTokens != 1843 || msg.Usage.OutputTokens != 187 {
				t.Errorf("SDK accumulated %s", msg.RawJSON())
			}
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			srv := serve(t, sseReply(tc.fixture))
			client := newAnthropic(h, srv)
			stream := client.Messages.NewStreaming(context.Background(), claudeParams())
			var msg anthropic.Message
			for stream.Next() {
				if err := msg.Accumulate(stream.Current()); err != nil {
					t.Fatal(err)
				}
			}
			if err := stream.Err(); err != nil {
				t.Fatal(err)
			}
			if err := stream.Close(); err != nil {
				t.Fatal(err)
			}
			tc.check(t, msg)

			req := srv.onlyRequest(t)
			if req.jsonBody(t)["stream"] != true {
				t.Errorf("server got %s", req.body)
			}
			s := h.only(t)
			checkCall(t, s, srv, tc.want)
			checkMetrics(t, h, tc.want)
			checkAnthropicKey(t, h, req)
		})
	}
}

// TestAnthropicWithSDKTelemetry runs anthropic-sdk-go with its built-in
// OpenTelemetry on, through the global TracerProvider, which is genaix's.
// The SDK's span wraps genaix's; the call must still be priced on one span
// only and counted once in the workflow.
func TestAnthropicWithSDKTelemetry(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stream bool
	}{{"messages", false}, {"stream", true}} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			prev := otel.GetTracerProvider()
			otel.SetTracerProvider(h.tp)
			t.Cleanup(func() { otel.SetTracerProvider(prev) })

			var rep reply
			want := claudeToolUse
			if tc.stream {
				rep = sseReply(ownFixture(t, "anthropic_messages_stream_cache_5m.sse"))
				want = call{
					name: "chat " + claudeModel, operation: "chat", provider: "anthropic",
					reqModel: claudeModel, respModel: claudeModel,
					respID: "msg_01Tq8Wz4Rk2Yp6Nd3Hs9Ve5C", finish: []string{"end_turn"}, stream: true,
					in: 14_235, out: 64, cacheRead: 12_000, cacheWrite: 2_200,
					cost: costs{
						total: 12_915_000, input: 11_955_000, output: 960_000,
						cacheRead: 3_600_000, cacheWrite: 8_250_000,
					},
					priceKey: "claude-sonnet-4-5", priceMatch: "normalized",
				}
			} else {
				rep = jsonReply(wireFixture(t, "anthropic_messages_response.json"))
			}
			srv := serve(t, rep)
			// The SDK's telemetry on: no WithoutOpenTelemetry this time.
			client := anthropic.NewClient(
				option.WithMiddleware(h.middleware()),
				option.WithBaseURL(srv.URL),
				option.WithAPIKey(anthropicKey),
				option.WithMaxRetries(0),
				option.WithOpenTelemetryTraces(true),
			)

			ctx, wf := genaix.StartWorkflow(context.Background(), "wf-sdk-otel", "support", genaix.WithTracerProvider(h.tp))
			if tc.stream {
				stream := client.Messages.NewStreaming(ctx, claudeParams())
				var msg anthropic.Message
				for stream.Next() {
					if err := msg.Accumulate(stream.Current()); err != nil {
						t.Fatal(err)
					}
				}
				if err := stream.Err(); err != nil {
					t.Fatal(err)
				}
				_ = stream.Close()
				if msg.ID != want.respID || msg.Usage.CacheReadInputTokens != 12_000 {
					t.Errorf("SDK accumulated %s", msg.RawJSON())
				}
			} else {
				msg, err := client.Messages.New(ctx, claudeParams())
				if err != nil {
					t.Fatal(err)
				}
				checkClaudeToolUse(t, msg)
			}
			wf.End()

			checkSDKSpanNesting(t, h, srv, want)
			w := findSpan(t, h, "invoke_workflow support")
			wantCost(t, w, genaix.WorkflowTotalCostKey, want.cost.total)
			wantAttr(t, w, genaix.WorkflowLLMCallsKey, 1)
			wantAttr(t, w, genaix.WorkflowInputTokensKey, want.in)
			wantAttr(t, w, genaix.WorkflowOutputTokensKey, want.out)
			if got := wf.Totals(); int64(got.Cost) != want.cost.total || got.LLMCalls != 1 {
				t.Errorf("Workflow.Totals() = %+v", got)
			}
			rm := h.collect(t)
			if count, sum, _ := tokenMetrics(t, rm); count["input"] != 1 || sum["input"] != want.in {
				t.Errorf("token metric counts %v sums %v, want the call once", count, sum)
			}
			if got := costMetric(t, rm); got["input"]+got["output"] != want.cost.total {
				t.Errorf("cost metric = %v, want the call's cost once (%d n$)", got, want.cost.total)
			}
			noSecret(t, h.spans(), anthropicKey)
		})
	}
}

// TestAnthropicWithSDKTelemetryNoScope is the same call without any genaix
// scope (no workflow, conversation or Observe) around it: the SDK's span must
// still not be priced a second time, nor its tokens recorded twice in the
// metrics.
//
// KNOWN BUG (genaix SpanProcessor, not llmhttp): this test fails. See the
// message below.
func TestAnthropicWithSDKTelemetryNoScope(t *testing.T) {
	h := newHarness(t)
	prev := otel.GetTracerProvider()
	otel.SetTracerProvider(h.tp)
	t.Cleanup(func() { otel.SetTracerProvider(prev) })
	srv := serve(t, jsonReply(wireFixture(t, "anthropic_messages_response.json")))
	client := anthropic.NewClient(
		option.WithMiddleware(h.middleware()),
		option.WithBaseURL(srv.URL),
		option.WithAPIKey(anthropicKey),
		option.WithMaxRetries(0),
		option.WithOpenTelemetryTraces(true),
	)
	msg, err := client.Messages.New(context.Background(), claudeParams())
	if err != nil {
		t.Fatal(err)
	}
	checkClaudeToolUse(t, msg)

	sdk := checkSDKSpanNesting(t, h, srv, claudeToolUse)
	if c, ok := costNanos(sdk, genaix.CostUSDKey); ok {
		t.Errorf("BUG (processor.go SpanProcessor.OnStart/finish, llmcall.go StartLLMCall): outside any genaix scope, "+
			"anthropic-sdk-go's own span %q (scope %s) is priced as a second leaf (gen_ai.usage.cost_usd = %d n$) and "+
			"its tokens and cost are recorded in the metrics again. OnStart tracks only spans started in a genaix scope, "+
			"so the SDK's span is not in the live-span map; StartLLMCall's markAncestors cannot reach it, and at OnEnd "+
			"finish(f, st == nil) treats it as a leaf. Expected: only genaix's %q span carries cost, metrics count the call once "+
			"(as they do inside a workflow, TestAnthropicWithSDKTelemetry).",
			sdk.Name, sdk.InstrumentationScope.Name, c, claudeToolUse.name)
	}
	rm := h.collect(t)
	if count, _, _ := tokenMetrics(t, rm); count["input"] != 1 {
		t.Errorf("token metric recorded the call %d times, want once", count["input"])
	}
	if got := costMetric(t, rm); got["input"]+got["output"] != claudeToolUse.cost.total {
		t.Errorf("cost metric = %v n$, want the call's cost once (%d n$)", got, claudeToolUse.cost.total)
	}
	noSecret(t, h.spans(), anthropicKey)
}

// checkSDKSpanNesting checks that the SDK made its own span, that genaix's
// LLM span is its child and fully attributed, and that only genaix's span
// carries cost.
func checkSDKSpanNesting(t *testing.T, h *harness, srv *server, want call) tracetest.SpanStub {
	t.Helper()
	var sdk []tracetest.SpanStub
	for _, s := range h.spans() {
		if strings.HasPrefix(s.InstrumentationScope.Name, "com.anthropic.sdk.go") {
			sdk = append(sdk, s)
		}
	}
	llm := h.llmSpans()
	if len(sdk) != 1 || len(llm) != 1 {
		t.Fatalf("want one SDK span and one genaix span, got %v", names(h.spans()))
	}
	if llm[0].Parent.SpanID() != sdk[0].SpanContext.SpanID() {
		t.Errorf("genaix's span is not a child of the SDK's span %q", sdk[0].Name)
	}
	checkCall(t, llm[0], srv, want)

	var priced []string // cost keys, by span: only genaix's may have them
	for _, s := range h.spans() {
		for _, k := range []attribute.Key{genaix.CostUSDKey, genaix.CostKey, genaix.UnpricedKey} {
			if _, ok := attr(s, k); ok {
				priced = append(priced, s.Name+" "+string(k))
			}
		}
	}
	if len(priced) != 2 { // cost_usd and cost, both on genaix's span
		t.Errorf("cost attributes on %v, want only on %q", priced, llm[0].Name)
	}
	// The SDK's span keeps its own gen_ai attributes; it is not a second leaf.
	wantAbsent(t, sdk[0], genaix.CostUSDKey, genaix.CostKey, genaix.CostInputUSDKey, genaix.UnpricedKey)
	// Both spans normalise Anthropic's input the same way.
	wantAttr(t, sdk[0], genaix.InputTokensKey, want.in)
	wantAttr(t, sdk[0], genaix.OutputTokensKey, want.out)
	return sdk[0]
}
