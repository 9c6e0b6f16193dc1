// Command genaix shows genaix at work.
//
//	go run ./cmd/genaix demo
//
// runs a small support-bot conversation in one process, with genaix's
// processor in front of an in-memory exporter, and prints what the exported
// spans say: each turn's number, workflow and tool calls.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/genaix/genaix-go"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "genaix:", err)
		os.Exit(2)
	}
}

func run(args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "demo" {
		return fmt.Errorf("usage: genaix demo [-turns N]")
	}
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	turns := fs.Int("turns", 3, "number of conversation turns")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *turns < 1 {
		return fmt.Errorf("-turns must be at least 1")
	}
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(
		genaix.NewSpanProcessor(genaix.WithNext(sdktrace.NewSimpleSpanProcessor(exp)))))
	defer tp.Shutdown(context.Background())

	for i := range *turns {
		// Each turn is a new request: a fresh context in the same conversation.
		ctx := genaix.WithConversation(context.Background(), "demo-conversation", genaix.UserID("ada"))
		ctx = genaix.WithAgent(ctx, "support-bot")
		ctx, wf := genaix.StartWorkflow(ctx, fmt.Sprintf("answer-%d", i+1), "rag", genaix.WithTracerProvider(tp))
		_, err := genaix.ObserveTool(ctx, "search_docs", map[string]string{"query": "refund policy"},
			func(context.Context) ([]string, error) { return []string{"doc-1", "doc-7"}, nil },
			genaix.WithTracerProvider(tp))
		if err != nil {
			return err
		}
		_, err = genaix.Observe(ctx, "compose_answer", func(context.Context) (string, error) {
			return "Refunds are accepted within 30 days.", nil
		}, genaix.WithTracerProvider(tp), genaix.Input("How do refunds work?"))
		if err != nil {
			return err
		}
		wf.End()
	}
	return report(out, exp.GetSpans())
}

// report prints, from the exported spans only, one line per workflow span.
func report(out io.Writer, spans tracetest.SpanStubs) error {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TURN\tWORKFLOW\tTOOL CALLS\tCONVERSATION\tAGENT")
	for _, s := range spans {
		if s.Name != "invoke_workflow rag" {
			continue
		}
		get := func(k string) string {
			for _, kv := range s.Attributes {
				if string(kv.Key) == k {
					return kv.Value.Emit()
				}
			}
			return "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", get(string(genaix.TurnNumberKey)), get(string(genaix.WorkflowIDKey)),
			get(string(genaix.WorkflowToolCallsKey)), get(string(genaix.ConversationIDKey)), get(string(genaix.AgentNameKey)))
	}
	fmt.Fprintf(tw, "\n%d spans exported.\n", len(spans))
	return tw.Flush()
}
