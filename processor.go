package genaix

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/genaix/genaix-go/internal/lru"
	"github.com/genaix/genaix-go/pricing"
)

// SpanProcessor is the engine of genaix, registered with the application's
// TracerProvider. It
//
//   - stamps every span started in a genaix scope (WithConversation,
//     WithWorkflow, WithAgent, WithUser, WithAttributes) with the scope's
//     attributes, whoever creates the span: genaix, other instrumentation or the
//     application's own tracer;
//   - numbers conversation turns;
//   - prices every GenAI span that reports token usage, including spans made by
//     other instrumentation, and rolls calls up into workflow, turn and
//     conversation totals, each call counted once;
//   - records the GenAI client metrics.
//
// Cost computed at the end of another library's span cannot be written to
// that span (the OpenTelemetry Go SDK has no OnEnding hook); it is overlaid on
// the span handed to the processor given with WithNext. Register your exporter
// there, not beside genaix:
//
//	proc := genaix.NewSpanProcessor(
//		genaix.WithPrices(prices),
//		genaix.WithNext(sdktrace.NewBatchSpanProcessor(exporter)),
//	)
//	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(proc))
//
// A SpanProcessor is safe for concurrent use. Spans started outside any genaix
// scope cost it a context lookup at start and one pass over their attributes
// at end.
type SpanProcessor struct {
	cfg           config
	prices        *pricing.Table
	conversations *lru.Cache[string, *totals]
	live          liveSpans
	metrics       *instruments
}

var _ sdktrace.SpanProcessor = (*SpanProcessor)(nil)

// NewSpanProcessor returns a SpanProcessor configured by opts.
func NewSpanProcessor(opts ...Option) *SpanProcessor {
	cfg := newConfig(opts)
	p := &SpanProcessor{
		cfg:           cfg,
		conversations: lru.New[string, *totals](cfg.maxConversations),
		live:          liveSpans{m: make(map[trace.SpanID]*spanState)},
		metrics:       newInstruments(cfg.meterProvider),
	}
	if !cfg.noCost {
		p.prices = cfg.priceTable()
	}
	return p
}

// spanState is what genaix tracks about a live span started in a genaix scope.
// For genaix's own operations (Observe, ObserveTool, StartWorkflow, LLM calls
// instrumented by llmhttp) it is also the operation's state.
type spanState struct {
	scope  *scope     // the scope the span started in
	parent *spanState // the nearest tracked ancestor span, if still live at start
	proc   *SpanProcessor

	// childLLM is set when a descendant made an LLM call: the span is then not
	// a leaf, so its own usage (if any) is not counted again.
	childLLM atomic.Bool

	marker bool // a stand-in for an untracked parent with an LLM call below

	// Operation fields, owned by the operation's goroutine until End.
	claimed    atomic.Bool
	opensTurn  bool
	turn       int     // the turn this operation opened
	turnTotals *totals // non-nil if the operation opened a turn
	counted    bool    // the operation counted itself; OnEnd must not
	result     call    // what it counted, for metrics
}

// OnStart stamps s with the genaix scope of parent, if any.
func (p *SpanProcessor) OnStart(parent context.Context, s sdktrace.ReadWriteSpan) {
	if sc := scopeFrom(parent); sc != nil {
		p.stamp(parent, sc, s)
	}
	if p.cfg.next != nil {
		p.cfg.next.OnStart(parent, s)
	}
}

func (p *SpanProcessor) stamp(parent context.Context, sc *scope, s sdktrace.ReadWriteSpan) {
	st := sc.pending
	switch {
	case st == nil:
		st = &spanState{}
	case !st.claimed.CompareAndSwap(false, true):
		// Another genaix processor on the same provider owns this
		// operation and counts it; this one only stamps it.
		st = &spanState{counted: true}
	default:
		st.proc = p
		if st.opensTurn {
			p.openTurn(parent, sc, st)
		}
	}
	st.scope = sc

	stamp := sc.stamp
	if st.turn > 0 && sc.turn != st.turn {
		stamp = append(slices.Clip(stamp), TurnNumberKey.Int(st.turn))
	}
	if len(stamp) > 0 {
		setMissing(s, stamp)
	}
	p.live.add(st, s.SpanContext().SpanID(), s.Parent().SpanID())
}

