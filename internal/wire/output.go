package wire

import "github.com/genaix/genaix-go/pricing"

// ToolCall is a tool call the model asked for, assembled from whatever
// fragments the wire sent.
type ToolCall struct {
	ID        string // call id; empty when the provider gives none (Gemini, Ollama)
	Name      string // function name
	Arguments string // arguments as sent: usually a JSON text
}

// Limits on what a response can make the parser keep, whatever the input:
// provider indexes are attacker-controlled numbers, so choices and blocks
// are found by search in short slices, never by indexing; identifiers are
// short in every real API, so a long one is dropped rather than kept.
const (
	maxChoices = 128
	maxBlocks  = 1024 // across all choices
	maxIdent   = 1024 // bytes of an id, name, role or finish reason
)

type blockKind uint8

const (
	kindText blockKind = iota
	kindReasoning
	kindTool
	kindOther // a complete part kept as is (blob, uri, provider-specific)
)

// block is one part of an output message under assembly: streamed text, a
// tool call whose arguments arrive in fragments, or a finished part.
type block struct {
	kind      blockKind
	key       int // the provider's index for the block, or -1
	id, name  string
	buf       []byte
	fromStart bool // buf holds an initial input that the first delta replaces
	part      Part
}

// choice is one choice (OpenAI), candidate (Gemini) or the single message
// of the other APIs.
type choice struct {
	index  int
	finish string // raw
	role   string
	blocks []block
}

// collector accumulates a Result across events.
type collector struct {
	api     API
	capture bool
	onFirst func()
	first   bool
	budget  int // bytes left for assembled text and tool arguments
	res     Result
	choices []choice
	blocks  int // blocks in all choices
}

func (c *collector) firstContent() {
	if c.first {
		return
	}
	c.first = true
	if c.onFirst != nil {
		c.onFirst()
	}
}

// ident returns the string v holds if it is short enough to be an
// identifier, else "" (and the result is marked truncated).
func (c *collector) ident(v []byte) string {
	if strLen(v) > maxIdent {
		c.res.Truncated = true
		return ""
	}
	return str(v)
}

// setID and setModel keep the first non-empty value: Azure's first chunk
// carries empty ones.
func (c *collector) setID(v []byte) {
	if c.res.ResponseID == "" && nonEmptyString(v) {
		c.res.ResponseID = c.ident(v)
	}
}

func (c *collector) setModel(v []byte) {
	if c.res.ResponseModel == "" && nonEmptyString(v) {
		c.res.ResponseModel = c.ident(v)
	}
}

func (c *collector) setUsage(u pricing.Usage, ok bool) {
	if ok {
		c.res.Usage, c.res.HasUsage = u, true
	}
}

func (c *collector) setError(t string) {
	if c.res.ErrorType == "" {
		c.res.ErrorType = t
	}
}

// choice returns the choice with the given index, adding it if new.
func (c *collector) choice(index int) *choice {
	for i := range c.choices {
		if c.choices[i].index == index {
			return &c.choices[i]
		}
	}
	if len(c.choices) >= maxChoices {
		c.res.Truncated = true
		return nil
	}
	c.choices = append(c.choices, choice{index: index})
	return &c.choices[len(c.choices)-1]
}

// block returns ch's block of that kind and key, adding it if new.
func (c *collector) block(ch *choice, kind blockKind, key int) *block {
	if ch == nil {
		return nil
	}
	for i := len(ch.blocks) - 1; i >= 0; i-- {
		if b := &ch.blocks[i]; b.kind == kind && b.key == key {
			return b
		}
	}
	return c.newBlock(ch, kind, key)
}

// lastBlock returns ch's last block if it has that kind, else a new one, so
// consecutive text pieces form one part.
func (c *collector) lastBlock(ch *choice, kind blockKind) *block {
	if ch == nil {
		return nil
	}
	if n := len(ch.blocks); n > 0 && ch.blocks[n-1].kind == kind {
		return &ch.blocks[n-1]
	}
	return c.newBlock(ch, kind, -1)
}

func (c *collector) newBlock(ch *choice, kind blockKind, key int) *block {
	if ch == nil {
		return nil
	}
	if c.blocks >= maxBlocks {
		c.res.Truncated = true
		return nil
	}
	c.blocks++
	ch.blocks = append(ch.blocks, block{kind: kind, key: key})
	return &ch.blocks[len(ch.blocks)-1]
}

// keepsText reports whether text of this kind is kept: tool arguments
// always (they make Result.ToolCalls), text only when capturing content.
func (c *collector) keepsText(kind blockKind) bool {
	return kind == kindTool || c.capture
}

