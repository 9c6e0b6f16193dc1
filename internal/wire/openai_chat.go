package wire

import "bytes"

// OpenAI Chat Completions and legacy Completions (wire-formats §7, §9), and
// every OpenAI-compatible server: Azure, Groq, OpenRouter, DeepSeek, xAI,
// Ollama's /v1, Gemini's OpenAI endpoint.

type openAIChatHandler struct{}

func (h *openAIChatHandler) event(c *collector, _, data []byte) { h.chunk(c, data, true) }

// skip reports whether a streamed chunk can tell nothing still unknown:
// with content capture off, once the id, model and first content are known,
// a chunk that is a whole object in which none of the keys below has a
// non-null value is just more text. Such chunks are not validated either.
func (h *openAIChatHandler) skip(c *collector, _, d []byte) bool {
	if c.capture || !c.first || c.res.ResponseID == "" || c.res.ResponseModel == "" {
		return false
	}
	if len(d) < 2 || d[0] != '{' || d[len(d)-1] != '}' {
		return false // let the full parse judge (and mark) anything odd
	}
	return !anyKeySet(d)
}

// freeText: the text a delta carries, and the random padding OpenAI adds
// to stream chunks (obfuscation).
func (h *openAIChatHandler) freeText() []string {
	return []string{"content", "reasoning_content", "reasoning", "refusal", "obfuscation"}
}

// anyKeySet reports whether d has one of the keys a chunk is read for —
// usage, finish_reason, tool_calls, function_call, error, x_groq — followed
// by a colon and a value other than null. It walks the quotes once: a key
// can only start right after one. A quoted word not followed by a colon is
// a string value; an escaped key never matches, which only costs a full
// parse.
func anyKeySet(d []byte) bool {
	// A plain loop: quotes are a few bytes apart, so neither IndexByte nor
	// an eight-bytes-at-a-time search pays for itself here (measured).
	for i := 0; i < len(d)-1; i++ {
		if d[i] == '"' && keyInitial[d[i+1]] && setAt(d, i) {
			return true
		}
	}
	return false
}

// keyInitial marks the first letters of the keys anyKeySet looks for, so
// that most quotes are passed over without a call.
var keyInitial = [256]bool{'u': true, 'f': true, 't': true, 'e': true, 'x': true}

// setAt reports whether a key anyKeySet looks for starts at d[i] (its
// opening quote) and has a value other than null.
func setAt(d []byte, i int) bool {
	if d[i] != '"' || i+1 >= len(d) {
		return false
	}
	var key string
	switch d[i+1] {
	case 'u':
		key = "usage"
	case 'f':
		key = "finish_reason"
		if i+2 < len(d) && d[i+2] == 'u' {
			key = "function_call"
		}
	case 't':
		key = "tool_calls"
	case 'e':
		key = "error"
	case 'x':
		key = "x_groq"
	default:
		return false
	}
	start, end := i+1, i+1+len(key)
	if end >= len(d) || string(d[start:end]) != key || d[end] != '"' {
		return false
	}
	j := skipSpace(d, end+1)
	if j >= len(d) || d[j] != ':' {
		return false // a string value, not a key
	}
	j = skipSpace(d, j+1)
	return !bytes.HasPrefix(d[j:], []byte("null"))
}

func (h *openAIChatHandler) body(c *collector, data []byte) { h.chunk(c, data, false) }
func (h *openAIChatHandler) finish(*collector)              {}

