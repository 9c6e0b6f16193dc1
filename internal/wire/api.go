package wire

// API is a wire family: the shape of a request and response body. The same
// family is served by many providers (OpenAI Chat runs on Azure, Groq,
// OpenRouter, Ollama's /v1 and more), so an API says nothing about the host.
type API int

// The wire families this package understands.
const (
	Unknown           API = iota
	OpenAIChat            // POST …/chat/completions
	OpenAIResponses       // POST …/responses
	OpenAIEmbeddings      // POST …/embeddings
	OpenAICompletions     // POST …/completions (legacy)
	AnthropicMessages     // POST …/v1/messages, Vertex :rawPredict
	GeminiGenerate        // POST …:generateContent, …:streamGenerateContent
	GeminiEmbed           // POST …:embedContent, …:batchEmbedContents
	OllamaChat            // POST /api/chat
	OllamaGenerate        // POST /api/generate
	OllamaEmbed           // POST /api/embed (and the legacy /api/embeddings)
	CohereChat            // POST /v2/chat
)

var apiNames = [...]string{
	Unknown:           "unknown",
	OpenAIChat:        "openai_chat",
	OpenAIResponses:   "openai_responses",
	OpenAIEmbeddings:  "openai_embeddings",
	OpenAICompletions: "openai_completions",
	AnthropicMessages: "anthropic_messages",
	GeminiGenerate:    "gemini_generate",
	GeminiEmbed:       "gemini_embed",
	OllamaChat:        "ollama_chat",
	OllamaGenerate:    "ollama_generate",
	OllamaEmbed:       "ollama_embed",
	CohereChat:        "cohere_chat",
}

// String returns a short lowercase name such as "openai_chat".
func (a API) String() string {
	if a < 0 || int(a) >= len(apiNames) {
		return "unknown"
	}
	return apiNames[a]
}

// Operation returns the gen_ai.operation.name of a call of this API, or ""
// for Unknown.
func (a API) Operation() string {
	switch a {
	case OpenAIChat, OpenAIResponses, AnthropicMessages, OllamaChat, CohereChat:
		return "chat"
	case GeminiGenerate:
		return "generate_content"
	case OpenAICompletions, OllamaGenerate:
		return "text_completion"
	case OpenAIEmbeddings, GeminiEmbed, OllamaEmbed:
		return "embeddings"
	}
	return ""
}

// isEmbeddings reports whether a produces vectors, which are never decoded.
func (a API) isEmbeddings() bool {
	return a == OpenAIEmbeddings || a == GeminiEmbed || a == OllamaEmbed
}

// isOllama reports whether a is Ollama's native NDJSON API.
func (a API) isOllama() bool {
	return a == OllamaChat || a == OllamaGenerate || a == OllamaEmbed
}

// DefaultProvider is the gen_ai.provider.name used when the host says
// nothing (loopback, private addresses, unknown gateways) or there is no
// host (a response recognised by Sniff).
func (a API) DefaultProvider() string {
	switch a {
	case OpenAIChat, OpenAIResponses, OpenAIEmbeddings, OpenAICompletions:
		return "openai"
	case AnthropicMessages:
		return "anthropic"
	case GeminiGenerate, GeminiEmbed:
		return "gcp.gemini"
	case OllamaChat, OllamaGenerate, OllamaEmbed:
		return "ollama"
	case CohereChat:
		return "cohere"
	}
	return ""
}
