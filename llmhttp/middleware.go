package llmhttp

import "net/http"

// Next is the rest of a middleware chain.
type Next = func(*http.Request) (*http.Response, error)

// Middleware returns a middleware of the plain function type that
// openai-go's and anthropic-sdk-go's option.WithMiddleware accept (their
// Middleware types are aliases of it), so genaix needs no SDK import.
// Register it first, so that it sees the canonical request shapes before
// platform options (Azure, Bedrock, Vertex) rewrite them. It runs once per
// attempt: a retried call makes one span per attempt.
func Middleware(opts ...Option) func(*http.Request, Next) (*http.Response, error) {
	in := &instrumenter{cfg: newConfig(opts)}
	return in.do
}

// NewTransport returns a RoundTripper that instruments the LLM calls made
// through base (http.DefaultTransport if nil).
func NewTransport(base http.RoundTripper, opts ...Option) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{base: base, in: &instrumenter{cfg: newConfig(opts)}}
}

// NewClient returns an *http.Client whose transport instruments LLM calls,
// for SDKs that take a client: google.golang.org/genai, go-openai, the ollama
// api client, langchaingo's providers, cohere-go.
func NewClient(opts ...Option) *http.Client {
	return &http.Client{Transport: NewTransport(nil, opts...)}
}

type transport struct {
	base http.RoundTripper
	in   *instrumenter
}

// RoundTrip instruments one attempt. It never modifies req: a request it
// needs to change (a body without GetBody to restore, a new context) is
// cloned first.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.in.do(req, t.base.RoundTrip)
}
