package genaix_test

import (
	"context"
	"fmt"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/genaix/genaix-go"
)

// exampleProvider is a TracerProvider whose spans go through a genaix
// processor into an in-memory exporter, so the examples can show what was
// recorded. A real application puts its OTLP exporter's batch processor here.
func exampleProvider(opts ...genaix.Option) (*sdktrace.TracerProvider, *tracetest.InMemoryExporter) {
	exp := tracetest.NewInMemoryExporter()
	proc := genaix.NewSpanProcessor(append(opts, genaix.WithNext(sdktrace.NewSimpleSpanProcessor(exp)))...)
	return sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(proc)), exp
}

func value(s tracetest.SpanStub, key attribute.Key) string {
	for _, kv := range s.Attributes {
		if kv.Key == key {
			return kv.Value.String()
		}
	}
	return "-"
}

func ExampleNewSpanProcessor() {
	exp := tracetest.NewInMemoryExporter()
	proc := genaix.NewSpanProcessor(
		genaix.WithPrices(genaix.Prices{"gpt-4o": {Input: 2.50, Output: 10}}),
		genaix.WithNext(sdktrace.NewSimpleSpanProcessor(exp)), // your exporter's processor goes here
	)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(proc))
	defer tp.Shutdown(context.Background())

	ctx := genaix.WithConversation(context.Background(), "support-42")
	_, span := tp.Tracer("any-library").Start(ctx, "vector.search")
	span.End()

	fmt.Println(value(exp.GetSpans()[0], genaix.ConversationIDKey))
	// Output: support-42
}

func ExampleWithConversation() {
	tp, exp := exampleProvider()
	for range 3 { // three requests in one conversation
		ctx := genaix.WithConversation(context.Background(), "chat-7", genaix.UserID("ada"))
		_, _ = genaix.Observe(ctx, "reply", func(ctx context.Context) (string, error) {
			return "hello", nil
		}, genaix.WithTracerProvider(tp))
	}
	for _, s := range exp.GetSpans() {
		fmt.Println(s.Name, value(s, genaix.ConversationIDKey), value(s, genaix.UserIDKey), "turn", value(s, genaix.TurnNumberKey))
	}
	// Output:
	// reply chat-7 ada turn 1
	// reply chat-7 ada turn 2
	// reply chat-7 ada turn 3
}

func ExampleWithAgent() {
	ctx := genaix.WithAgent(context.Background(), "triage", genaix.AgentID("agent-1"), genaix.AgentVersion("3"))
	a := genaix.ScopeFrom(ctx).Agent
	fmt.Println(a.Name, a.ID, a.Version)
	// Output: triage agent-1 3
}

func ExampleWithAttributes() {
	ctx := genaix.WithAttributes(context.Background(), attribute.String("tenant", "acme"), attribute.String("plan", "free"))
	ctx = genaix.WithAttributes(ctx, attribute.String("plan", "pro")) // inner wins
	fmt.Println(genaix.ScopeFrom(ctx).Attributes)
	// Output: [{"tenant":"acme"} {"plan":"pro"}]
}

func ExampleScopeFrom() {
	ctx := genaix.WithConversation(context.Background(), "c-1", genaix.UserID("u-1"))
	ctx = genaix.WithWorkflow(ctx, "wf-9", "rag")
	s := genaix.ScopeFrom(ctx)
	fmt.Println(s.ConversationID, s.UserID, s.WorkflowID, s.WorkflowType)
	// Output: c-1 u-1 wf-9 rag
}

func ExampleObserve() {
	tp, exp := exampleProvider()
	type Answer struct{ Text string }
	ans, err := genaix.Observe(context.Background(), "answer_question",
		func(ctx context.Context) (Answer, error) {
			return Answer{Text: "42"}, nil // call your model here
		},
		genaix.WithTracerProvider(tp),
		genaix.Input("What is the answer?"),
		genaix.Tags("faq"),
	)
	s := exp.GetSpans()[0]
	fmt.Println(ans.Text, err)
	fmt.Println(s.Name, value(s, genaix.SpanKindKey), value(s, genaix.TagsKey))
	for _, e := range s.Events {
		fmt.Println(e.Name, e.Attributes[0].Value.String())
	}
	// Output:
	// 42 <nil>
	// answer_question llm ["faq"]
	// gen_ai.content.prompt What is the answer?
	// gen_ai.content.completion {"Text":"42"}
}

func ExampleObserveTool() {
	tp, exp := exampleProvider()
	temp, _ := genaix.ObserveTool(context.Background(), "get_weather", map[string]string{"city": "Oslo"},
		func(ctx context.Context) (float64, error) { return 21.5, nil },
		genaix.WithTracerProvider(tp), genaix.ToolCallID("call_1"))
	s := exp.GetSpans()[0]
	fmt.Println(temp, s.Name, value(s, genaix.ToolCallArgumentsKey), value(s, genaix.ToolCallResultKey))
	// Output: 21.5 execute_tool get_weather {"city":"Oslo"} 21.5
}

func ExampleSetToolAttributes() {
	tp, exp := exampleProvider()
	_, span := tp.Tracer("app").Start(context.Background(), "my-tool")
	genaix.SetToolAttributes(span, genaix.Tool{Name: "search", CallID: "call_9", Arguments: "golang"})
	span.End()
	s := exp.GetSpans()[0]
	fmt.Println(value(s, genaix.ToolNameKey), value(s, genaix.ToolCallIDKey), value(s, genaix.ToolCallArgumentsKey))
	// Output: search call_9 golang
}

func ExampleStartWorkflow() {
	tp, exp := exampleProvider()
	ctx, wf := genaix.StartWorkflow(context.Background(), "order-17", "refund", genaix.WithTracerProvider(tp))
	_, _ = genaix.ObserveTool(ctx, "lookup_order", "A17", func(context.Context) (string, error) { return "shipped", nil },
		genaix.WithTracerProvider(tp))
	wf.End()
	fmt.Println("tool calls:", wf.Totals().ToolCalls)
	for _, s := range exp.GetSpans() {
		fmt.Println(s.Name, value(s, genaix.WorkflowIDKey), value(s, genaix.WorkflowTypeKey))
	}
	// Output:
	// tool calls: 1
	// execute_tool lookup_order order-17 refund
	// invoke_workflow refund order-17 refund
}

func ExampleWithWorkflow() {
	ctx := genaix.WithWorkflow(context.Background(), "ingest-3", "ingest")
	fmt.Println(genaix.ScopeFrom(ctx).WorkflowType)
	// Output: ingest
}

func ExampleNewTurnCounter() {
	counter := genaix.NewTurnCounter(10_000) // or your shared-store implementation
	_ = genaix.NewSpanProcessor(genaix.WithTurnCounter(counter))
	n1, _ := counter.NextTurn(context.Background(), "conv-1")
	n2, _ := counter.NextTurn(context.Background(), "conv-1")
	fmt.Println(n1, n2)
	// Output: 1 2
}
