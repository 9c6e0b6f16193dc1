package genaix

import (
	"go.opentelemetry.io/otel/attribute"

	"github.com/genaix/genaix-go/pricing"
)

// Usage is the token usage of one model call; see pricing.Usage.
type Usage = pricing.Usage

// Price is a model's price in US dollars per million tokens; see pricing.Price.
type Price = pricing.Price

// Prices maps model names to prices: genaix.Prices{"gpt-4o": {Input: 2.50, Output: 10}}.
type Prices = pricing.Prices

// Why a call carries no cost (values of UnpricedKey).
const (
	UnpricedUnknownModel = "unknown_model" // no price matches the model
	UnpricedNoUsage      = "no_usage"      // the call reported no token usage
	UnpricedNoModel      = "no_model"      // the call named no model
)

// price prices one call, trying the response model first (usually the exact,
// dated name) and then the requested one. A non-empty reason says why it
// could not, and the call is counted in the unpriced-calls metric.
func (p *SpanProcessor) price(provider, responseModel, requestModel string, u Usage, hasUsage bool) (pricing.Cost, pricing.Match, string) {
	cost, m, reason := p.lookupCost(provider, responseModel, requestModel, u, hasUsage)
	if reason != "" {
		p.metrics.unpriced(provider, firstNonEmpty(responseModel, requestModel), reason)
	}
	return cost, m, reason
}

func (p *SpanProcessor) lookupCost(provider, responseModel, requestModel string, u Usage, hasUsage bool) (pricing.Cost, pricing.Match, string) {
	switch {
	case !hasUsage:
		return pricing.Cost{}, pricing.Match{}, UnpricedNoUsage
	case responseModel == "" && requestModel == "":
		return pricing.Cost{}, pricing.Match{}, UnpricedNoModel
	}
	for _, model := range [2]string{responseModel, requestModel} {
		if model == "" {
			continue
		}
		if m, ok := p.prices.Lookup(provider, model); ok {
			return m.Price.Cost(u), m, ""
		}
	}
	return pricing.Cost{}, pricing.Match{}, UnpricedUnknownModel
}

// appendCostAttributes appends the per-call cost attributes of a priced
// call: the last9-genai names, the total under gen_ai.usage.cost, the
// non-zero parts, and which price applied.
func appendCostAttributes(kv []attribute.KeyValue, c pricing.Cost, m pricing.Match) []attribute.KeyValue {
	kv = append(kv,
		CostUSDKey.Float64(c.Total().USD()),
		CostInputUSDKey.Float64(c.Input.USD()),
		CostOutputUSDKey.Float64(c.Output.USD()),
		CostKey.Float64(c.Total().USD()),
	)
	for _, part := range [...]struct {
		k attribute.Key
		v pricing.Nanos
	}{{CostCacheReadUSDKey, c.CacheRead}, {CostCacheWriteUSDKey, c.CacheWrite}, {CostReasoningUSDKey, c.Reasoning}} {
		if part.v != 0 {
			kv = append(kv, part.k.Float64(part.v.USD()))
		}
	}
	// genaix.cost.source is written only for provider-reported cost: absent
	// means computed here, which saves an attribute on every priced span.
	return append(kv, PriceKeyKey.String(m.Key), PriceMatchKey.String(m.How))
}

// appendUsageAttributes appends the semconv usage attributes of u. Totals
// the provider did not report are left out, never written as zero; so are
// zero subsets.
func appendUsageAttributes(kv []attribute.KeyValue, u Usage) []attribute.KeyValue {
	if u.HasInput() {
		kv = append(kv, InputTokensKey.Int64(u.InputTokens))
	}
	if u.HasOutput() {
		kv = append(kv, OutputTokensKey.Int64(u.OutputTokens))
	}
	if u.CacheReadTokens > 0 {
		kv = append(kv, CacheReadTokensKey.Int64(u.CacheReadTokens))
	}
	if u.CacheWriteTokens > 0 {
		kv = append(kv, CacheCreationTokensKey.Int64(u.CacheWriteTokens), CacheWriteTokensKey.Int64(u.CacheWriteTokens))
	}
	if u.ReasoningTokens > 0 {
		kv = append(kv, ReasoningTokensKey.Int64(u.ReasoningTokens))
	}
	var missing []string
	if !u.HasInput() {
		missing = append(missing, "input")
	}
	if !u.HasOutput() {
		missing = append(missing, "output")
	}
	if missing != nil {
		kv = append(kv, UsageMissingKey.StringSlice(missing))
	}
	return kv
}
