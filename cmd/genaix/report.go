package main

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"text/tabwriter"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/genaix/genaix-go"
)

// The report is computed from the spans genaix exported, and only from them:
// it is what a dashboard built on these attributes would show.

type attrs map[attribute.Key]attribute.Value

func attrsOf(s sdktrace.ReadOnlySpan) attrs {
	m := attrs{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

func (a attrs) str(k attribute.Key) string { return a[k].AsString() }
func (a attrs) num(k attribute.Key) int64  { return a[k].AsInt64() }
func (a attrs) has(k attribute.Key) bool   { _, ok := a[k]; return ok }

// nanos reads a USD attribute back as exact nano-dollars.
func (a attrs) nanos(k attribute.Key) int64 { return int64(math.Round(a[k].AsFloat64() * 1e9)) }

func usd(n int64) string { return fmt.Sprintf("$%.6f", float64(n)/1e9) }

type turnRow struct {
	turn                      int64
	workflow, agents          string
	llm, tools, in, out, cost int64
	unpriced                  int64
}

type group struct {
	name                 string
	calls, in, out, cost int64
	unpriced             string
}

// summary is everything the report prints, kept apart from printing so the
// demo's test can check it against the spans.
type summary struct {
	turns      []turnRow
	total      int64
	byWorkflow []group
	byModel    []group
	spans      int
}

func summarize(spans []sdktrace.ReadOnlySpan) summary {
	sum := summary{spans: len(spans)}
	workflowOfTrace := map[string]string{}
	agentsOfTrace := map[string][]string{}
	wf := map[string]*group{}
	model := map[string]*group{}
	for _, s := range spans {
		a := attrsOf(s)
		trace := s.SpanContext().TraceID().String()
		if n := a.str(genaix.AgentNameKey); n != "" && !slices.Contains(agentsOfTrace[trace], n) {
			agentsOfTrace[trace] = append(agentsOfTrace[trace], n)
		}
		if a.has(genaix.WorkflowTotalCostKey) {
			workflowOfTrace[trace] = a.str(genaix.WorkflowIDKey)
			g := get(wf, a.str(genaix.WorkflowTypeKey))
			g.calls += a.num(genaix.WorkflowLLMCallsKey)
			g.in += a.num(genaix.WorkflowInputTokensKey)
			g.out += a.num(genaix.WorkflowOutputTokensKey)
			g.cost += a.nanos(genaix.WorkflowTotalCostKey)
		}
		// A leaf LLM call: it carries a cost, or says why it has none.
		if a.has(genaix.CostUSDKey) || a.has(genaix.UnpricedKey) {
			name := cmp.Or(a.str(genaix.ResponseModelKey), a.str(genaix.RequestModelKey))
			g := get(model, name)
			g.calls++
			g.in += a.num(genaix.InputTokensKey)
			g.out += a.num(genaix.OutputTokensKey)
			g.cost += a.nanos(genaix.CostUSDKey)
			if r := a.str(genaix.UnpricedKey); r != "" {
				g.unpriced = r
			}
		}
	}
	for _, s := range spans {
		a := attrsOf(s)
		if !a.has(genaix.TurnTotalCostKey) {
			continue
		}
		trace := s.SpanContext().TraceID().String()
		row := turnRow{
			turn: a.num(genaix.TurnNumberKey), workflow: workflowOfTrace[trace],
			llm: a.num(genaix.TurnLLMCallsKey), tools: a.num(genaix.TurnToolCallsKey),
			in: a.num(genaix.TurnInputTokensKey), out: a.num(genaix.TurnOutputTokensKey),
			cost: a.nanos(genaix.TurnTotalCostKey), unpriced: a.num(genaix.TurnUnpricedKey),
		}
		for i, n := range agentsOfTrace[trace] {
			if i > 0 {
				row.agents += "→"
			}
			row.agents += n
		}
		sum.turns = append(sum.turns, row)
		sum.total += row.cost
	}
	slices.SortFunc(sum.turns, func(a, b turnRow) int { return cmp.Compare(a.turn, b.turn) })
	sum.byWorkflow = sorted(wf)
	sum.byModel = sorted(model)
	return sum
}

func get(m map[string]*group, name string) *group {
	if m[name] == nil {
		m[name] = &group{name: name}
	}
	return m[name]
}

func sorted(m map[string]*group) []group {
	var out []group
	for _, g := range m {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b group) int { return cmp.Or(cmp.Compare(b.cost, a.cost), cmp.Compare(a.name, b.name)) })
	return out
}

func (s summary) print(w io.Writer, conversation, user string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Conversation %q, user %q — from %d exported spans\n\n", conversation, user, s.spans)
	fmt.Fprintln(tw, "TURN\tWORKFLOW\tAGENTS\tLLM CALLS\tTOOL CALLS\tTOKENS IN\tTOKENS OUT\tCOST\t")
	for _, t := range s.turns {
		cost := usd(t.cost)
		if t.unpriced > 0 {
			cost += fmt.Sprintf(" (+%d unpriced)", t.unpriced)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t\n", t.turn, t.workflow, t.agents, t.llm, t.tools, t.in, t.out, cost)
	}
	fmt.Fprintf(tw, "\t\t\t\t\t\tTOTAL\t%s\t\n\n", usd(s.total))
	fmt.Fprintln(tw, "WORKFLOW TYPE\tLLM CALLS\tTOKENS IN\tTOKENS OUT\tCOST\t")
	for _, g := range s.byWorkflow {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t\n", g.name, g.calls, g.in, g.out, usd(g.cost))
	}
	fmt.Fprintln(tw, "\nMODEL\tCALLS\tTOKENS IN\tTOKENS OUT\tCOST\t")
	for _, g := range s.byModel {
		cost := usd(g.cost)
		if g.unpriced != "" {
			cost = "not priced: " + g.unpriced
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t\n", g.name, g.calls, g.in, g.out, cost)
	}
	return tw.Flush()
}
