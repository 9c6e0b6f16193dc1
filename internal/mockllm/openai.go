package mockllm

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// OpenAI wire: Chat Completions, Responses, Embeddings and legacy
// Completions (wire-formats.md §7–§9).

type openAIChatRequest struct {
	Model         string            `json:"model"`
	Messages      []openAIMessage   `json:"messages"`
	Prompt        json.RawMessage   `json:"prompt"` // legacy Completions
	Tools         []json.RawMessage `json:"tools"`
	Stream        bool              `json:"stream"`
	StreamOptions *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
	MaxTokens           int    `json:"max_tokens"`
	MaxCompletionTokens int    `json:"max_completion_tokens"`
	ReasoningEffort     string `json:"reasoning_effort"`
}

type openAIMessage struct {
	Role      string          `json:"role"`
	Content   json.RawMessage `json:"content"`
	ToolCalls []struct {
		Function struct {
			Name      string `json:"name"`
			Arguments string `json:"arguments"`
		} `json:"function"`
	} `json:"tool_calls"`
}

// openAITools returns the first function tool of an OpenAI-shaped tools
// array (Chat and Ollama nest it in "function", Responses does not) and the
// tools' text for the prompt.
func openAITools(tools []json.RawMessage) (*toolSpec, string) {
	var first *toolSpec
	var text strings.Builder
	for _, raw := range tools {
		text.Write(raw)
		text.WriteByte('\n')
		var t struct {
			Type       string          `json:"type"`
			Name       string          `json:"name"`
			Parameters json.RawMessage `json:"parameters"`
			Function   *struct {
				Name       string          `json:"name"`
				Parameters json.RawMessage `json:"parameters"`
			} `json:"function"`
		}
		if first != nil || json.Unmarshal(raw, &t) != nil {
			continue
		}
		if t.Function != nil && t.Function.Name != "" {
			first = &toolSpec{t.Function.Name, argKey(t.Function.Parameters)}
		} else if t.Type == "function" && t.Name != "" {
			first = &toolSpec{t.Name, argKey(t.Parameters)}
		}
	}
	return first, text.String()
}

// openAIReasoning is the reasoning tokens an OpenAI-wire model reports:
// o-series ("o1", "o4-mini") and gpt-5 models reason, others do not.
func openAIReasoning(model, effort, prompt string) int {
	m := model[strings.LastIndex(model, "/")+1:]
	if (len(m) >= 2 && m[0] == 'o' && m[1] >= '0' && m[1] <= '9') || strings.HasPrefix(m, "gpt-5") {
		return reasoningTokens(hash64(model, prompt), effort)
	}
	return 0
}

// openAIModel is the request's model; Azure deployments may leave it out
// (the deployment name stands in), else def.
func openAIModel(c *call, model, def string) string {
	if model != "" {
		return model
	}
	if rest, ok := strings.CutPrefix(c.r.URL.Path, "/openai/deployments/"); ok {
		if d, _, ok := strings.Cut(rest, "/"); ok && d != "" {
			return d
		}
	}
	return def
}

// openAIUsage is the usage of a reply on the OpenAI wire.
func openAIUsage(t turn, a answer) usage {
	in := promptTokens(t.prompt)
	return usage{input: in, cacheRead: implicitCache(in), output: a.output, reasoning: a.reasoning}
}

