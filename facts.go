package genaix

import (
	"math"
	"strings"

	"go.opentelemetry.io/otel/attribute"

	"github.com/genaix/genaix-go/pricing"
)

// facts is what an ended span's attributes say about a GenAI call, read in
// one pass so that OnEnd stays cheap for spans that say nothing.
type facts struct {
	operation, provider         string
	requestModel, responseModel string
	kind                        Kind
	foreignKind                 string // openinference.span.kind or traceloop.span.kind
	tool                        bool   // gen_ai.tool.name or gen_ai.tool.call.id present
	usage                       pricing.Usage
	hasUsage                    bool
	hasInput, hasOutput         bool
	cost                        pricing.Cost // Input and Output only
	costTotal                   pricing.Nanos
	hasCost, unpriced           bool
	errorType                   string
	serverAddress               string
	serverPort                  int64
	workflowType, agentName     string
}

// Legacy usage names some instrumentations still emit; read, never written.
const (
	legacyPromptTokensKey     = attribute.Key("gen_ai.usage.prompt_tokens")
	legacyCompletionTokensKey = attribute.Key("gen_ai.usage.completion_tokens")
	openInferenceKindKey      = attribute.Key("openinference.span.kind")
	traceloopKindKey          = attribute.Key("traceloop.span.kind")
)

func readFacts(attrs []attribute.KeyValue) facts {
	var f facts
	for _, kv := range attrs {
		if !strings.HasPrefix(string(kv.Key), "gen_ai.") {
			f.readOther(kv)
			continue
		}
		switch kv.Key {
		case OperationNameKey:
			f.operation = kv.Value.AsString()
		case ProviderNameKey:
			f.provider = kv.Value.AsString()
		case RequestModelKey:
			f.requestModel = kv.Value.AsString()
		case ResponseModelKey:
			f.responseModel = kv.Value.AsString()
		case SpanKindKey:
			f.kind = Kind(kv.Value.AsString())
		case ToolNameKey, ToolCallIDKey:
			f.tool = true
		case InputTokensKey, legacyPromptTokensKey:
			if !f.hasInput || kv.Key == InputTokensKey {
				f.usage.InputTokens, f.hasInput = count(kv), true
			}
		case OutputTokensKey, legacyCompletionTokensKey:
			if !f.hasOutput || kv.Key == OutputTokensKey {
				f.usage.OutputTokens, f.hasOutput = count(kv), true
			}
		case CacheReadTokensKey:
			f.usage.CacheReadTokens = count(kv)
		case CacheCreationTokensKey, CacheWriteTokensKey:
			f.usage.CacheWriteTokens = count(kv)
		case ReasoningTokensKey:
			f.usage.ReasoningTokens = count(kv)
		case CostUSDKey, CostKey: // the last9-genai total, or OpenLIT's
			f.hasCost, f.costTotal = true, usdToNanos(kv.Value.AsFloat64())
		case CostInputUSDKey:
			f.cost.Input = usdToNanos(kv.Value.AsFloat64())
		case CostOutputUSDKey:
			f.cost.Output = usdToNanos(kv.Value.AsFloat64())
		case AgentNameKey:
			f.agentName = kv.Value.AsString()
		}
	}
	if f.hasCost && f.cost.Total() != f.costTotal {
		// Only a total, or parts that do not add up: the total is what was
		// charged, kept whole (as input) so sums stay right.
		f.cost = pricing.Cost{Input: f.costTotal}
	}
	f.hasUsage = f.hasInput || f.hasOutput
	if f.hasUsage {
		if !f.hasInput {
			f.usage.Missing |= pricing.MissingInput
		}
		if !f.hasOutput {
			f.usage.Missing |= pricing.MissingOutput
		}
	}
	return f
}

func (f *facts) readOther(kv attribute.KeyValue) {
	switch kv.Key {
	case ErrorTypeKey:
		f.errorType = kv.Value.AsString()
	case ServerAddressKey:
		f.serverAddress = kv.Value.AsString()
	case ServerPortKey:
		f.serverPort = kv.Value.AsInt64()
	case WorkflowTypeKey:
		f.workflowType = kv.Value.AsString()
	case UnpricedKey:
		f.unpriced = true
	case openInferenceKindKey, traceloopKindKey:
		f.foreignKind = kv.Value.AsString()
	}
}

// count reads a token count whatever numeric type an instrumentation used.
func count(kv attribute.KeyValue) int64 {
	switch kv.Value.Type() {
	case attribute.INT64:
		return max(0, kv.Value.AsInt64())
	case attribute.FLOAT64:
		return max(0, int64(math.Round(kv.Value.AsFloat64())))
	}
	return 0
}

func usdToNanos(usd float64) pricing.Nanos {
	if math.IsNaN(usd) || math.IsInf(usd, 0) {
		return 0
	}
	return pricing.Nanos(math.Round(usd * 1e9))
}

// isLLM reports whether the span is a model call: it reports usage or has an
// inference operation, or genaix classified it as one.
func (f facts) isLLM() bool {
	return f.hasUsage || isInference(f.operation)
}

func isInference(op string) bool {
	switch op {
	case "chat", "generate_content", "text_completion", "embeddings":
		return true
	}
	return false
}

// classify applies the span-kind rules of the design notes (semconv.md §9.1)
// to a span that has no gen_ai.l9.span.kind: the operation, then a foreign
// kind attribute, then tool or model attributes.
func classify(f facts) Kind {
	if isInference(f.operation) {
		return KindLLM
	}
	switch f.operation {
	case "execute_tool":
		return KindTool
	case "invoke_agent", "create_agent":
		return KindAgent
	case "invoke_workflow":
		return KindChain
	}
	switch strings.ToLower(f.foreignKind) {
	case "llm", "embedding":
		return KindLLM
	case "tool":
		return KindTool
	case "agent":
		return KindAgent
	case "chain", "workflow", "task":
		return KindChain
	case "prompt":
		return KindPrompt
	}
	switch {
	case f.tool:
		return KindTool
	case f.requestModel != "":
		return KindLLM
	}
	return ""
}
