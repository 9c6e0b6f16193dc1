package mockllm

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// Gemini API wire: generateContent, streamGenerateContent (SSE with
// alt=sse, else the legacy JSON array), embedContent, batchEmbedContents and
// countTokens (wire-formats.md §11).

type geminiPart struct {
	Text         string `json:"text"`
	FunctionCall *struct {
		Name string          `json:"name"`
		Args json.RawMessage `json:"args"`
	} `json:"functionCall"`
	FunctionResponse *struct {
		Name     string          `json:"name"`
		Response json.RawMessage `json:"response"`
	} `json:"functionResponse"`
}

type geminiContent struct {
	Role  string       `json:"role"`
	Parts []geminiPart `json:"parts"`
}

type geminiRequest struct {
	Contents          []geminiContent `json:"contents"`
	SystemInstruction *geminiContent  `json:"systemInstruction"`
	Tools             []struct {
		FunctionDeclarations []struct {
			Name                 string          `json:"name"`
			Parameters           json.RawMessage `json:"parameters"`
			ParametersJSONSchema json.RawMessage `json:"parametersJsonSchema"`
		} `json:"functionDeclarations"`
	} `json:"tools"`
	GenerationConfig struct {
		MaxOutputTokens int `json:"maxOutputTokens"`
		ThinkingConfig  *struct {
			ThinkingBudget  *int `json:"thinkingBudget"`
			IncludeThoughts bool `json:"includeThoughts"`
		} `json:"thinkingConfig"`
	} `json:"generationConfig"`
	GenerateContentRequest *geminiRequest `json:"generateContentRequest"` // countTokens
}

// gemini routes …/models/{model}:{verb}.
func (s *Server) gemini(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	model, verb, _ := strings.Cut(p[strings.LastIndex(p, "/models/")+len("/models/"):], ":")
	switch verb {
	case "generateContent", "streamGenerateContent":
		s.serve(w, r, familyGemini, func(c *call) { s.geminiGenerate(c, model, verb == "streamGenerateContent") })
	case "embedContent", "batchEmbedContents":
		s.serve(w, r, familyGemini, func(c *call) { s.geminiEmbed(c, verb == "batchEmbedContents") })
	case "countTokens":
		s.meta(w, r, familyGemini, http.MethodPost, func(c *call) {
			var req geminiRequest
			if !c.decode(&req) {
				return
			}
			if req.GenerateContentRequest != nil {
				req = *req.GenerateContentRequest
			}
			n := promptTokens(geminiTurn(&req, model).prompt)
			c.json("application/json", obj{{"totalTokens", n}, {"promptTokensDetails", []any{obj{{"modality", "TEXT"}, {"tokenCount", n}}}}})
		})
	default:
		writeError(w, familyGemini, http.StatusNotFound, "mockllm: unknown Gemini method "+verb)
	}
}

// geminiTurn decodes a generateContent request.
func geminiTurn(req *geminiRequest, model string) turn {
	t := turn{model: model, maxOut: req.GenerationConfig.MaxOutputTokens}
	var prompt strings.Builder
	partText := func(p geminiPart) string {
		switch {
		case p.FunctionCall != nil:
			return p.FunctionCall.Name + " " + string(p.FunctionCall.Args)
		case p.FunctionResponse != nil:
			return string(p.FunctionResponse.Response)
		}
		return p.Text
	}
	if req.SystemInstruction != nil {
		for _, p := range req.SystemInstruction.Parts {
			prompt.WriteString("system: " + partText(p) + "\n")
		}
	}
	for i, c := range req.Contents {
		var userText []string
		for _, p := range c.Parts {
			prompt.WriteString(c.Role + ": " + partText(p) + "\n")
			if c.Role != "model" && p.FunctionCall == nil && p.FunctionResponse == nil && p.Text != "" {
				userText = append(userText, p.Text)
			}
			if i == len(req.Contents)-1 && p.FunctionResponse != nil {
				t.toolTurn, t.toolOut = true, partText(p)
			}
		}
		if userText != nil {
			t.lastUser = strings.Join(userText, "\n")
		}
	}
	for _, tool := range req.Tools {
		for _, fd := range tool.FunctionDeclarations {
			schema := fd.Parameters
			if schema == nil {
				schema = fd.ParametersJSONSchema
			}
			if t.tool == nil && fd.Name != "" {
				t.tool = &toolSpec{fd.Name, argKey(schema)}
			}
			prompt.WriteString(fd.Name + " " + string(schema) + "\n")
		}
	}
	t.prompt = prompt.String()
	// Gemini 2.5 and 3 models think unless the budget is 0.
	if strings.Contains(model, "gemini-2.5") || strings.HasPrefix(model, "gemini-3") || strings.Contains(model, "thinking") {
		t.reasoning = reasoningTokens(hash64(model, t.prompt), "medium")
		if tc := req.GenerationConfig.ThinkingConfig; tc != nil {
			if tc.ThinkingBudget != nil && *tc.ThinkingBudget >= 0 {
				t.reasoning = min(t.reasoning, *tc.ThinkingBudget)
			}
			t.thinking = tc.IncludeThoughts && t.reasoning > 0
		}
	}
	return t
}

