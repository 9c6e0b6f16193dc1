package main

import (
	"strings"
	"testing"

	"github.com/genaix/genaix-go/examples/internal/smoke"
)

func TestRunAgainstMock(t *testing.T) {
	out := smoke.Run(t, run)
	smoke.CheckConversation(t, out, 2)
	if !strings.Contains(out, "conversation ollama-example: 2 turns, 2 LLM calls,") {
		t.Error("want 2 LLM calls in the conversation")
	}
	for _, want := range []string{
		`{"Key":"gen_ai.provider.name","Value":{"Type":"STRING","Value":"ollama"}}`,
		`{"Key":"gen_ai.request.stream","Value":{"Type":"BOOL","Value":true}}`,
		`{"Key":"genaix.cost.price_key","Value":{"Type":"STRING","Value":"llama3.2"}}`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the exported spans lack %s", want)
		}
	}
}
