package wire

import "bytes"

// Anthropic Messages (wire-formats §10), also as served by Vertex, Bedrock
// Mantle and Ollama's /v1/messages.

type anthropicHandler struct {
	usage anthropicUsage
}

// skip passes over text and thinking deltas once the first content is known
// and content capture is off: they carry nothing else recorded. Tool input
// deltas are always read (they assemble the tool calls' arguments).
func (h *anthropicHandler) skip(c *collector, name, data []byte) bool {
	return !c.capture && c.first && string(name) == "content_block_delta" &&
		!bytes.Contains(data, []byte("input_json_delta"))
}

// freeText: the text of text, thinking and signature deltas.
func (h *anthropicHandler) freeText() []string { return []string{"text", "thinking", "signature"} }

func (h *anthropicHandler) event(c *collector, name, data []byte) {
	var typ, message, block, delta, usage, errv []byte
	idx := 0
	o := objectOf(data)
	for o.next() {
		switch string(o.key) {
		case "type":
			typ = o.val
		case "message":
			message = o.val
		case "index":
			idx = index(o.val, 0)
		case "content_block":
			block = o.val
		case "delta":
			delta = o.val
		case "usage":
			usage = o.val
		case "error":
			errv = o.val
		}
	}
	var tbuf [64]byte
	t := eventType(tbuf[:0], name, typ)
	ch := c.choice(0)
	switch string(t) {
	case "message_start":
		h.message(c, message)
	case "content_block_start":
		h.block(c, ch, idx, block, false)
	case "content_block_delta":
		c.firstContent()
		h.delta(c, ch, idx, delta)
	case "message_delta":
		if sr, ok := lookup(delta, "stop_reason"); ok && ch != nil && nonEmptyString(sr) {
			ch.finish = c.ident(sr)
		}
		if isObject(usage) {
			// Cumulative values overwrite field by field, only where present.
			h.usage.merge(parseAnthropicUsage(usage))
			c.setUsage(h.usage.normalise())
		}
	case "message_stop":
		c.res.Terminal = true
	case "error":
		c.setError(errorType(c.api, parseErrorObject(errv), 0))
		c.res.Terminal = true
	}
}

// body reads a whole Message, or an error object sent with status 200.
func (h *anthropicHandler) body(c *collector, data []byte) {
	if t, ok := lookup(data, "type"); ok && strIs(t, "error") {
		e, _ := lookup(data, "error")
		c.setError(errorType(c.api, parseErrorObject(e), 0))
		return
	}
	h.message(c, data)
}

func (h *anthropicHandler) finish(*collector) {}

// message reads a Message: the body of a non-stream call, or message_start.
func (h *anthropicHandler) message(c *collector, v []byte) {
	ch := c.choice(0)
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "id":
			c.setID(o.val)
		case "model":
			c.setModel(o.val)
		case "role":
			if ch != nil && nonEmptyString(o.val) {
				ch.role = c.ident(o.val)
			}
		case "content":
			a := arrayOf(o.val)
			for a.next() {
				h.block(c, ch, a.n, a.val, true)
			}
		case "stop_reason":
			if ch != nil && nonEmptyString(o.val) {
				ch.finish = c.ident(o.val)
			}
		case "usage":
			if isObject(o.val) {
				h.usage = parseAnthropicUsage(o.val)
				c.setUsage(h.usage.normalise())
			}
		}
	}
}

// block reads a content block: whole in a Message, or the opening of a
// streamed one (content_block_start), whose text and input deltas follow.
func (h *anthropicHandler) block(c *collector, ch *choice, idx int, v []byte, whole bool) {
	var typ, id, name, text, thinking, input []byte
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "type":
			typ = o.val
		case "id":
			id = o.val
		case "name":
			name = o.val
		case "text":
			text = o.val
		case "thinking":
			thinking = o.val
		case "input":
			input = o.val
		}
	}
	switch t := str(typ); t {
	case "text":
		c.appendStr(c.block(ch, kindText, idx), text)
	case "thinking":
		c.appendStr(c.block(ch, kindReasoning, idx), thinking)
	case "tool_use":
		b := c.block(ch, kindTool, idx)
		if b == nil {
			return
		}
		b.id, b.name = c.ident(id), c.ident(name)
		c.setRaw(b, input)
		// A streamed tool_use opens with input {}: the input_json_delta
		// fragments that follow replace it.
		b.fromStart = !whole
	default:
		if t == "" || !c.capture {
			return
		}
		if b := c.block(ch, kindOther, idx); b != nil {
			b.part = Part{Type: c.ident(typ), ID: c.ident(id), Name: c.ident(name)}
		}
	}
}

