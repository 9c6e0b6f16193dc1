package mockllm

import (
	"encoding/json"
	"strings"
	"time"
)

// Ollama native wire: /api/chat, /api/generate, /api/embed and the legacy
// /api/embeddings, plus the metadata the ollama client asks for
// (wire-formats.md §12). Streams are NDJSON and "stream" defaults to true.

type ollamaRequest struct {
	Model    string            `json:"model"`
	Messages []ollamaMessage   `json:"messages"`
	Prompt   string            `json:"prompt"`
	System   string            `json:"system"`
	Tools    []json.RawMessage `json:"tools"`
	Stream   *bool             `json:"stream"`
	Think    json.RawMessage   `json:"think"`
	Options  struct {
		NumPredict int `json:"num_predict"`
	} `json:"options"`
	Input      json.RawMessage `json:"input"`
	Dimensions int             `json:"dimensions"`
}

type ollamaMessage struct {
	Role      string `json:"role"`
	Content   string `json:"content"`
	ToolCalls []struct {
		Function struct {
			Name      string          `json:"name"`
			Arguments json.RawMessage `json:"arguments"`
		} `json:"function"`
	} `json:"tool_calls"`
}

// thinks reports whether "think" asks for thinking: true or a level.
func (r *ollamaRequest) thinks() bool {
	v := strings.Trim(string(r.Think), `" `)
	return v != "" && v != "false" && v != "null"
}

func (r *ollamaRequest) stream() bool { return r.Stream == nil || *r.Stream }

// ollamaTime is the created_at of the i-th line of a reply: fixed, so
// replies are deterministic.
func ollamaTime(i int) string {
	return time.Unix(mockEpoch, 0).UTC().Add(time.Duration(i) * 50 * time.Millisecond).Format(time.RFC3339Nano)
}

// ollamaUsage is the usage of a reply: the KV cache holds the conversation up
// to the last message.
func ollamaUsage(t turn, a answer, cachedPrefix string) usage {
	u := usage{input: promptTokens(t.prompt), output: a.output}
	if cachedPrefix != "" {
		u.cacheRead = promptTokens(cachedPrefix)
	}
	return u
}

func (s *Server) ollamaChat(c *call) {
	var req ollamaRequest
	if !c.decode(&req) {
		return
	}
	t := turn{model: req.Model, maxOut: req.Options.NumPredict, thinking: req.thinks()}
	var prompt strings.Builder
	var cached string
	for i, m := range req.Messages {
		if i == len(req.Messages)-1 && i > 0 {
			cached = prompt.String()
		}
		text := m.Content
		for _, tc := range m.ToolCalls {
			text += "\n" + tc.Function.Name + " " + string(tc.Function.Arguments)
		}
		prompt.WriteString(m.Role + ": " + text + "\n")
		if m.Role == "user" {
			t.lastUser = text
		}
	}
	if n := len(req.Messages); n > 0 && req.Messages[n-1].Role == "tool" {
		t.toolTurn, t.toolOut = true, req.Messages[n-1].Content
	}
	var toolText string
	t.tool, toolText = openAITools(req.Tools)
	t.prompt = prompt.String() + toolText
	a := s.answer(t)
	u := ollamaUsage(t, a, cached)

	line := func(i int, msg obj, done bool) obj {
		return obj{{"model", req.Model}, {"created_at", ollamaTime(i)}, {"message", msg}, {"done", done}}
	}
	final := func(i int, msg obj) obj {
		reason := "stop"
		if a.truncated {
			reason = "length"
		}
		return append(append(line(i, msg, true), field{"done_reason", reason}), u.ollama()...)
	}
	var calls []any
	if a.call != nil {
		calls = []any{obj{{"id", "call_mock_" + c.n}, {"function", obj{
			{"index", 0}, {"name", a.call.name}, {"arguments", json.RawMessage(a.call.args)},
		}}}}
	}
	if !req.stream() {
		msg := obj{{"role", "assistant"}, {"content", a.text}}
		if t.thinking {
			msg = append(msg, field{"thinking", a.thinking})
		}
		if calls != nil {
			msg = append(msg, field{"tool_calls", calls})
		}
		c.whole(a.chunks(), "application/json; charset=utf-8", final(0, msg))
		return
	}
	i := 0
	send := func(msg obj) bool {
		i++
		return c.send(append(mustJSON(line(i-1, msg, false)), '\n'))
	}
	fail := func() { c.send(append(mustJSON(errorBody(familyOllama, 500, "mockllm: injected stream error")), '\n')) }
	c.begin("application/x-ndjson")
	if t.thinking && !c.stream(a.thinkPieces, func(p string) bool {
		return send(obj{{"role", "assistant"}, {"content", ""}, {"thinking", p}})
	}, fail) {
		return
	}
	if calls != nil {
		if !c.stream([]string{""}, func(string) bool {
			return send(obj{{"role", "assistant"}, {"content", ""}, {"tool_calls", calls}})
		}, fail) {
			return
		}
	} else if !c.stream(a.pieces, func(p string) bool { return send(obj{{"role", "assistant"}, {"content", p}}) }, fail) {
		return
	}
	c.send(append(mustJSON(final(i, obj{{"role", "assistant"}, {"content", ""}})), '\n'))
}

