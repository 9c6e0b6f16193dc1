package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/llmhttp"
)

// prices are made-up list prices in USD per million tokens. Every expected
// cost in these tests is computed by hand from this table, in nano-dollars
// (1e-9 USD): tokens × rate × 1000.
var prices = genaix.Prices{
	"gpt-4o":                 {Input: 2.50, Output: 10, CacheRead: 1.25},
	"gpt-4.1":                {Input: 2, Output: 8, CacheRead: 0.50},
	"gpt-4.1-mini":           {Input: 0.40, Output: 1.60, CacheRead: 0.10},
	"o4-mini":                {Input: 1.10, Output: 4.40, CacheRead: 0.275},
	"text-embedding-3-small": {Input: 0.02},
	"claude-sonnet-4-5":      {Input: 3, Output: 15, CacheRead: 0.30, CacheWrite: 3.75, CacheWrite1h: 6},
	"gemini-2.5-flash":       {Input: 0.30, Output: 2.50, CacheRead: 0.075},
	"llama3.2":               {Input: 0.10, Output: 0.40, CacheRead: 0.05},
	"qwen3:8b":               {Input: 0.05, Output: 0.20},
}

const genaixScope = "github.com/genaix/genaix-go"

// TestMain makes the tests hermetic: settings that the environment could
// carry in would change what is recorded. Tests that need one set it with
// t.Setenv.
func TestMain(m *testing.M) {
	for _, v := range []string{
		llmhttp.CaptureEnv,
		"ANTHROPIC_OPEN_TELEMETRY", "ANTHROPIC_OPEN_TELEMETRY_PROPAGATION", "ANTHROPIC_OPEN_TELEMETRY_TRACES_CONTENT_MODE",
		"OLLAMA_AUTH",
	} {
		_ = os.Unsetenv(v)
	}
	os.Exit(m.Run())
}

// harness is one test's telemetry pipeline: a TracerProvider whose only
// processor is the genaix SpanProcessor, which hands ended spans to an
// in-memory exporter, and a MeterProvider read by hand.
type harness struct {
	tp     *sdktrace.TracerProvider
	exp    *tracetest.InMemoryExporter
	reader *sdkmetric.ManualReader
	gx     *genaix.SpanProcessor
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	gx := genaix.NewSpanProcessor(
		genaix.WithPrices(prices),
		genaix.WithMeterProvider(mp),
		genaix.WithNext(sdktrace.NewSimpleSpanProcessor(exp)),
	)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(gx))
	t.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	return &harness{tp: tp, exp: exp, reader: reader, gx: gx}
}

// middleware is the genaix hook for openai-go and anthropic-sdk-go.
func (h *harness) middleware(opts ...llmhttp.Option) func(*http.Request, llmhttp.Next) (*http.Response, error) {
	return llmhttp.Middleware(append([]llmhttp.Option{llmhttp.WithTracerProvider(h.tp)}, opts...)...)
}

// httpClient is the genaix hook for SDKs that take an *http.Client.
func (h *harness) httpClient(opts ...llmhttp.Option) *http.Client {
	return llmhttp.NewClient(append([]llmhttp.Option{llmhttp.WithTracerProvider(h.tp)}, opts...)...)
}

func (h *harness) spans() tracetest.SpanStubs { return h.exp.GetSpans() }

// only returns the single exported span.
func (h *harness) only(t *testing.T) tracetest.SpanStub {
	t.Helper()
	spans := h.spans()
	if len(spans) != 1 {
		t.Fatalf("want 1 span, got %d: %v", len(spans), names(spans))
	}
	return spans[0]
}

// llmSpans returns the spans genaix's HTTP instrumentation made, in the
// order they ended.
func (h *harness) llmSpans() []tracetest.SpanStub {
	var out []tracetest.SpanStub
	for _, s := range h.spans() {
		if s.InstrumentationScope.Name == genaixScope && s.SpanKind == trace.SpanKindClient {
			out = append(out, s)
		}
	}
	return out
}

