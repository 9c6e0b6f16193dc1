// Package otelsetup sets up OpenTelemetry with genaix in one call, the Go
// counterpart of the Python SDK's install():
//
//	tel, err := otelsetup.Setup(ctx, otelsetup.WithServiceName("support-bot"))
//	if err != nil {
//		log.Fatal(err)
//	}
//	defer tel.Shutdown(context.Background()) // flushes spans and metrics
//
// Setup builds
//
//   - a resource: the service name (WithServiceName, else OTEL_SERVICE_NAME,
//     else "unknown_service:<executable>"), a service instance id, the
//     telemetry SDK attributes and OTEL_RESOURCE_ATTRIBUTES;
//   - a TracerProvider whose single span processor is the genaix
//     SpanProcessor, with the exporting batch processor behind it
//     (genaix.WithNext), so cost computed at the end of any span reaches the
//     exporter;
//   - a MeterProvider, which also records genaix's GenAI metrics;
//   - the W3C TraceContext and Baggage propagators;
//
// and installs them as the OpenTelemetry globals (unless WithoutGlobal), so
// genaix.Observe, genaix.StartWorkflow, the llmhttp instrumentation and any
// other OpenTelemetry instrumentation use them without further wiring.
//
// # Exporters
//
// Exporters come from the standard environment, through
// go.opentelemetry.io/contrib/exporters/autoexport:
//
//	OTEL_TRACES_EXPORTER, OTEL_METRICS_EXPORTER   otlp (default), console, none
//	                                              (metrics also: prometheus)
//	OTEL_EXPORTER_OTLP_PROTOCOL                   http/protobuf (default), grpc
//	OTEL_EXPORTER_OTLP_ENDPOINT, _HEADERS, …      as the OTLP exporters read them
//
// WithConsoleFallback replaces the OTLP default by the console format when
// those variables are unset, which suits demos and local runs;
// WithSpanExporter and WithMetricReader bypass the environment entirely.
//
// # Prices and content
//
// Prices come from WithPrices, from price files (WithPriceFile and the
// GENAIX_PRICES_FILE environment variable; any format pricing.LoadFile
// recognises), and from genaix options given with WithGenaixOptions. A file
// that cannot be read or parsed makes Setup fail with an error naming it.
//
// WithContentCapture sets whether genaix.Observe and genaix.ObserveTool record
// inputs and outputs. The HTTP instrumentation (package llmhttp) has its own
// opt-in for message content: llmhttp.WithContentCapture or
// OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true.
//
// # Baggage
//
// The Baggage propagator sends the baggage of a context on every outbound
// request that is instrumented for propagation, LLM providers included.
// genaix never puts its own values (conversation, user, workflow) in baggage;
// only baggage your code or an inbound request added travels.
package otelsetup
