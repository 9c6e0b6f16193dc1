// Command genaix runs the genaix demo:
//
//	go run ./cmd/genaix demo
//
// It starts an offline mock LLM server speaking the OpenAI and Anthropic wire
// formats, runs a small support bot instrumented with genaix through a
// multi-turn conversation, and prints what the exported spans say each turn,
// workflow type and model cost. Spans go to the OTLP endpoint when
// OTEL_EXPORTER_OTLP_ENDPOINT is set, else to a JSON file whose path it
// prints. Run `go run ./cmd/genaix demo -help` for its flags.
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/genaix/genaix-go"
	"github.com/genaix/genaix-go/internal/mockllm"
	"github.com/genaix/genaix-go/llmhttp"
	"github.com/genaix/genaix-go/pricing"
)

//go:embed prices.json
var samplePrices []byte

func main() {
	err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genaix:", err)
		os.Exit(1)
	}
}

const usage = `Usage: genaix demo [flags]

Runs a support-bot conversation against an offline mock LLM server, with
genaix instrumenting every call, then prints per-turn, per-workflow-type and
per-model figures read back from the exported spans.

Spans are exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the
standard OTEL_* variables apply), otherwise written as JSON to -out.

Flags:
`

type options struct {
	turns        int
	seed         int64
	out          string
	prices       string
	conversation string
	user         string
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "demo" {
		fmt.Fprint(stderr, usage[:len(usage)-len("\nFlags:\n")]+"\n")
		return fmt.Errorf("usage: genaix demo [flags]")
	}
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.IntVar(&o.turns, "turns", 3, "conversation turns to run")
	fs.Int64Var(&o.seed, "seed", 1, "seed for the mock server's replies")
	fs.StringVar(&o.out, "out", filepath.Join(os.TempDir(), "genaix-demo-spans.json"), "file for the spans when no OTLP endpoint is set")
	fs.StringVar(&o.prices, "prices", "", "price file (LiteLLM, genai-prices or genaix JSON); default: the sample shipped with the demo")
	fs.StringVar(&o.conversation, "conversation", "conv-demo-0001", "conversation id")
	fs.StringVar(&o.user, "user", "ada", "user id")
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if o.turns < 1 || o.turns > 100 {
		return fmt.Errorf("-turns must be between 1 and 100")
	}
	sum, dest, err := demo(ctx, o)
	if err != nil {
		return err
	}
	if err := sum.print(stdout, o.conversation, o.user); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nSpans exported to %s\n", dest)
	return nil
}

// demo runs the conversation and returns the summary of the exported spans
// and where they went.
func demo(ctx context.Context, o options) (summary, string, error) {
	cat, err := loadPrices(o.prices)
	if err != nil {
		return summary{}, "", err
	}
	srv := mockllm.New(mockllm.WithSeed(o.seed))
	base, stop, err := srv.Start()
	if err != nil {
		return summary{}, "", err
	}
	defer stop()

	tel, rec, dest, err := setupTelemetry(ctx, o.out, genaix.WithPriceCatalog(cat))
	if err != nil {
		return summary{}, "", err
	}
	b := bot{llm: provider{base: base, http: llmhttp.NewClient(llmhttp.WithTracerProvider(tel.TracerProvider()))}}
	for n := 1; n <= o.turns; n++ {
		if err := b.turn(ctx, o.conversation, o.user, n); err != nil {
			_ = tel.Shutdown(ctx)
			return summary{}, "", fmt.Errorf("turn %d: %w", n, err)
		}
	}
	if err := tel.Shutdown(ctx); err != nil { // flushes every span to the exporter
		return summary{}, "", err
	}
	return summarize(rec.spans()), dest, nil
}

func loadPrices(path string) (*pricing.Catalog, error) {
	if path == "" {
		return pricing.Parse(samplePrices)
	}
	return pricing.LoadFile(path)
}
