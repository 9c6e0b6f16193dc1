package wire

import (
	"strings"
	"sync"

	"github.com/genaix/genaix-go/pricing"
)

// Result is what a response told about the call.
type Result struct {
	// API is the API whose response this is.
	API API

	// ResponseID and ResponseModel are gen_ai.response.id and .model. On
	// OpenAI-wire streams the first non-empty value wins (Azure sends empty
	// ones first); a Responses terminal event overwrites the early values.
	ResponseID, ResponseModel string

	// FinishReasons are the provider's raw values, in choice-index order.
	// The Responses API has none: its value is derived from status (§18)
	// and is already a semconv value (stop, tool_call, length, …).
	FinishReasons []string

	// Usage is normalised per wire-formats §17 and valid only if HasUsage.
	// Absent stays absent: totals the provider left out are named in
	// Usage.Missing, and without any usage both are.
	Usage    pricing.Usage
	HasUsage bool

	// ProviderCostUSD is the cost the provider reported (OpenRouter
	// usage.cost), which takes precedence over a computed one.
	ProviderCostUSD *float64

	// ToolCalls are the tool calls the model asked for, assembled from
	// stream fragments, in choice order.
	ToolCalls []ToolCall

	// ErrorType is set when the provider signalled an error, by HTTP status
	// or inside a 200 stream: a low-cardinality value (§16).
	ErrorType string

	// OutputMessages are filled only when content capture is on, in the
	// semconv parts shape, with finish_reason mapped per §18.
	OutputMessages []Message

	// Truncated reports that an event, a body or assembled content exceeded
	// its cap: the bytes still flowed, but that part was not parsed.
	Truncated bool
	// Malformed reports that some JSON or framing could not be parsed.
	Malformed bool
	// Terminal reports that the response ended properly: a terminal event
	// was seen ([DONE], message_stop, response.completed, "done":true,
	// message-end), a Gemini stream reached a clean EOF, or a whole JSON body
	// was parsed.
	Terminal bool
	// Unparsed reports that the body's content type is not one the parser
	// reads, so nothing was parsed.
	Unparsed bool

	// NoUsageReason says why HasUsage is false; empty when it is true.
	NoUsageReason string
}

// Values of Result.NoUsageReason, most specific first.
const (
	NoUsageUnparsed           = "unparsed"                     // content type not parsed (or compressed)
	NoUsageError              = "error"                        // the call failed
	NoUsageStreamWithoutUsage = "stream_without_include_usage" // OpenAI-wire stream without stream_options.include_usage
	NoUsageTruncated          = "truncated"                    // the event or body carrying usage was over the cap
	NoUsageMalformed          = "malformed"                    // some of the response did not parse
	NoUsageIncomplete         = "incomplete"                   // the stream ended before its terminal event
	NoUsageNotReported        = "not_reported"                 // the provider sent none (e.g. Gemini embeddings)
)

// Default caps.
const (
	DefaultMaxEventBytes = 8 << 20
	DefaultMaxBodyBytes  = 8 << 20
)

// Options configure a ResponseParser.
type Options struct {
	// CaptureContent fills Result.OutputMessages.
	CaptureContent bool
	// MaxEventBytes caps one SSE event or NDJSON line (default 8 MiB).
	MaxEventBytes int
	// MaxBodyBytes caps a buffered non-stream JSON body, and separately the
	// text and tool arguments assembled from a stream (default 8 MiB).
	MaxBodyBytes int
	// OnFirstContent is called once, synchronously inside Write, at the
	// first content-bearing event (§19), for time to first chunk.
	OnFirstContent func()
	// Status is the HTTP status of the response; 400 and above make the
	// body an error body.
	Status int
	// Request is the parsed request, if any: it tells whether a stream was
	// asked to include usage.
	Request *Request
	// SizeHint is the body's length if known (Content-Length), so that a
	// buffered body is allocated once.
	SizeHint int
}

// handler is one API's reading of events and bodies.
type handler interface {
	// event handles one SSE event or NDJSON line; data is valid JSON.
	event(c *collector, name, data []byte)
	// body handles a whole non-stream body; data is valid JSON.
	body(c *collector, data []byte)
	// finish completes the result at the end of the response.
	finish(c *collector)
}

type framing uint8

const (
	framingNone framing = iota
	framingSSE
	framingNDJSON
	framingBody
	framingError
)

// ResponseParser consumes a response body incrementally: it is fed exactly
// the bytes the caller reads, in any chunking, and the Result does not
// depend on the chunking. Its memory is bounded by the caps in Options
// whatever the input. A ResponseParser is not safe for concurrent use.
type ResponseParser struct {
	opt     Options
	framing framing
	sse     sseFramer
	nd      ndjsonFramer
	body    []byte
	over    bool       // the body passed MaxBodyBytes
	filter  *topFilter // embeddings: drop the vectors while buffering
	h       handler
	c       collector
	result  *Result
	holeBuf [maxHoles]hole
	pooled  *[]byte // the pool's buffer p.body started in, if any
}

