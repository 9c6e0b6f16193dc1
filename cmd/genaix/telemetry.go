package main

import (
	"context"
	"fmt"
	"os"
	"sync"

	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/otelsetup"
)

// setupTelemetry wires OpenTelemetry with otelsetup: spans to OTLP when
// OTEL_EXPORTER_OTLP_ENDPOINT is set, else to a JSON file at out. Whatever the
// exporter, a recorder keeps a copy of every exported span for the report.
func setupTelemetry(ctx context.Context, out string, opts ...genaix.Option) (*otelsetup.Telemetry, *recorder, string, error) {
	var exp sdktrace.SpanExporter
	var dest string
	setup := []otelsetup.Option{otelsetup.WithServiceName("genaix-demo"), otelsetup.WithGenaixOptions(opts...)}
	if ep := os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT"); ep != "" {
		e, err := autoexport.NewSpanExporter(ctx)
		if err != nil {
			return nil, nil, "", err
		}
		exp, dest = e, "the OTLP endpoint "+ep
	} else {
		f, err := os.Create(out)
		if err != nil {
			return nil, nil, "", fmt.Errorf("spans file: %w", err)
		}
		e, err := stdouttrace.New(stdouttrace.WithWriter(f))
		if err != nil {
			f.Close()
			return nil, nil, "", err
		}
		exp, dest = closing{e, f}, out
		// No collector to send metrics to: keep them in process.
		setup = append(setup, otelsetup.WithMetricReader(sdkmetric.NewManualReader()))
	}
	rec := &recorder{next: exp}
	tel, err := otelsetup.Setup(ctx, append(setup, otelsetup.WithSpanExporter(rec))...)
	if err != nil {
		return nil, nil, "", err
	}
	return tel, rec, dest, nil
}

// recorder passes spans on to the real exporter and keeps what it exported.
type recorder struct {
	next sdktrace.SpanExporter
	mu   sync.Mutex
	got  []sdktrace.ReadOnlySpan
}

func (r *recorder) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	if err := r.next.ExportSpans(ctx, spans); err != nil {
		return err
	}
	r.mu.Lock()
	r.got = append(r.got, spans...)
	r.mu.Unlock()
	return nil
}

func (r *recorder) Shutdown(ctx context.Context) error { return r.next.Shutdown(ctx) }

func (r *recorder) spans() []sdktrace.ReadOnlySpan {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sdktrace.ReadOnlySpan(nil), r.got...)
}

// closing closes the spans file after the exporter shuts down.
type closing struct {
	sdktrace.SpanExporter
	f *os.File
}

func (c closing) Shutdown(ctx context.Context) error {
	err := c.SpanExporter.Shutdown(ctx)
	if cerr := c.f.Close(); err == nil {
		err = cerr
	}
	return err
}