func (s *Server) openAIChat(c *call) {
	var req openAIChatRequest
	if !c.decode(&req) {
		return
	}
	t := turn{model: openAIModel(c, req.Model, "gpt-4o-mini"), maxOut: req.MaxCompletionTokens}
	if t.maxOut == 0 {
		t.maxOut = req.MaxTokens
	}
	var prompt strings.Builder
	for _, m := range req.Messages {
		text := contentText(m.Content)
		for _, tc := range m.ToolCalls {
			text += "\n" + tc.Function.Name + " " + tc.Function.Arguments
		}
		prompt.WriteString(m.Role + ": " + text + "\n")
		if m.Role == "user" {
			t.lastUser = text
		}
	}
	if n := len(req.Messages); n > 0 && (req.Messages[n-1].Role == "tool" || req.Messages[n-1].Role == "function") {
		t.toolTurn, t.toolOut = true, contentText(req.Messages[n-1].Content)
	}
	var toolText string
	t.tool, toolText = openAITools(req.Tools)
	t.prompt = prompt.String() + toolText
	t.reasoning = openAIReasoning(t.model, req.ReasoningEffort, t.prompt)
	a := s.answer(t)
	u := openAIUsage(t, a)

	id, model, callID := "chatcmpl-mock-"+c.n, dated(t.model, false), "call_mock_"+c.n
	finish := "stop"
	if a.call != nil {
		finish = "tool_calls"
	} else if a.truncated {
		finish = "length"
	}
	if !req.Stream {
		content := any(a.text)
		if a.call != nil {
			content = nil
		}
		msg := obj{{"role", "assistant"}, {"content", content}, {"refusal", nil}}
		if a.call != nil {
			msg = append(msg, field{"tool_calls", []any{obj{
				{"id", callID}, {"type", "function"},
				{"function", obj{{"name", a.call.name}, {"arguments", a.call.args}}},
			}}})
		}
		msg = append(msg, field{"annotations", []any{}})
		c.whole(a.chunks(), "application/json", obj{
			{"id", id}, {"object", "chat.completion"}, {"created", mockEpoch}, {"model", model},
			{"choices", []any{obj{{"index", 0}, {"message", msg}, {"logprobs", nil}, {"finish_reason", finish}}}},
			{"usage", u.openAIChat()},
			{"service_tier", "default"}, {"system_fingerprint", "fp_mock"},
		})
		return
	}

	includeUsage := req.StreamOptions != nil && req.StreamOptions.IncludeUsage
	chunk := func(choices []any, usage any) obj {
		o := obj{
			{"id", id}, {"object", "chat.completion.chunk"}, {"created", mockEpoch}, {"model", model},
			{"service_tier", "default"}, {"system_fingerprint", "fp_mock"}, {"choices", choices},
		}
		if includeUsage {
			o = append(o, field{"usage", usage})
		}
		return o
	}
	delta := func(d obj, finish any) bool {
		return c.sse("", chunk([]any{obj{{"index", 0}, {"delta", d}, {"logprobs", nil}, {"finish_reason", finish}}}, nil))
	}
	fail := func() { c.sse("", errorBody(familyOpenAI, 500, "mockllm: injected stream error")) }
	c.begin("text/event-stream; charset=utf-8")
	if a.call == nil {
		if !delta(obj{{"role", "assistant"}, {"content", ""}, {"refusal", nil}}, nil) ||
			!c.stream(a.pieces, func(p string) bool { return delta(obj{{"content", p}}, nil) }, fail) {
			return
		}
	} else {
		head := obj{{"role", "assistant"}, {"content", nil}, {"tool_calls", []any{obj{
			{"index", 0}, {"id", callID}, {"type", "function"},
			{"function", obj{{"name", a.call.name}, {"arguments", ""}}},
		}}}, {"refusal", nil}}
		if !c.pace() || !delta(head, nil) || !c.stream(a.call.argPieces, func(p string) bool {
			return delta(obj{{"tool_calls", []any{obj{{"index", 0}, {"function", obj{{"arguments", p}}}}}}}, nil)
		}, fail) {
			return
		}
	}
	if !delta(obj{}, finish) {
		return
	}
	if includeUsage && !c.sse("", chunk([]any{}, u.openAIChat())) {
		return
	}
	c.send([]byte("data: [DONE]\n\n"))
}

func (s *Server) openAICompletions(c *call) {
	var req openAIChatRequest
	if !c.decode(&req) {
		return
	}
	texts, _ := embedInputs(req.Prompt)
	t := turn{model: openAIModel(c, req.Model, "gpt-3.5-turbo-instruct"), maxOut: req.MaxTokens, lastUser: strings.Join(texts, "\n")}
	t.prompt = t.lastUser
	a := s.answer(t)
	u := openAIUsage(t, a)
	id, model := "cmpl-mock-"+c.n, dated(t.model, false)
	finish := "stop"
	if a.truncated {
		finish = "length"
	}
	body := func(choices []any, usage any) obj {
		o := obj{{"id", id}, {"object", "text_completion"}, {"created", mockEpoch}, {"model", model}, {"choices", choices}}
		if usage != nil {
			o = append(o, field{"usage", usage})
		}
		return o
	}
	choice := func(text string, finish any) []any {
		return []any{obj{{"text", text}, {"index", 0}, {"logprobs", nil}, {"finish_reason", finish}}}
	}
	if !req.Stream {
		c.whole(a.chunks(), "application/json", body(choice(a.text, finish), u.openAILegacy()))
		return
	}
	c.begin("text/event-stream; charset=utf-8")
	if !c.stream(a.pieces, func(p string) bool { return c.sse("", body(choice(p, nil), nil)) },
		func() { c.sse("", errorBody(familyOpenAI, 500, "mockllm: injected stream error")) }) ||
		!c.sse("", body(choice("", finish), nil)) {
		return
	}
	if req.StreamOptions != nil && req.StreamOptions.IncludeUsage && !c.sse("", body([]any{}, u.openAILegacy())) {
		return
	}
	c.send([]byte("data: [DONE]\n\n"))
}

type openAIResponsesRequest struct {
	Model           string            `json:"model"`
	Input           json.RawMessage   `json:"input"`
	Instructions    *string           `json:"instructions"`
	Tools           []json.RawMessage `json:"tools"`
	Stream          bool              `json:"stream"`
	MaxOutputTokens *int              `json:"max_output_tokens"`
	Reasoning       *struct {
		Effort string `json:"effort"`
	} `json:"reasoning"`
}

