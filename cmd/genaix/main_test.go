package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestDemoReportsEachTurnFromSpans(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"demo", "-turns", "2"}, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	var rows []string
	for _, l := range lines[1:] {
		if strings.Contains(l, "demo-conversation") {
			rows = append(rows, strings.Join(strings.Fields(l), " "))
		}
	}
	want := []string{"1 answer-1 1 demo-conversation support-bot", "2 answer-2 1 demo-conversation support-bot"}
	if strings.Join(rows, "|") != strings.Join(want, "|") {
		t.Fatalf("report rows = %q, want %q\n%s", rows, want, out.String())
	}
	if !strings.Contains(out.String(), "6 spans exported.") {
		t.Errorf("span count missing:\n%s", out.String())
	}
}

func TestDemoRejectsBadArguments(t *testing.T) {
	for _, args := range [][]string{nil, {"other"}, {"demo", "-turns", "0"}} {
		if err := run(args, &bytes.Buffer{}); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}