// chunk reads a chat.completion.chunk, or a whole chat.completion.
func (h *openAIChatHandler) chunk(c *collector, data []byte, stream bool) {
	var usage, groq []byte
	o := objectOf(data)
	for o.next() {
		switch string(o.key) {
		case "id":
			c.setID(o.val)
		case "model":
			c.setModel(o.val)
		case "choices":
			a := arrayOf(o.val)
			for a.next() {
				h.choice(c, a.val, a.n, stream)
			}
		case "usage":
			// Any chunk may carry it, not only the choices:[] one
			// (OpenRouter, xAI's second-to-last chunk): the last wins.
			if isObject(o.val) {
				usage = o.val
			}
		case "x_groq":
			if v, ok := lookup(o.val, "usage"); ok && isObject(v) {
				groq = v
			}
		case "error":
			inStreamError(c, o.val)
		}
	}
	if usage == nil {
		usage = groq
	}
	if usage != nil {
		u := parseOpenAIUsage(usage)
		c.setUsage(u.normalise())
		if u.hasCost {
			cost := u.cost
			c.res.ProviderCostUSD = &cost
		}
	}
}

// inStreamError records an error object (or string) found in a 200
// response, which ends the stream.
func inStreamError(c *collector, v []byte) {
	switch {
	case isObject(v):
		e := parseErrorObject(v)
		if e.empty() {
			return
		}
		c.setError(errorType(c.api, e, 0))
	case nonEmptyString(v):
		c.setError(OtherError)
	default:
		return
	}
	c.res.Terminal = true
}

// index reads a provider index, clamped to int range; fallback if absent.
func index(v []byte, fallback int) int {
	n, ok := integer(v)
	if !ok {
		return fallback
	}
	return int(max(min(n, 1<<31-1), -1<<31))
}

func (h *openAIChatHandler) choice(c *collector, v []byte, pos int, stream bool) {
	idx := pos
	if iv, ok := lookup(v, "index"); ok {
		idx = index(iv, pos)
	}
	ch := c.choice(idx)
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "delta", "message":
			h.delta(c, ch, o.val, stream)
		case "finish_reason":
			if ch != nil && nonEmptyString(o.val) {
				ch.finish = c.ident(o.val)
			}
		case "text": // legacy Completions
			if nonEmptyString(o.val) {
				c.firstContent()
				c.appendStr(c.block(ch, kindText, -1), o.val)
			}
		}
	}
}

func (h *openAIChatHandler) delta(c *collector, ch *choice, v []byte, stream bool) {
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "role":
			if ch != nil && ch.role == "" && nonEmptyString(o.val) {
				ch.role = c.ident(o.val)
			}
		case "content", "refusal":
			switch {
			case nonEmptyString(o.val):
				c.firstContent()
				c.appendStr(c.block(ch, kindText, -1), o.val)
			case isArray(o.val): // content parts, as some compatible servers send
				a := arrayOf(o.val)
				for a.next() {
					if t, ok := lookup(a.val, "text"); ok && nonEmptyString(t) {
						c.firstContent()
						c.appendStr(c.block(ch, kindText, -1), t)
					}
				}
			}
		case "reasoning_content", "reasoning": // DeepSeek, OpenRouter
			if nonEmptyString(o.val) {
				c.firstContent()
				c.appendStr(c.block(ch, kindReasoning, -1), o.val)
			}
		case "tool_calls":
			a := arrayOf(o.val)
			for a.next() {
				c.firstContent()
				h.toolCall(c, ch, a.val, a.n, stream)
			}
		case "function_call": // the deprecated single-function form
			if isObject(o.val) {
				c.firstContent()
				b := c.block(ch, kindTool, -2)
				h.function(c, b, o.val)
			}
		}
	}
}

// toolCall applies one tool-call fragment. Streams key fragments by their
// index; a whole message lists calls by position.
func (h *openAIChatHandler) toolCall(c *collector, ch *choice, v []byte, pos int, stream bool) {
	if ch == nil {
		return
	}
	idx, hasIdx := -1, false
	var id []byte
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "index":
			if n, ok := integer(o.val); ok && n >= 0 {
				idx, hasIdx = int(min(n, 1<<31-1)), true // n ≥ 0: what index would return
			}
		case "id":
			id = o.val
		}
	}
	var b *block
	switch {
	case !stream:
		b = c.newBlock(ch, kindTool, pos)
	case hasIdx:
		b = c.block(ch, kindTool, idx)
	default:
		// No index (some compatible servers): a new id starts a call,
		// anything else continues the last one.
		last := lastTool(ch)
		if last == nil || (nonEmptyString(id) && last.id != "" && !strIs(id, last.id)) {
			b = c.newBlock(ch, kindTool, -3-len(ch.blocks))
		} else {
			b = last
		}
	}
	if b == nil {
		return
	}
	if b.id == "" && nonEmptyString(id) {
		b.id = c.ident(id)
	}
	if f, ok := lookup(v, "function"); ok {
		h.function(c, b, f)
	} else if cu, ok := lookup(v, "custom"); ok { // custom tools: {name, input}
		h.function(c, b, cu)
	}
}

