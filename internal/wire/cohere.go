package wire

// Cohere v2 chat (wire-formats §14). The model is not echoed, and usage and
// the finish reason arrive only in message-end.

type cohereHandler struct{}

func (h *cohereHandler) event(c *collector, name, data []byte) {
	var typ, id, delta []byte
	idx := 0
	o := objectOf(data)
	for o.next() {
		switch string(o.key) {
		case "type":
			typ = o.val
		case "id":
			id = o.val
		case "index":
			idx = index(o.val, 0)
		case "delta":
			delta = o.val
		}
	}
	var tbuf [64]byte
	t := eventType(tbuf[:0], name, typ)
	msg, _ := lookup(delta, "message")
	ch := c.choice(0)
	switch string(t) {
	case "message-start":
		c.setID(id)
	case "content-delta":
		c.firstContent()
		content, _ := lookup(msg, "content")
		text, _ := lookup(content, "text")
		c.appendStr(c.block(ch, kindText, idx), text)
	case "tool-plan-delta":
		plan, _ := lookup(msg, "tool_plan")
		c.appendStr(c.lastBlock(ch, kindReasoning), plan)
	case "tool-call-start", "tool-call-delta":
		c.firstContent()
		tc, _ := lookup(msg, "tool_calls")
		b := c.block(ch, kindTool, idx)
		if b == nil {
			return
		}
		to := objectOf(tc)
		for to.next() {
			switch string(to.key) {
			case "id":
				if b.id == "" {
					b.id = c.ident(to.val)
				}
			case "function":
				fo := objectOf(to.val)
				for fo.next() {
					switch string(fo.key) {
					case "name":
						if b.name == "" {
							b.name = c.ident(fo.val)
						}
					case "arguments":
						c.appendStr(b, fo.val)
					}
				}
			}
		}
	case "tool-call-end":
		c.firstContent()
	case "message-end":
		h.end(c, ch, delta)
		c.res.Terminal = true
	}
}

// end reads message-end's delta, or the top level of a whole response:
// finish_reason, usage and error.
func (h *cohereHandler) end(c *collector, ch *choice, v []byte) {
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "finish_reason":
			if nonEmptyString(o.val) && ch != nil {
				ch.finish = c.ident(o.val)
				if ch.finish == "ERROR" || ch.finish == "TIMEOUT" {
					c.setError(OtherError)
				}
			}
		case "usage":
			if isObject(o.val) {
				c.setUsage(parseCohereUsage(o.val).normalise())
			}
		case "error":
			if nonEmptyString(o.val) || isObject(o.val) {
				c.setError(OtherError)
			}
		}
	}
}

func (h *cohereHandler) body(c *collector, data []byte) {
	ch := c.choice(0)
	o := objectOf(data)
	for o.next() {
		switch string(o.key) {
		case "id":
			c.setID(o.val)
		case "message":
			mo := objectOf(o.val)
			for mo.next() {
				switch string(mo.key) {
				case "content":
					a := arrayOf(mo.val)
					for a.next() {
						if t, ok := lookup(a.val, "text"); ok {
							c.appendStr(c.lastBlock(ch, kindText), t)
						}
					}
				case "tool_plan":
					c.appendStr(c.lastBlock(ch, kindReasoning), mo.val)
				case "tool_calls":
					a := arrayOf(mo.val)
					for a.next() {
						b := c.newBlock(ch, kindTool, a.n)
						if b == nil {
							continue
						}
						id, _ := lookup(a.val, "id")
						f, _ := lookup(a.val, "function")
						n, _ := lookup(f, "name")
						args, _ := lookup(f, "arguments")
						b.id, b.name = c.ident(id), c.ident(n)
						c.appendStr(b, args)
					}
				}
			}
		}
	}
	h.end(c, ch, data)
}

func (h *cohereHandler) finish(*collector) {}

// cohere reads a v2 chat request.
func (rp *reqParser) cohere(body []byte) {
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
		case "p":
			setFloat(&r.TopP, v)
		case "k":
			setFloat(&r.TopK, v)
		case "max_tokens":
			setInt(&r.MaxTokens, v)
		case "seed":
			setInt(&r.Seed, v)
		case "stop_sequences":
			r.StopSequences = stringList(v)
		case "frequency_penalty":
			setFloat(&r.FrequencyPenalty, v)
		case "presence_penalty":
			setFloat(&r.PresencePenalty, v)
		case "response_format":
			if t, ok := lookup(v, "type"); ok {
				r.OutputType = outputType(str(t))
			}
		case "tools":
			a := arrayOf(v)
			for a.next() {
				f, _ := lookup(a.val, "function")
				n, _ := lookup(f, "name")
				rp.addTool(n)
			}
			rp.toolDefinitions(v)
		case "messages":
			if !rp.capture {
				continue
			}
			a := arrayOf(v)
			for a.next() {
				var role, content, calls, callID []byte
				mo := objectOf(a.val)
				for mo.next() {
					switch string(mo.key) {
					case "role":
						role = mo.val
					case "content":
						content = mo.val
					case "tool_calls":
						calls = mo.val
					case "tool_call_id":
						callID = mo.val
					}
				}
				m := Message{Role: str(role), Parts: []Part{}}
				switch {
				case m.Role == "tool":
					resp := argsJSON([]byte(textOf(content)))
					m.Parts = append(m.Parts, Part{Type: "tool_call_response", ID: str(callID), Response: resp})
				case isString(content):
					if len(content) > 2 {
						m.Parts = append(m.Parts, textPart(str(content)))
					}
				default:
					ca := arrayOf(content)
					for ca.next() {
						if t, ok := lookup(ca.val, "text"); ok {
							m.Parts = append(m.Parts, textPart(str(t)))
						}
					}
				}
				t := arrayOf(calls)
				for t.next() {
					id, _ := lookup(t.val, "id")
					f, _ := lookup(t.val, "function")
					n, _ := lookup(f, "name")
					args, _ := lookup(f, "arguments")
					m.Parts = append(m.Parts, Part{Type: "tool_call", ID: str(id), Name: str(n), Arguments: jsonOrString(args)})
				}
				r.InputMessages = append(r.InputMessages, m)
			}
		}
	}
}
