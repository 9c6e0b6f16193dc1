package mockllm_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/genaix/genaix-go/internal/mockllm"
)

const geminiHello = `{"systemInstruction":{"parts":[{"text":"Be brief."}]},"contents":[{"role":"user","parts":[{"text":"What is the capital of France?"}]}]}`

func geminiText(v any) string {
	var b strings.Builder
	parts, _ := at(v, "candidates", 0, "content", "parts").([]any)
	for _, p := range parts {
		if at(p, "thought") != true {
			b.WriteString(str(at(p, "text")))
		}
	}
	return b.String()
}

func TestGeminiGenerateContent(t *testing.T) {
	s := mockllm.New()
	for _, tc := range []struct {
		model, config string
		thinks        bool
	}{
		{"gemini-2.5-flash", "", true},
		{"gemini-2.5-flash", `,"generationConfig":{"thinkingConfig":{"thinkingBudget":0}}`, false},
		{"gemini-2.0-flash", "", false},
	} {
		body := strings.TrimSuffix(geminiHello, "}") + tc.config + "}"
		v := decode(t, post(t, s, "/v1beta/models/"+tc.model+":generateContent", body).Body.String())
		u := at(v, "usageMetadata")
		n := normGemini(u)
		checkNorm(t, n)
		if str(at(v, "candidates", 0, "content", "role")) != "model" || str(at(v, "candidates", 0, "finishReason")) != "STOP" ||
			!strings.HasPrefix(geminiText(v), "Mock answer to: What is the capital of France?") ||
			str(at(v, "modelVersion")) != tc.model || !strings.HasPrefix(str(at(v, "responseId")), "gemini-mock-") {
			t.Errorf("%s: %v", tc.model, v)
		}
		// Thoughts are separate from candidates; the total adds them.
		if (n.reasoning > 0) != tc.thinks || num(at(u, "totalTokenCount")) != n.input+n.output || has(u, "thoughtsTokenCount") != tc.thinks {
			t.Errorf("%s%s: usage %v", tc.model, tc.config, u)
		}
	}
	// includeThoughts adds a thought part before the answer.
	body := strings.TrimSuffix(geminiHello, "}") + `,"generationConfig":{"thinkingConfig":{"includeThoughts":true}}}`
	v := decode(t, post(t, s, "/v1beta/models/gemini-2.5-pro:generateContent", body).Body.String())
	if at(v, "candidates", 0, "content", "parts", 0, "thought") != true || str(at(v, "candidates", 0, "content", "parts", 1, "text")) == "" {
		t.Errorf("includeThoughts: %v", v)
	}
	// Long prompts hit the implicit cache: promptTokenCount includes it.
	long := `{"contents":[{"role":"user","parts":[{"text":"` + strings.Repeat("lorem ipsum ", 1000) + `"}]}]}`
	u := at(decode(t, post(t, s, "/v1beta/models/gemini-2.0-flash:generateContent", long).Body.String()), "usageMetadata")
	if n := normGemini(u); n.cacheRead == 0 || n.cacheRead > n.input-1024 {
		t.Errorf("cached usage %v", u)
	}
	// maxOutputTokens: MAX_TOKENS.
	v = decode(t, post(t, s, "/v1beta/models/gemini-2.0-flash:generateContent", strings.TrimSuffix(geminiHello, "}")+`,"generationConfig":{"maxOutputTokens":4}}`).Body.String())
	if str(at(v, "candidates", 0, "finishReason")) != "MAX_TOKENS" || num(at(v, "usageMetadata", "candidatesTokenCount")) > 4 {
		t.Errorf("maxOutputTokens: %v", v)
	}
}

// alt=sse: data-only events framed with CRLF, usage as running totals on
// every chunk, finishReason on the last, no [DONE].
func TestGeminiStreamSSE(t *testing.T) {
	s := mockllm.New()
	whole := decode(t, post(t, s, "/v1beta/models/gemini-2.5-flash:generateContent", geminiHello).Body.String())
	w := post(t, s, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", geminiHello)
	body := w.Body.String()
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Errorf("Content-Type %q", ct)
	}
	if strings.Count(body, "\n") != strings.Count(body, "\r\n") || !strings.HasSuffix(body, "\r\n\r\n") || !strings.HasPrefix(body, "data: ") {
		t.Errorf("not CRLF-framed SSE: %q", body[:min(len(body), 200)])
	}
	ev := parseSSE(t, body)
	var text strings.Builder
	prev := -1
	for i, e := range ev {
		if e.name != "" || e.data == "[DONE]" {
			t.Errorf("event %d: %+v", i, e)
		}
		c := decode(t, e.data)
		text.WriteString(geminiText(c))
		cand := num(at(c, "usageMetadata", "candidatesTokenCount"))
		if cand < prev || num(at(c, "usageMetadata", "promptTokenCount")) == 0 || str(at(c, "modelVersion")) != "gemini-2.5-flash" {
			t.Errorf("chunk %d usage %v", i, at(c, "usageMetadata"))
		}
		prev = cand
		if (i == len(ev)-1) != has(c, "finishReason", "candidates", 0) {
			t.Errorf("chunk %d finishReason %v", i, at(c, "candidates", 0, "finishReason"))
		}
	}
	last := decode(t, ev[len(ev)-1].data)
	if text.String() != geminiText(whole) || normGemini(at(last, "usageMetadata")) != normGemini(at(whole, "usageMetadata")) {
		t.Errorf("stream text %q usage %v, want %q %v", text.String(), at(last, "usageMetadata"), geminiText(whole), at(whole, "usageMetadata"))
	}
}

