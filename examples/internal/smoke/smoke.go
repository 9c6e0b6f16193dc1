// Package smoke holds what the examples' smoke tests share: running an
// example against the mock LLM server with a clean environment, and reading
// its summary lines back.
//
// Every example prints, after its console telemetry, one line per turn,
//
//	turn N: … cost $X …
//
// and a last line
//
//	conversation ID: T turns, … cost $X
package smoke

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Buffer is a bytes.Buffer safe for concurrent writes: the example writes to
// it, and so do the console exporters' goroutines.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String returns what was written.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// envKeys are cleared for every run, so that the developer's environment
// cannot send a test to a real API or collector.
var envKeys = []string{
	"OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL",
	"GEMINI_API_KEY", "GOOGLE_API_KEY", "GOOGLE_GENAI_USE_VERTEXAI", "OLLAMA_HOST",
	"GENAIX_PRICES_FILE", "OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER",
	"OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES", "OTEL_EXPORTER_OTLP_ENDPOINT",
}

// ClearEnv clears the API keys and OpenTelemetry settings the examples read.
func ClearEnv(t *testing.T) {
	t.Helper()
	for _, k := range envKeys {
		t.Setenv(k, "")
	}
}

// Run runs an example's run function with a clean environment and returns
// what it printed; it fails the test if run fails.
func Run(t *testing.T, run func(context.Context, io.Writer) error) string {
	t.Helper()
	ClearEnv(t)
	var out Buffer
	if err := run(t.Context(), &out); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, out.String())
	}
	return out.String()
}

// Turn is one "turn N: …" summary line.
type Turn struct {
	N    int
	Line string
	Cost float64
}

var (
	turnRE = regexp.MustCompile(`(?m)^turn (\d+): .*$`)
	costRE = regexp.MustCompile(`cost \$([0-9.]+)`)
	convRE = regexp.MustCompile(`(?m)^conversation (\S+): (\d+) turns, .*$`)
)

// Turns returns the turn lines of out, in order.
func Turns(t *testing.T, out string) []Turn {
	t.Helper()
	var turns []Turn
	for _, m := range turnRE.FindAllStringSubmatch(out, -1) {
		n, _ := strconv.Atoi(m[1])
		turns = append(turns, Turn{N: n, Line: m[0], Cost: cost(t, m[0])})
	}
	return turns
}

// Conversation is the last summary line.
type Conversation struct {
	ID    string
	Turns int
	Line  string
	Cost  float64
}

// ConversationLine returns the conversation summary of out.
func ConversationLine(t *testing.T, out string) Conversation {
	t.Helper()
	m := convRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no conversation summary line in:\n%s", out)
	}
	n, _ := strconv.Atoi(m[2])
	return Conversation{ID: m[1], Turns: n, Line: m[0], Cost: cost(t, m[0])}
}

func cost(t *testing.T, line string) float64 {
	t.Helper()
	m := costRE.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("no cost in %q", line)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatalf("cost in %q: %v", line, err)
	}
	return v
}

// CheckConversation checks the common shape of an example's output: turns
// numbered 1..want by genaix, each with a cost > 0, a conversation line
// whose cost is their sum, and console telemetry carrying the conversation
// id and the GenAI metrics.
func CheckConversation(t *testing.T, out string, want int) []Turn {
	t.Helper()
	turns := Turns(t, out)
	if len(turns) != want {
		t.Fatalf("got %d turn lines, want %d:\n%s", len(turns), want, out)
	}
	var sum float64
	for i, tr := range turns {
		if tr.N != i+1 {
			t.Errorf("turn line %d says turn %d: %s", i+1, tr.N, tr.Line)
		}
		if tr.Cost <= 0 {
			t.Errorf("turn %d reports no cost: %s", tr.N, tr.Line)
		}
		sum += tr.Cost
	}
	c := ConversationLine(t, out)
	if c.Turns != want {
		t.Errorf("conversation line says %d turns, want %d: %s", c.Turns, want, c.Line)
	}
	// Each printed cost is rounded to 6 decimals.
	if c.Cost <= 0 || c.Cost < sum-float64(want)*1e-6 || c.Cost > sum+float64(want)*1e-6 {
		t.Errorf("conversation cost $%f, want the turns' sum $%f: %s", c.Cost, sum, c.Line)
	}
	for _, want := range []string{
		`{"Key":"gen_ai.conversation.id","Value":{"Type":"STRING","Value":"` + c.ID + `"}}`,
		`{"Key":"gen_ai.conversation.turn_number","Value":{"Type":"INT64","Value":` + strconv.Itoa(want) + `}}`,
		`"gen_ai.usage.cost_usd"`,
		`"gen_ai.client.token.usage"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the console telemetry lacks %s", want)
		}
	}
	return turns
}
