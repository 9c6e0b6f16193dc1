package wire

import (
	"net/url"
	"strconv"
	"strings"
)

// Endpoint is what the request line says about a call.
type Endpoint struct {
	API       API
	Operation string // gen_ai.operation.name: chat, generate_content, text_completion, embeddings
	// Provider is gen_ai.provider.name, from the host (§5); hosts that say
	// nothing (loopback, private, unknown gateways) get the wire family's
	// default.
	Provider   string
	Model      string // the model when the URL carries it (Gemini, Vertex), else ""
	Stream     bool   // the path implies streaming (:streamGenerateContent, :streamRawPredict)
	Address    string // server.address: the host without port
	Port       int    // server.port: explicit, else 443 for https, 80 for http
	Deployment string // Azure deployment from /openai/deployments/{d}/…, else ""
}

// Detect recognises an LLM call by method, URL path (the wire family) and
// host (the provider only). Only POST requests with a JSON body (or none
// declared) to a generation or embeddings path match; count_tokens,
// batches, /responses/{id}, /responses/compact, :countTokens, multipart
// uploads and everything else are left alone (§1, §4).
func Detect(method string, u *url.URL, contentType string) (Endpoint, bool) {
	if method != "POST" || u == nil {
		return Endpoint{}, false
	}
	if mt := mediaType(contentType); mt != "" && mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		return Endpoint{}, false
	}
	e, ok := detectPath(strings.TrimSuffix(u.Path, "/"))
	if !ok {
		return Endpoint{}, false
	}
	e.Operation = e.API.Operation()
	host := strings.ToLower(u.Hostname())
	e.Address = host
	e.Port = port(u)
	e.Provider = provider(host, e.Port, u.Path)
	if e.Provider == "" {
		e.Provider = e.API.DefaultProvider()
	}
	return e, true
}

func port(u *url.URL) int {
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err == nil && n > 0 && n < 65536 {
			return n
		}
		return 0
	}
	switch strings.ToLower(u.Scheme) {
	case "https", "wss":
		return 443
	case "http", "ws":
		return 80
	}
	return 0
}

// detectPath maps a path to a wire family, most specific patterns first.
func detectPath(path string) (Endpoint, bool) {
	var e Endpoint
	last := path[strings.LastIndexByte(path, '/')+1:]

	// Google-style custom verbs: …/models/{model}:{verb}.
	if model, verb, ok := strings.Cut(last, ":"); ok {
		if model == "" {
			return e, false
		}
		e.Model = model
		switch verb {
		case "generateContent":
			e.API = GeminiGenerate
		case "streamGenerateContent":
			e.API, e.Stream = GeminiGenerate, true
		case "embedContent", "batchEmbedContents":
			e.API = GeminiEmbed
		case "rawPredict", "streamRawPredict":
			if !strings.Contains(path, "/publishers/anthropic/models/") {
				return e, false
			}
			e.API, e.Stream = AnthropicMessages, verb == "streamRawPredict"
		default: // countTokens, computeTokens, predict (also Imagen), …
			return e, false
		}
		return e, true
	}

	switch {
	case strings.HasSuffix(path, "/chat/completions"):
		e.API = OpenAIChat
	case last == "responses":
		e.API = OpenAIResponses
	case strings.HasSuffix(path, "/api/embeddings") && !strings.Contains(path, "/v1/"):
		e.API = OllamaEmbed // Ollama's legacy endpoint, not OpenRouter's /api/v1/embeddings
	case last == "embeddings":
		e.API = OpenAIEmbeddings
	case last == "completions":
		e.API = OpenAICompletions
	case strings.HasSuffix(path, "/v1/messages"):
		e.API = AnthropicMessages
	case strings.HasSuffix(path, "/api/chat"):
		e.API = OllamaChat
	case strings.HasSuffix(path, "/api/generate"):
		e.API = OllamaGenerate
	case strings.HasSuffix(path, "/api/embed"):
		e.API = OllamaEmbed
	case strings.HasSuffix(path, "/v2/chat"):
		e.API = CohereChat
	default:
		return e, false
	}
	if d, ok := azureDeployment(path); ok {
		e.Deployment = d
	}
	return e, true
}

// azureDeployment extracts {d} from /openai/deployments/{d}/….
func azureDeployment(path string) (string, bool) {
	const marker = "/openai/deployments/"
	i := strings.Index(path, marker)
	if i < 0 {
		return "", false
	}
	d, _, _ := strings.Cut(path[i+len(marker):], "/")
	return d, d != ""
}

// hostRule is one row of §5: a host pattern and its provider name.
type hostRule struct {
	match    func(host string) bool
	provider string
}

// domain matches a host and its subdomains (eu.api.openai.com).
func domain(names ...string) func(string) bool {
	return func(h string) bool {
		for _, n := range names {
			if h == n || strings.HasSuffix(h, "."+n) {
				return true
			}
		}
		return false
	}
}

// hostRules are checked in order, never by ranging over a map, so the
// result is deterministic (otelc #824).
var hostRules = []hostRule{
	{domain("api.openai.com"), "openai"},
	{domain("openai.azure.com", "cognitiveservices.azure.com"), "azure.ai.openai"},
	{domain("services.ai.azure.com"), "azure.ai.inference"}, // refined by path in provider
	{domain("api.anthropic.com"), "anthropic"},
	{domain("generativelanguage.googleapis.com"), "gcp.gemini"},
	{isVertexHost, "gcp.vertex_ai"},
	{isBedrockHost, "aws.bedrock"},
	{domain("api.mistral.ai"), "mistral_ai"},
	{domain("api.deepseek.com"), "deepseek"},
	{domain("api.x.ai"), "x_ai"},
	{domain("api.groq.com"), "groq"},
	{domain("api.perplexity.ai"), "perplexity"},
	{domain("api.cohere.com", "api.cohere.ai"), "cohere"},
	{domain("ml.cloud.ibm.com"), "ibm.watsonx.ai"},
	{domain("openrouter.ai"), "openrouter"},
	{domain("api.together.xyz", "api.together.ai"), "together"},
	{domain("ollama.com"), "ollama"},
	{domain("api.moonshot.ai", "api.moonshot.cn"), "moonshot_ai"},
}

func isVertexHost(h string) bool {
	return h == "aiplatform.googleapis.com" ||
		strings.HasSuffix(h, "-aiplatform.googleapis.com") ||
		(strings.HasPrefix(h, "aiplatform.") && strings.HasSuffix(h, ".rep.googleapis.com"))
}

func isBedrockHost(h string) bool {
	if strings.HasPrefix(h, "bedrock-runtime.") || strings.HasPrefix(h, "bedrock-runtime-fips.") {
		return strings.HasSuffix(h, ".amazonaws.com") || strings.HasSuffix(h, ".amazonaws.com.cn")
	}
	return strings.HasPrefix(h, "bedrock-mantle.") && strings.HasSuffix(h, ".api.aws")
}

// provider returns gen_ai.provider.name for a host, or "" when the host
// says nothing and the wire family's default applies.
func provider(host string, port int, path string) string {
	for _, r := range hostRules {
		if !r.match(host) {
			continue
		}
		if r.provider == "azure.ai.inference" && strings.HasPrefix(path, "/openai/") {
			return "azure.ai.openai"
		}
		return r.provider
	}
	if port == 11434 {
		return "ollama" // Ollama's default port, whatever the host
	}
	return ""
}