// setMissing sets on s the attributes of kv whose keys s was not started with:
// a value the span's creator set itself wins.
func setMissing(s sdktrace.ReadWriteSpan, kv []attribute.KeyValue) {
	existing := s.Attributes()
	if len(existing) == 0 {
		s.SetAttributes(kv...)
		return
	}
	set := func(a attribute.KeyValue) bool {
		return slices.ContainsFunc(existing, func(e attribute.KeyValue) bool { return e.Key == a.Key })
	}
	if !slices.ContainsFunc(kv, set) { // the usual case: nothing to leave out, nothing to copy
		s.SetAttributes(kv...)
		return
	}
	s.SetAttributes(slices.DeleteFunc(slices.Clone(kv), set)...)
}

func (p *SpanProcessor) openTurn(ctx context.Context, sc *scope, st *spanState) {
	n := sc.turn
	if !sc.turnExplicit {
		var err error
		if n, err = p.cfg.turns.NextTurn(ctx, sc.conversationID); err != nil {
			otel.Handle(err)
			n = 0
		}
	}
	st.turn = n
	st.turnTotals = &totals{}
}

// OnEnd finishes what genaix knows about s: for spans of other
// instrumentation it prices the call, classifies the span and counts it in
// the totals it belongs to; for every LLM call it records metrics. Then it
// hands s, with any cost overlaid, to the next processor.
func (p *SpanProcessor) OnEnd(s sdktrace.ReadOnlySpan) {
	st := p.live.take(s.SpanContext().SpanID())
	if attrs := s.Attributes(); st != nil || mayBeGenAI(attrs) {
		s = p.end(s, st, attrs)
	}
	if p.cfg.next != nil {
		p.cfg.next.OnEnd(s)
	}
}

// mayBeGenAI is a cheap test that lets spans of other kinds skip OnEnd's work.
func mayBeGenAI(attrs []attribute.KeyValue) bool {
	for _, kv := range attrs {
		if k := string(kv.Key); strings.HasPrefix(k, "gen_ai.") || strings.HasSuffix(k, "span.kind") {
			return true
		}
	}
	return false
}

func (p *SpanProcessor) end(s sdktrace.ReadOnlySpan, st *spanState, attrs []attribute.KeyValue) sdktrace.ReadOnlySpan {
	f := readFacts(attrs)
	var add additions
	var c call
	if st != nil && st.counted {
		c = st.result
	} else {
		c, add = p.finish(f, st)
		if st != nil {
			p.count(st, c)
		}
	}
	if st != nil && (c.llm || f.isLLM()) {
		st.markAncestors()
	}
	if c.llm {
		p.metrics.record(s, f, c)
	}
	if !add.empty() && p.cfg.next != nil {
		return &overlay{ReadOnlySpan: s, add: add}
	}
	return s
}

// finish decides what another library's span contributes, and what genaix
// adds to it for the downstream processor.
func (p *SpanProcessor) finish(f facts, st *spanState) (call, additions) {
	leaf := st == nil || !st.childLLM.Load()
	var add additions
	kind := f.kind
	if kind == "" {
		kind = classify(f)
		add.kind = kind
	}
	c := call{llm: leaf && f.isLLM(), tool: kind == KindTool, usage: f.usage, hasUsage: f.hasUsage}
	if !c.llm {
		return c, add
	}
	switch {
	case f.hasCost: // priced by whoever made the span
		c.cost, c.priced = f.cost, true
	case p.cfg.noCost:
	default:
		cost, m, reason := p.price(f.provider, f.responseModel, f.requestModel, f.usage, f.hasUsage)
		if reason != "" {
			if !f.unpriced {
				add.unpriced = reason
			}
			break
		}
		c.cost, c.priced = cost, true
		add.priced, add.cost, add.priceKey, add.priceHow = true, cost, m.Key, m.How
	}
	return c, add
}

// additions are what genaix adds to another library's ended span: kept as
// values and turned into attributes only when an exporter asks for them, so
// that End stays cheap on the caller's goroutine.
type additions struct {
	kind               Kind
	unpriced           string
	priced             bool
	cost               pricing.Cost
	priceKey, priceHow string
}

func (a additions) empty() bool { return a.kind == "" && a.unpriced == "" && !a.priced }

func (a additions) attributes() []attribute.KeyValue {
	kv := make([]attribute.KeyValue, 0, 10)
	if a.kind != "" {
		kv = append(kv, SpanKindKey.String(string(a.kind)))
	}
	if a.unpriced != "" {
		kv = append(kv, UnpricedKey.String(a.unpriced))
	}
	if a.priced {
		kv = appendCostAttributes(kv, a.cost, pricing.Match{Key: a.priceKey, How: a.priceHow})
	}
	return kv
}

