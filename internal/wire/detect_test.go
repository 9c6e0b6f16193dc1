package wire

import (
	"net/url"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		method, url, ct string
		want            Endpoint
		ok              bool
	}{
		{"POST", "https://api.openai.com/v1/chat/completions", "application/json",
			Endpoint{API: OpenAIChat, Operation: "chat", Provider: "openai", Address: "api.openai.com", Port: 443}, true},
		{"POST", "https://eu.api.openai.com/v1/responses", "application/json",
			Endpoint{API: OpenAIResponses, Operation: "chat", Provider: "openai", Address: "eu.api.openai.com", Port: 443}, true},
		{"POST", "https://api.openai.com/v1/embeddings", "",
			Endpoint{API: OpenAIEmbeddings, Operation: "embeddings", Provider: "openai", Address: "api.openai.com", Port: 443}, true},
		{"POST", "https://api.openai.com/v1/completions", "application/json",
			Endpoint{API: OpenAICompletions, Operation: "text_completion", Provider: "openai", Address: "api.openai.com", Port: 443}, true},
		{"POST", "https://acme-eu.openai.azure.com/openai/deployments/prod-gpt4o/chat/completions?api-version=2024-10-21", "application/json",
			Endpoint{API: OpenAIChat, Operation: "chat", Provider: "azure.ai.openai", Address: "acme-eu.openai.azure.com", Port: 443, Deployment: "prod-gpt4o"}, true},
		{"POST", "https://acme.cognitiveservices.azure.com/openai/deployments/emb/embeddings?api-version=2023-05-15", "application/json",
			Endpoint{API: OpenAIEmbeddings, Operation: "embeddings", Provider: "azure.ai.openai", Address: "acme.cognitiveservices.azure.com", Port: 443, Deployment: "emb"}, true},
		{"POST", "https://acme.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview", "application/json",
			Endpoint{API: OpenAIChat, Operation: "chat", Provider: "azure.ai.inference", Address: "acme.services.ai.azure.com", Port: 443}, true},
		{"POST", "https://acme.services.ai.azure.com/openai/v1/responses", "application/json",
			Endpoint{API: OpenAIResponses, Operation: "chat", Provider: "azure.ai.openai", Address: "acme.services.ai.azure.com", Port: 443}, true},
		{"POST", "https://api.groq.com/openai/v1/chat/completions", "application/json",
			Endpoint{API: OpenAIChat, Operation: "chat", Provider: "groq", Address: "api.groq.com", Port: 443}, true},
		{"POST", "https://openrouter.ai/api/v1/chat/completions", "application/json",
			Endpoint{API: OpenAIChat, Operation: "chat", Provider: "openrouter", Address: "openrouter.ai", Port: 443}, true},
		{"POST", "https://openrouter.ai/api/v1/embeddings", "application/json",
			Endpoint{API: OpenAIEmbeddings, Operation: "embeddings", Provider: "openrouter", Address: "openrouter.ai", Port: 443}, true},
		{"POST", "https://api.fireworks.ai/inference/v1/chat/completions", "application/json",
			Endpoint{API: OpenAIChat, Operation: "chat", Provider: "openai", Address: "api.fireworks.ai", Port: 443}, true},
		{"POST", "https://api.deepseek.com/chat/completions", "application/json",
			Endpoint{API: OpenAIChat, Operation: "chat", Provider: "deepseek", Address: "api.deepseek.com", Port: 443}, true},
		{"POST", "https://api.x.ai/v1/chat/completions", "application/json",
			Endpoint{API: OpenAIChat, Operation: "chat", Provider: "x_ai", Address: "api.x.ai", Port: 443}, true},
		{"POST", "https://api.mistral.ai/v1/chat/completions", "application/json",
			Endpoint{API: OpenAIChat, Operation: "chat", Provider: "mistral_ai", Address: "api.mistral.ai", Port: 443}, true},
		{"POST", "https://api.perplexity.ai/chat/completions", "application/json",
			Endpoint{API: OpenAIChat, Operation: "chat", Provider: "perplexity", Address: "api.perplexity.ai", Port: 443}, true},
		{"POST", "https://api.together.xyz/v1/chat/completions", "application/json",
			Endpoint{API: OpenAIChat, Operation: "chat", Provider: "together", Address: "api.together.xyz", Port: 443}, true},
		{"POST", "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions", "application/json",
			Endpoint{API: OpenAIChat, Operation: "chat", Provider: "gcp.gemini", Address: "generativelanguage.googleapis.com", Port: 443}, true},
		{"POST", "https://api.anthropic.com/v1/chat/completions", "application/json",
			Endpoint{API: OpenAIChat, Operation: "chat", Provider: "anthropic", Address: "api.anthropic.com", Port: 443}, true},
		{"POST", "https://api.anthropic.com/v1/messages", "application/json",
			Endpoint{API: AnthropicMessages, Operation: "chat", Provider: "anthropic", Address: "api.anthropic.com", Port: 443}, true},
		{"POST", "https://api.anthropic.com/v1/messages?beta=true", "application/json",
			Endpoint{API: AnthropicMessages, Operation: "chat", Provider: "anthropic", Address: "api.anthropic.com", Port: 443}, true},
		{"POST", "https://bedrock-mantle.us-east-1.api.aws/anthropic/v1/messages", "application/json",
			Endpoint{API: AnthropicMessages, Operation: "chat", Provider: "aws.bedrock", Address: "bedrock-mantle.us-east-1.api.aws", Port: 443}, true},
		{"POST", "https://us-east5-aiplatform.googleapis.com/v1/projects/p1/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict", "application/json",
			Endpoint{API: AnthropicMessages, Operation: "chat", Provider: "gcp.vertex_ai", Model: "claude-sonnet-4-5@20250929", Stream: true, Address: "us-east5-aiplatform.googleapis.com", Port: 443}, true},
		{"POST", "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent", "application/json",
			Endpoint{API: GeminiGenerate, Operation: "generate_content", Provider: "gcp.gemini", Model: "gemini-2.5-flash", Address: "generativelanguage.googleapis.com", Port: 443}, true},
		{"POST", "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", "application/json",
			Endpoint{API: GeminiGenerate, Operation: "generate_content", Provider: "gcp.gemini", Model: "gemini-2.5-flash", Stream: true, Address: "generativelanguage.googleapis.com", Port: 443}, true},
		{"POST", "https://aiplatform.googleapis.com/v1beta1/projects/p1/locations/global/publishers/google/models/gemini-2.5-pro:generateContent", "application/json",
			Endpoint{API: GeminiGenerate, Operation: "generate_content", Provider: "gcp.vertex_ai", Model: "gemini-2.5-pro", Address: "aiplatform.googleapis.com", Port: 443}, true},
		{"POST", "https://aiplatform.eu.rep.googleapis.com/v1/projects/p1/locations/eu/publishers/google/models/gemini-2.5-pro:generateContent", "",
			Endpoint{API: GeminiGenerate, Operation: "generate_content", Provider: "gcp.vertex_ai", Model: "gemini-2.5-pro", Address: "aiplatform.eu.rep.googleapis.com", Port: 443}, true},
		{"POST", "https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents", "application/json",
			Endpoint{API: GeminiEmbed, Operation: "embeddings", Provider: "gcp.gemini", Model: "gemini-embedding-001", Address: "generativelanguage.googleapis.com", Port: 443}, true},
		{"POST", "http://127.0.0.1:11434/api/chat", "application/json",
			Endpoint{API: OllamaChat, Operation: "chat", Provider: "ollama", Address: "127.0.0.1", Port: 11434}, true},
		{"POST", "http://localhost:11434/api/generate", "application/json",
			Endpoint{API: OllamaGenerate, Operation: "text_completion", Provider: "ollama", Address: "localhost", Port: 11434}, true},
		{"POST", "http://gpu-box:11434/api/embed", "application/json",
			Endpoint{API: OllamaEmbed, Operation: "embeddings", Provider: "ollama", Address: "gpu-box", Port: 11434}, true},
		{"POST", "http://127.0.0.1:11434/v1/chat/completions", "application/json",
			Endpoint{API: OpenAIChat, Operation: "chat", Provider: "ollama", Address: "127.0.0.1", Port: 11434}, true},
		{"POST", "https://ollama.com/api/chat?ts=1767225600", "application/json",
			Endpoint{API: OllamaChat, Operation: "chat", Provider: "ollama", Address: "ollama.com", Port: 443}, true},
		{"POST", "http://[::1]:8000/v1/chat/completions", "application/json",
			Endpoint{API: OpenAIChat, Operation: "chat", Provider: "openai", Address: "::1", Port: 8000}, true},
		{"POST", "http://10.0.0.5:1234/v1/messages", "application/json",
			Endpoint{API: AnthropicMessages, Operation: "chat", Provider: "anthropic", Address: "10.0.0.5", Port: 1234}, true},
		{"POST", "https://api.cohere.com/v2/chat", "application/json",
			Endpoint{API: CohereChat, Operation: "chat", Provider: "cohere", Address: "api.cohere.com", Port: 443}, true},
		{"POST", "HTTPS://API.OPENAI.COM/v1/chat/completions/", "application/json",
			Endpoint{API: OpenAIChat, Operation: "chat", Provider: "openai", Address: "api.openai.com", Port: 443}, true},
		// go-openai's DefaultAnthropicConfig: api-version does not mean Azure.
		{"POST", "https://api.anthropic.com/v1/chat/completions?api-version=2023-06-01", "application/json",
			Endpoint{API: OpenAIChat, Operation: "chat", Provider: "anthropic", Address: "api.anthropic.com", Port: 443}, true},

		// Not LLM calls, or not ones genaix parses.
		{"GET", "https://api.openai.com/v1/chat/completions", "", Endpoint{}, false},
		{"post", "https://api.openai.com/v1/chat/completions", "", Endpoint{}, false},
		{"GET", "https://api.openai.com/v1/responses/resp_123", "", Endpoint{}, false},
		{"POST", "https://api.openai.com/v1/responses/resp_123/cancel", "", Endpoint{}, false},
		{"POST", "https://api.openai.com/v1/responses/compact", "application/json", Endpoint{}, false},
		{"POST", "https://api.openai.com/v1/responses/input_tokens", "application/json", Endpoint{}, false},
		{"POST", "https://api.openai.com/v1/chat/completions/chatcmpl-1", "application/json", Endpoint{}, false},
		{"POST", "https://api.openai.com/v1/audio/transcriptions", "multipart/form-data; boundary=x", Endpoint{}, false},
		{"POST", "https://api.openai.com/v1/chat/completions", "multipart/form-data; boundary=x", Endpoint{}, false},
		{"POST", "https://api.openai.com/v1/threads/thread_1/messages", "application/json", Endpoint{}, false},
		{"POST", "https://api.anthropic.com/v1/messages/count_tokens", "application/json", Endpoint{}, false},
		{"POST", "https://api.anthropic.com/v1/messages/batches", "application/json", Endpoint{}, false},
		{"POST", "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:countTokens", "application/json", Endpoint{}, false},
		{"POST", "https://us-aiplatform.googleapis.com/v1/projects/p/locations/us/publishers/google/models/imagen-4:predict", "application/json", Endpoint{}, false},
		{"POST", "https://us-aiplatform.googleapis.com/v1/projects/p/locations/us/publishers/google/models/gemini:rawPredict", "application/json", Endpoint{}, false},
		{"POST", "https://generativelanguage.googleapis.com/v1beta/:generateContent", "application/json", Endpoint{}, false},
		{"POST", "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke", "application/json", Endpoint{}, false},
		{"POST", "https://example.com/", "application/json", Endpoint{}, false},
		{"POST", "https://example.com", "application/json", Endpoint{}, false},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := Detect(tt.method, u, tt.ct)
		if ok != tt.ok || got != tt.want {
			t.Errorf("%s %s:\n got %+v %v\nwant %+v %v", tt.method, tt.url, got, ok, tt.want, tt.ok)
		}
	}
	if _, ok := Detect("POST", nil, ""); ok {
		t.Error("nil URL detected")
	}
}