func (s *Server) geminiGenerate(c *call, model string, stream bool) {
	var req geminiRequest
	if !c.decode(&req) {
		return
	}
	t := geminiTurn(&req, model)
	a := s.answer(t)
	in := promptTokens(t.prompt)
	u := usage{input: in, cacheRead: implicitCache(in), output: a.output, reasoning: a.reasoning}
	id := "gemini-mock-" + c.n
	// The legacy REST transport asks for numeric enums.
	rawQuery, _ := url.QueryUnescape(c.r.URL.RawQuery)
	intEnums := strings.Contains(rawQuery, "enum-encoding=int")
	var finish any = "STOP"
	switch {
	case a.truncated && intEnums:
		finish = 2
	case a.truncated:
		finish = "MAX_TOKENS"
	case intEnums:
		finish = 1
	}
	response := func(parts []any, finish any, candidates int) obj {
		cand := obj{{"content", obj{{"parts", parts}, {"role", "model"}}}}
		if finish != nil {
			cand = append(cand, field{"finishReason", finish})
		}
		cand = append(cand, field{"index", 0})
		return obj{{"candidates", []any{cand}}, {"usageMetadata", u.gemini(candidates, intEnums)}, {"modelVersion", model}, {"responseId", id}}
	}
	thought := func(text string) obj { return obj{{"text", text}, {"thought", true}} }
	var call obj
	if a.call != nil {
		call = obj{{"functionCall", obj{{"name", a.call.name}, {"args", json.RawMessage(a.call.args)}}}}
	}
	visible := a.output - a.reasoning
	if !stream {
		var parts []any
		if t.thinking {
			parts = append(parts, thought(a.thinking))
		}
		if call != nil {
			parts = append(parts, call)
		} else {
			parts = append(parts, obj{{"text", a.text}})
		}
		c.whole(a.chunks(), "application/json", response(parts, finish, visible))
		return
	}

	sse := c.r.URL.Query().Get("alt") == "sse"
	first := true
	send := func(v any) bool {
		if sse {
			return c.send(append(append([]byte("data: "), mustJSON(v)...), "\r\n\r\n"...))
		}
		sep := ",\r\n"
		if first {
			sep, first = "[", false
		}
		return c.send(append([]byte(sep), mustJSON(v)...))
	}
	fail := func() { send(errorBody(familyGemini, 503, "mockllm: injected stream error")) }
	if sse {
		c.begin("text/event-stream")
	} else {
		c.begin("application/json; charset=UTF-8")
		defer func() {
			if !c.broken {
				c.send([]byte("]"))
			}
		}()
	}
	if t.thinking && !c.stream(a.thinkPieces, func(p string) bool { return send(response([]any{thought(p)}, nil, 0)) }, fail) {
		return
	}
	if call != nil {
		if c.pace() && send(response([]any{call}, finish, visible)) && c.streamErr {
			fail()
		}
		return
	}
	pieces := a.pieces
	if len(pieces) == 0 {
		pieces = []string{""}
	}
	sofar := ""
	c.stream(pieces, func(p string) bool {
		sofar += p
		var fin any
		if len(sofar) == len(a.text) {
			fin = finish
		}
		return send(response([]any{obj{{"text", p}}}, fin, min(tokens(sofar), visible)))
	}, fail)
}

func (s *Server) geminiEmbed(c *call, batch bool) {
	type embedRequest struct {
		Content              geminiContent `json:"content"`
		OutputDimensionality int           `json:"outputDimensionality"`
	}
	var req struct {
		embedRequest
		Requests []embedRequest `json:"requests"`
	}
	if !c.decode(&req) {
		return
	}
	values := func(r embedRequest) obj {
		var text []string
		for _, p := range r.Content.Parts {
			text = append(text, p.Text)
		}
		return obj{{"values", embedding(strings.Join(text, "\n"), r.OutputDimensionality)}}
	}
	if !batch {
		c.whole(0, "application/json", obj{{"embedding", values(req.embedRequest)}})
		return
	}
	out := make([]any, len(req.Requests))
	for i, r := range req.Requests {
		out[i] = values(r)
	}
	c.whole(0, "application/json", obj{{"embeddings", out}})
}