// count adds c to the totals of every aggregate the span belongs to: its
// workflows (innermost and enclosing), its turn and its conversation.
func (p *SpanProcessor) count(st *spanState, c call) {
	sc := st.scope
	if sc == nil || !c.llm && !c.tool { // a marker has no scope to count in
		return
	}
	for w := sc.workflow; w != nil; w = w.parent {
		w.add(c)
	}
	if st.turnTotals != nil {
		st.turnTotals.add(c)
	} else {
		sc.turnTotals.add(c)
	}
	if sc.conversationID != "" {
		p.conversations.Update(sc.conversationID, func(t *totals, found bool) *totals {
			if !found {
				t = &totals{}
			}
			return t
		}).add(c)
	}
}

func (st *spanState) markAncestors() {
	for a := st.parent; a != nil; a = a.parent {
		if a.childLLM.Swap(true) {
			return // the rest of the chain is already marked
		}
	}
}

// ConversationTotals returns the running totals of the calls made so far in
// conversation id, as far as this process has seen them. Conversations are
// kept in a bounded LRU (WithMaxConversations).
func (p *SpanProcessor) ConversationTotals(id string) (Totals, bool) {
	t, ok := p.conversations.Get(id)
	if !ok {
		return Totals{}, false
	}
	return t.snapshot(), true
}

// Shutdown shuts down the next processor, if any.
func (p *SpanProcessor) Shutdown(ctx context.Context) error {
	if p.cfg.next != nil {
		return p.cfg.next.Shutdown(ctx)
	}
	return nil
}

// ForceFlush flushes the next processor, if any.
func (p *SpanProcessor) ForceFlush(ctx context.Context) error {
	if p.cfg.next != nil {
		return p.cfg.next.ForceFlush(ctx)
	}
	return nil
}

// maxLiveSpans bounds the spans tracked at once. A span that is never ended
// would otherwise be remembered forever; past the bound new spans are simply
// not tracked (they are still stamped, just not rolled up).
const maxLiveSpans = 1 << 20

type liveSpans struct {
	mu      sync.Mutex
	m       map[trace.SpanID]*spanState
	markers int          // entries that are markers (see markHasLLMChild)
	n       atomic.Int64 // len(m), readable without the lock
}

func (l *liveSpans) add(st *spanState, id, parent trace.SpanID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.m) >= maxLiveSpans {
		return
	}
	st.parent = l.m[parent]
	l.m[id] = st
	l.n.Store(int64(len(l.m)))
}

// markHasLLMChild records that the untracked live span id has an LLM call
// below it, with a marker state that OnEnd finds like any other.
func (l *liveSpans) markHasLLMChild(id trace.SpanID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.m[id]; ok || len(l.m) >= maxLiveSpans || l.markers >= maxMarkers {
		return
	}
	marker := &spanState{marker: true}
	marker.childLLM.Store(true)
	l.m[id] = marker
	l.markers++
	l.n.Store(int64(len(l.m)))
}

// maxMarkers bounds the markers left on untracked parents, whose end this
// processor may never see (a parent of another TracerProvider).
const maxMarkers = 1 << 16

func (l *liveSpans) take(id trace.SpanID) *spanState {
	if l.n.Load() == 0 {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	st, ok := l.m[id]
	if ok {
		delete(l.m, id)
		if st.marker {
			l.markers--
		}
		l.n.Store(int64(len(l.m)))
	}
	return st
}

// overlay adds attributes to an ended span for the next processor. Embedding
// the interface supplies ReadOnlySpan's unexported method.
type overlay struct {
	sdktrace.ReadOnlySpan
	add additions
}

// Attributes returns the span's attributes followed by genaix's additions,
// which never repeat a key the span already has. It builds a new slice on
// each call, so concurrent exporters never share one.
func (o *overlay) Attributes() []attribute.KeyValue {
	base := o.ReadOnlySpan.Attributes()
	extra := o.add.attributes()
	out := make([]attribute.KeyValue, 0, len(base)+len(extra))
	out = append(out, base...) // a copy: base's backing array belongs to the span
	for _, kv := range extra {
		if !slices.ContainsFunc(base, func(b attribute.KeyValue) bool { return b.Key == kv.Key }) {
			out = append(out, kv)
		}
	}
	return out
}
