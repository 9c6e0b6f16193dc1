package mockllm

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
)

// Anthropic Messages wire (wire-formats.md §10).

type anthropicRequest struct {
	Model     string             `json:"model"`
	Messages  []anthropicMessage `json:"messages"`
	System    json.RawMessage    `json:"system"`
	Tools     []json.RawMessage  `json:"tools"`
	Stream    bool               `json:"stream"`
	MaxTokens int                `json:"max_tokens"`
	Thinking  *struct {
		Type         string `json:"type"`
		BudgetTokens int    `json:"budget_tokens"`
	} `json:"thinking"`
	CacheControl *anthropicCacheControl `json:"cache_control"` // automatic caching: a breakpoint on the last block
}

type anthropicMessage struct {
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
}

type anthropicCacheControl struct {
	Type string `json:"type"`
	TTL  string `json:"ttl"`
}

type anthropicBlock struct {
	Type         string                 `json:"type"`
	Text         string                 `json:"text"`
	Thinking     string                 `json:"thinking"`
	Name         string                 `json:"name"`
	Input        json.RawMessage        `json:"input"`
	Content      json.RawMessage        `json:"content"`
	CacheControl *anthropicCacheControl `json:"cache_control"`
}

// anthropicBlocks decodes a content that is a string or an array of blocks.
func anthropicBlocks(raw json.RawMessage) []anthropicBlock {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []anthropicBlock{{Type: "text", Text: s}}
	}
	var blocks []anthropicBlock
	_ = json.Unmarshal(raw, &blocks)
	return blocks
}

func (b anthropicBlock) text() string {
	switch b.Type {
	case "text":
		return b.Text
	case "thinking":
		return b.Thinking
	case "tool_use":
		return b.Name + " " + string(b.Input)
	case "tool_result":
		return contentText(b.Content)
	}
	return ""
}

func unit(text string, cc *anthropicCacheControl) cacheUnit {
	return cacheUnit{text: text, breakpoint: cc != nil, ttl1h: cc != nil && cc.TTL == "1h"}
}

// anthropicTurn decodes a Messages request into a turn and its prompt
// blocks in cache order (tools, system, messages).
func anthropicTurn(req *anthropicRequest) (turn, []cacheUnit) {
	t := turn{model: req.Model, maxOut: req.MaxTokens}
	if t.model == "" {
		t.model = "claude-sonnet-4-5"
	}
	var units []cacheUnit
	for _, raw := range req.Tools {
		var tool struct {
			Name         string                 `json:"name"`
			InputSchema  json.RawMessage        `json:"input_schema"`
			CacheControl *anthropicCacheControl `json:"cache_control"`
		}
		_ = json.Unmarshal(raw, &tool)
		if t.tool == nil && tool.Name != "" && tool.InputSchema != nil {
			t.tool = &toolSpec{tool.Name, argKey(tool.InputSchema)}
		}
		units = append(units, unit(string(raw)+"\n", tool.CacheControl))
	}
	if len(req.System) > 0 {
		for _, b := range anthropicBlocks(req.System) {
			units = append(units, unit("system: "+b.text()+"\n", b.CacheControl))
		}
	}
	for i, m := range req.Messages {
		var userText []string
		for _, b := range anthropicBlocks(m.Content) {
			units = append(units, unit(m.Role+": "+b.text()+"\n", b.CacheControl))
			if m.Role == "user" && b.Type == "text" {
				userText = append(userText, b.Text)
			}
			if i == len(req.Messages)-1 && b.Type == "tool_result" {
				t.toolTurn, t.toolOut = true, b.text()
			}
		}
		if userText != nil {
			t.lastUser = strings.Join(userText, "\n")
		}
	}
	if req.CacheControl != nil && len(units) > 0 {
		last := &units[len(units)-1]
		last.breakpoint, last.ttl1h = true, req.CacheControl.TTL == "1h"
	}
	var prompt strings.Builder
	for _, u := range units {
		prompt.WriteString(u.text)
	}
	t.prompt = prompt.String()
	if req.Thinking != nil && (req.Thinking.Type == "enabled" || req.Thinking.Type == "adaptive") {
		t.thinking = true
		t.reasoning = reasoningTokens(hash64(t.model, t.prompt), "medium")
		if req.Thinking.BudgetTokens > 0 {
			t.reasoning = min(t.reasoning, req.Thinking.BudgetTokens)
		}
	}
	return t, units
}

