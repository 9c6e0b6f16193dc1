// Package genaix extends OpenTelemetry for LLM applications: it puts
// conversations, workflows, agents and cost on the spans your application
// already makes.
//
// LLM applications think in conversations and workflows; OpenTelemetry thinks
// in traces. A ten-turn chat is ten traces. genaix closes the gap without
// replacing your TracerProvider or exporter:
//
//   - WithConversation, WithWorkflow, WithAgent, WithUser and WithAttributes put
//     values in a context.Context. The SpanProcessor stamps them on every span
//     started under that context — by genaix, by other instrumentation, by
//     your own tracer — and numbers conversation turns automatically.
//   - Observe wraps a function in a span with its input, output, latency,
//     error and, for LLM responses, model, token usage and cost. ObserveTool
//     does the same for tool executions; StartWorkflow opens a workflow span
//     whose totals (cost, tokens, LLM and tool calls) are rolled up from every
//     call inside it.
//   - Prices are yours to give (WithPrices, or files loaded with the pricing
//     package); every GenAI span that reports usage is priced, including spans
//     of other libraries, and a model without a price is flagged, never $0.
//
// Register the processor in front of your exporter:
//
//	exp, _ := otlptracehttp.New(ctx)
//	proc := genaix.NewSpanProcessor(
//		genaix.WithPrices(genaix.Prices{"gpt-4o": {Input: 2.50, Output: 10}}),
//		genaix.WithNext(sdktrace.NewBatchSpanProcessor(exp)),
//	)
//	otel.SetTracerProvider(sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(proc)))
//
// The attributes genaix emits are listed in attributes.go and in the README.
// They include the standard OpenTelemetry GenAI names (semconv v1.41.0) and the
// schema of the last9-genai Python SDK, so dashboards built for either work.
//
// genaix keeps its values under an unexported context key, never in baggage, so
// they do not leave the process unless you ask them to.
package genaix