// NewResponseParser returns a parser for a response of api with the given
// Content-Type: text/event-stream is read as server-sent events,
// application/x-ndjson as NDJSON lines, application/json as one buffered
// body (the vectors of an embeddings body are skipped, not buffered). An
// empty type falls back on what the request asked for; any other type is
// not parsed and Finish reports Unparsed. The parser must be fed the bytes
// the caller decodes: for a body with a Content-Encoding the caller did not
// remove, pass that encoding (for example "gzip") as contentType, which no
// framing reads. With opt.Status of 400 or more the body is read as an
// error body whatever its type.
func NewResponseParser(api API, contentType string, opt Options) *ResponseParser {
	if opt.MaxEventBytes <= 0 {
		opt.MaxEventBytes = DefaultMaxEventBytes
	}
	if opt.MaxBodyBytes <= 0 {
		opt.MaxBodyBytes = DefaultMaxBodyBytes
	}
	p := &ResponseParser{opt: opt, h: handlerFor(api)}
	p.c = collector{api: api, capture: opt.CaptureContent, onFirst: opt.OnFirstContent, budget: opt.MaxBodyBytes}
	p.c.res.API = api
	p.sse = sseFramer{sink: p, max: opt.MaxEventBytes}
	p.nd = ndjsonFramer{sink: p, max: opt.MaxEventBytes}

	mt := mediaType(contentType)
	switch {
	case p.h == nil:
		p.framing = framingNone
	case opt.Status >= 400:
		p.framing = framingError
	case mt == "text/event-stream":
		p.framing = framingSSE
	case mt == "application/x-ndjson" || mt == "application/ndjson" || mt == "application/jsonl":
		p.framing = framingNDJSON
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		p.framing = framingBody
	case mt == "" && api.isOllama():
		p.framing = framingNDJSON // Ollama streams unless told not to
	case mt == "" && opt.Request != nil && opt.Request.Stream:
		p.framing = framingSSE
	case mt == "":
		p.framing = framingBody
	default:
		p.framing = framingNone
	}
	if p.framing != framingSSE && p.framing != framingNDJSON {
		p.c.onFirst = nil // time to first chunk is for streams only
	}
	if p.framing == framingBody && api.isEmbeddings() {
		p.filter = &topFilter{max: opt.MaxBodyBytes}
	}
	if (p.framing == framingBody || p.framing == framingError) && p.filter == nil {
		switch {
		case opt.SizeHint > pooledBodyBytes && opt.SizeHint <= opt.MaxBodyBytes:
			p.body = make([]byte, 0, opt.SizeHint) // one allocation instead of a growing series
		case opt.SizeHint <= pooledBodyBytes: // known and small, or unknown (chunked)
			p.pooled = bodyPool.Get().(*[]byte)
			p.body = (*p.pooled)[:0]
		}
	}
	return p
}

// Buffered bodies come from a pool: most are a few KiB, and without a
// Content-Length (a chunked response) a buffer would otherwise grow through
// a series of allocations on every call. Nothing the Result holds points
// into the body: every string and part is copied out of it.
const (
	pooledBodyBytes = 16 << 10 // the buffer a call starts with
	maxPooledBytes  = 1 << 20  // larger buffers are left to the collector
)

var bodyPool = sync.Pool{New: func() any { b := make([]byte, 0, pooledBodyBytes); return &b }}

// releaseBody drops the body, returning a pooled buffer to the pool.
func (p *ResponseParser) releaseBody() {
	if p.pooled != nil && cap(p.body) <= maxPooledBytes {
		*p.pooled = p.body[:0]
		bodyPool.Put(p.pooled)
	}
	p.body, p.pooled = nil, nil
}

// mediaType returns the lowercased media type without parameters.
func mediaType(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.ToLower(strings.TrimSpace(ct))
}

// Write feeds the next bytes of the body. It never fails, never panics and
// never retains b.
func (p *ResponseParser) Write(b []byte) {
	if p.result != nil {
		return
	}
	switch p.framing {
	case framingSSE:
		p.sse.write(b)
	case framingNDJSON:
		p.nd.write(b)
	case framingBody, framingError:
		if p.filter != nil {
			p.filter.write(b)
			return
		}
		if p.over {
			return
		}
		if len(p.body)+len(b) > p.opt.MaxBodyBytes {
			p.over = true
			p.releaseBody()
			return
		}
		p.body = append(p.body, b...)
	}
}

// Done reports whether a terminal event has been seen: the caller may end
// its span there (openai-go closes the body at [DONE] without reading EOF).
func (p *ResponseParser) Done() bool { return p.c.res.Terminal }