func (s *Server) anthropicCountTokens(c *call) {
	var req anthropicRequest
	if !c.decode(&req) {
		return
	}
	_, units := anthropicTurn(&req)
	c.json("application/json", obj{{"input_tokens", promptTotal(units)}})
}

func (s *Server) anthropicMessages(c *call) {
	var req anthropicRequest
	if !c.decode(&req) {
		return
	}
	t, units := anthropicTurn(&req)
	a := s.answer(t)
	u := s.cache.usage(t.model, units)
	u.output, u.reasoning = a.output, a.reasoning

	id, model, toolID := "msg_mock_"+c.n, dated(t.model, true), "toolu_mock_"+c.n
	signature := base64.StdEncoding.EncodeToString([]byte("mock-signature:" + strconv.FormatUint(hash64(a.thinking), 16)))
	stop := "end_turn"
	if a.call != nil {
		stop = "tool_use"
	} else if a.truncated {
		stop = "max_tokens"
	}
	message := func(content []any, stop any, usage obj) obj {
		return obj{
			{"id", id}, {"type", "message"}, {"role", "assistant"}, {"model", model}, {"content", content},
			{"stop_reason", stop}, {"stop_sequence", nil}, {"usage", usage},
		}
	}
	if !req.Stream {
		var content []any
		if t.thinking {
			content = append(content, obj{{"type", "thinking"}, {"thinking", a.thinking}, {"signature", signature}})
		}
		if a.call != nil {
			content = append(content, obj{{"type", "tool_use"}, {"id", toolID}, {"name", a.call.name}, {"input", json.RawMessage(a.call.args)}})
		} else {
			content = append(content, obj{{"type", "text"}, {"text", a.text}})
		}
		c.whole(a.chunks(), "application/json", message(content, stop, u.anthropic(anthropicFinal, t.thinking)))
		return
	}

	ev := func(typ string, fields ...field) bool {
		return c.sse(typ, append(obj{{"type", typ}}, fields...))
	}
	idx := 0
	// block streams one content block: start, a ping after the first start,
	// the deltas built by delta from the pieces, any extra deltas, stop.
	block := func(start obj, pieces []string, delta func(string) obj, extra ...obj) bool {
		if !ev("content_block_start", field{"index", idx}, field{"content_block", start}) {
			return false
		}
		if idx == 0 && !ev("ping") {
			return false
		}
		fail := func() {
			ev("error", field{"error", obj{{"type", "overloaded_error"}, {"message", "mockllm: injected stream error"}}})
		}
		if !c.stream(pieces, func(p string) bool { return ev("content_block_delta", field{"index", idx}, field{"delta", delta(p)}) }, fail) {
			return false
		}
		for _, d := range extra {
			if !ev("content_block_delta", field{"index", idx}, field{"delta", d}) {
				return false
			}
		}
		idx++
		return ev("content_block_stop", field{"index", idx - 1})
	}
	c.begin("text/event-stream; charset=utf-8")
	if !ev("message_start", field{"message", message([]any{}, nil, u.anthropic(anthropicStart, t.thinking))}) {
		return
	}
	if t.thinking && !block(obj{{"type", "thinking"}, {"thinking", ""}, {"signature", ""}}, a.thinkPieces,
		func(p string) obj { return obj{{"type", "thinking_delta"}, {"thinking", p}} },
		obj{{"type", "signature_delta"}, {"signature", signature}}) {
		return
	}
	if a.call != nil {
		if !block(obj{{"type", "tool_use"}, {"id", toolID}, {"name", a.call.name}, {"input", obj{}}}, append([]string{""}, a.call.argPieces...),
			func(p string) obj { return obj{{"type", "input_json_delta"}, {"partial_json", p}} }) {
			return
		}
	} else if !block(obj{{"type", "text"}, {"text", ""}}, a.pieces,
		func(p string) obj { return obj{{"type", "text_delta"}, {"text", p}} }) {
		return
	}
	if !ev("message_delta", field{"delta", obj{{"stop_reason", stop}, {"stop_sequence", nil}}},
		field{"usage", u.anthropic(anthropicDelta, t.thinking)}) {
		return
	}
	ev("message_stop")
}