// Without alt=sse the stream is one JSON array; the legacy REST transport
// asks for numeric enums.
func TestGeminiStreamJSONArray(t *testing.T) {
	s := mockllm.New()
	w := post(t, s, "/v1beta/models/gemini-1.5-flash:streamGenerateContent?%24alt=json%3Benum-encoding%3Dint", geminiHello)
	var chunks []any
	if err := json.Unmarshal(w.Body.Bytes(), &chunks); err != nil || len(chunks) < 3 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("not a JSON array (%v): %s", err, w.Body)
	}
	last := chunks[len(chunks)-1]
	if f, ok := at(last, "candidates", 0, "finishReason").(float64); !ok || f != 1 {
		t.Errorf("finishReason %v, want the number 1 (STOP)", at(last, "candidates", 0, "finishReason"))
	}
	w = post(t, s, "/v1beta/models/gemini-1.5-flash:streamGenerateContent", geminiHello)
	if err := json.Unmarshal(w.Body.Bytes(), &chunks); err != nil || str(at(chunks[len(chunks)-1], "candidates", 0, "finishReason")) != "STOP" {
		t.Errorf("plain JSON array stream (%v): %s", err, w.Body)
	}
}

func TestGeminiTools(t *testing.T) {
	s := mockllm.New()
	tools := `,"tools":[{"functionDeclarations":[{"name":"get_weather","parameters":{"type":"OBJECT","properties":{"location":{"type":"STRING"}},"required":["location"]}}]}]`
	body := strings.TrimSuffix(geminiHello, "}") + tools + "}"
	for _, path := range []string{":generateContent", ":streamGenerateContent?alt=sse"} {
		w := post(t, s, "/v1beta/models/gemini-2.0-flash"+path, body)
		var v any
		if strings.Contains(path, "sse") {
			ev := parseSSE(t, w.Body.String())
			v = decode(t, ev[len(ev)-1].data)
		} else {
			v = decode(t, w.Body.String())
		}
		fc := at(v, "candidates", 0, "content", "parts", 0, "functionCall")
		if str(at(fc, "name")) != "get_weather" || str(at(fc, "args", "location")) != "What is the capital of France?" ||
			str(at(v, "candidates", 0, "finishReason")) != "STOP" {
			t.Errorf("%s: function call reply %v", path, v)
		}
	}
	after := `{"contents":[{"role":"user","parts":[{"text":"Weather in Paris?"}]},
		{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"location":"Paris"}}}]},
		{"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"forecast":"rain"}}}]}]` + tools + "}"
	v := decode(t, post(t, s, "/v1beta/models/gemini-2.0-flash:generateContent", after).Body.String())
	if !strings.HasPrefix(geminiText(v), "Mock answer from the tool result:") || !strings.Contains(geminiText(v), "rain") {
		t.Errorf("reply to a functionResponse: %v", v)
	}
}

func TestGeminiEmbeddingsAndCount(t *testing.T) {
	s := mockllm.New()
	v := decode(t, post(t, s, "/v1beta/models/text-embedding-004:embedContent", `{"content":{"parts":[{"text":"hello world"}]},"outputDimensionality":16}`).Body.String())
	if len(at(v, "embedding", "values").([]any)) != 16 {
		t.Errorf("embedContent: %v", v)
	}
	v = decode(t, post(t, s, "/v1beta/models/gemini-embedding-001:batchEmbedContents",
		`{"requests":[{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"a"}]}},{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"b"}]}}]}`).Body.String())
	if len(at(v, "embeddings").([]any)) != 2 || len(at(v, "embeddings", 1, "values").([]any)) != 32 {
		t.Errorf("batchEmbedContents: %v", v)
	}
	whole := normGemini(at(decode(t, post(t, s, "/v1beta/models/gemini-2.0-flash:generateContent", geminiHello).Body.String()), "usageMetadata"))
	if got := num(at(decode(t, post(t, s, "/v1beta/models/gemini-2.0-flash:countTokens", geminiHello).Body.String()), "totalTokens")); got != whole.input {
		t.Errorf("countTokens %d, want %d", got, whole.input)
	}
}
