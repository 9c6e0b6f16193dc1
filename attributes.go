package genaix

import (
	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
)

// This file is the catalogue of every attribute key genaix emits: the schema,
// in one place. Keys that OpenTelemetry semconv v1.41.0 defines are reused
// from it; the rest are the last9-genai (Python SDK) schema, newer GenAI keys
// semconv has not released, and genaix's own. README.md's attribute table is
// checked against this file by TestREADMEAttributeTable.

// Context keys: stamped on every span started in a genaix scope.
const (
	ConversationIDKey   = semconv.GenAIConversationIDKey                   // gen_ai.conversation.id
	TurnNumberKey       = attribute.Key("gen_ai.conversation.turn_number") // int; last9-genai schema
	UserIDKey           = semconv.UserIDKey                                // user.id
	WorkflowIDKey       = attribute.Key("workflow.id")                     // last9-genai schema
	WorkflowTypeKey     = attribute.Key("workflow.type")                   // last9-genai schema
	AgentIDKey          = semconv.GenAIAgentIDKey                          // gen_ai.agent.id
	AgentNameKey        = semconv.GenAIAgentNameKey                        // gen_ai.agent.name
	AgentDescriptionKey = semconv.GenAIAgentDescriptionKey                 // gen_ai.agent.description
	AgentVersionKey     = semconv.GenAIAgentVersionKey                     // gen_ai.agent.version
)

// Classification and Observe keys.
const (
	SpanKindKey       = attribute.Key("gen_ai.l9.span.kind") // llm, tool, chain, agent, prompt
	TagsKey           = attribute.Key("tags")                // []string
	MetadataKeyPrefix = "metadata."                          // metadata.<k>, one attribute per Metadata entry
	UserCategoryKey   = attribute.Key("user.category")       // copy of metadata.category (Last9 dashboards)
	LatencyMsKey      = attribute.Key("latency_ms")          // float64; last9-genai schema
	WorkflowNameKey   = semconv.GenAIWorkflowNameKey         // gen_ai.workflow.name, on workflow spans
	OperationNameKey  = semconv.GenAIOperationNameKey        // gen_ai.operation.name
	ErrorTypeKey      = semconv.ErrorTypeKey                 // error.type
)

// Captured content of Observe and ObserveTool: span events, as the last9-genai
// Python SDK emits them.
const (
	PromptEventName     = "gen_ai.content.prompt"
	CompletionEventName = "gen_ai.content.completion"
	PromptKey           = attribute.Key("gen_ai.prompt")     // on PromptEventName
	CompletionKey       = attribute.Key("gen_ai.completion") // on CompletionEventName
	ContentTruncatedKey = attribute.Key("genaix.content.truncated")
)

// Tool keys: semconv names and their last9-genai equivalents.
const (
	ToolNameKey             = semconv.GenAIToolNameKey          // gen_ai.tool.name
	ToolTypeKey             = semconv.GenAIToolTypeKey          // gen_ai.tool.type
	ToolCallIDKey           = semconv.GenAIToolCallIDKey        // gen_ai.tool.call.id
	ToolDescriptionKey      = semconv.GenAIToolDescriptionKey   // gen_ai.tool.description
	ToolCallArgumentsKey    = semconv.GenAIToolCallArgumentsKey // gen_ai.tool.call.arguments
	ToolCallResultKey       = semconv.GenAIToolCallResultKey    // gen_ai.tool.call.result
	FunctionCallNameKey     = attribute.Key("gen_ai.function.call.name")
	FunctionCallArgsKey     = attribute.Key("gen_ai.function.call.arguments")
	FunctionCallResultKey   = attribute.Key("gen_ai.function.call.result")
	FunctionCallDurationKey = attribute.Key("gen_ai.function.call.duration_ms") // float64
)