func (s *Server) openAIResponses(c *call) {
	var req openAIResponsesRequest
	if !c.decode(&req) {
		return
	}
	t := turn{model: openAIModel(c, req.Model, "gpt-4o-mini")}
	if req.MaxOutputTokens != nil {
		t.maxOut = *req.MaxOutputTokens
	}
	var prompt strings.Builder
	if req.Instructions != nil {
		prompt.WriteString("developer: " + *req.Instructions + "\n")
	}
	var input string
	if json.Unmarshal(req.Input, &input) == nil {
		prompt.WriteString("user: " + input + "\n")
		t.lastUser = input
	} else {
		var items []struct {
			Type      string          `json:"type"`
			Role      string          `json:"role"`
			Content   json.RawMessage `json:"content"`
			Output    json.RawMessage `json:"output"`
			Name      string          `json:"name"`
			Arguments string          `json:"arguments"`
		}
		_ = json.Unmarshal(req.Input, &items)
		for i, it := range items {
			role, text := it.Role, contentText(it.Content)
			switch it.Type {
			case "function_call_output", "custom_tool_call_output":
				role, text = "tool", contentText(it.Output)
				if i == len(items)-1 {
					t.toolTurn, t.toolOut = true, text
				}
			case "function_call":
				role, text = "assistant", it.Name+" "+it.Arguments
			}
			prompt.WriteString(role + ": " + text + "\n")
			if role == "user" {
				t.lastUser = text
			}
		}
	}
	var toolText string
	t.tool, toolText = openAITools(req.Tools)
	t.prompt = prompt.String() + toolText
	effort := ""
	if req.Reasoning != nil {
		effort = req.Reasoning.Effort
	}
	t.reasoning = openAIReasoning(t.model, effort, t.prompt)
	a := s.answer(t)
	u := openAIUsage(t, a)

	id, model := "resp_mock_"+c.n, dated(t.model, false)
	msgID, fcID, rsID, callID := "msg_mock_"+c.n, "fc_mock_"+c.n, "rs_mock_"+c.n, "call_mock_"+c.n
	status, incomplete := "completed", any(nil)
	if a.truncated {
		status, incomplete = "incomplete", obj{{"reason", "max_output_tokens"}}
	}
	tools := any([]any{})
	if req.Tools != nil {
		tools = req.Tools
	}
	response := func(status string, incomplete any, output []any, usage any) obj {
		return obj{
			{"id", id}, {"object", "response"}, {"created_at", mockEpoch}, {"status", status},
			{"error", nil}, {"incomplete_details", incomplete}, {"instructions", req.Instructions},
			{"max_output_tokens", req.MaxOutputTokens}, {"model", model}, {"output", output},
			{"parallel_tool_calls", true}, {"previous_response_id", nil},
			{"reasoning", obj{{"effort", nilIfEmpty(effort)}, {"summary", nil}}},
			{"store", true}, {"temperature", 1.0}, {"text", obj{{"format", obj{{"type", "text"}}}}},
			{"tool_choice", "auto"}, {"tools", tools}, {"top_p", 1.0}, {"truncation", "disabled"},
			{"usage", usage}, {"user", nil}, {"metadata", obj{}},
		}
	}
	reasoningItem := obj{{"id", rsID}, {"type", "reasoning"}, {"summary", []any{}}}
	textPart := func(text string) obj {
		return obj{{"type", "output_text"}, {"annotations", []any{}}, {"logprobs", []any{}}, {"text", text}}
	}
	messageItem := func(status string, content []any) obj {
		return obj{{"id", msgID}, {"type", "message"}, {"status", status}, {"content", content}, {"role", "assistant"}}
	}
	callItem := func(status, args string) obj {
		return obj{{"id", fcID}, {"type", "function_call"}, {"status", status}, {"arguments", args}, {"call_id", callID}, {"name", a.call.name}}
	}
	var output []any
	if a.reasoning > 0 {
		output = append(output, reasoningItem)
	}
	if a.call != nil {
		output = append(output, callItem("completed", a.call.args))
	} else {
		output = append(output, messageItem(status, []any{textPart(a.text)}))
	}
	if !req.Stream {
		c.whole(a.chunks(), "application/json", response(status, incomplete, output, u.openAIResponses()))
		return
	}

	seq := 0
	ev := func(typ string, fields ...field) bool {
		o := append(obj{{"type", typ}, {"sequence_number", seq}}, fields...)
		seq++
		return c.sse(typ, o)
	}
	fail := func() {
		ev("error", field{"code", "server_error"}, field{"message", "mockllm: injected stream error"}, field{"param", nil})
	}
	c.begin("text/event-stream; charset=utf-8")
	if !ev("response.created", field{"response", response("in_progress", nil, []any{}, nil)}) ||
		!ev("response.in_progress", field{"response", response("in_progress", nil, []any{}, nil)}) {
		return
	}
	idx := 0
	if a.reasoning > 0 {
		if !ev("response.output_item.added", field{"output_index", idx}, field{"item", reasoningItem}) ||
			!ev("response.output_item.done", field{"output_index", idx}, field{"item", reasoningItem}) {
			return
		}
		idx++
	}
	if a.call != nil {
		ok := ev("response.output_item.added", field{"output_index", idx}, field{"item", callItem("in_progress", "")}) &&
			c.stream(a.call.argPieces, func(p string) bool {
				return ev("response.function_call_arguments.delta", field{"item_id", fcID}, field{"output_index", idx}, field{"delta", p})
			}, fail) &&
			ev("response.function_call_arguments.done", field{"item_id", fcID}, field{"output_index", idx}, field{"arguments", a.call.args}) &&
			ev("response.output_item.done", field{"output_index", idx}, field{"item", callItem("completed", a.call.args)})
		if !ok {
			return
		}
	} else {
		part := func(typ string, p obj) bool {
			return ev(typ, field{"item_id", msgID}, field{"output_index", idx}, field{"content_index", 0}, field{"part", p})
		}
		ok := ev("response.output_item.added", field{"output_index", idx}, field{"item", messageItem("in_progress", []any{})}) &&
			part("response.content_part.added", textPart("")) &&
			c.stream(a.pieces, func(p string) bool {
				return ev("response.output_text.delta", field{"item_id", msgID}, field{"output_index", idx},
					field{"content_index", 0}, field{"delta", p}, field{"logprobs", []any{}})
			}, fail) &&
			ev("response.output_text.done", field{"item_id", msgID}, field{"output_index", idx},
				field{"content_index", 0}, field{"text", a.text}, field{"logprobs", []any{}}) &&
			part("response.content_part.done", textPart(a.text)) &&
			ev("response.output_item.done", field{"output_index", idx}, field{"item", output[len(output)-1]})
		if !ok {
			return
		}
	}
	ev("response."+status, field{"response", response(status, incomplete, output, u.openAIResponses())})
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// embedInputs decodes an input that is a string, an array of strings, an
// array of token ids or an array of such arrays. It returns one text per
// input and each input's token count.
func embedInputs(raw json.RawMessage) (texts []string, toks []int) {
	raw = bytes.TrimSpace(raw)
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, []int{tokens(one)}
	}
	var many []json.RawMessage
	if json.Unmarshal(raw, &many) != nil {
		return nil, nil
	}
	if len(many) > 0 && !bytes.HasPrefix(bytes.TrimSpace(many[0]), []byte("[")) && !bytes.HasPrefix(bytes.TrimSpace(many[0]), []byte(`"`)) {
		many = []json.RawMessage{raw} // one array of token ids
	}
	for _, m := range many {
		var s string
		if json.Unmarshal(m, &s) == nil {
			texts, toks = append(texts, s), append(toks, tokens(s))
			continue
		}
		var ids []int
		_ = json.Unmarshal(m, &ids)
		words := make([]string, len(ids))
		for i, id := range ids {
			words[i] = "t" + strconv.Itoa(id)
		}
		texts, toks = append(texts, strings.Join(words, " ")), append(toks, len(ids))
	}
	return texts, toks
}