// findSpan returns the exported span named name; there must be one.
func findSpan(t *testing.T, h *harness, name string) tracetest.SpanStub {
	t.Helper()
	var found []tracetest.SpanStub
	for _, s := range h.spans() {
		if s.Name == name {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d spans named %q among %v", len(found), name, names(h.spans()))
	}
	return found[0]
}

func names(spans tracetest.SpanStubs) []string {
	var out []string
	for _, s := range spans {
		out = append(out, fmt.Sprintf("%s (%s)", s.Name, s.InstrumentationScope.Name))
	}
	return out
}

// ---------------------------------------------------------------- fixtures

// wireFixture reads a fixture of the wire-parser tests, shared by path.
func wireFixture(t *testing.T, name string) []byte {
	t.Helper()
	return readFile(t, filepath.Join("..", "internal", "wire", "testdata", name))
}

// ownFixture reads a fixture of this module.
func ownFixture(t *testing.T, name string) []byte {
	t.Helper()
	return readFile(t, filepath.Join("testdata", name))
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ---------------------------------------------------------------- server

// reply is one canned HTTP response.
type reply struct {
	status int
	ctype  string
	header map[string]string
	body   []byte
	// hold > 0 sends only body[:hold], then keeps the response open until
	// the client goes away (closes the body or cancels the request), as a
	// server still generating would.
	hold int
}

func jsonReply(body []byte) reply { return reply{status: 200, ctype: "application/json", body: body} }
func sseReply(body []byte) reply  { return reply{status: 200, ctype: "text/event-stream", body: body} }
func ndjsonReply(body []byte) reply {
	return reply{status: 200, ctype: "application/x-ndjson", body: body}
}

// request is what the server received.
type request struct {
	method, path, query string
	header              http.Header
	body                []byte
}

// server replays its replies in order, one per request, writing each body in
// pseudo-random chunks that are flushed one by one, so that the client
// reads the stream in arbitrary splits.
type server struct {
	*httptest.Server
	t       *testing.T
	seed    uint64
	mu      sync.Mutex
	replies []reply
	reqs    []request
}

func serve(t *testing.T, replies ...reply) *server {
	t.Helper()
	s := &server{t: t, replies: replies, seed: uint64(len(t.Name()))}
	s.Server = httptest.NewServer(s)
	t.Cleanup(s.Close)
	return s
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	got, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	n := len(s.reqs)
	s.reqs = append(s.reqs, request{method: r.Method, path: r.URL.Path, query: r.URL.RawQuery, header: r.Header.Clone(), body: got})
	var rep reply
	ok := n < len(s.replies)
	if ok {
		rep = s.replies[n]
	}
	s.mu.Unlock()
	if !ok {
		s.t.Errorf("unexpected request %d: %s %s", n+1, r.Method, r.URL)
		http.Error(w, "unexpected request", http.StatusTeapot)
		return
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", rep.ctype)
	w.WriteHeader(rep.status)
	rng := rand.New(rand.NewPCG(s.seed, uint64(n)))
	body := rep.body
	if rep.hold > 0 {
		body = body[:rep.hold]
		defer func() { <-r.Context().Done() }()
	}
	for b := body; len(b) > 0; {
		k := min(len(b), 1+rng.IntN(200))
		if _, err := w.Write(b[:k]); err != nil {
			return
		}
		w.(http.Flusher).Flush()
		b = b[k:]
	}
}

// requests returns what the server received so far.
func (s *server) requests() []request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqs)
}

// onlyRequest returns the single request the server received.
func (s *server) onlyRequest(t *testing.T) request {
	t.Helper()
	reqs := s.requests()
	if len(reqs) != 1 {
		t.Fatalf("server got %d requests, want 1", len(reqs))
	}
	return reqs[0]
}

func (s *server) port(t *testing.T) int {
	t.Helper()
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	p, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// jsonBody decodes a request body.
func (r request) jsonBody(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("request body: %v: %s", err, r.body)
	}
	return m
}

// ---------------------------------------------------------------- attributes

func attr(s tracetest.SpanStub, key attribute.Key) (attribute.Value, bool) {
	for _, kv := range s.Attributes {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return attribute.Value{}, false
}

// wantAttr checks that s has key with value v (string, int, int64, float64,
// bool or []string).
func wantAttr(t *testing.T, s tracetest.SpanStub, key attribute.Key, v any) {
	t.Helper()
	got, ok := attr(s, key)
	if !ok {
		t.Errorf("%s: %s missing, want %v", s.Name, key, v)
		return
	}
	var want attribute.Value
	switch v := v.(type) {
	case string:
		want = attribute.StringValue(v)
	case int:
		want = attribute.Int64Value(int64(v))
	case int64:
		want = attribute.Int64Value(v)
	case float64:
		want = attribute.Float64Value(v)
	case bool:
		want = attribute.BoolValue(v)
	case []string:
		want = attribute.StringSliceValue(v)
	default:
		panic(fmt.Sprintf("wantAttr: unsupported %T", v))
	}
	if got.Type() != want.Type() || got.String() != want.String() {
		t.Errorf("%s: %s = %s (%s), want %s (%s)", s.Name, key, got.String(), got.Type(), want.String(), want.Type())
	}
}

func wantAbsent(t *testing.T, s tracetest.SpanStub, keys ...attribute.Key) {
	t.Helper()
	for _, key := range keys {
		if v, ok := attr(s, key); ok {
			t.Errorf("%s: %s = %s, want absent", s.Name, key, v.String())
		}
	}
}

// nanos converts USD to integer nano-dollars.
func nanos(usd float64) int64 { return int64(math.Round(usd * 1e9)) }

// costNanos reads a float USD attribute in nano-dollars; ok is false if absent.
func costNanos(s tracetest.SpanStub, key attribute.Key) (int64, bool) {
	v, ok := attr(s, key)
	if !ok || v.Type() != attribute.FLOAT64 {
		return 0, false
	}
	return nanos(v.AsFloat64()), true
}

func intAttr(t *testing.T, s tracetest.SpanStub, key attribute.Key) int64 {
	t.Helper()
	v, ok := attr(s, key)
	if !ok || v.Type() != attribute.INT64 {
		t.Errorf("%s: %s missing or not an int: %s", s.Name, key, v.String())
		return 0
	}
	return v.AsInt64()
}

// wantCost checks a USD attribute in nano-dollars; 0 means absent.
func wantCost(t *testing.T, s tracetest.SpanStub, key attribute.Key, want int64) {
	t.Helper()
	got, ok := costNanos(s, key)
	switch {
	case want == 0 && ok:
		t.Errorf("%s: %s = %d n$, want absent", s.Name, key, got)
	case want != 0 && !ok:
		t.Errorf("%s: %s missing, want %d n$", s.Name, key, want)
	case got != want:
		t.Errorf("%s: %s = %d n$, want %d n$", s.Name, key, got, want)
	}
}

// wantCostPresent checks a USD attribute that must be present, even if 0.
func wantCostPresent(t *testing.T, s tracetest.SpanStub, key attribute.Key, want int64) {
	t.Helper()
	if got, ok := costNanos(s, key); !ok || got != want {
		t.Errorf("%s: %s = %d n$ (present %v), want %d n$", s.Name, key, got, ok, want)
	}
}

// noSecret fails if secret appears anywhere in the spans: names,
// attributes, events, links or status.
func noSecret(t *testing.T, spans tracetest.SpanStubs, secret string) {
	t.Helper()
	check := func(where string, kvs []attribute.KeyValue) {
		for _, kv := range kvs {
			if strings.Contains(kv.Value.String(), secret) || strings.Contains(string(kv.Key), secret) {
				t.Errorf("credential recorded in %s attribute %s", where, kv.Key)
			}
		}
	}
	for _, s := range spans {
		if strings.Contains(s.Name, secret) || strings.Contains(s.Status.Description, secret) {
			t.Errorf("credential recorded in span %q name or status", s.Name)
		}
		check(s.Name, s.Attributes)
		for _, e := range s.Events {
			check(s.Name+" event "+e.Name, e.Attributes)
		}
		for _, l := range s.Links {
			check(s.Name+" link", l.Attributes)
		}
	}
}

// ---------------------------------------------------------------- expectations

// call is what one LLM span must say. Zero counts of the optional usage
// subsets (cache read, cache write, reasoning) and empty slices mean the
// attribute must be absent.
type call struct {
	name      string
	operation string
	provider  string
	reqModel  string
	respModel string
	respID    string // "" → absent
	finish    []string
	stream    bool

	in, out                          int64
	cacheRead, cacheWrite, reasoning int64
	missing                          []string // usage totals the provider left out

	cost       costs
	priceKey   string
	priceMatch string // "" → exact

	toolNames, toolIDs []string
}

// costs are nano-dollars; zero parts must be absent.
type costs struct {
	total, input, output             int64
	cacheRead, cacheWrite, reasoning int64
}

// checkCall checks every attribute of an LLM span made by llmhttp for a
// successful call against srv.
func checkCall(t *testing.T, s tracetest.SpanStub, srv *server, c call) {
	t.Helper()
	if s.Name != c.name {
		t.Errorf("span name = %q, want %q", s.Name, c.name)
	}
	if s.SpanKind != trace.SpanKindClient {
		t.Errorf("%s: kind = %v, want client", s.Name, s.SpanKind)
	}
	if s.InstrumentationScope.Name != genaixScope {
		t.Errorf("%s: scope = %q", s.Name, s.InstrumentationScope.Name)
	}
	if s.Status.Code == codes.Error {
		t.Errorf("%s: status = %v %q", s.Name, s.Status.Code, s.Status.Description)
	}
	wantAbsent(t, s, genaix.ErrorTypeKey)
	wantAttr(t, s, genaix.OperationNameKey, c.operation)
	wantAttr(t, s, genaix.ProviderNameKey, c.provider)
	wantAttr(t, s, genaix.RequestModelKey, c.reqModel)
	wantAttr(t, s, genaix.ResponseModelKey, c.respModel)
	wantAttr(t, s, genaix.SpanKindKey, "llm")
	wantAttr(t, s, genaix.ServerAddressKey, "127.0.0.1")
	wantAttr(t, s, genaix.ServerPortKey, srv.port(t))
	if c.respID != "" {
		wantAttr(t, s, genaix.ResponseIDKey, c.respID)
	} else {
		wantAbsent(t, s, genaix.ResponseIDKey)
	}
	if c.finish != nil {
		wantAttr(t, s, genaix.FinishReasonsKey, c.finish)
	} else {
		wantAbsent(t, s, genaix.FinishReasonsKey)
	}

	// Streaming and time to first chunk (streams only).
	if c.stream {
		wantAttr(t, s, genaix.RequestStreamKey, true)
		v, ok := attr(s, genaix.TimeToFirstChunkKey)
		if d := s.EndTime.Sub(s.StartTime).Seconds(); !ok || v.AsFloat64() <= 0 || v.AsFloat64() > d {
			t.Errorf("%s: time_to_first_chunk = %v (present %v), want in (0, %v]", s.Name, v.AsFloat64(), ok, d)
		}
	} else {
		if v, ok := attr(s, genaix.RequestStreamKey); ok && v.AsBool() {
			t.Errorf("%s: gen_ai.request.stream = true on a non-streamed call", s.Name)
		}
		wantAbsent(t, s, genaix.TimeToFirstChunkKey)
	}

	// Usage, normalised: input includes the cache, output the reasoning.
	if slices.Contains(c.missing, "input") {
		wantAbsent(t, s, genaix.InputTokensKey)
	} else {
		wantAttr(t, s, genaix.InputTokensKey, c.in)
	}
	if slices.Contains(c.missing, "output") {
		wantAbsent(t, s, genaix.OutputTokensKey)
	} else {
		wantAttr(t, s, genaix.OutputTokensKey, c.out)
	}
	if c.missing != nil {
		wantAttr(t, s, genaix.UsageMissingKey, c.missing)
	} else {
		wantAbsent(t, s, genaix.UsageMissingKey)
	}
	optional := func(key attribute.Key, n int64) {
		if n == 0 {
			wantAbsent(t, s, key)
		} else {
			wantAttr(t, s, key, n)
		}
	}
	optional(genaix.CacheReadTokensKey, c.cacheRead)
	optional(genaix.CacheCreationTokensKey, c.cacheWrite)
	optional(genaix.CacheWriteTokensKey, c.cacheWrite)
	optional(genaix.ReasoningTokensKey, c.reasoning)
	wantAbsent(t, s, genaix.UsageUnavailableKey, genaix.ResponseTruncatedKey, genaix.ResponseMalformedKey, genaix.RequestTruncatedKey)

	// Cost.
	// The total and its input/output split are always present on a priced
	// call (a zero part included); the finer parts only when non-zero.
	wantCostPresent(t, s, genaix.CostUSDKey, c.cost.total)
	wantCostPresent(t, s, genaix.CostKey, c.cost.total)
	wantCostPresent(t, s, genaix.CostInputUSDKey, c.cost.input)
	wantCostPresent(t, s, genaix.CostOutputUSDKey, c.cost.output)
	wantCost(t, s, genaix.CostCacheReadUSDKey, c.cost.cacheRead)
	wantCost(t, s, genaix.CostCacheWriteUSDKey, c.cost.cacheWrite)
	wantCost(t, s, genaix.CostReasoningUSDKey, c.cost.reasoning)
	if c.cost.input+c.cost.output != c.cost.total {
		t.Errorf("test bug: input %d + output %d != total %d", c.cost.input, c.cost.output, c.cost.total)
	}
	wantAttr(t, s, genaix.PriceKeyKey, c.priceKey)
	match := c.priceMatch
	if match == "" {
		match = "exact"
	}
	wantAttr(t, s, genaix.PriceMatchKey, match)
	wantAbsent(t, s, genaix.CostSourceKey) // written only for provider-reported cost
	wantAbsent(t, s, genaix.UnpricedKey)

	// Tool calls the model asked for.
	if c.toolNames != nil {
		wantAttr(t, s, genaix.ToolCallNamesKey, c.toolNames)
		wantAttr(t, s, genaix.ToolCallIDsKey, c.toolIDs)
	} else {
		wantAbsent(t, s, genaix.ToolCallNamesKey, genaix.ToolCallIDsKey)
	}

	// Content is opt-in: none without the environment variable.
	wantAbsent(t, s, genaix.InputMessagesKey, genaix.OutputMessagesKey, genaix.SystemInstructionsKey, genaix.ToolDefinitionsKey)
}

// ---------------------------------------------------------------- metrics

func (h *harness) collect(t *testing.T) metricdata.ResourceMetrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := h.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	return rm
}

func findMetric(rm metricdata.ResourceMetrics, name string) (metricdata.Metrics, bool) {
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name == name {
				return m, true
			}
		}
	}
	return metricdata.Metrics{}, false
}

