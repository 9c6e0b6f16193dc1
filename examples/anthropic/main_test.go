package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/genaix/genaix-go/examples/internal/smoke"
)

var cacheRE = regexp.MustCompile(`cache write (\d+), cache read (\d+) tokens`)

func TestRunAgainstMock(t *testing.T) {
	out := smoke.Run(t, run)
	turns := smoke.CheckConversation(t, out, 2)
	cache := func(tr smoke.Turn) (write, read int) {
		m := cacheRE.FindStringSubmatch(tr.Line)
		if m == nil {
			t.Fatalf("no cache counts in %q", tr.Line)
		}
		w, _ := strconv.Atoi(m[1])
		r, _ := strconv.Atoi(m[2])
		return w, r
	}
	// The cache_control breakpoint on the system prompt: written by turn 1,
	// read by turn 2, which is therefore cheaper.
	if w, r := cache(turns[0]); w == 0 || r != 0 {
		t.Errorf("turn 1 cache write %d, read %d; want a write only", w, r)
	}
	if w, r := cache(turns[1]); w != 0 || r == 0 {
		t.Errorf("turn 2 cache write %d, read %d; want a read only", w, r)
	}
	if turns[1].Cost >= turns[0].Cost {
		t.Errorf("turn 2 ($%f) should cost less than turn 1 ($%f) thanks to the cache", turns[1].Cost, turns[0].Cost)
	}
	for _, want := range []string{`"gen_ai.usage.cost_cache_write_usd"`, `"gen_ai.usage.cost_cache_read_usd"`,
		`{"Key":"gen_ai.request.stream","Value":{"Type":"BOOL","Value":true}}`} {
		if !strings.Contains(out, want) {
			t.Errorf("the exported spans lack %s", want)
		}
	}
	// option.WithoutOpenTelemetry: only genaix's LLM spans, not the SDK's own.
	if strings.Contains(out, `"anthropic.messages.create"`) {
		t.Error("the SDK's own span was exported despite option.WithoutOpenTelemetry")
	}
}
