// Package llmhttp instruments LLM API calls at the HTTP layer, so that every
// Go client that speaks HTTP — openai-go, anthropic-sdk-go,
// google.golang.org/genai, go-openai, the ollama api client, langchaingo's
// providers — is traced without an SDK-specific integration.
//
// Each HTTP attempt to a recognised LLM API (OpenAI Chat Completions,
// Responses, Embeddings and legacy Completions; Anthropic Messages; Gemini
// generateContent and streamGenerateContent; Ollama /api/chat, /api/generate
// and /api/embed; OpenAI-compatible services such as Azure OpenAI, OpenRouter,
// Groq, Together, Mistral, DeepSeek, xAI, Fireworks, vLLM, LM Studio and
// llama.cpp) gets a CLIENT span named "{operation} {model}" with the
// OpenTelemetry GenAI attributes: provider, request parameters, response id,
// model and finish reasons, normalised token usage, cost, time to first chunk
// for streams, the tool calls the model asked for, and error.type on
// failures, including errors that arrive inside an HTTP 200 stream. The span
// is a genaix.LLMCall: it carries the genaix scope of the request's context,
// opens a conversation turn at the top level of a conversation, and counts
// once in workflow and turn totals. Requests to anything else pass through
// untouched, without a span.
//
// Hook it in with the client's own option:
//
//	// openai-go and anthropic-sdk-go (register it first, before platform options):
//	client := openai.NewClient(option.WithMiddleware(llmhttp.Middleware()))
//	// clients that take an *http.Client:
//	client, _ := genai.NewClient(ctx, &genai.ClientConfig{HTTPClient: llmhttp.NewClient()})
//
// Streams are parsed inside the caller's own Read calls: no goroutine, no
// read-ahead, no buffering of the whole body, bounded memory, and the caller
// reads exactly the bytes the server sent. The span ends exactly once, at the
// end of the stream, on Close, on a read error or on cancellation. A body that
// is never read to the end nor closed never ends its span, as it never
// releases its connection: close response bodies. A compressed response the
// caller decodes itself (it set Accept-Encoding, so net/http left the body
// alone) is passed through unparsed: its span has no usage and says
// genaix.usage.unavailable=unparsed.
//
// Message content is not recorded unless asked for, with WithContentCapture or
// OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true. Credentials
// (Authorization, x-api-key, api-key, x-goog-api-key headers and key= query
// parameters) are never recorded.
//
// anthropic-sdk-go v1.81 and later makes its own span around each call when a
// global TracerProvider is set. The llmhttp span nests inside it and is the
// one that is priced and counted; the SDK's span keeps its attributes but is
// no longer a leaf, so the call is counted once. To have only genaix's spans,
// pass option.WithoutOpenTelemetry() to the Anthropic client.
package llmhttp