// dataPointSets returns the attribute sets of m's data points.
func dataPointSets(m metricdata.Metrics) []attribute.Set {
	var out []attribute.Set
	switch d := m.Data.(type) {
	case metricdata.Histogram[int64]:
		for _, dp := range d.DataPoints {
			out = append(out, dp.Attributes)
		}
	case metricdata.Histogram[float64]:
		for _, dp := range d.DataPoints {
			out = append(out, dp.Attributes)
		}
	case metricdata.Sum[int64]:
		for _, dp := range d.DataPoints {
			out = append(out, dp.Attributes)
		}
	case metricdata.Sum[float64]:
		for _, dp := range d.DataPoints {
			out = append(out, dp.Attributes)
		}
	}
	return out
}

func tokenType(set attribute.Set) string {
	v, _ := set.Value("gen_ai.token.type")
	return v.AsString()
}

// tokenMetrics returns, per gen_ai.token.type, the number of recordings and
// the sum of gen_ai.client.token.usage, with the attribute sets seen.
func tokenMetrics(t *testing.T, rm metricdata.ResourceMetrics) (count, sum map[string]int64, sets []attribute.Set) {
	t.Helper()
	count, sum = map[string]int64{}, map[string]int64{}
	m, ok := findMetric(rm, genaix.TokenUsageMetric)
	if !ok {
		return count, sum, nil
	}
	h, ok := m.Data.(metricdata.Histogram[int64])
	if !ok {
		t.Fatalf("%s is %T", m.Name, m.Data)
	}
	for _, dp := range h.DataPoints {
		count[tokenType(dp.Attributes)] += int64(dp.Count)
		sum[tokenType(dp.Attributes)] += dp.Sum
		sets = append(sets, dp.Attributes)
	}
	return count, sum, sets
}