func (h *openAIChatHandler) function(c *collector, b *block, v []byte) {
	if b == nil {
		return
	}
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "name":
			if b.name == "" && nonEmptyString(o.val) {
				b.name = c.ident(o.val)
			}
		case "arguments", "input":
			if isObject(o.val) { // some servers send an object, not a JSON text
				c.setRaw(b, o.val)
			} else {
				c.appendStr(b, o.val)
			}
		}
	}
}

func lastTool(ch *choice) *block {
	for i := len(ch.blocks) - 1; i >= 0; i-- {
		if ch.blocks[i].kind == kindTool {
			return &ch.blocks[i]
		}
	}
	return nil
}

// openAIChat reads a Chat Completions (or legacy Completions) request.
func (rp *reqParser) openAIChat(body []byte, legacy bool) {
	r := rp.r
	var maxTokens, maxCompletion *int64
	var audio bool
	o := objectOf(body)
	for o.next() {
		v := o.val
		switch string(o.key) {
		case "model":
			r.Model = str(v)
		case "stream":
			rp.setStream(v)
		case "stream_options":
			if iu, ok := lookup(v, "include_usage"); ok {
				r.IncludeUsage, _ = boolean(iu)
			}
		case "temperature":
			setFloat(&r.Temperature, v)
		case "top_p":
			setFloat(&r.TopP, v)
		case "top_k": // some compatible servers (vLLM) accept it
			setFloat(&r.TopK, v)
		case "frequency_penalty":
			setFloat(&r.FrequencyPenalty, v)
		case "presence_penalty":
			setFloat(&r.PresencePenalty, v)
		case "max_tokens":
			setInt(&maxTokens, v)
		case "max_completion_tokens":
			setInt(&maxCompletion, v)
		case "seed":
			setInt(&r.Seed, v)
		case "n":
			setInt(&r.ChoiceCount, v)
		case "stop":
			r.StopSequences = stringList(v)
		case "service_tier":
			r.ServiceTier = str(v)
		case "response_format":
			if t, ok := lookup(v, "type"); ok {
				r.OutputType = outputType(str(t))
			}
		case "modalities":
			for _, m := range stringList(v) {
				audio = audio || m == "audio"
			}
		case "tools":
			a := arrayOf(v)
			for a.next() {
				f, ok := lookup(a.val, "function")
				if !ok {
					f, ok = lookup(a.val, "custom")
				}
				if ok {
					n, _ := lookup(f, "name")
					rp.addTool(n)
				}
			}
			rp.toolDefinitions(v)
		case "functions": // deprecated form
			a := arrayOf(v)
			for a.next() {
				n, _ := lookup(a.val, "name")
				rp.addTool(n)
			}
			if r.ToolDefinitions == nil {
				rp.toolDefinitions(v)
			}
		case "messages":
			if rp.capture {
				rp.openAIMessages(v)
			}
		case "prompt":
			if rp.capture && legacy {
				m := Message{Role: "user", Parts: []Part{}}
				for _, s := range stringList(v) {
					m.Parts = append(m.Parts, textPart(s))
				}
				r.InputMessages = append(r.InputMessages, m)
			}
		}
	}
	r.MaxTokens = maxTokens
	if maxCompletion != nil {
		r.MaxTokens = maxCompletion
	}
	if r.OutputType == "" && audio {
		r.OutputType = "speech"
	}
}

