package mockllm

import (
	"strconv"
	"testing"
)

func TestImplicitCache(t *testing.T) {
	for prompt, want := range map[int]int{0: 0, 1024: 0, 1151: 0, 1152: 128, 1500: 384, 3520: 2432} {
		if got := implicitCache(prompt); got != want {
			t.Errorf("implicitCache(%d) = %d, want %d", prompt, got, want)
		}
	}
}

func TestDated(t *testing.T) {
	for in, want := range map[string]string{
		"gpt-4o-mini":                "gpt-4o-mini-2026-01-15",
		"gpt-4o-mini-2024-07-18":     "gpt-4o-mini-2024-07-18",
		"claude-3-5-sonnet-20241022": "claude-3-5-sonnet-20241022",
		"claude-3-7-sonnet-latest":   "claude-3-7-sonnet-2026-01-15",
		"":                           "",
	} {
		if got := dated(in, false); got != want {
			t.Errorf("dated(%q) = %q, want %q", in, got, want)
		}
	}
	if got := dated("claude-sonnet-4-5", true); got != "claude-sonnet-4-5-20260115" {
		t.Errorf("compact dated = %q", got)
	}
}

// The prompt cache forgets its oldest prefixes beyond its size.
func TestPromptCacheIsBounded(t *testing.T) {
	pc := newPromptCache(2)
	prompt := func(i int) []cacheUnit {
		return []cacheUnit{{text: "prefix " + strconv.Itoa(i) + " " + string(make([]byte, 4000)), breakpoint: true}, {text: "question"}}
	}
	for i := range 3 {
		if u := pc.usage("m", prompt(i)); u.cacheWrite == 0 || u.cacheRead != 0 {
			t.Fatalf("prompt %d first sight: %+v", i, u)
		}
	}
	if len(pc.seen) != 2 || len(pc.ring) != 2 {
		t.Fatalf("cache holds %d/%d entries, want 2", len(pc.seen), len(pc.ring))
	}
	if u := pc.usage("m", prompt(0)); u.cacheRead != 0 { // evicted
		t.Errorf("evicted prefix still read: %+v", u)
	}
	if u := pc.usage("m", prompt(2)); u.cacheRead == 0 || u.cacheWrite != 0 {
		t.Errorf("recent prefix not read: %+v", u)
	}
	if u := pc.usage("other-model", prompt(2)); u.cacheRead != 0 {
		t.Errorf("cache shared across models: %+v", u)
	}
}