// costMetric returns the sum of gen_ai.client.cost per token type, in nano-dollars.
func costMetric(t *testing.T, rm metricdata.ResourceMetrics) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	m, ok := findMetric(rm, genaix.CostMetric)
	if !ok {
		return out
	}
	s, ok := m.Data.(metricdata.Sum[float64])
	if !ok {
		t.Fatalf("%s is %T", m.Name, m.Data)
	}
	sums := map[string]float64{}
	for _, dp := range s.DataPoints {
		sums[tokenType(dp.Attributes)] += dp.Value
	}
	for k, v := range sums {
		out[k] = nanos(v)
	}
	return out
}

// durationCount returns how many operations gen_ai.client.operation.duration recorded.
func durationCount(t *testing.T, rm metricdata.ResourceMetrics) uint64 {
	t.Helper()
	m, ok := findMetric(rm, genaix.DurationMetric)
	if !ok {
		return 0
	}
	h, ok := m.Data.(metricdata.Histogram[float64])
	if !ok {
		t.Fatalf("%s is %T", m.Name, m.Data)
	}
	var n uint64
	for _, dp := range h.DataPoints {
		n += dp.Count
	}
	return n
}

// checkMetrics checks that the metrics recorded exactly one call with the
// given input and output tokens and cost split.
func checkMetrics(t *testing.T, h *harness, c call) {
	t.Helper()
	rm := h.collect(t)
	count, sum, sets := tokenMetrics(t, rm)
	if count["input"] != 1 || sum["input"] != c.in || count["output"] != 1 || sum["output"] != c.out {
		t.Errorf("token usage metric: counts %v sums %v, want one input of %d and one output of %d", count, sum, c.in, c.out)
	}
	for _, set := range sets {
		for _, want := range []attribute.KeyValue{
			genaix.OperationNameKey.String(c.operation), genaix.ProviderNameKey.String(c.provider),
			genaix.RequestModelKey.String(c.reqModel), genaix.ResponseModelKey.String(c.respModel),
		} {
			if v, ok := set.Value(want.Key); !ok || v.String() != want.Value.String() {
				t.Errorf("token usage metric attribute %s = %q, want %q", want.Key, v.String(), want.Value.String())
			}
		}
		for _, k := range []attribute.Key{genaix.ConversationIDKey, genaix.WorkflowIDKey, genaix.ResponseIDKey, genaix.UserIDKey} {
			if set.HasValue(k) {
				t.Errorf("high-cardinality %s on a metric", k)
			}
		}
	}
	if got := costMetric(t, rm); got["input"] != c.cost.input || got["output"] != c.cost.output {
		t.Errorf("cost metric = %v n$, want input %d output %d", got, c.cost.input, c.cost.output)
	}
	if n := durationCount(t, rm); n != 1 {
		t.Errorf("duration metric recorded %d operations, want 1", n)
	}
}
