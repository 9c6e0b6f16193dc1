package wire

import "bytes"

// Ollama's native API: /api/chat, /api/generate and /api/embed
// (wire-formats §12). Streams are NDJSON; the line with "done": true ends
// them and carries the counts.

type ollamaHandler struct{}

func (h *ollamaHandler) event(c *collector, _, data []byte) { h.line(c, data) }

// skip passes over the lines of a stream that only add text, once the model
// and the first content are known and content capture is off: a line that
// says "done":false and carries no tool calls and no error.
func (h *ollamaHandler) skip(c *collector, _, data []byte) bool {
	return !c.capture && c.first && c.res.ResponseModel != "" &&
		bytes.Contains(data, []byte(`"done":false`)) &&
		!bytes.Contains(data, []byte(`"tool_calls"`)) && !bytes.Contains(data, []byte(`"error"`))
}

// freeText: the text of a chunk and its timestamp.
func (h *ollamaHandler) freeText() []string {
	return []string{"content", "thinking", "response", "created_at"}
}
func (h *ollamaHandler) body(c *collector, data []byte) { h.line(c, data) }
func (h *ollamaHandler) finish(*collector)              {}

func (h *ollamaHandler) line(c *collector, data []byte) {
	var u ollamaUsage
	var done bool
	var reason []byte
	ch := c.choice(0)
	o := objectOf(data)
	for o.next() {
		switch string(o.key) {
		case "model":
			c.setModel(o.val)
		case "message":
			h.message(c, ch, o.val)
		case "response": // /api/generate
			c.appendText(ch, kindText, o.val)
		case "thinking": // /api/generate with think
			c.appendText(ch, kindReasoning, o.val)
		case "done":
			done, _ = boolean(o.val)
		case "done_reason":
			reason = o.val
		case "prompt_eval_count":
			u.prompt.set(o.val)
		case "prompt_eval_cached_count":
			u.cached.set(o.val)
		case "eval_count":
			u.eval.set(o.val)
		case "error":
			inStreamError(c, o.val)
		}
	}
	switch {
	case c.api == OllamaEmbed:
		c.setUsage(u.normalise(true))
	case done:
		c.res.Terminal = true
		if ch != nil && nonEmptyString(reason) {
			ch.finish = c.ident(reason)
		}
		c.setUsage(u.normalise(false))
	}
}

func (h *ollamaHandler) message(c *collector, ch *choice, v []byte) {
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "role":
			if ch != nil && ch.role == "" && nonEmptyString(o.val) {
				ch.role = c.ident(o.val)
			}
		case "content":
			c.appendText(ch, kindText, o.val)
		case "thinking":
			c.appendText(ch, kindReasoning, o.val)
		case "tool_calls":
			// Tool calls arrive whole, arguments as a JSON object.
			a := arrayOf(o.val)
			for a.next() {
				c.firstContent()
				b := c.newBlock(ch, kindTool, -1)
				if b == nil {
					continue
				}
				if id, ok := lookup(a.val, "id"); ok {
					b.id = c.ident(id)
				}
				f, _ := lookup(a.val, "function")
				fo := objectOf(f)
				for fo.next() {
					switch string(fo.key) {
					case "name":
						b.name = c.ident(fo.val)
					case "arguments":
						if isString(fo.val) {
							c.appendStr(b, fo.val)
						} else {
							c.setRaw(b, fo.val)
						}
					}
				}
			}
		}
	}
}

// ollama reads an /api/chat, /api/generate or /api/embed request. Chat and
// generate stream unless the body says "stream": false.
func (rp *reqParser) ollama(body []byte, api API) {
	r := rp.r
	if api != OllamaEmbed {
		r.Stream = true
	}
	o := objectOf(body)
	for o.next() {
		v := o.val
		switch string(o.key) {
		case "model":
			r.Model = str(v)
		case "stream":
			if api != OllamaEmbed {
				rp.setStream(v)
			}
		case "format":
			switch {
			case strIs(v, "json"), isObject(v): // "json" or a JSON schema
				r.OutputType = "json"
			}
		case "dimensions":
			setInt(&r.Dimensions, v)
		case "options":
			rp.ollamaOptions(v)
		case "tools":
			a := arrayOf(v)
			for a.next() {
				f, _ := lookup(a.val, "function")
				n, _ := lookup(f, "name")
				rp.addTool(n)
			}
			rp.toolDefinitions(v)
		case "system": // /api/generate
			if rp.capture && nonEmptyString(v) {
				r.SystemInstructions = []Part{textPart(str(v))}
			}
		case "prompt": // /api/generate
			if rp.capture && isString(v) {
				r.InputMessages = append(r.InputMessages, Message{Role: "user", Parts: []Part{textPart(str(v))}})
			}
		case "messages":
			if rp.capture {
				rp.ollamaMessages(v)
			}
		}
	}
}

func (rp *reqParser) ollamaOptions(v []byte) {
	r := rp.r
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "temperature":
			setFloat(&r.Temperature, o.val)
		case "top_p":
			setFloat(&r.TopP, o.val)
		case "top_k":
			setFloat(&r.TopK, o.val)
		case "num_predict":
			setInt(&r.MaxTokens, o.val)
		case "stop":
			r.StopSequences = stringList(o.val)
		case "seed":
			setInt(&r.Seed, o.val)
		case "frequency_penalty":
			setFloat(&r.FrequencyPenalty, o.val)
		case "presence_penalty":
			setFloat(&r.PresencePenalty, o.val)
		}
	}
}

func (rp *reqParser) ollamaMessages(v []byte) {
	a := arrayOf(v)
	for a.next() {
		m := Message{Parts: []Part{}}
		var content, thinking, images, calls, toolName []byte
		o := objectOf(a.val)
		for o.next() {
			switch string(o.key) {
			case "role":
				m.Role = str(o.val)
			case "content":
				content = o.val
			case "thinking":
				thinking = o.val
			case "images":
				images = o.val
			case "tool_calls":
				calls = o.val
			case "tool_name":
				toolName = o.val
			}
		}
		if m.Role == "tool" {
			m.Parts = append(m.Parts, Part{Type: "tool_call_response", Name: str(toolName), Response: jsonOrString(content)})
			rp.r.InputMessages = append(rp.r.InputMessages, m)
			continue
		}
		if nonEmptyString(thinking) {
			m.Parts = append(m.Parts, reasoningPart(str(thinking)))
		}
		if nonEmptyString(content) {
			m.Parts = append(m.Parts, textPart(str(content)))
		}
		im := arrayOf(images)
		for im.next() {
			m.Parts = append(m.Parts, Part{Type: "blob", Modality: "image", Content: str(im.val)})
		}
		t := arrayOf(calls)
		for t.next() {
			f, _ := lookup(t.val, "function")
			n, _ := lookup(f, "name")
			args, _ := lookup(f, "arguments")
			id, _ := lookup(t.val, "id")
			m.Parts = append(m.Parts, Part{Type: "tool_call", ID: str(id), Name: str(n), Arguments: rawJSON(args)})
		}
		rp.r.InputMessages = append(rp.r.InputMessages, m)
	}
}
