package otelsetup_test

import (
	"context"
	"fmt"
	"log"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/otelsetup"
)

// Setup with an in-memory exporter instead of the OTEL_* environment, so the
// example needs no collector. In a program, call Setup with no exporter
// option (and perhaps WithConsoleFallback(os.Stderr)) and let
// OTEL_TRACES_EXPORTER and friends decide.
func Example() {
	ctx := context.Background()
	exp := tracetest.NewInMemoryExporter()
	tel, err := otelsetup.Setup(ctx,
		otelsetup.WithServiceName("support-bot"),
		otelsetup.WithPrices(genaix.Prices{"gpt-4o": {Input: 2.50, Output: 10}}),
		otelsetup.WithSpanExporter(exp),
		otelsetup.WithMetricReader(sdkmetric.NewManualReader()),
	)
	if err != nil {
		log.Fatal(err)
	}
	defer tel.Shutdown(ctx)

	// One request of a conversation. Any span started under ctx, here one an
	// LLM instrumentation would make, carries the conversation and is priced.
	ctx = genaix.WithConversation(ctx, "support-42", genaix.UserID("ada"))
	_, span := otel.Tracer("some-llm-sdk").Start(ctx, "chat gpt-4o", trace.WithAttributes(
		attribute.String("gen_ai.operation.name", "chat"),
		attribute.String("gen_ai.provider.name", "openai"),
		attribute.String("gen_ai.request.model", "gpt-4o"),
		attribute.Int("gen_ai.usage.input_tokens", 1200),
		attribute.Int("gen_ai.usage.output_tokens", 300),
	))
	span.End()

	if err := tel.ForceFlush(ctx); err != nil {
		log.Fatal(err)
	}
	for _, s := range exp.GetSpans() {
		attrs := map[attribute.Key]attribute.Value{}
		for _, kv := range s.Attributes {
			attrs[kv.Key] = kv.Value
		}
		fmt.Printf("%s: conversation=%s user=%s cost=$%.4f\n", s.Name,
			attrs[genaix.ConversationIDKey].AsString(), attrs[genaix.UserIDKey].AsString(),
			attrs[genaix.CostUSDKey].AsFloat64())
	}
	totals, _ := tel.Processor().ConversationTotals("support-42")
	fmt.Printf("conversation so far: %d call(s), $%.4f\n", totals.LLMCalls, totals.CostUSD())
	// Output:
	// chat gpt-4o: conversation=support-42 user=ada cost=$0.0060
	// conversation so far: 1 call(s), $0.0060
}
