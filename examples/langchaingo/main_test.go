package main

import (
	"strings"
	"testing"

	"github.com/genaix/genaix-go/examples/internal/smoke"
)

func TestRunAgainstMock(t *testing.T) {
	out := smoke.Run(t, run)
	smoke.CheckConversation(t, out, 2)
	if !strings.Contains(out, "conversation langchaingo-example: 2 turns, 2 LLM calls,") {
		t.Error("want 2 LLM calls in the conversation")
	}
	if !strings.Contains(out, `{"Key":"gen_ai.request.stream","Value":{"Type":"BOOL","Value":true}}`) {
		t.Error("no streamed LLM span exported")
	}
}