// Model and usage keys (semconv v1.41.0, plus the development-branch rename of
// cache_creation to cache_write, emitted alongside until a release settles it).
const (
	ProviderNameKey        = semconv.GenAIProviderNameKey                  // gen_ai.provider.name
	RequestModelKey        = semconv.GenAIRequestModelKey                  // gen_ai.request.model
	ResponseModelKey       = semconv.GenAIResponseModelKey                 // gen_ai.response.model
	ResponseIDKey          = semconv.GenAIResponseIDKey                    // gen_ai.response.id
	FinishReasonsKey       = semconv.GenAIResponseFinishReasonsKey         // gen_ai.response.finish_reasons
	InputTokensKey         = semconv.GenAIUsageInputTokensKey              // gen_ai.usage.input_tokens
	OutputTokensKey        = semconv.GenAIUsageOutputTokensKey             // gen_ai.usage.output_tokens
	CacheReadTokensKey     = semconv.GenAIUsageCacheReadInputTokensKey     // gen_ai.usage.cache_read.input_tokens
	CacheCreationTokensKey = semconv.GenAIUsageCacheCreationInputTokensKey // gen_ai.usage.cache_creation.input_tokens
	CacheWriteTokensKey    = attribute.Key("gen_ai.usage.cache_write.input_tokens")
	ReasoningTokensKey     = semconv.GenAIUsageReasoningOutputTokensKey // gen_ai.usage.reasoning.output_tokens
	UsageMissingKey        = attribute.Key("genaix.usage.missing")      // []string of totals the provider left out
)

// LLM request and response keys recorded by the HTTP instrumentation
// (package llmhttp), semconv v1.41.0 unless noted.
const (
	RequestTemperatureKey       = semconv.GenAIRequestTemperatureKey       // gen_ai.request.temperature
	RequestTopPKey              = semconv.GenAIRequestTopPKey              // gen_ai.request.top_p
	RequestTopKKey              = semconv.GenAIRequestTopKKey              // gen_ai.request.top_k
	RequestMaxTokensKey         = semconv.GenAIRequestMaxTokensKey         // gen_ai.request.max_tokens
	RequestStopSequencesKey     = semconv.GenAIRequestStopSequencesKey     // gen_ai.request.stop_sequences
	RequestSeedKey              = semconv.GenAIRequestSeedKey              // gen_ai.request.seed
	RequestFrequencyPenaltyKey  = semconv.GenAIRequestFrequencyPenaltyKey  // gen_ai.request.frequency_penalty
	RequestPresencePenaltyKey   = semconv.GenAIRequestPresencePenaltyKey   // gen_ai.request.presence_penalty
	RequestChoiceCountKey       = semconv.GenAIRequestChoiceCountKey       // gen_ai.request.choice.count
	RequestStreamKey            = semconv.GenAIRequestStreamKey            // gen_ai.request.stream
	RequestEncodingFormatsKey   = semconv.GenAIRequestEncodingFormatsKey   // gen_ai.request.encoding_formats
	OutputTypeKey               = semconv.GenAIOutputTypeKey               // gen_ai.output.type
	EmbeddingsDimensionKey      = semconv.GenAIEmbeddingsDimensionCountKey // gen_ai.embeddings.dimension.count
	TimeToFirstChunkKey         = semconv.GenAIResponseTimeToFirstChunkKey // gen_ai.response.time_to_first_chunk, seconds
	InputMessagesKey            = semconv.GenAIInputMessagesKey            // gen_ai.input.messages (opt-in content)
	OutputMessagesKey           = semconv.GenAIOutputMessagesKey           // gen_ai.output.messages (opt-in content)
	SystemInstructionsKey       = semconv.GenAISystemInstructionsKey       // gen_ai.system_instructions (opt-in content)
	ToolDefinitionsKey          = semconv.GenAIToolDefinitionsKey          // gen_ai.tool.definitions (opt-in content)
	ServerAddressKey            = semconv.ServerAddressKey                 // server.address
	ServerPortKey               = semconv.ServerPortKey                    // server.port
	ResendCountKey              = semconv.HTTPRequestResendCountKey        // http.request.resend_count (SDK retries)
	OpenAIRequestServiceTierKey = attribute.Key("openai.request.service_tier")
	ToolCallNamesKey            = attribute.Key("genaix.response.tool_call.names") // []string: tools the model asked to call
	ToolCallIDsKey              = attribute.Key("genaix.response.tool_call.ids")   // []string, in the same order
	UsageUnavailableKey         = attribute.Key("genaix.usage.unavailable")        // why a call has no usage, e.g. stream_without_include_usage
	RequestTruncatedKey         = attribute.Key("genaix.request.truncated")        // the request body was over the cap and not parsed
	ResponseTruncatedKey        = attribute.Key("genaix.response.truncated")       // part of the response was over a cap and not parsed
	ResponseMalformedKey        = attribute.Key("genaix.response.malformed")       // part of the response did not parse
)

