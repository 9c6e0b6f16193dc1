package llmhttp

import (
	"os"
	"strings"

	"go.opentelemetry.io/otel/trace"

	"github.com/genaix/genaix-go/internal/wire"
)

// Option configures the instrumentation.
type Option func(*config)

type config struct {
	tp              trace.TracerProvider
	capture         bool
	provider        string
	includeUsage    bool
	maxRequestBytes int
	maxEventBytes   int
}

// DefaultMaxRequestBytes is the largest request body that is parsed; larger
// ones (base64 images, say) pass through unparsed and the span is marked.
const DefaultMaxRequestBytes = 8 << 20

// CaptureEnv is the environment variable that switches content capture on
// when set to "true" (or to SPAN_ONLY or SPAN_AND_EVENT, the values other
// languages' instrumentations use).
const CaptureEnv = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"

func newConfig(opts []Option) *config {
	c := &config{
		capture:         captureFromEnv(os.Getenv(CaptureEnv)),
		maxRequestBytes: DefaultMaxRequestBytes,
		maxEventBytes:   wire.DefaultMaxEventBytes,
	}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	return c
}

func captureFromEnv(v string) bool {
	switch strings.ToUpper(strings.TrimSpace(v)) {
	case "TRUE", "1", "SPAN_ONLY", "SPAN_AND_EVENT":
		return true
	}
	return false
}

// WithTracerProvider uses tp instead of the global TracerProvider.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tp = tp }
}

// WithContentCapture records message content (gen_ai.input.messages,
// gen_ai.output.messages, gen_ai.system_instructions,
// gen_ai.tool.definitions) in the OpenTelemetry parts shape, bounded and
// passed through the genaix processor's Redactor. Off by default; it overrides
// the OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT environment variable.
func WithContentCapture(on bool) Option {
	return func(c *config) { c.capture = on }
}

// WithProviderName sets gen_ai.provider.name for every call, for gateways
// (LiteLLM, Portkey, Cloudflare AI Gateway) whose host says nothing of the
// provider behind them.
func WithProviderName(name string) Option {
	return func(c *config) { c.provider = name }
}

// WithIncludeUsage adds stream_options.include_usage=true to streamed OpenAI
// Chat Completions requests that do not ask for it, so that streams report
// token usage and can be priced. It changes the request the server sees and
// adds one final chunk with an empty choices array to the stream, which code
// that indexes choices[0] on every chunk must tolerate; hence opt-in.
// Without it such streams are recorded with usage absent and flagged
// genaix.usage.unavailable=stream_without_include_usage.
func WithIncludeUsage() Option {
	return func(c *config) { c.includeUsage = true }
}

// WithMaxRequestBytes sets the largest request body parsed (default
// DefaultMaxRequestBytes).
func WithMaxRequestBytes(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxRequestBytes = n
		}
	}
}

// WithMaxEventBytes sets the largest stream event, and the largest
// non-stream response body, parsed (default 8 MiB). Bytes beyond it still
// reach the caller; only parsing stops, and the span is marked truncated.
func WithMaxEventBytes(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxEventBytes = n
		}
	}
}
