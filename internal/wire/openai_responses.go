package wire

// OpenAI Responses API (wire-formats §8). A stream announces items
// (output_item.added), streams their text and arguments (*.delta), repeats
// them whole (output_item.done), and ends with a terminal event that
// repeats the whole response: that last copy wins when it arrives, and what
// was assembled before it covers a terminal event lost to the cap.

type responsesHandler struct {
	status, incomplete string
}

// skip passes over text and reasoning deltas once the first content is
// known and content capture is off; the terminal event repeats everything
// else. Function-call argument deltas are always read.
func (h *responsesHandler) skip(c *collector, name, _ []byte) bool {
	if c.capture || !c.first {
		return false
	}
	switch string(name) {
	case "response.output_text.delta", "response.reasoning_text.delta", "response.reasoning_summary_text.delta":
		return true
	}
	return false
}

// freeText is nil: skip reads the event's name only.
func (h *responsesHandler) freeText() []string { return nil }

func (h *responsesHandler) event(c *collector, name, data []byte) {
	var typ, resp, item, delta, errv []byte
	outIdx := 0
	o := objectOf(data)
	for o.next() {
		switch string(o.key) {
		case "type":
			typ = o.val
		case "response":
			resp = o.val
		case "item":
			item = o.val
		case "delta":
			delta = o.val
		case "output_index":
			outIdx = index(o.val, 0)
		case "error":
			errv = o.val
		}
	}
	var tbuf [64]byte
	t := eventType(tbuf[:0], name, typ)
	switch string(t) {
	case "response.created", "response.in_progress", "response.queued":
		h.response(c, resp, false)
	case "response.completed", "response.incomplete", "response.failed":
		h.response(c, resp, true)
		c.res.Terminal = true
	case "response.output_item.added":
		h.item(c, outIdx, item, false)
	case "response.output_item.done":
		h.item(c, outIdx, item, true)
	case "error":
		e := parseErrorObject(data)
		e.typ = "" // the event's own type, "error"
		if isObject(errv) {
			e = parseErrorObject(errv)
		}
		c.setError(errorType(c.api, e, 0))
		c.res.Terminal = true
	default:
		if !hasSuffix(t, ".delta") {
			return
		}
		c.firstContent()
		ch := c.choice(0)
		switch string(t) {
		case "response.output_text.delta", "response.refusal.delta":
			c.appendStr(c.block(ch, kindText, outIdx), delta)
		case "response.function_call_arguments.delta", "response.custom_tool_call_input.delta":
			c.appendStr(c.block(ch, kindTool, outIdx), delta)
		case "response.reasoning_summary_text.delta", "response.reasoning_text.delta":
			c.appendStr(c.block(ch, kindReasoning, outIdx), delta)
		}
	}
}

func hasSuffix(b []byte, s string) bool {
	return len(b) >= len(s) && string(b[len(b)-len(s):]) == s
}

func (h *responsesHandler) body(c *collector, data []byte) { h.response(c, data, true) }

// response reads a Response object: the body of a non-stream call, or the
// response member of a lifecycle event.
func (h *responsesHandler) response(c *collector, v []byte, terminal bool) {
	if !isObject(v) {
		return
	}
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "id":
			if terminal && nonEmptyString(o.val) {
				c.res.ResponseID = ""
			}
			c.setID(o.val)
		case "model":
			if terminal && nonEmptyString(o.val) {
				c.res.ResponseModel = ""
			}
			c.setModel(o.val)
		case "status": // only a final status says how the response ended
			if terminal && nonEmptyString(o.val) {
				h.status = c.ident(o.val)
			}
		case "incomplete_details":
			if r, ok := lookup(o.val, "reason"); terminal && ok && nonEmptyString(r) {
				h.incomplete = c.ident(r)
			}
		case "error":
			if e := parseErrorObject(o.val); !e.empty() {
				c.setError(errorType(c.api, e, 0))
			}
		case "output":
			if !terminal || !isArray(o.val) || len(trimSpace(o.val[1:len(o.val)-1])) == 0 {
				continue
			}
			c.resetChoices()
			a := arrayOf(o.val)
			for a.next() {
				h.item(c, a.n, a.val, true)
			}
		case "usage":
			if isObject(o.val) {
				c.setUsage(parseOpenAIUsage(o.val).normalise())
			}
		}
	}
}

