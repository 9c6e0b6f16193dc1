package llmhttp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/baggage"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/internal/wire"
)

type instrumenter struct{ cfg *config }

// call is one instrumented HTTP attempt.
type call struct {
	cfg      *config
	ep       wire.Endpoint
	req      *http.Request // what is sent on: the caller's request, or a clone
	parsed   *wire.Request
	provider string
	model    string // requested model
	stream   bool
	llm      *genaix.LLMCall
	sent     time.Time
	first    time.Time // first content-bearing chunk
}

// do instruments one attempt. Everything genaix does around next is guarded
// so that a failure of genaix's own code can never change what the caller
// gets: the response, headers, status and error of next, unchanged.
func (in *instrumenter) do(req *http.Request, next Next) (*http.Response, error) {
	ep, ok := wire.Detect(req.Method, req.URL, req.Header.Get("Content-Type"))
	if !ok {
		return next(req)
	}
	c, send := in.start(req, ep)
	if c == nil {
		return next(send) // send carries the body if start had to take it from req
	}
	c.sent = time.Now()
	defer func() {
		if r := recover(); r != nil { // next panicked: end the span, re-panic as is
			c.llm.Fail("panic", "the transport panicked")
			c.llm.End()
			panic(r)
		}
	}()
	resp, err := next(c.req)
	c.handle(resp, err)
	return resp, err
}

// start prepares the span. If genaix's own code fails (a user Redactor or
// TurnCounter panicking, say), c is nil and send is the request to pass on
// unchanged: the caller's, or the clone that carries its body once start has
// read it.
func (in *instrumenter) start(req *http.Request, ep wire.Endpoint) (c *call, send *http.Request) {
	send = req
	defer func() {
		if r := recover(); r != nil {
			if c != nil && c.llm != nil {
				c.llm.Fail("genaix_internal", fmt.Sprint(r))
				c.llm.End()
			}
			c = nil
		}
	}()
	c = &call{cfg: in.cfg, ep: ep, req: req, provider: ep.Provider, model: ep.Model, stream: ep.Stream}
	if in.cfg.provider != "" {
		c.provider = in.cfg.provider
	}
	body, out, over := readBody(req, in.cfg.maxRequestBytes)
	c.req, send = out, out
	if body != nil {
		if p, err := wire.ParseRequest(ep.API, body, in.cfg.capture); err == nil {
			c.parsed = p
			if p.Model != "" {
				c.model = p.Model
			}
			c.stream = c.stream || p.Stream
			if in.cfg.includeUsage && ep.API == wire.OpenAIChat && p.Stream && !p.IncludeUsage {
				if nb, ok := withIncludeUsage(body); ok {
					if c.req == req {
						c.req = req.Clone(req.Context())
						if req.Body != nil {
							_ = req.Body.Close() // replaced, never sent: a RoundTripper closes what it was given
						}
					}
					setBody(c.req, nb)
					send = c.req
					p.IncludeUsage = true
				}
			}
		}
	}
	attrs := c.startAttributes()
	if over {
		attrs = append(attrs, genaix.RequestTruncatedKey.Bool(true))
	}
	ctx, llm := genaix.StartLLMCall(req.Context(), spanName(ep.Operation, c.model),
		genaix.WithTracerProvider(in.cfg.tp), genaix.SpanAttributes(attrs...))
	c.llm = llm
	llm.SetModel(c.provider, c.model)
	// genaix's baggage members (when cross-service propagation is on) are for
	// the application's own services, never for an LLM provider.
	c.req = c.req.WithContext(genaix.WithoutScopeBaggage(ctx))
	stripBaggageHeader(c.req)
	if in.cfg.capture && c.parsed != nil {
		c.captureRequest()
	}
	return c, c.req
}

// stripBaggageHeader removes genaix's members from a baggage header already
// injected (by an outer otelhttp transport, say). req is already a copy.
func stripBaggageHeader(req *http.Request) {
	h := req.Header.Values("Baggage")
	if len(h) == 0 {
		return
	}
	var kept []string
	for _, v := range h {
		bag, _ := baggage.Parse(v) // partial on error: keep what parsed
		for _, k := range genaix.BaggageKeys {
			bag = bag.DeleteMember(k)
		}
		if s := bag.String(); s != "" {
			kept = append(kept, s)
		}
	}
	req.Header = req.Header.Clone()
	req.Header.Del("Baggage")
	for _, v := range kept {
		req.Header.Add("Baggage", v)
	}
}