func (s *Server) openAIEmbeddings(c *call) {
	var req struct {
		Model          string          `json:"model"`
		Input          json.RawMessage `json:"input"`
		EncodingFormat string          `json:"encoding_format"`
		Dimensions     int             `json:"dimensions"`
	}
	if !c.decode(&req) {
		return
	}
	texts, toks := embedInputs(req.Input)
	if len(texts) == 0 {
		writeError(c.w, familyOpenAI, 400, "mockllm: 'input' must be a non-empty string or array")
		return
	}
	data := make([]any, len(texts))
	total := 0
	for i, text := range texts {
		vec := embedding(text, req.Dimensions)
		var v any = vec
		if req.EncodingFormat == "base64" {
			b := make([]byte, 4*len(vec))
			for j, x := range vec {
				binary.LittleEndian.PutUint32(b[4*j:], math.Float32bits(x))
			}
			v = base64.StdEncoding.EncodeToString(b)
		}
		data[i] = obj{{"object", "embedding"}, {"index", i}, {"embedding", v}}
		total += toks[i]
	}
	model := openAIModel(c, req.Model, "text-embedding-3-small")
	c.whole(0, "application/json", obj{
		{"object", "list"}, {"data", data}, {"model", model},
		{"usage", obj{{"prompt_tokens", total}, {"total_tokens", total}}},
	})
}
