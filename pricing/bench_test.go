package pricing

import "testing"

func BenchmarkLookupWarm(b *testing.B) {
	tab := testTable(b)
	const provider, model = "aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
	if _, ok := tab.Lookup(provider, model); !ok {
		b.Fatal("not found")
	}
	b.ReportAllocs()
	for b.Loop() {
		tab.Lookup(provider, model)
	}
}

func BenchmarkLookupWarmParallel(b *testing.B) {
	tab := testTable(b)
	const provider, model = "openai", "gpt-4o-mini-2024-07-18"
	tab.Lookup(provider, model)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tab.Lookup(provider, model)
		}
	})
}

// BenchmarkLookupCold measures the uncached miss path, the most work a
// lookup does: every stage, every form.
func BenchmarkLookupCold(b *testing.B) {
	tab := testTable(b)
	const provider, model = "aws.bedrock", "us.anthropic.claude-unknown-4-5-20250929-v1:0"
	if _, ok := tab.resolve(provider, model); ok {
		b.Fatal("found")
	}
	b.ReportAllocs()
	for b.Loop() {
		tab.resolve(provider, model)
	}
}

func BenchmarkCost(b *testing.B) {
	p := Price{
		Input: 3, Output: 15, CacheRead: 0.3, CacheWrite: 3.75, CacheWrite1h: 6,
		Tiers: []Tier{{AboveInputTokens: 200_000, Price: Price{Input: 6, Output: 22.5, CacheRead: 0.6, CacheWrite: 7.5, CacheWrite1h: 12}}},
	}
	u := Usage{InputTokens: 3520, CacheReadTokens: 3000, CacheWriteTokens: 500, CacheWrite1hTokens: 100, OutputTokens: 150, ReasoningTokens: 100}
	b.ReportAllocs()
	var sink Cost
	for b.Loop() {
		sink = p.Cost(u)
	}
	_ = sink
}
