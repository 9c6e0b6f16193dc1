package pricing

// Price is what a model costs, in US dollars per million tokens.
//
// The optional rates fall back when zero: CacheRead and CacheWrite to Input,
// CacheWrite1h to CacheWrite, Reasoning to Output.
type Price struct {
	Input        float64 // uncached input tokens
	Output       float64 // output tokens
	CacheRead    float64 // input tokens read from the cache
	CacheWrite   float64 // input tokens written to the cache (5-minute TTL on Anthropic)
	CacheWrite1h float64 // input tokens written to the cache with a 1-hour TTL
	Reasoning    float64 // reasoning output tokens

	// Tiers replace the rates above for calls with more input tokens than a
	// threshold (long-context pricing). The tier with the highest threshold
	// below the call's input total applies to the whole call.
	Tiers []Tier
}

// Tier is a long-context price: Price applies to every token of a call whose
// input total is above AboveInputTokens. Zero rates in Price fall back as in
// the base Price (never to the base price's rates).
type Tier struct {
	AboveInputTokens int64
	Price            Price // its Tiers field is ignored
}

// Prices maps model names (or provider-qualified names such as "azure/gpt-4o")
// to their prices.
type Prices map[string]Price

// Nanos is an amount of US dollars in billionths. Money is summed as Nanos so
// totals are exact; it becomes a float only when written to an attribute.
type Nanos int64

// USD returns n in dollars.
func (n Nanos) USD() float64 { return float64(n) / 1e9 }

// Cost is the cost of one call, split by token type. CacheRead and CacheWrite
// are parts of Input; Reasoning is part of Output.
type Cost struct {
	Input      Nanos
	Output     Nanos
	CacheRead  Nanos
	CacheWrite Nanos
	Reasoning  Nanos
}

// Total is the whole cost of the call.
func (c Cost) Total() Nanos { return c.Input + c.Output }