// appendStr appends the JSON string v to b within the budget.
func (c *collector) appendStr(b *block, v []byte) {
	if b == nil || !isString(v) || !c.keepsText(b.kind) {
		return
	}
	if b.fromStart {
		c.budget += len(b.buf)
		b.buf, b.fromStart = b.buf[:0], false
	}
	if n := strLen(v); n > c.budget {
		c.res.Truncated = true
		return
	}
	before := len(b.buf)
	b.buf = appendStr(b.buf, v)
	c.budget -= len(b.buf) - before
}

// appendText adds a non-empty text piece v to ch's last block of that kind
// (a new one if the last is of another kind), so consecutive pieces form one
// part.
func (c *collector) appendText(ch *choice, kind blockKind, v []byte) {
	if nonEmptyString(v) {
		c.firstContent()
		c.appendStr(c.lastBlock(ch, kind), v)
	}
}

// setRaw stores a raw JSON value (Gemini args, Anthropic input) as b's text.
func (c *collector) setRaw(b *block, v []byte) {
	if b == nil || isNull(v) || !c.keepsText(b.kind) {
		return
	}
	c.budget += len(b.buf)
	b.buf = b.buf[:0]
	if len(v) > c.budget {
		c.res.Truncated = true
		return
	}
	b.buf = appendCompact(b.buf, v)
	c.budget -= len(b.buf)
}

// setStr replaces b's text with the JSON string v.
func (c *collector) setStr(b *block, v []byte) {
	if b == nil || !isString(v) {
		return
	}
	c.budget += len(b.buf)
	b.buf, b.fromStart = b.buf[:0], false
	c.appendStr(b, v)
}

// resetChoices drops what was assembled, for a terminal event that repeats
// the whole response (Responses API).
func (c *collector) resetChoices() {
	for _, ch := range c.choices {
		for _, b := range ch.blocks {
			c.budget += len(b.buf)
		}
	}
	c.choices = c.choices[:0]
	c.blocks = 0
}

// finish turns the assembled choices into Result fields.
func (c *collector) finish() {
	// Choices arrive in any order (n > 1 streams interleave): sort by index.
	for i := 1; i < len(c.choices); i++ {
		for j := i; j > 0 && c.choices[j].index < c.choices[j-1].index; j-- {
			c.choices[j], c.choices[j-1] = c.choices[j-1], c.choices[j]
		}
	}
	r := &c.res
	for i := range c.choices {
		ch := &c.choices[i]
		if ch.finish != "" {
			r.FinishReasons = append(r.FinishReasons, ch.finish)
		}
		hasTools := false
		for _, b := range ch.blocks {
			if b.kind == kindTool {
				hasTools = true
				r.ToolCalls = append(r.ToolCalls, ToolCall{ID: b.id, Name: b.name, Arguments: string(b.buf)})
			}
		}
		if !c.capture || c.api.isEmbeddings() {
			continue
		}
		if c.api != AnthropicMessages && c.api != GeminiGenerate && c.api != OpenAIResponses {
			// Wires that keep reasoning, text and tool calls in separate
			// fields (not ordered blocks): reasoning first, tool calls last.
			sortByKind(ch.blocks)
		}
		m := Message{Role: ch.role, Parts: []Part{}}
		if m.Role == "" {
			m.Role = "assistant"
		}
		for _, b := range ch.blocks {
			switch b.kind {
			case kindText:
				if len(b.buf) > 0 {
					m.Parts = append(m.Parts, textPart(string(b.buf)))
				}
			case kindReasoning:
				if len(b.buf) > 0 {
					m.Parts = append(m.Parts, reasoningPart(string(b.buf)))
				}
			case kindTool:
				m.Parts = append(m.Parts, Part{Type: "tool_call", ID: b.id, Name: b.name, Arguments: argsJSON(b.buf)})
			case kindOther:
				m.Parts = append(m.Parts, b.part)
			}
		}
		switch {
		case ch.finish != "":
			m.FinishReason = mapFinishReason(c.api, ch.finish, hasTools)
		case r.ErrorType != "":
			m.FinishReason = "error"
		case hasTools && (c.api == OllamaChat || c.api == OllamaGenerate):
			m.FinishReason = "tool_call"
		}
		if len(m.Parts) > 0 {
			r.OutputMessages = append(r.OutputMessages, m)
		}
	}
}

// sortByKind orders blocks reasoning, text, tool calls, others, keeping the
// order within each kind (an insertion sort: stable, and blocks are few).
func sortByKind(bs []block) {
	rank := func(k blockKind) int {
		switch k {
		case kindReasoning:
			return 0
		case kindText:
			return 1
		case kindTool:
			return 2
		}
		return 3
	}
	for i := 1; i < len(bs); i++ {
		for j := i; j > 0 && rank(bs[j].kind) < rank(bs[j-1].kind); j-- {
			bs[j], bs[j-1] = bs[j-1], bs[j]
		}
	}
}
