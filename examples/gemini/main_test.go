package main

import (
	"strings"
	"testing"

	"github.com/genaix/genaix-go/examples/internal/smoke"
)

func TestRunAgainstMock(t *testing.T) {
	out := smoke.Run(t, run)
	smoke.CheckConversation(t, out, 2)
	if !strings.Contains(out, "conversation gemini-example: 2 turns, 2 LLM calls,") {
		t.Error("want 2 LLM calls in the conversation")
	}
	for _, want := range []string{
		`"generate_content gemini-2.5-flash"`,
		`{"Key":"gen_ai.provider.name","Value":{"Type":"STRING","Value":"gcp.gemini"}}`,
		`{"Key":"gen_ai.request.stream","Value":{"Type":"BOOL","Value":true}}`,
		`"gen_ai.usage.reasoning.output_tokens"`, // gemini-2.5 thinks; the mock reports it
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the exported spans lack %s", want)
		}
	}
}