// Finish ends parsing and returns the Result. cleanEOF says the body was
// read to io.EOF: only then is a trailing event without its blank line
// flushed, since after a cut it may be partial. A buffered JSON body is
// parsed either way when it is complete (some SDKs stop reading at the end
// of the value). Finish is idempotent; Write after Finish is ignored.
func (p *ResponseParser) Finish(cleanEOF bool) *Result {
	if p.result != nil {
		return p.result
	}
	c := &p.c
	switch p.framing {
	case framingNone:
		c.res.Unparsed = true
	case framingSSE:
		p.sse.finish(cleanEOF)
		if p.c.api == GeminiGenerate && cleanEOF && c.res.ErrorType == "" {
			c.res.Terminal = true // Gemini streams end at EOF
		}
	case framingNDJSON:
		p.nd.finish(cleanEOF)
	case framingBody:
		p.finishBody(cleanEOF)
	case framingError:
		if p.over {
			c.res.Truncated = true
			c.setError(errorType(p.c.api, errorInfo{}, p.opt.Status))
		} else {
			c.setError(errorBody(p.c.api, p.body, p.opt.Status))
			if validJSON(p.body) {
				c.res.Terminal = true
			}
		}
	}
	if p.h != nil {
		p.h.finish(c)
	}
	c.finish()
	p.noUsageReason()
	if !c.res.HasUsage {
		c.res.Usage = noUsage
	}
	p.releaseBody()
	p.filter = nil
	p.result = &c.res
	return p.result
}

func (p *ResponseParser) finishBody(cleanEOF bool) {
	c := &p.c
	body := p.body
	if p.filter != nil {
		var ok bool
		body, ok = p.filter.result()
		switch {
		case p.filter.over:
			c.res.Truncated = true
			return
		case !ok:
			if cleanEOF {
				c.res.Malformed = true
			}
			return
		}
	}
	if p.over {
		c.res.Truncated = true
		return
	}
	t := trimSpace(body)
	if len(t) == 0 {
		return
	}
	if validJSON(t) {
		c.res.Terminal = true
		p.h.body(c, t)
		return
	}
	if p.c.api.isOllama() {
		// A stream labelled application/json: read it as NDJSON.
		p.nd.write(body)
		p.nd.finish(cleanEOF)
		return
	}
	if cleanEOF {
		c.res.Malformed = true
	}
}

func (p *ResponseParser) noUsageReason() {
	r := &p.c.res
	if r.HasUsage {
		return
	}
	openAIStream := p.framing == framingSSE && (p.c.api == OpenAIChat || p.c.api == OpenAICompletions)
	switch {
	case r.Unparsed:
		r.NoUsageReason = NoUsageUnparsed
	case r.ErrorType != "":
		r.NoUsageReason = NoUsageError
	case openAIStream && p.opt.Request != nil && !p.opt.Request.IncludeUsage:
		r.NoUsageReason = NoUsageStreamWithoutUsage
	case r.Truncated:
		r.NoUsageReason = NoUsageTruncated
	case r.Malformed:
		r.NoUsageReason = NoUsageMalformed
	case !r.Terminal:
		r.NoUsageReason = NoUsageIncomplete
	default:
		r.NoUsageReason = NoUsageNotReported
	}
}

// event is called by the framers for each event or line. It reports
// whether the handler skipped the event.
func (p *ResponseParser) event(name, data []byte) bool {
	d := trimSpace(data)
	if len(d) == 0 {
		return false
	}
	if string(d) == "[DONE]" {
		// Terminal for OpenAI Chat; tolerated after every other API's end.
		p.c.res.Terminal = true
		return false
	}
	if sk, ok := p.h.(skipper); ok && sk.skip(&p.c, name, d) {
		return true
	}
	if !validJSON(d) {
		p.c.res.Malformed = true
		return false
	}
	p.h.event(&p.c, name, d)
	return false
}

// holes returns where an event like the one just skipped may differ and
// still be skipped: the contents of its free-text string values, or all of
// its data if the handler's decision reads the event's name only.
func (p *ResponseParser) holes(_, data []byte) ([]hole, bool) {
	keys := p.h.(skipper).freeText() // only skipped events are asked about
	if keys == nil {
		// As lineEnd will require of a match: a JSON object, so never [DONE].
		return append(p.holeBuf[:0], hole{start: 0, end: len(data), line: true}), len(data) > 0 && data[0] == '{'
	}
	return freeTextHoles(data, keys, p.holeBuf[:0])
}

// skipper is implemented by handlers that can tell, cheaply and before any
// validation, that an event carries nothing they still need: on long
// streams most events are just more text.
type skipper interface {
	skip(c *collector, name, data []byte) bool
	// freeText returns the keys whose string values never bear on skip,
	// or nil if skip reads only the event's name.
	freeText() []string
}

func (p *ResponseParser) truncated() { p.c.res.Truncated = true }

func handlerFor(api API) handler {
	switch api {
	case OpenAIChat, OpenAICompletions:
		return &openAIChatHandler{}
	case OpenAIEmbeddings:
		return &openAIEmbeddingsHandler{}
	case OpenAIResponses:
		return &responsesHandler{}
	case AnthropicMessages:
		return &anthropicHandler{}
	case GeminiGenerate, GeminiEmbed:
		return &geminiHandler{}
	case OllamaChat, OllamaGenerate, OllamaEmbed:
		return &ollamaHandler{}
	case CohereChat:
		return &cohereHandler{}
	}
	return nil
}