// item reads an output item; done says it is complete (output_item.done or
// a terminal response), so its text replaces what deltas assembled.
func (h *responsesHandler) item(c *collector, idx int, v []byte, done bool) {
	if !isObject(v) {
		return
	}
	var typ, id, callID, name, args, input, content, summary []byte
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "type":
			typ = o.val
		case "id":
			id = o.val
		case "call_id":
			callID = o.val
		case "name":
			name = o.val
		case "arguments":
			args = o.val
		case "input":
			input = o.val
		case "content":
			content = o.val
		case "summary":
			summary = o.val
		}
	}
	ch := c.choice(0)
	switch t := str(typ); t {
	case "message":
		b := c.block(ch, kindText, idx)
		if done && b != nil && c.capture {
			c.setStr(b, []byte(`""`))
			a := arrayOf(content)
			for a.next() {
				pt, _ := lookup(a.val, "type")
				switch {
				case strIs(pt, "output_text"):
					tv, _ := lookup(a.val, "text")
					c.appendStr(b, tv)
				case strIs(pt, "refusal"):
					tv, _ := lookup(a.val, "refusal")
					c.appendStr(b, tv)
				}
			}
		}
	case "function_call", "custom_tool_call":
		b := c.block(ch, kindTool, idx)
		if b == nil {
			return
		}
		if b.id == "" {
			b.id = c.ident(callID)
		}
		if b.name == "" {
			b.name = c.ident(name)
		}
		a := args
		if t == "custom_tool_call" {
			a = input
		}
		if done && isString(a) {
			c.setStr(b, a)
		}
	case "reasoning":
		b := c.block(ch, kindReasoning, idx)
		if done && b != nil && c.capture {
			c.setStr(b, []byte(`""`))
			for _, list := range [][]byte{summary, content} {
				a := arrayOf(list)
				for a.next() {
					if tv, ok := lookup(a.val, "text"); ok && nonEmptyString(tv) {
						if len(b.buf) > 0 {
							c.appendStr(b, []byte(`"\n"`))
						}
						c.appendStr(b, tv)
					}
				}
			}
		}
	default:
		if t == "" || !c.capture {
			return
		}
		b := c.block(ch, kindOther, idx)
		if b != nil {
			b.part = Part{Type: c.ident(typ), ID: c.ident(id), Name: c.ident(name)}
		}
	}
}

// finish derives the finish reason, which the Responses API does not send,
// from status, incomplete_details.reason and the presence of function calls
// (§18). The value is already a semconv one.
func (h *responsesHandler) finish(c *collector) {
	var reason string
	switch h.status {
	case "", "in_progress", "queued":
		return
	case "completed":
		reason = "stop"
		for _, ch := range c.choices {
			if lastTool(&ch) != nil {
				reason = "tool_call"
			}
		}
	case "incomplete":
		switch h.incomplete {
		case "max_output_tokens":
			reason = "length"
		case "content_filter":
			reason = "content_filter"
		case "":
			reason = "incomplete"
		default:
			reason = h.incomplete
		}
	case "failed":
		reason = "error"
		c.setError(OtherError) // no error object: still a failure
	default: // cancelled
		reason = h.status
	}
	if ch := c.choice(0); ch != nil {
		ch.finish = reason
	}
}

