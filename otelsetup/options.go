package otelsetup

import (
	"io"
	"maps"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/genaix/genaix-go"
)

// PricesFileEnv is the environment variable naming a price file Setup loads,
// in any format pricing.LoadFile recognises (genaix, LiteLLM, genai-prices).
// Files given with WithPriceFile win over it for models both price.
const PricesFileEnv = "GENAIX_PRICES_FILE"

// Option configures Setup.
type Option func(*config)

type config struct {
	serviceName     string
	prices          genaix.Prices
	priceFiles      []string
	capture         *bool
	genaixOpts      []genaix.Option
	spanExporter    sdktrace.SpanExporter
	metricReader    sdkmetric.Reader
	consoleFallback io.Writer
	resourceOpts    []resource.Option
	tracerOpts      []sdktrace.TracerProviderOption
	meterOpts       []sdkmetric.Option
	noGlobal        bool
}

func newConfig(opts []Option) config {
	var c config
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// WithServiceName sets the service.name resource attribute. It wins over
// OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, as options given in code
// win over the environment throughout the OpenTelemetry Go SDK; without it,
// those variables name the service, else "unknown_service:<executable>".
func WithServiceName(name string) Option {
	return func(c *config) { c.serviceName = name }
}

// WithPrices adds model prices, in US dollars per million tokens. They win
// over the prices of every price file. Several calls add up, later ones
// winning for a model both price.
func WithPrices(p genaix.Prices) Option {
	return func(c *config) {
		if c.prices == nil {
			c.prices = make(genaix.Prices, len(p))
		}
		maps.Copy(c.prices, p)
	}
}

// WithPriceFile loads prices from the file at path, in any format
// pricing.LoadFile recognises. Several files may be given; earlier ones win
// for a model several price, and all win over GENAIX_PRICES_FILE. A file
// that cannot be read or parsed makes Setup fail.
func WithPriceFile(path string) Option {
	return func(c *config) { c.priceFiles = append(c.priceFiles, path) }
}

// WithContentCapture sets whether genaix.Observe and genaix.ObserveTool
// record inputs and outputs (default on, as in the last9-genai Python SDK;
// per-call options still override it). The HTTP instrumentation has its own
// opt-in for message content, off by default: llmhttp.WithContentCapture or
// OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true.
func WithContentCapture(on bool) Option {
	return func(c *config) { c.capture = &on }
}

// WithGenaixOptions passes more options to the genaix SpanProcessor, such as
// genaix.WithRedactor, genaix.WithTurnCounter or genaix.WithMaxConversations.
// They are applied after the ones Setup derives from its own options, so they
// win where both set the same thing; genaix.WithPriceTable, in particular,
// replaces the prices of WithPrices and the price files. Do not pass
// genaix.WithNext: the exporting processor is Setup's to place.
func WithGenaixOptions(opts ...genaix.Option) Option {
	return func(c *config) { c.genaixOpts = append(c.genaixOpts, opts...) }
}

// WithSpanExporter exports spans to e, through a batch span processor behind
// the genaix processor, instead of the exporter OTEL_TRACES_EXPORTER
// selects. Shutdown shuts e down.
func WithSpanExporter(e sdktrace.SpanExporter) Option {
	return func(c *config) { c.spanExporter = e }
}

// WithMetricReader collects metrics with r (an sdkmetric.ManualReader in
// tests, a PeriodicReader around any exporter) instead of the reader
// OTEL_METRICS_EXPORTER selects. Shutdown shuts r down.
func WithMetricReader(r sdkmetric.Reader) Option {
	return func(c *config) { c.metricReader = r }
}

// WithConsoleFallback writes spans and metrics to w in the console format
// (one JSON object per line) when OTEL_TRACES_EXPORTER, respectively
// OTEL_METRICS_EXPORTER, is unset or empty, instead of autoexport's default
// of OTLP to localhost. A variable that is set still decides, so a deployment
// can switch a demo to OTLP without a code change.
func WithConsoleFallback(w io.Writer) Option {
	return func(c *config) { c.consoleFallback = w }
}

// WithResourceOptions adds options, detectors and attributes to the resource
// Setup builds. They are applied after Setup's own (the service name, the
// SDK and environment attributes), so they win for the same key.
func WithResourceOptions(opts ...resource.Option) Option {
	return func(c *config) { c.resourceOpts = append(c.resourceOpts, opts...) }
}

// WithTracerProviderOptions passes options, such as a sampler
// (sdktrace.WithSampler), span limits or an id generator, to the
// TracerProvider Setup builds. A span processor added here
// (sdktrace.WithSpanProcessor, sdktrace.WithBatcher) runs beside genaix's,
// not behind it: it sees the context genaix stamps on spans but not the cost
// genaix computes at the end of other libraries' spans.
func WithTracerProviderOptions(opts ...sdktrace.TracerProviderOption) Option {
	return func(c *config) { c.tracerOpts = append(c.tracerOpts, opts...) }
}

// WithMeterProviderOptions passes options, such as views (sdkmetric.WithView)
// or further readers, to the MeterProvider Setup builds.
func WithMeterProviderOptions(opts ...sdkmetric.Option) Option {
	return func(c *config) { c.meterOpts = append(c.meterOpts, opts...) }
}

// WithoutGlobal leaves the OpenTelemetry globals (TracerProvider,
// MeterProvider, propagator) alone. Use the providers through the Telemetry
// accessors then: genaix.WithTracerProvider(tel.TracerProvider()) for
// genaix.Observe and friends, llmhttp.WithTracerProvider for the HTTP
// instrumentation, tel.Propagator() for propagation.
func WithoutGlobal() Option {
	return func(c *config) { c.noGlobal = true }
}