func TestDetectPortAndScheme(t *testing.T) {
	for _, tt := range []struct {
		url  string
		port int
	}{
		{"http://api.openai.com/v1/chat/completions", 80},
		{"https://api.openai.com:8443/v1/chat/completions", 8443},
		{"https://api.openai.com:0/v1/chat/completions", 0},
		{"//api.openai.com/v1/chat/completions", 0},
		{"/v1/chat/completions", 0},
	} {
		u, _ := url.Parse(tt.url)
		e, ok := Detect("POST", u, "")
		if !ok || e.Port != tt.port {
			t.Errorf("%s: %+v %v", tt.url, e, ok)
		}
	}
}

func TestProviderOrder(t *testing.T) {
	// A private host on Ollama's port still gets the wire family default
	// for other ports, and the rules never depend on map order: run many
	// times to be sure.
	for range 100 {
		if p := provider("api.groq.com", 443, "/"); p != "groq" {
			t.Fatal(p)
		}
		if p := provider("bedrock-runtime-fips.us-gov-west-1.amazonaws.com", 443, "/"); p != "aws.bedrock" {
			t.Fatal(p)
		}
		if p := provider("bedrock-runtime.cn-north-1.amazonaws.com.cn", 443, "/"); p != "aws.bedrock" {
			t.Fatal(p)
		}
		if p := provider("notopenai.com", 443, "/"); p != "" {
			t.Fatal(p)
		}
	}
}

func TestAPIString(t *testing.T) {
	for a := Unknown; a <= CohereChat; a++ {
		if a.String() == "" || (a != Unknown && a.String() == "unknown") {
			t.Errorf("%d: %q", a, a.String())
		}
		if a != Unknown && a.Operation() == "" {
			t.Errorf("%v has no operation", a)
		}
	}
	if API(-1).String() != "unknown" || API(1000).String() != "unknown" {
		t.Error("out-of-range API")
	}
}