func spanName(operation, model string) string {
	if model == "" {
		return operation
	}
	return operation + " " + model
}

// startAttributes are set when the span starts, so samplers see the
// sampling-relevant ones.
func (c *call) startAttributes() []attribute.KeyValue {
	kv := make([]attribute.KeyValue, 0, 12) // room for the usual request: one allocation
	kv = append(kv,
		genaix.OperationNameKey.String(c.ep.Operation),
		genaix.ProviderNameKey.String(c.provider),
	)
	if c.model != "" {
		kv = append(kv, genaix.RequestModelKey.String(c.model))
	}
	if c.ep.Address != "" {
		kv = append(kv, genaix.ServerAddressKey.String(c.ep.Address), genaix.ServerPortKey.Int(c.ep.Port))
	}
	if n, err := strconv.Atoi(c.req.Header.Get("X-Stainless-Retry-Count")); err == nil && n > 0 {
		kv = append(kv, genaix.ResendCountKey.Int(n))
	}
	p := c.parsed
	if p == nil {
		if c.stream {
			kv = append(kv, genaix.RequestStreamKey.Bool(true))
		}
		return kv
	}
	if c.stream || p.StreamSet {
		kv = append(kv, genaix.RequestStreamKey.Bool(c.stream))
	}
	for _, f := range []struct {
		k attribute.Key
		v *float64
	}{
		{genaix.RequestTemperatureKey, p.Temperature}, {genaix.RequestTopPKey, p.TopP}, {genaix.RequestTopKKey, p.TopK},
		{genaix.RequestFrequencyPenaltyKey, p.FrequencyPenalty}, {genaix.RequestPresencePenaltyKey, p.PresencePenalty},
	} {
		if f.v != nil {
			kv = append(kv, f.k.Float64(*f.v))
		}
	}
	if p.MaxTokens != nil {
		kv = append(kv, genaix.RequestMaxTokensKey.Int64(*p.MaxTokens))
	}
	if p.Seed != nil {
		kv = append(kv, genaix.RequestSeedKey.Int64(*p.Seed))
	}
	if p.ChoiceCount != nil && *p.ChoiceCount != 1 {
		kv = append(kv, genaix.RequestChoiceCountKey.Int64(*p.ChoiceCount))
	}
	if len(p.StopSequences) > 0 {
		kv = append(kv, genaix.RequestStopSequencesKey.StringSlice(p.StopSequences))
	}
	if len(p.EncodingFormats) > 0 {
		kv = append(kv, genaix.RequestEncodingFormatsKey.StringSlice(p.EncodingFormats))
	}
	if p.OutputType != "" {
		kv = append(kv, genaix.OutputTypeKey.String(p.OutputType))
	}
	if p.Dimensions != nil {
		kv = append(kv, genaix.EmbeddingsDimensionKey.Int64(*p.Dimensions))
	}
	if p.ServiceTier != "" && c.provider == "openai" {
		kv = append(kv, genaix.OpenAIRequestServiceTierKey.String(p.ServiceTier))
	}
	return kv
}

// captureRequest records the request's content (opt-in), through the
// processor's Redactor and size limit.
func (c *call) captureRequest() {
	p := c.parsed
	var kv []attribute.KeyValue
	if len(p.InputMessages) > 0 {
		kv = c.appendCaptured(kv, genaix.InputMessagesKey, "input.messages", jsonOf(p.InputMessages))
	}
	if len(p.SystemInstructions) > 0 {
		kv = c.appendCaptured(kv, genaix.SystemInstructionsKey, "system_instructions", jsonOf(p.SystemInstructions))
	}
	if len(p.ToolDefinitions) > 0 {
		kv = c.appendCaptured(kv, genaix.ToolDefinitionsKey, "tool.definitions", json.RawMessage(p.ToolDefinitions))
	}
	c.llm.SetAttributes(kv...)
}

// appendCaptured appends v as captured content under key (through the
// processor's Redactor and size limit), marking truncation.
func (c *call) appendCaptured(kv []attribute.KeyValue, key attribute.Key, kind string, v any) []attribute.KeyValue {
	s, truncated, ok := c.llm.CaptureContent(kind, v)
	if !ok {
		return kv
	}
	kv = append(kv, key.String(s))
	if truncated {
		kv = append(kv, genaix.ContentTruncatedKey.Bool(true))
	}
	return kv
}

func jsonOf(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return json.RawMessage(b)
}

