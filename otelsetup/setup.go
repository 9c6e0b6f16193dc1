package otelsetup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/pricing"
)

// serviceNameKey is the resource attribute naming the service.
const serviceNameKey = attribute.Key("service.name")

// Telemetry is the OpenTelemetry setup made by Setup. Its methods are safe for
// concurrent use.
type Telemetry struct {
	tp         *sdktrace.TracerProvider
	mp         *sdkmetric.MeterProvider
	proc       *genaix.SpanProcessor
	propagator propagation.TextMapPropagator
	res        *resource.Resource

	shutdownOnce sync.Once
	shutdownErr  error
}

// Setup builds the TracerProvider (the genaix SpanProcessor in front of a
// batch processor and the configured exporter), the MeterProvider, the
// resource and the W3C TraceContext and Baggage propagators, and, unless
// WithoutGlobal is given, installs them as the OpenTelemetry globals.
//
// It fails, having started nothing, when a price file cannot be loaded (the
// error names the file), when the prices are invalid, when the resource
// options conflict, or when the OTEL_* environment names an exporter or
// protocol autoexport does not know. Call Shutdown on the result when the
// program ends, so buffered spans and metrics are exported.
func Setup(ctx context.Context, opts ...Option) (*Telemetry, error) {
	cfg := newConfig(opts)

	priceOpts, err := cfg.loadPrices()
	if err != nil {
		return nil, err
	}
	res, err := cfg.resource(ctx)
	if err != nil {
		return nil, err
	}

	exporter := cfg.spanExporter
	if exporter == nil {
		var aopts []autoexport.SpanOption
		if w := cfg.consoleFallback; w != nil {
			aopts = append(aopts, autoexport.WithFallbackSpanExporter(func(context.Context) (sdktrace.SpanExporter, error) {
				return stdouttrace.New(stdouttrace.WithWriter(w))
			}))
		}
		if exporter, err = autoexport.NewSpanExporter(ctx, aopts...); err != nil {
			return nil, fmt.Errorf("otelsetup: span exporter: %w", err)
		}
	}

	reader := cfg.metricReader
	if reader == nil {
		var aopts []autoexport.MetricOption
		if w := cfg.consoleFallback; w != nil {
			aopts = append(aopts, autoexport.WithFallbackMetricReader(func(context.Context) (sdkmetric.Reader, error) {
				e, err := stdoutmetric.New(stdoutmetric.WithWriter(w))
				if err != nil {
					return nil, err
				}
				return sdkmetric.NewPeriodicReader(e), nil
			}))
		}
		if reader, err = autoexport.NewMetricReader(ctx, aopts...); err != nil {
			err = fmt.Errorf("otelsetup: metric reader: %w", err)
			if cfg.spanExporter == nil { // the exporter is Setup's own: undo it
				err = errors.Join(err, exporter.Shutdown(ctx))
			}
			return nil, err
		}
	}

	mp := sdkmetric.NewMeterProvider(append([]sdkmetric.Option{
		sdkmetric.WithResource(res), sdkmetric.WithReader(reader),
	}, cfg.meterOpts...)...)

	gopts := []genaix.Option{genaix.WithMeterProvider(mp)}
	if !autoexport.IsNoneSpanExporter(exporter) { // "none": no exporting processor at all
		gopts = append(gopts, genaix.WithNext(sdktrace.NewBatchSpanProcessor(exporter)))
	}
	gopts = append(gopts, priceOpts...)
	if cfg.capture != nil {
		gopts = append(gopts, genaix.WithContentCapture(*cfg.capture, *cfg.capture))
	}
	proc := genaix.NewSpanProcessor(append(gopts, cfg.genaixOpts...)...)

	tp := sdktrace.NewTracerProvider(append([]sdktrace.TracerProviderOption{
		sdktrace.WithResource(res), sdktrace.WithSpanProcessor(proc),
	}, cfg.tracerOpts...)...)

	t := &Telemetry{
		tp:         tp,
		mp:         mp,
		proc:       proc,
		propagator: propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}),
		res:        res,
	}
	if !cfg.noGlobal {
		otel.SetTracerProvider(tp)
		otel.SetMeterProvider(mp)
		otel.SetTextMapPropagator(t.propagator)
	}
	return t, nil
}

