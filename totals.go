package genaix

import (
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"

	"github.com/genaix/genaix-go/pricing"
)

// Totals are the sums over the calls made inside a workflow, a conversation
// turn or a conversation. Each LLM call is counted once, at the span that made
// it.
type Totals struct {
	Cost          pricing.Nanos // exact sum of the priced calls' costs
	LLMCalls      int64         // LLM calls, priced or not, failed ones included
	ToolCalls     int64
	InputTokens   int64
	OutputTokens  int64
	UnpricedCalls int64 // LLM calls that reported usage but could not be priced
}

// CostUSD returns the total cost in US dollars.
func (t Totals) CostUSD() float64 { return t.Cost.USD() }

// totals accumulates a Totals concurrently. parent links a workflow's totals
// to the enclosing workflow's, so a call inside nested workflows counts in
// each of them.
type totals struct {
	cost, llmCalls, toolCalls, inputTokens, outputTokens, unpriced atomic.Int64
	parent                                                         *totals
}

// call is one leaf's contribution to the totals it is inside.
type call struct {
	llm, tool bool
	usage     pricing.Usage
	hasUsage  bool
	cost      pricing.Cost
	priced    bool
	// reported: the provider reported the total cost (OpenRouter), held in
	// cost.Input with no split by token type.
	reported bool
}

func (t *totals) add(c call) {
	if t == nil {
		return
	}
	if c.tool {
		t.toolCalls.Add(1)
	}
	if !c.llm {
		return
	}
	t.llmCalls.Add(1)
	if c.hasUsage {
		t.inputTokens.Add(c.usage.InputTokens)
		t.outputTokens.Add(c.usage.OutputTokens)
		if !c.priced {
			t.unpriced.Add(1)
		}
	}
	if c.priced {
		t.cost.Add(int64(c.cost.Total()))
	}
}

func (t *totals) snapshot() Totals {
	if t == nil {
		return Totals{}
	}
	return Totals{
		Cost:          pricing.Nanos(t.cost.Load()),
		LLMCalls:      t.llmCalls.Load(),
		ToolCalls:     t.toolCalls.Load(),
		InputTokens:   t.inputTokens.Load(),
		OutputTokens:  t.outputTokens.Load(),
		UnpricedCalls: t.unpriced.Load(),
	}
}

// aggregateKeys name the attributes one kind of aggregate is written under.
type aggregateKeys struct {
	cost, llm, tool, in, out, unpriced attribute.Key
}

var (
	workflowKeys = aggregateKeys{WorkflowTotalCostKey, WorkflowLLMCallsKey, WorkflowToolCallsKey,
		WorkflowInputTokensKey, WorkflowOutputTokensKey, WorkflowUnpricedKey}
	turnKeys = aggregateKeys{TurnTotalCostKey, TurnLLMCallsKey, TurnToolCallsKey,
		TurnInputTokensKey, TurnOutputTokensKey, TurnUnpricedKey}
)

func (t Totals) attributes(k aggregateKeys) []attribute.KeyValue {
	return []attribute.KeyValue{
		k.cost.Float64(t.Cost.USD()),
		k.llm.Int64(t.LLMCalls),
		k.tool.Int64(t.ToolCalls),
		k.in.Int64(t.InputTokens),
		k.out.Int64(t.OutputTokens),
		k.unpriced.Int64(t.UnpricedCalls),
	}
}