func (h *anthropicHandler) delta(c *collector, ch *choice, idx int, v []byte) {
	var typ, text, partial, thinking []byte
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "type":
			typ = o.val
		case "text":
			text = o.val
		case "partial_json":
			partial = o.val
		case "thinking":
			thinking = o.val
		}
	}
	switch {
	case strIs(typ, "text_delta"):
		c.appendStr(c.block(ch, kindText, idx), text)
	case strIs(typ, "input_json_delta"):
		c.appendStr(c.block(ch, kindTool, idx), partial)
	case strIs(typ, "thinking_delta"):
		c.appendStr(c.block(ch, kindReasoning, idx), thinking)
	}
	// signature_delta and citations_delta carry nothing recorded.
}

// anthropic reads a Messages request.
func (rp *reqParser) anthropic(body []byte) {
	r := rp.r
	o := objectOf(body)
	for o.next() {
		v := o.val
		switch string(o.key) {
		case "model":
			r.Model = str(v)
		case "stream":
			rp.setStream(v)
		case "temperature":
			setFloat(&r.Temperature, v)
		case "top_p":
			setFloat(&r.TopP, v)
		case "top_k":
			setFloat(&r.TopK, v)
		case "max_tokens":
			setInt(&r.MaxTokens, v)
		case "stop_sequences":
			r.StopSequences = stringList(v)
		case "service_tier":
			r.ServiceTier = str(v)
		case "tools":
			a := arrayOf(v)
			for a.next() {
				n, _ := lookup(a.val, "name")
				rp.addTool(n)
			}
			rp.toolDefinitions(v)
		case "system":
			if rp.capture {
				if isString(v) {
					if len(v) > 2 {
						r.SystemInstructions = []Part{textPart(str(v))}
					}
				} else {
					r.SystemInstructions = anthropicParts(v)
				}
			}
		case "messages":
			if rp.capture {
				a := arrayOf(v)
				for a.next() {
					role, _ := lookup(a.val, "role")
					content, _ := lookup(a.val, "content")
					m := Message{Role: str(role), Parts: []Part{}}
					if isString(content) {
						m.Parts = append(m.Parts, textPart(str(content)))
					} else {
						m.Parts = anthropicParts(content)
					}
					// Tool results travel in user messages; semconv gives
					// them the tool role when that is all they hold.
					if m.Role == "user" && len(m.Parts) > 0 && allType(m.Parts, "tool_call_response") {
						m.Role = "tool"
					}
					r.InputMessages = append(r.InputMessages, m)
				}
			}
		}
	}
}

func allType(parts []Part, t string) bool {
	for _, p := range parts {
		if p.Type != t {
			return false
		}
	}
	return true
}

// anthropicParts converts content blocks.
func anthropicParts(v []byte) []Part {
	parts := []Part{}
	a := arrayOf(v)
	for a.next() {
		var typ, text, thinking, id, name, input, toolUseID, content, source []byte
		o := objectOf(a.val)
		for o.next() {
			switch string(o.key) {
			case "type":
				typ = o.val
			case "text":
				text = o.val
			case "thinking":
				thinking = o.val
			case "id":
				id = o.val
			case "name":
				name = o.val
			case "input":
				input = o.val
			case "tool_use_id":
				toolUseID = o.val
			case "content":
				content = o.val
			case "source":
				source = o.val
			}
		}
		switch t := str(typ); t {
		case "text":
			parts = append(parts, textPart(str(text)))
		case "thinking":
			parts = append(parts, reasoningPart(str(thinking)))
		case "tool_use":
			parts = append(parts, Part{Type: "tool_call", ID: str(id), Name: str(name), Arguments: rawJSON(input)})
		case "tool_result":
			var resp []byte
			if isString(content) {
				resp = argsJSON(appendStr(nil, content))
			} else if isArray(content) {
				resp = argsJSON([]byte(textOf(content)))
			}
			parts = append(parts, Part{Type: "tool_call_response", ID: str(toolUseID), Response: resp})
		case "image", "document":
			parts = append(parts, anthropicSource(source, t))
		default:
			if t != "" {
				parts = append(parts, Part{Type: t, ID: str(id), Name: str(name)})
			}
		}
	}
	return parts
}

// anthropicSource converts an image or document source: base64, url, file.
func anthropicSource(v []byte, kind string) Part {
	var typ, mediaType, data, url, fileID []byte
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "type":
			typ = o.val
		case "media_type":
			mediaType = o.val
		case "data":
			data = o.val
		case "url":
			url = o.val
		case "file_id":
			fileID = o.val
		}
	}
	m := "image"
	if kind == "document" {
		m = "document"
	}
	mt := str(mediaType)
	switch {
	case strIs(typ, "base64"):
		return Part{Type: "blob", Modality: m, MimeType: mt, Content: str(data)}
	case strIs(typ, "url"):
		return Part{Type: "uri", Modality: m, URI: str(url)}
	case strIs(typ, "file"):
		return Part{Type: "file", Modality: m, FileID: str(fileID)}
	case strIs(typ, "text"): // a plain-text document
		return Part{Type: "blob", Modality: m, MimeType: mt, Content: str(data)}
	}
	return Part{Type: kind}
}