// loadPrices validates the configured prices and files and returns the
// genaix options that carry them.
func (c config) loadPrices() ([]genaix.Option, error) {
	type file struct{ path, from string }
	var files []file
	for _, p := range c.priceFiles {
		files = append(files, file{p, "WithPriceFile"})
	}
	if p := os.Getenv(PricesFileEnv); p != "" {
		files = append(files, file{p, PricesFileEnv})
	}
	var cats []*pricing.Catalog
	for _, f := range files {
		cat, err := pricing.LoadFile(f.path) // its errors name the file
		if err != nil {
			return nil, fmt.Errorf("otelsetup: price file (%s): %w", f.from, err)
		}
		cats = append(cats, cat)
	}
	if len(c.prices) == 0 && len(cats) == 0 {
		return nil, nil
	}
	// genaix would report invalid prices to the error handler and price
	// nothing; checking here turns that into an error from Setup.
	if _, err := pricing.NewTable(c.prices, cats...); err != nil {
		return nil, fmt.Errorf("otelsetup: prices: %w", err)
	}
	return []genaix.Option{genaix.WithPrices(c.prices), genaix.WithPriceCatalog(cats...)}, nil
}

// resource builds the resource: the default service name and a service
// instance id, the SDK attributes, the environment, then the options.
func (c config) resource(ctx context.Context) (*resource.Resource, error) {
	opts := []resource.Option{resource.WithService(), resource.WithTelemetrySDK(), resource.WithFromEnv()}
	if c.serviceName != "" {
		opts = append(opts, resource.WithAttributes(serviceNameKey.String(c.serviceName)))
	}
	res, err := resource.New(ctx, append(opts, c.resourceOpts...)...)
	switch {
	case errors.Is(err, resource.ErrPartialResource):
		// A malformed OTEL_RESOURCE_ATTRIBUTES entry: keep the rest, as the
		// SDK's default resource does.
		otel.Handle(err)
	case err != nil:
		return nil, fmt.Errorf("otelsetup: resource: %w", err)
	}
	return res, nil
}

// TracerProvider returns the TracerProvider, whose single span processor is
// the genaix SpanProcessor.
func (t *Telemetry) TracerProvider() *sdktrace.TracerProvider { return t.tp }

// MeterProvider returns the MeterProvider, with which genaix records its
// metrics.
func (t *Telemetry) MeterProvider() *sdkmetric.MeterProvider { return t.mp }

// Processor returns the genaix SpanProcessor, for ConversationTotals.
func (t *Telemetry) Processor() *genaix.SpanProcessor { return t.proc }

// Propagator returns the W3C TraceContext and Baggage propagator, the global
// one unless WithoutGlobal was given.
func (t *Telemetry) Propagator() propagation.TextMapPropagator { return t.propagator }

// Resource returns the resource spans and metrics are reported with.
func (t *Telemetry) Resource() *resource.Resource { return t.res }

// ForceFlush exports the spans and metrics buffered so far.
func (t *Telemetry) ForceFlush(ctx context.Context) error {
	return errors.Join(t.tp.ForceFlush(ctx), t.mp.ForceFlush(ctx))
}

// Shutdown flushes and shuts down the TracerProvider, then the MeterProvider
// (ending spans can record metrics), and with them the exporters and the
// metric reader. It is idempotent: later calls do nothing and return the
// first call's error. Spans and metrics recorded afterwards are dropped; the
// globals Setup installed are left in place.
func (t *Telemetry) Shutdown(ctx context.Context) error {
	t.shutdownOnce.Do(func() {
		t.shutdownErr = errors.Join(t.tp.Shutdown(ctx), t.mp.Shutdown(ctx))
	})
	return t.shutdownErr
}
