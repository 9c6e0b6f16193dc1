package pricing

import (
	"errors"
	"fmt"
	"math"
)

// Cost prices one call. Each billing bucket is derived from the normalised
// usage, so cached tokens are never priced twice:
//
//	uncached input   UncachedInput()                                × Input
//	cache read       CacheReadTokens                                × CacheRead    (zero: Input)
//	5-minute write   CacheWriteTokens − CacheWrite1hTokens (≥ 0)    × CacheWrite   (zero: Input)
//	1-hour write     CacheWrite1hTokens                             × CacheWrite1h (zero: CacheWrite, then Input)
//	output           OutputTokens − ReasoningTokens (≥ 0)           × Output
//	reasoning        ReasoningTokens                                × Reasoning    (zero: Output)
//
// A bucket costs round(tokens × rate × 1000) Nanos, rounded half away from
// zero, bucket by bucket. A total named in u.Missing counts as zero tokens;
// negative counts count as zero. A bucket saturates at about $1.15 billion.
//
// If p has Tiers, the tier with the highest AboveInputTokens strictly below
// u.InputTokens (cached tokens included) prices the whole call, with its own
// fallbacks.
func (p Price) Cost(u Usage) Cost {
	in := max(0, u.InputTokens)
	if !u.HasInput() {
		in = 0
	}
	out := max(0, u.OutputTokens)
	if !u.HasOutput() {
		out = 0
	}
	read := max(0, u.CacheReadTokens)
	write := max(0, u.CacheWriteTokens)
	write1h := max(0, u.CacheWrite1hTokens)
	reasoning := max(0, u.ReasoningTokens)

	r := p.tierFor(in).rates()
	c := Cost{
		CacheRead:  nanos(read, r.CacheRead),
		CacheWrite: nanos(max(0, write-write1h), r.CacheWrite) + nanos(write1h, r.CacheWrite1h),
		Reasoning:  nanos(reasoning, r.Reasoning),
	}
	c.Input = nanos(max(0, in-read-write), r.Input) + c.CacheRead + c.CacheWrite
	c.Output = nanos(max(0, out-reasoning), r.Output) + c.Reasoning
	return c
}

// tierFor returns the price that applies to a call with input tokens in: the
// tier with the highest threshold strictly below in, else p itself. Tiers may
// be unsorted, so this scans them all; there are rarely more than two.
func (p Price) tierFor(in int64) Price {
	best := -1
	for i, t := range p.Tiers {
		if t.AboveInputTokens < in && (best < 0 || t.AboveInputTokens > p.Tiers[best].AboveInputTokens) {
			best = i
		}
	}
	if best < 0 {
		return p
	}
	return p.Tiers[best].Price
}

// rates returns p with every zero optional rate replaced by its fallback.
func (p Price) rates() Price {
	if p.CacheRead == 0 {
		p.CacheRead = p.Input
	}
	if p.CacheWrite == 0 {
		p.CacheWrite = p.Input
	}
	if p.CacheWrite1h == 0 {
		p.CacheWrite1h = p.CacheWrite
	}
	if p.Reasoning == 0 {
		p.Reasoning = p.Output
	}
	return p
}

// maxBucket caps one bucket's cost (about $1.15 billion) so that absurd
// usage saturates instead of overflowing: the six buckets of a Cost, and so
// its Total, stay below the largest Nanos.
const maxBucket = math.MaxInt64 / 8

// nanos is the cost of tokens at rate USD per million tokens: rate × 1000
// Nanos per token, rounded half away from zero.
func nanos(tokens int64, rate float64) Nanos {
	if tokens <= 0 || !(rate > 0) { // !(rate > 0) also catches NaN
		return 0
	}
	v := math.Round(float64(tokens) * rate * 1000)
	if v >= maxBucket {
		return maxBucket
	}
	return Nanos(v)
}

// Validate reports whether p can price calls: every rate (tiers' included)
// must be a finite number ≥ 0, and tier thresholds must be ≥ 0 and distinct.
func (p Price) Validate() error {
	if err := p.validateRates(); err != nil {
		return err
	}
	seen := make(map[int64]bool, len(p.Tiers))
	for i, t := range p.Tiers {
		if t.AboveInputTokens < 0 {
			return fmt.Errorf("Tiers[%d]: AboveInputTokens %d is negative", i, t.AboveInputTokens)
		}
		if seen[t.AboveInputTokens] {
			return fmt.Errorf("Tiers[%d]: duplicate AboveInputTokens %d", i, t.AboveInputTokens)
		}
		seen[t.AboveInputTokens] = true
		if err := t.Price.validateRates(); err != nil {
			return fmt.Errorf("Tiers[%d] (above %d): %w", i, t.AboveInputTokens, err)
		}
	}
	return nil
}

func (p Price) validateRates() error {
	for _, r := range [...]struct {
		name string
		v    float64
	}{
		{"Input", p.Input},
		{"Output", p.Output},
		{"CacheRead", p.CacheRead},
		{"CacheWrite", p.CacheWrite},
		{"CacheWrite1h", p.CacheWrite1h},
		{"Reasoning", p.Reasoning},
	} {
		if err := checkRate(r.v); err != nil {
			return fmt.Errorf("%s: %w", r.name, err)
		}
	}
	return nil
}

var errRate = errors.New("rate must be a finite number ≥ 0")

func checkRate(v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return fmt.Errorf("%w, got %v", errRate, v)
	}
	return nil
}
