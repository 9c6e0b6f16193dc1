package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exported is a span as the demo's JSON exporter wrote it.
type exported struct {
	Name       string
	Attributes []struct {
		Key   string
		Value struct {
			Type  string
			Value any
		}
	}
}

func (s exported) get(key string) (any, bool) {
	for _, a := range s.Attributes {
		if a.Key == key {
			return a.Value.Value, true
		}
	}
	return nil, false
}

func readSpans(t *testing.T, path string) []exported {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var spans []exported
	dec := json.NewDecoder(f)
	for {
		var s exported
		if err := dec.Decode(&s); err == io.EOF {
			return spans
		} else if err != nil {
			t.Fatal(err)
		}
		spans = append(spans, s)
	}
}

// TestDemoReportMatchesExportedSpans runs the demo and recomputes each
// turn's totals from the leaf spans in the file it exported: the report must
// agree, to the nano-dollar.
func TestDemoReportMatchesExportedSpans(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	out := filepath.Join(t.TempDir(), "spans.json")
	o := options{turns: 4, seed: 7, out: out, conversation: "conv-test", user: "grace"}
	sum, dest, err := demo(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if dest != out {
		t.Errorf("spans went to %q", dest)
	}
	spans := readSpans(t, out)
	if len(spans) != sum.spans {
		t.Fatalf("file has %d spans, report counted %d", len(spans), sum.spans)
	}

	type totals struct{ llm, cost, in, out, unpriced int64 }
	perTurn := map[int64]*totals{}
	for _, s := range spans {
		if raw, ok := s.get("gen_ai.usage.api_key"); ok {
			t.Errorf("span %s recorded %v", s.Name, raw)
		}
		for _, a := range s.Attributes {
			if v, ok := a.Value.Value.(string); ok && strings.Contains(v, "demo-key-never-recorded") {
				t.Errorf("span %s recorded the API key in %s", s.Name, a.Key)
			}
		}
		_, priced := s.get("gen_ai.usage.cost_usd")
		_, unpriced := s.get("genaix.cost.unpriced")
		if !priced && !unpriced {
			continue // not a leaf LLM call
		}
		turn, _ := s.get("gen_ai.conversation.turn_number")
		tt := perTurn[int64(turn.(float64))]
		if tt == nil {
			tt = &totals{}
			perTurn[int64(turn.(float64))] = tt
		}
		tt.llm++
		if c, ok := s.get("gen_ai.usage.cost_usd"); ok {
			tt.cost += int64(math.Round(c.(float64) * 1e9))
		} else {
			tt.unpriced++
		}
		if v, ok := s.get("gen_ai.usage.input_tokens"); ok {
			tt.in += int64(v.(float64))
		}
		if v, ok := s.get("gen_ai.usage.output_tokens"); ok {
			tt.out += int64(v.(float64))
		}
	}
	if len(sum.turns) != 4 || len(perTurn) != 4 {
		t.Fatalf("report has %d turns, spans %d; want 4", len(sum.turns), len(perTurn))
	}
	var total int64
	for i, row := range sum.turns {
		if row.turn != int64(i+1) {
			t.Errorf("row %d is turn %d", i, row.turn)
		}
		want := perTurn[row.turn]
		got := totals{row.llm, row.cost, row.in, row.out, row.unpriced}
		if got != *want {
			t.Errorf("turn %d: report %+v, leaf spans add up to %+v", row.turn, got, *want)
		}
		if row.tools < 1 || row.workflow == "" {
			t.Errorf("turn %d: %d tool calls, workflow %q", row.turn, row.tools, row.workflow)
		}
		total += want.cost
	}
	if sum.total != total || total <= 0 {
		t.Errorf("conversation total %d, leaf spans %d", sum.total, total)
	}
	if got := sum.turns[1].agents; got != "triage-agent→billing-agent" {
		t.Errorf("turn 2 agents = %q, want the hand-off", got)
	}
	var unpricedModels int
	for _, g := range sum.byModel {
		if g.unpriced != "" {
			unpricedModels++
		}
	}
	if unpricedModels != 1 {
		t.Errorf("%d unpriced models in the report, want 1: %+v", unpricedModels, sum.byModel)
	}
	var buf bytes.Buffer
	if err := sum.print(&buf, o.conversation, o.user); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), usd(total)) {
		t.Errorf("printed report lacks the total %s:\n%s", usd(total), buf.String())
	}
}

func TestDemoCommandLine(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"demo", "-help"}, &out, &errOut); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-help: %v", err)
	}
	if !strings.Contains(errOut.String(), "-turns") || !strings.Contains(errOut.String(), "OTEL_EXPORTER_OTLP_ENDPOINT") {
		t.Errorf("help text:\n%s", errOut.String())
	}
	for _, args := range [][]string{nil, {"other"}, {"demo", "-turns", "0"}, {"demo", "-prices", "/nonexistent.json"}} {
		if err := run(context.Background(), args, &out, &errOut); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
	out.Reset()
	path := filepath.Join(t.TempDir(), "s.json")
	if err := run(context.Background(), []string{"demo", "-turns", "1", "-out", path}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Spans exported to "+path) || !strings.Contains(out.String(), "TOTAL") {
		t.Errorf("output:\n%s", out.String())
	}
}