// outputType maps response_format.type / text.format.type values.
func outputType(t string) string {
	switch t {
	case "json_object", "json_schema", "json":
		return "json"
	case "text":
		return "text"
	}
	return ""
}

// openAIMessages converts Chat messages to the semconv shape.
func (rp *reqParser) openAIMessages(v []byte) {
	a := arrayOf(v)
	for a.next() {
		m := Message{Parts: []Part{}}
		var toolCallID []byte
		var content []byte
		o := objectOf(a.val)
		for o.next() {
			switch string(o.key) {
			case "role":
				m.Role = str(o.val)
			case "name":
				m.Name = str(o.val)
			case "content":
				content = o.val
			case "tool_call_id":
				toolCallID = o.val
			case "reasoning_content":
				if nonEmptyString(o.val) {
					m.Parts = append(m.Parts, reasoningPart(str(o.val)))
				}
			case "tool_calls":
				t := arrayOf(o.val)
				for t.next() {
					p := Part{Type: "tool_call"}
					id, _ := lookup(t.val, "id")
					p.ID = str(id)
					if f, ok := lookup(t.val, "function"); ok {
						n, _ := lookup(f, "name")
						args, _ := lookup(f, "arguments")
						p.Name = str(n)
						p.Arguments = jsonOrString(args)
					}
					m.Parts = append(m.Parts, p)
				}
			case "function_call":
				n, _ := lookup(o.val, "name")
				args, _ := lookup(o.val, "arguments")
				m.Parts = append(m.Parts, Part{Type: "tool_call", Name: str(n), Arguments: jsonOrString(args)})
			}
		}
		if m.Role == "tool" || m.Role == "function" {
			p := Part{Type: "tool_call_response", ID: str(toolCallID)}
			if isArray(content) {
				p.Response = argsJSON([]byte(textOf(content)))
			} else {
				p.Response = jsonOrString(content)
			}
			m.Parts = append([]Part{p}, m.Parts...)
		} else {
			m.Parts = append(openAIContentParts(content), m.Parts...)
		}
		rp.r.InputMessages = append(rp.r.InputMessages, m)
	}
}

// openAIContentParts converts a Chat content value: a string, or an array
// of text, image_url, input_audio, file and refusal parts.
func openAIContentParts(v []byte) []Part {
	if isString(v) {
		if len(v) == 2 {
			return nil
		}
		return []Part{textPart(str(v))}
	}
	var parts []Part
	a := arrayOf(v)
	for a.next() {
		t, _ := lookup(a.val, "type")
		switch str(t) {
		case "text", "input_text":
			tv, _ := lookup(a.val, "text")
			parts = append(parts, textPart(str(tv)))
		case "refusal":
			tv, _ := lookup(a.val, "refusal")
			parts = append(parts, textPart(str(tv)))
		case "image_url":
			iu, _ := lookup(a.val, "image_url")
			u, ok := lookup(iu, "url")
			if !ok {
				u = iu // an older form puts the URL string directly
			}
			parts = append(parts, urlPart(str(u), "image"))
		case "input_audio":
			ia, _ := lookup(a.val, "input_audio")
			d, _ := lookup(ia, "data")
			f, _ := lookup(ia, "format")
			p := Part{Type: "blob", Modality: "audio", Content: str(d)}
			if fs := str(f); fs != "" {
				p.MimeType = "audio/" + fs
			}
			parts = append(parts, p)
		case "file":
			f, _ := lookup(a.val, "file")
			if id, ok := lookup(f, "file_id"); ok && nonEmptyString(id) {
				parts = append(parts, Part{Type: "file", Modality: "document", FileID: str(id)})
			} else if d, ok := lookup(f, "file_data"); ok {
				parts = append(parts, urlPart(str(d), "document"))
			}
		default:
			if ts := str(t); ts != "" {
				parts = append(parts, Part{Type: ts})
			}
		}
	}
	return parts
}