// Cost keys. Per-call cost is set only on the span that made the call (a leaf),
// never rolled up onto parents; roll-ups use the aggregate keys below.
const (
	CostUSDKey           = attribute.Key("gen_ai.usage.cost_usd")        // last9-genai schema: total
	CostInputUSDKey      = attribute.Key("gen_ai.usage.cost_input_usd")  // last9-genai schema
	CostOutputUSDKey     = attribute.Key("gen_ai.usage.cost_output_usd") // last9-genai schema
	CostKey              = attribute.Key("gen_ai.usage.cost")            // total, as OpenLIT and Langfuse read it
	CostCacheReadUSDKey  = attribute.Key("gen_ai.usage.cost_cache_read_usd")
	CostCacheWriteUSDKey = attribute.Key("gen_ai.usage.cost_cache_write_usd")
	CostReasoningUSDKey  = attribute.Key("gen_ai.usage.cost_reasoning_usd")
	PriceKeyKey          = attribute.Key("genaix.cost.price_key")   // the price-table key that priced the call
	PriceMatchKey        = attribute.Key("genaix.cost.price_match") // how it matched: exact, provider, rule, normalized
	CostSourceKey        = attribute.Key("genaix.cost.source")      // "provider" when the provider reported the cost; absent when computed
	UnpricedKey          = attribute.Key("genaix.cost.unpriced")    // why no cost: unknown_model, no_usage, no_model
)

// Aggregate keys: totals of the leaf calls inside a workflow span or a
// conversation turn's outermost span.
const (
	WorkflowTotalCostKey    = attribute.Key("workflow.total_cost_usd") // last9-genai schema
	WorkflowLLMCallsKey     = attribute.Key("workflow.llm_calls")      // last9-genai schema
	WorkflowToolCallsKey    = attribute.Key("workflow.tool_calls")     // last9-genai schema
	WorkflowInputTokensKey  = attribute.Key("workflow.input_tokens")
	WorkflowOutputTokensKey = attribute.Key("workflow.output_tokens")
	WorkflowUnpricedKey     = attribute.Key("workflow.unpriced_calls")
	TurnTotalCostKey        = attribute.Key("turn.total_cost_usd")
	TurnLLMCallsKey         = attribute.Key("turn.llm_calls")
	TurnToolCallsKey        = attribute.Key("turn.tool_calls")
	TurnInputTokensKey      = attribute.Key("turn.input_tokens")
	TurnOutputTokensKey     = attribute.Key("turn.output_tokens")
	TurnUnpricedKey         = attribute.Key("turn.unpriced_calls")
)

// Span kind values for SpanKindKey.
const (
	KindLLM    Kind = "llm"
	KindTool   Kind = "tool"
	KindChain  Kind = "chain"
	KindAgent  Kind = "agent"
	KindPrompt Kind = "prompt"
)

// Kind classifies a span for filtering (gen_ai.l9.span.kind).
type Kind string