// handle looks at what next returned and, unless the span can end now,
// wraps the response body so that it ends when the caller is done reading.
func (c *call) handle(resp *http.Response, err error) {
	defer func() {
		if r := recover(); r != nil {
			c.llm.Fail("genaix_internal", fmt.Sprint(r))
			c.llm.End()
		}
	}()
	if err != nil {
		c.llm.Fail(transportErrorType(err), errorText(err))
		c.llm.End()
		return
	}
	if resp == nil {
		c.llm.Fail(wire.OtherError, "no response")
		c.llm.End()
		return
	}
	opt := wire.Options{
		CaptureContent: c.cfg.capture,
		MaxEventBytes:  c.cfg.maxEventBytes,
		MaxBodyBytes:   c.cfg.maxEventBytes,
		Status:         resp.StatusCode,
		Request:        c.parsed,
		SizeHint:       int(min(resp.ContentLength, 1<<30)),
	}
	if c.stream {
		opt.OnFirstContent = func() { c.first = time.Now() }
	}
	ct := resp.Header.Get("Content-Type")
	if enc := resp.Header.Get("Content-Encoding"); enc != "" && !strings.EqualFold(enc, "identity") {
		// Compressed: never parse, never decompress what the caller gets. An
		// encoding no framing reads makes the parser report Unparsed; an
		// empty type would make it guess from the request and buffer or
		// split the compressed bytes.
		ct = enc
	}
	parser := wire.NewResponseParser(c.ep.API, ct, opt)
	if resp.Body == nil || resp.Body == http.NoBody {
		c.finish(parser.Finish(true), resp.StatusCode, nil)
		return
	}
	status := resp.StatusCode
	resp.Body = &body{rc: resp.Body, parser: parser,
		done:  func(r *wire.Result, readErr error) { c.finish(r, status, readErr) },
		abort: func() { c.llm.Fail("genaix_internal", "response parsing failed"); c.llm.End() },
	}
}

// errorText describes a transport error without its URL: *url.Error quotes
// the whole URL, and a Gemini key can be in its query.
func errorText(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Op + ": " + errorText(ue.Err)
	}
	return err.Error()
}

func transportErrorType(err error) string {
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected_eof"
	}
	return fmt.Sprintf("%T", err)
}

// finish records what the response said and ends the span.
func (c *call) finish(r *wire.Result, status int, readErr error) {
	defer c.llm.End()
	var buf [16]attribute.KeyValue
	kv := buf[:0]
	if r.ResponseID != "" {
		kv = append(kv, genaix.ResponseIDKey.String(r.ResponseID))
	}
	if r.ResponseModel != "" {
		kv = append(kv, genaix.ResponseModelKey.String(r.ResponseModel))
	}
	if len(r.FinishReasons) > 0 {
		kv = append(kv, genaix.FinishReasonsKey.StringSlice(r.FinishReasons))
	}
	if len(r.ToolCalls) > 0 {
		names, ids := make([]string, len(r.ToolCalls)), make([]string, len(r.ToolCalls))
		for i, tc := range r.ToolCalls {
			names[i], ids[i] = tc.Name, tc.ID
		}
		kv = append(kv, genaix.ToolCallNamesKey.StringSlice(names), genaix.ToolCallIDsKey.StringSlice(ids))
	}
	if c.stream && !c.first.IsZero() {
		kv = append(kv, genaix.TimeToFirstChunkKey.Float64(c.first.Sub(c.sent).Seconds()))
	}
	if r.Truncated {
		kv = append(kv, genaix.ResponseTruncatedKey.Bool(true))
	}
	if r.Malformed {
		kv = append(kv, genaix.ResponseMalformedKey.Bool(true))
	}
	if !r.HasUsage && r.NoUsageReason != "" {
		kv = append(kv, genaix.UsageUnavailableKey.String(r.NoUsageReason))
	}
	if c.cfg.capture && len(r.OutputMessages) > 0 {
		kv = c.appendCaptured(kv, genaix.OutputMessagesKey, "output.messages", jsonOf(r.OutputMessages))
	}
	c.llm.SetAttributes(kv...)
	switch {
	case readErr != nil:
		c.llm.Fail(transportErrorType(readErr), errorText(readErr))
	case r.ErrorType != "":
		c.llm.Fail(r.ErrorType, "provider error")
	case status >= 400:
		c.llm.Fail(strconv.Itoa(status), http.StatusText(status))
	}
	if r.ProviderCostUSD != nil {
		c.llm.SetProviderCost(*r.ProviderCostUSD)
	}
	if r.HasUsage {
		c.llm.SetUsage(c.provider, r.ResponseModel, c.model, r.Usage)
	}
}
