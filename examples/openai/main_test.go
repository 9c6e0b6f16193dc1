package main

import (
	"strings"
	"testing"

	"github.com/genaix/genaix-go/examples/internal/smoke"
)

func TestRunAgainstMock(t *testing.T) {
	out := smoke.Run(t, run)
	turns := smoke.CheckConversation(t, out, 2)
	// Turn 1: the model asks for the tool, ObserveTool runs it, the model answers.
	if !strings.Contains(turns[0].Line, "2 LLM calls, 1 tool calls") {
		t.Errorf("turn 1 = %q, want 2 LLM calls and 1 tool call", turns[0].Line)
	}
	// Turn 2 is streamed; it has a cost only because include_usage was asked for.
	if !strings.Contains(turns[1].Line, "1 LLM calls, 0 tool calls") {
		t.Errorf("turn 2 = %q, want 1 LLM call", turns[1].Line)
	}
	if !strings.Contains(out, `{"Key":"gen_ai.request.stream","Value":{"Type":"BOOL","Value":true}}`) {
		t.Error("no streamed LLM span exported")
	}
	if !strings.Contains(out, `"execute_tool get_weather"`) {
		t.Error("no tool span exported")
	}
}
