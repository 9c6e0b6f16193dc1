package pricing

import (
	"math"
	"strings"
	"testing"
)

func TestCost(t *testing.T) {
	// Every rate distinct, so each bucket's rate is visible in the result.
	full := Price{Input: 3, Output: 15, CacheRead: 0.3, CacheWrite: 3.75, CacheWrite1h: 6, Reasoning: 20}
	// Only the required rates: every optional one falls back.
	bare := Price{Input: 2, Output: 8}
	tiered := Price{
		Input: 3, Output: 15, CacheRead: 0.3,
		Tiers: []Tier{{AboveInputTokens: 200_000, Price: Price{Input: 6, Output: 22.5}}},
	}
	unsorted := Price{
		Input: 1, Output: 1,
		Tiers: []Tier{
			{AboveInputTokens: 500_000, Price: Price{Input: 5, Output: 5}},
			{AboveInputTokens: 100_000, Price: Price{Input: 2, Output: 2}},
			{AboveInputTokens: 200_000, Price: Price{Input: 3, Output: 3}},
		},
	}
	tests := []struct {
		name  string
		price Price
		usage Usage
		want  Cost
	}{
		// A bucket costs tokens × rate × 1000 Nanos.
		{"uncached input", full, Usage{InputTokens: 1000},
			Cost{Input: 3_000_000}}, // 1000 × 3 × 1000
		{"cache read", full, Usage{InputTokens: 1000, CacheReadTokens: 1000},
			Cost{Input: 300_000, CacheRead: 300_000}}, // 1000 × 0.3 × 1000; nothing uncached
		{"5m cache write", full, Usage{InputTokens: 1000, CacheWriteTokens: 1000},
			Cost{Input: 3_750_000, CacheWrite: 3_750_000}}, // 1000 × 3.75 × 1000
		{"1h cache write", full, Usage{InputTokens: 1000, CacheWriteTokens: 1000, CacheWrite1hTokens: 1000},
			Cost{Input: 6_000_000, CacheWrite: 6_000_000}}, // 1000 × 6 × 1000; no 5m part
		{"mixed cache writes", full, Usage{InputTokens: 1000, CacheWriteTokens: 1000, CacheWrite1hTokens: 400},
			Cost{Input: 4_650_000, CacheWrite: 4_650_000}}, // 600 × 3.75 × 1000 + 400 × 6 × 1000 = 2,250,000 + 2,400,000
		{"output", full, Usage{OutputTokens: 1000},
			Cost{Output: 15_000_000}}, // 1000 × 15 × 1000
		{"reasoning", full, Usage{OutputTokens: 1000, ReasoningTokens: 400},
			Cost{Output: 17_000_000, Reasoning: 8_000_000}}, // 600 × 15 × 1000 + 400 × 20 × 1000 = 9,000,000 + 8,000,000

		// Fallbacks.
		{"cache read falls back to input", bare, Usage{InputTokens: 1000, CacheReadTokens: 1000},
			Cost{Input: 2_000_000, CacheRead: 2_000_000}}, // 1000 × 2 × 1000
		{"5m write falls back to input", bare, Usage{InputTokens: 1000, CacheWriteTokens: 1000},
			Cost{Input: 2_000_000, CacheWrite: 2_000_000}},
		{"1h write falls back to cache write", Price{Input: 2, Output: 8, CacheWrite: 2.5},
			Usage{InputTokens: 1000, CacheWriteTokens: 1000, CacheWrite1hTokens: 1000},
			Cost{Input: 2_500_000, CacheWrite: 2_500_000}}, // 1000 × 2.5 × 1000
		{"1h write falls back to input", bare, Usage{InputTokens: 1000, CacheWriteTokens: 1000, CacheWrite1hTokens: 1000},
			Cost{Input: 2_000_000, CacheWrite: 2_000_000}},
		{"reasoning falls back to output", bare, Usage{OutputTokens: 1000, ReasoningTokens: 1000},
			Cost{Output: 8_000_000, Reasoning: 8_000_000}}, // 1000 × 8 × 1000

		// Golden normalisation cases (pitfalls §4, wire-formats §17).
		{"anthropic worked example", Price{Input: 3, Output: 15, CacheRead: 0.3, CacheWrite: 3.75},
			// 20 new + 3,000 read + 500 written = 3,520 input; 150 output, 100 of it reasoning.
			Usage{InputTokens: 3520, CacheReadTokens: 3000, CacheWriteTokens: 500, OutputTokens: 150, ReasoningTokens: 100},
			Cost{
				Input:      2_835_000, // 20 × 3 × 1000 + 900,000 + 1,875,000 = 60,000 + 900,000 + 1,875,000
				CacheRead:  900_000,   // 3000 × 0.3 × 1000
				CacheWrite: 1_875_000, // 500 × 3.75 × 1000
				Output:     2_250_000, // 50 × 15 × 1000 + 1,500,000 = 750,000 + 1,500,000
				Reasoning:  1_500_000, // 100 × 15 × 1000 (falls back to Output)
			}},
		{"openai 1999 with 1792 cached (langfuse #5568)", Price{Input: 2.5, Output: 10, CacheRead: 1.25},
			Usage{InputTokens: 1999, CacheReadTokens: 1792},
			// 207 × 2.5 × 1000 + 1792 × 1.25 × 1000 = 517,500 + 2,240,000; never 3,791 tokens.
			Cost{Input: 2_757_500, CacheRead: 2_240_000}},

		// Tiers: the threshold is exclusive and prices the whole call.
		{"at the tier threshold", tiered, Usage{InputTokens: 200_000, OutputTokens: 1000},
			Cost{Input: 600_000_000, Output: 15_000_000}}, // 200,000 × 3 × 1000; 1000 × 15 × 1000
		{"one above the tier threshold", tiered, Usage{InputTokens: 200_001, OutputTokens: 1000},
			Cost{Input: 1_200_006_000, Output: 22_500_000}}, // 200,001 × 6 × 1000; 1000 × 22.5 × 1000
		{"tier rates fall back within the tier", tiered, Usage{InputTokens: 300_000, CacheReadTokens: 100_000},
			// Cache read falls back to the tier's Input (6), not the base CacheRead (0.3):
			// 200,000 × 6 × 1000 + 100,000 × 6 × 1000.
			Cost{Input: 1_800_000_000, CacheRead: 600_000_000}},
		{"cached tokens count toward the threshold", tiered, Usage{InputTokens: 200_001, CacheReadTokens: 200_001},
			Cost{Input: 1_200_006_000, CacheRead: 1_200_006_000}}, // 200,001 × 6 × 1000
		{"unsorted tiers", unsorted, Usage{InputTokens: 250_000},
			Cost{Input: 750_000_000}}, // the 200,000 tier: 250,000 × 3 × 1000

		// Missing, inconsistent and odd usage.
		{"missing input total", full, Usage{InputTokens: 500, OutputTokens: 100, Missing: MissingInput},
			Cost{Output: 1_500_000}}, // 100 × 15 × 1000
		{"missing output total", full, Usage{InputTokens: 100, OutputTokens: 500, Missing: MissingOutput},
			Cost{Input: 300_000}}, // 100 × 3 × 1000
		{"cache above input floors uncached at zero", full, Usage{InputTokens: 100, CacheReadTokens: 150},
			Cost{Input: 45_000, CacheRead: 45_000}}, // 150 × 0.3 × 1000
		{"reasoning above output floors at zero", full, Usage{OutputTokens: 10, ReasoningTokens: 20},
			Cost{Output: 400_000, Reasoning: 400_000}}, // 20 × 20 × 1000
		{"negative counts are zero", full, Usage{InputTokens: -5, OutputTokens: -5, CacheReadTokens: -1, ReasoningTokens: -1}, Cost{}},
		{"zero usage", full, Usage{}, Cost{}},
		{"rounding is per bucket, half away from zero", Price{Input: 0.0005, Output: 0.0005},
			Usage{InputTokens: 1, OutputTokens: 1},
			Cost{Input: 1, Output: 1}}, // 1 × 0.0005 × 1000 = 0.5 → 1, twice
		{"rounding down", Price{Input: 0.0004, Output: 1}, Usage{InputTokens: 1}, Cost{}}, // 0.4 → 0
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.price.Cost(tt.usage); got != tt.want {
				t.Errorf("Cost = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestCostNotDoubleCounted(t *testing.T) {
	p := Price{Input: 2.5, Output: 10, CacheRead: 1.25}
	got := p.Cost(Usage{InputTokens: 1999, CacheReadTokens: 1792}).Total()
	if wrong := Nanos(3791 * 2.5 * 1000); got == wrong {
		t.Fatalf("cached tokens priced twice: %d", got)
	}
	if got.USD() != 0.0027575 {
		t.Errorf("Total = $%v, want $0.0027575", got.USD())
	}
}

func TestCostSaturates(t *testing.T) {
	c := Price{Input: 1e6, Output: 1e6}.Cost(Usage{InputTokens: math.MaxInt64, OutputTokens: math.MaxInt64})
	if c.Input != maxBucket || c.Output != maxBucket || c.Total() < 0 {
		t.Errorf("Cost = %+v, want saturated", c)
	}
	if c := (Price{Input: math.NaN()}).Cost(Usage{InputTokens: 10}); c != (Cost{}) {
		t.Errorf("NaN rate: Cost = %+v, want zero", c)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		price Price
		want  string // "" for valid
	}{
		{"valid", Price{Input: 1, Output: 2, Tiers: []Tier{{AboveInputTokens: 0, Price: Price{Input: 2}}, {AboveInputTokens: 10, Price: Price{Input: 3}}}}, ""},
		{"zero", Price{}, ""},
		{"negative", Price{Input: -1}, "Input"},
		{"NaN", Price{CacheRead: math.NaN()}, "CacheRead"},
		{"Inf", Price{Reasoning: math.Inf(1)}, "Reasoning"},
		{"negative threshold", Price{Tiers: []Tier{{AboveInputTokens: -1}}}, "negative"},
		{"duplicate threshold", Price{Tiers: []Tier{{AboveInputTokens: 5}, {AboveInputTokens: 5}}}, "duplicate"},
		{"bad tier rate", Price{Tiers: []Tier{{AboveInputTokens: 5, Price: Price{CacheWrite1h: -2}}}}, "CacheWrite1h"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.price.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Validate = %v, want an error naming %q", err, tt.want)
			}
		})
	}
}