func (s *Server) ollamaGenerate(c *call) {
	var req ollamaRequest
	if !c.decode(&req) {
		return
	}
	if req.Prompt == "" && req.System == "" { // an empty request loads the model
		c.whole(0, "application/json; charset=utf-8", obj{
			{"model", req.Model}, {"created_at", ollamaTime(0)}, {"response", ""}, {"done", true}, {"done_reason", "load"},
		})
		return
	}
	t := turn{model: req.Model, maxOut: req.Options.NumPredict, thinking: req.thinks(), lastUser: req.Prompt}
	t.prompt = "system: " + req.System + "\nuser: " + req.Prompt + "\n"
	a := s.answer(t)
	u := ollamaUsage(t, a, "")
	line := func(i int, response, thinking string, done bool) obj {
		o := obj{{"model", req.Model}, {"created_at", ollamaTime(i)}, {"response", response}}
		if thinking != "" {
			o = append(o, field{"thinking", thinking})
		}
		return append(o, field{"done", done})
	}
	final := func(i int, response, thinking string) obj {
		reason := "stop"
		if a.truncated {
			reason = "length"
		}
		ctx := make([]int, min(u.input+u.output, 16)) // token ids of the context (shortened)
		for j := range ctx {
			ctx[j] = 1000 + int(hash64(t.prompt, string(rune(j)))%30000)
		}
		return append(append(line(i, response, thinking, true), field{"done_reason", reason}, field{"context", ctx}), u.ollama()...)
	}
	if !req.stream() {
		c.whole(a.chunks(), "application/json; charset=utf-8", final(0, a.text, a.thinking))
		return
	}
	i := 0
	send := func(response, thinking string) bool {
		i++
		return c.send(append(mustJSON(line(i-1, response, thinking, false)), '\n'))
	}
	fail := func() { c.send(append(mustJSON(errorBody(familyOllama, 500, "mockllm: injected stream error")), '\n')) }
	c.begin("application/x-ndjson")
	if t.thinking && !c.stream(a.thinkPieces, func(p string) bool { return send("", p) }, fail) {
		return
	}
	if !c.stream(a.pieces, func(p string) bool { return send(p, "") }, fail) {
		return
	}
	c.send(append(mustJSON(final(i, "", "")), '\n'))
}

func (s *Server) ollamaEmbed(c *call) {
	var req ollamaRequest
	if !c.decode(&req) {
		return
	}
	if c.r.URL.Path == "/api/embeddings" { // legacy: one prompt, one vector
		vec := embedding(req.Prompt, req.Dimensions)
		out := make([]float64, len(vec))
		for i, x := range vec {
			out[i] = float64(x)
		}
		c.whole(0, "application/json; charset=utf-8", obj{{"embedding", out}})
		return
	}
	texts, toks := embedInputs(req.Input)
	vecs := make([]any, len(texts))
	total := 0
	for i, text := range texts {
		vecs[i] = embedding(text, req.Dimensions)
		total += toks[i]
	}
	c.whole(0, "application/json; charset=utf-8", obj{
		{"model", req.Model}, {"embeddings", vecs},
		{"total_duration", 8_000_000 + total*100_000}, {"load_duration", 5_000_000}, {"prompt_eval_count", total},
	})
}

func ollamaVersion(c *call) {
	c.json("application/json; charset=utf-8", obj{{"version", "0.34.4"}})
}

func ollamaTags(c *call) {
	model := func(name, family, size string, bytes int) obj {
		return obj{
			{"name", name}, {"model", name}, {"modified_at", ollamaTime(0)}, {"size", bytes},
			{"digest", "mock" + strings.Repeat("0", 60)},
			{"details", obj{
				{"parent_model", ""}, {"format", "gguf"}, {"family", family}, {"families", []string{family}},
				{"parameter_size", size}, {"quantization_level", "Q4_K_M"},
			}},
		}
	}
	c.json("application/json; charset=utf-8", obj{{"models", []any{
		model("llama3.2:latest", "llama", "3.2B", 2019393189),
		model("qwen3:latest", "qwen3", "8.2B", 5225388164),
		model("nomic-embed-text:latest", "nomic-bert", "137M", 274302450),
	}}})
}
