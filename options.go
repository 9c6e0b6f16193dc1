package genaix

import (
	"fmt"
	"maps"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/genaix/genaix-go/pricing"
)

// Option configures a SpanProcessor.
type Option func(*config)

type config struct {
	next             sdktrace.SpanProcessor
	prices           pricing.Prices
	catalogs         []*pricing.Catalog
	table            *pricing.Table
	noCost           bool
	turns            TurnCounter
	maxConversations int
	meterProvider    metric.MeterProvider
	capture          capture
}

func newConfig(opts []Option) config {
	c := config{capture: defaultCapture}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.maxConversations <= 0 {
		c.maxConversations = DefaultMaxConversations
	}
	if c.turns == nil {
		c.turns = NewTurnCounter(c.maxConversations)
	}
	if c.meterProvider == nil {
		c.meterProvider = otel.GetMeterProvider()
	}
	return c
}

// priceTable builds the table the options describe. Invalid prices are
// reported to the OpenTelemetry error handler and no table is used, so every
// call is flagged unpriced instead of priced from a partly loaded table.
func (c config) priceTable() *pricing.Table {
	if c.table != nil {
		return c.table
	}
	t, err := pricing.NewTable(c.prices, c.catalogs...)
	if err != nil {
		otel.Handle(fmt.Errorf("genaix: prices not used: %w", err))
		return nil
	}
	return t
}

// WithNext makes the processor hand every ended span to next, with the cost
// and classification genaix computes for other libraries' spans overlaid.
// Register the exporting processor (sdktrace.NewBatchSpanProcessor(exporter))
// here instead of directly on the TracerProvider. Shutdown and ForceFlush are
// passed on to next.
func WithNext(next sdktrace.SpanProcessor) Option {
	return func(c *config) { c.next = next }
}

// WithPrices adds prices, in US dollars per million tokens. They win over the
// entries of any catalog given with WithPriceCatalog. genaix ships no prices.
func WithPrices(p Prices) Option {
	return func(c *config) {
		if c.prices == nil {
			c.prices = make(Prices, len(p))
		}
		maps.Copy(c.prices, p)
	}
}

// WithPriceCatalog adds price catalogs loaded with the pricing package's
// loaders (LiteLLM, genai-prices or genaix JSON). Earlier catalogs win over
// later ones; prices given with WithPrices win over all.
func WithPriceCatalog(cat ...*pricing.Catalog) Option {
	return func(c *config) { c.catalogs = append(c.catalogs, cat...) }
}

// WithPriceTable uses a price table built with pricing.NewTable, replacing
// WithPrices and WithPriceCatalog. Use it to share one table (and its lookup
// memo) between processors, or to see table errors yourself.
func WithPriceTable(t *pricing.Table) Option {
	return func(c *config) { c.table = t }
}

// WithoutCost turns cost tracking off: token usage is still recorded and
// summed, but nothing is priced and nothing is flagged unpriced.
func WithoutCost() Option {
	return func(c *config) { c.noCost = true }
}

// WithTurnCounter numbers conversation turns with t instead of the in-memory
// default, for example to share numbering between replicas.
func WithTurnCounter(t TurnCounter) Option {
	return func(c *config) { c.turns = t }
}

// WithMaxConversations bounds the conversations whose turn counters and
// running totals are kept in memory (default DefaultMaxConversations).
func WithMaxConversations(n int) Option {
	return func(c *config) { c.maxConversations = n }
}

// WithMeterProvider records genaix's metrics with mp instead of the global
// MeterProvider.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.meterProvider = mp }
}

// WithContentCapture sets whether Observe and ObserveTool capture inputs and
// outputs by default (on, as in the last9-genai Python SDK). Per-call options
// override it.
func WithContentCapture(input, output bool) Option {
	return func(c *config) { c.capture.input, c.capture.output = input, output }
}

// WithMaxContentBytes bounds each captured input or output (default 10 KiB).
// Longer content is cut at a UTF-8 boundary and the span marked truncated.
func WithMaxContentBytes(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.capture.maxBytes = n
		}
	}
}

// Redactor rewrites captured content before it is recorded. kind says what the
// value is: "input", "output", "tool.arguments", "tool.result", or, from the
// HTTP instrumentation, "input.messages", "output.messages",
// "system_instructions" and "tool.definitions". Return "" to drop the value.
type Redactor func(kind, value string) string

// WithRedactor passes every piece of content genaix captures through r.
func WithRedactor(r Redactor) Option {
	return func(c *config) { c.capture.redact = r }
}