// responses reads a Responses request.
func (rp *reqParser) responses(body []byte) {
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
		case "max_output_tokens":
			setInt(&r.MaxTokens, v)
		case "service_tier":
			r.ServiceTier = str(v)
		case "text":
			if f, ok := lookup(v, "format"); ok {
				t, _ := lookup(f, "type")
				r.OutputType = outputType(str(t))
			}
		case "tools":
			a := arrayOf(v)
			for a.next() {
				n, _ := lookup(a.val, "name") // built-in tools have only a type
				rp.addTool(n)
			}
			rp.toolDefinitions(v)
		case "instructions":
			if rp.capture && nonEmptyString(v) {
				r.SystemInstructions = []Part{textPart(str(v))}
			}
		case "input":
			if rp.capture {
				rp.responsesInput(v)
			}
		}
	}
}

// responsesInput converts input: a string, or a list of items (messages,
// function calls and their outputs, reasoning).
func (rp *reqParser) responsesInput(v []byte) {
	r := rp.r
	if isString(v) {
		r.InputMessages = append(r.InputMessages, Message{Role: "user", Parts: []Part{textPart(str(v))}})
		return
	}
	a := arrayOf(v)
	for a.next() {
		var typ, role, content, callID, name, args, output, summary []byte
		o := objectOf(a.val)
		for o.next() {
			switch string(o.key) {
			case "type":
				typ = o.val
			case "role":
				role = o.val
			case "content":
				content = o.val
			case "call_id":
				callID = o.val
			case "name":
				name = o.val
			case "arguments", "input":
				args = o.val
			case "output":
				output = o.val
			case "summary":
				summary = o.val
			}
		}
		switch t := str(typ); {
		case t == "function_call" || t == "custom_tool_call":
			r.InputMessages = append(r.InputMessages, Message{Role: "assistant", Parts: []Part{{
				Type: "tool_call", ID: str(callID), Name: str(name), Arguments: jsonOrString(args)}}})
		case t == "function_call_output" || t == "custom_tool_call_output":
			r.InputMessages = append(r.InputMessages, Message{Role: "tool", Parts: []Part{{
				Type: "tool_call_response", ID: str(callID), Response: jsonOrString(output)}}})
		case t == "reasoning":
			m := Message{Role: "assistant", Parts: []Part{}}
			s := arrayOf(summary)
			for s.next() {
				tv, _ := lookup(s.val, "text")
				m.Parts = append(m.Parts, reasoningPart(str(tv)))
			}
			r.InputMessages = append(r.InputMessages, m)
		case t == "message" || (t == "" && isString(role)):
			m := Message{Role: str(role), Parts: []Part{}}
			if isString(content) {
				m.Parts = append(m.Parts, textPart(str(content)))
			} else {
				m.Parts = responsesContentParts(content)
			}
			r.InputMessages = append(r.InputMessages, m)
		}
	}
}

func responsesContentParts(v []byte) []Part {
	parts := []Part{}
	a := arrayOf(v)
	for a.next() {
		var typ, text, imageURL, fileID, fileData []byte
		o := objectOf(a.val)
		for o.next() {
			switch string(o.key) {
			case "type":
				typ = o.val
			case "text", "refusal":
				text = o.val
			case "image_url":
				imageURL = o.val
			case "file_id":
				fileID = o.val
			case "file_data":
				fileData = o.val
			}
		}
		switch t := str(typ); t {
		case "input_text", "output_text", "refusal":
			parts = append(parts, textPart(str(text)))
		case "input_image":
			if nonEmptyString(fileID) {
				parts = append(parts, Part{Type: "file", Modality: "image", FileID: str(fileID)})
			} else {
				parts = append(parts, urlPart(str(imageURL), "image"))
			}
		case "input_file":
			if nonEmptyString(fileID) {
				parts = append(parts, Part{Type: "file", Modality: "document", FileID: str(fileID)})
			} else if nonEmptyString(fileData) {
				parts = append(parts, urlPart(str(fileData), "document"))
			}
		default:
			if t != "" {
				parts = append(parts, Part{Type: t})
			}
		}
	}
	return parts
}
