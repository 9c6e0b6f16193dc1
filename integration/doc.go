// Package integration drives the official LLM client SDKs (openai-go v3,
// anthropic-sdk-go, google.golang.org/genai, sashabaranov/go-openai and the
// ollama api client) through genaix's HTTP instrumentation (package llmhttp)
// against loopback httptest servers that replay recorded-shape fixtures, and
// checks the exported spans attribute by attribute, the SDKs' decoded results,
// and the workflow, turn and conversation roll-ups.
//
// It is a separate module so that the SDKs never become dependencies of
// genaix itself. The package has tests only.
package integration
