package wire

import "strconv"

// Gemini generateContent / streamGenerateContent and embedContent
// (wire-formats §11), on the Gemini API and Vertex AI.

type geminiHandler struct {
	blockReason string
}

func (h *geminiHandler) event(c *collector, _, data []byte) { h.chunk(c, data) }

// body reads a GenerateContentResponse, or the JSON array a legacy stream
// (no alt=sse) sends, read element by element.
func (h *geminiHandler) body(c *collector, data []byte) {
	if isArray(data) {
		a := arrayOf(data)
		for a.next() {
			h.chunk(c, a.val)
		}
		return
	}
	h.chunk(c, data)
}

func (h *geminiHandler) finish(c *collector) {
	if h.blockReason != "" && len(c.choices) == 0 {
		// The prompt was blocked: no candidates, only this reason.
		c.res.FinishReasons = append(c.res.FinishReasons, h.blockReason)
	}
}

func (h *geminiHandler) chunk(c *collector, data []byte) {
	o := objectOf(data)
	for o.next() {
		switch string(o.key) {
		case "candidates":
			a := arrayOf(o.val)
			for a.next() {
				h.candidate(c, a.val, a.n)
			}
		case "usageMetadata":
			if isObject(o.val) {
				u, ok := parseGeminiUsage(o.val).normalise()
				if c.api == GeminiEmbed {
					u, ok = embeddingUsage(u, ok)
				}
				c.setUsage(u, ok) // a running total on every chunk: the last wins
			}
		case "modelVersion":
			c.setModel(o.val)
		case "responseId":
			c.setID(o.val)
		case "promptFeedback":
			if br, ok := lookup(o.val, "blockReason"); ok {
				if r := enumString(br, nil); r != "" {
					h.blockReason = r
				}
			}
		case "error":
			inStreamError(c, o.val)
		}
	}
}

// finishReasons names the numeric enum values of the legacy JSON encoding
// (enum-encoding=int) that are certain; others pass through as numbers.
var finishReasons = []string{0: "FINISH_REASON_UNSPECIFIED", 1: "STOP", 2: "MAX_TOKENS", 3: "SAFETY", 4: "RECITATION"}

// enumString reads an enum sent as a name, or as a number in the legacy
// encoding.
func enumString(v []byte, names []string) string {
	if isString(v) {
		if strLen(v) > maxIdent {
			return ""
		}
		return str(v)
	}
	if n, ok := integer(v); ok {
		if n >= 0 && n < int64(len(names)) {
			return names[n]
		}
		return strconv.FormatInt(n, 10)
	}
	return ""
}

func (h *geminiHandler) candidate(c *collector, v []byte, pos int) {
	idx := pos
	if iv, ok := lookup(v, "index"); ok {
		idx = index(iv, pos)
	}
	ch := c.choice(idx)
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "content":
			h.content(c, ch, o.val)
		case "finishReason":
			if r := enumString(o.val, finishReasons); r != "" && ch != nil {
				ch.finish = r
			}
		}
	}
}

func (h *geminiHandler) content(c *collector, ch *choice, v []byte) {
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "role":
			if ch != nil && nonEmptyString(o.val) {
				ch.role = c.ident(o.val)
				if ch.role == "model" {
					ch.role = "assistant"
				}
			}
		case "parts":
			a := arrayOf(o.val)
			for a.next() {
				c.firstContent() // the first chunk with a candidate part
				h.part(c, ch, a.val)
			}
		}
	}
}

// geminiPart holds the members of one Gemini content part, raw; a part
// sets one of them (plus thought on reasoning text).
type geminiPart struct {
	text, call, resp, inline, file []byte
	thought                        bool
}

func readGeminiPart(v []byte) (p geminiPart) {
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "text":
			p.text = o.val
		case "thought":
			p.thought, _ = boolean(o.val)
		case "functionCall":
			p.call = o.val
		case "functionResponse":
			p.resp = o.val
		case "inlineData":
			p.inline = o.val
		case "fileData":
			p.file = o.val
		}
	}
	return p
}

func (h *geminiHandler) part(c *collector, ch *choice, v []byte) {
	gp := readGeminiPart(v)
	text, call, inline, file, thought := gp.text, gp.call, gp.inline, gp.file, gp.thought
	switch {
	case call != nil:
		b := c.newBlock(ch, kindTool, -1)
		if b == nil {
			return
		}
		co := objectOf(call)
		for co.next() {
			switch string(co.key) {
			case "id":
				b.id = c.ident(co.val)
			case "name":
				b.name = c.ident(co.val)
			case "args":
				c.setRaw(b, co.val)
			}
		}
	case text != nil:
		if !nonEmptyString(text) {
			return // e.g. a closing part that only carries a thoughtSignature
		}
		kind := kindText
		if thought {
			kind = kindReasoning
		}
		c.appendStr(c.lastBlock(ch, kind), text)
	case inline != nil && c.capture:
		mime, _ := lookup(inline, "mimeType")
		data, _ := lookup(inline, "data")
		if strLen(data) > c.budget {
			c.res.Truncated = true
			return
		}
		if b := c.newBlock(ch, kindOther, -1); b != nil {
			ms := c.ident(mime)
			b.part = Part{Type: "blob", Modality: modality(ms), MimeType: ms, Content: str(data)}
			c.budget -= len(b.part.Content)
		}
	case file != nil && c.capture:
		mime, _ := lookup(file, "mimeType")
		uri, _ := lookup(file, "fileUri")
		if strLen(uri) > c.budget {
			c.res.Truncated = true
			return
		}
		if b := c.newBlock(ch, kindOther, -1); b != nil {
			ms := c.ident(mime)
			b.part = Part{Type: "uri", Modality: modality(ms), MimeType: ms, URI: str(uri)}
			c.budget -= len(b.part.URI)
		}
	}
}

// gemini reads a generateContent or embedContent request. The model and
// the stream flag are in the URL, not the body.
func (rp *reqParser) gemini(body []byte) {
	r := rp.r
	o := objectOf(body)
	for o.next() {
		v := o.val
		switch string(o.key) {
		case "model": // embedContent and batch requests may name it
			r.Model = trimModelsPrefix(str(v))
		case "generationConfig":
			rp.geminiConfig(v)
		case "outputDimensionality":
			setInt(&r.Dimensions, v)
		case "requests": // batchEmbedContents
			a := arrayOf(v)
			for a.next() {
				if r.Dimensions == nil {
					d, _ := lookup(a.val, "outputDimensionality")
					setInt(&r.Dimensions, d)
				}
				if r.Model == "" {
					m, _ := lookup(a.val, "model")
					r.Model = trimModelsPrefix(str(m))
				}
			}
		case "tools":
			a := arrayOf(v)
			for a.next() {
				fd, _ := lookup(a.val, "functionDeclarations")
				d := arrayOf(fd)
				for d.next() {
					n, _ := lookup(d.val, "name")
					rp.addTool(n)
				}
			}
			rp.toolDefinitions(v)
		case "systemInstruction", "system_instruction":
			if rp.capture {
				parts, _ := lookup(v, "parts")
				r.SystemInstructions = geminiParts(parts)
			}
		case "contents":
			if rp.capture {
				a := arrayOf(v)
				for a.next() {
					role, _ := lookup(a.val, "role")
					parts, _ := lookup(a.val, "parts")
					m := Message{Role: str(role), Parts: geminiParts(parts)}
					switch {
					case m.Role == "model":
						m.Role = "assistant"
					case m.Role == "":
						m.Role = "user"
					}
					if m.Role == "user" && len(m.Parts) > 0 && allType(m.Parts, "tool_call_response") {
						m.Role = "tool"
					}
					r.InputMessages = append(r.InputMessages, m)
				}
			}
		}
	}
}

func trimModelsPrefix(m string) string {
	if len(m) > 7 && m[:7] == "models/" {
		return m[7:]
	}
	return m
}

func (rp *reqParser) geminiConfig(v []byte) {
	r := rp.r
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "temperature":
			setFloat(&r.Temperature, o.val)
		case "topP":
			setFloat(&r.TopP, o.val)
		case "topK":
			setFloat(&r.TopK, o.val)
		case "maxOutputTokens":
			setInt(&r.MaxTokens, o.val)
		case "candidateCount":
			setInt(&r.ChoiceCount, o.val)
		case "stopSequences":
			r.StopSequences = stringList(o.val)
		case "seed":
			setInt(&r.Seed, o.val)
		case "frequencyPenalty":
			setFloat(&r.FrequencyPenalty, o.val)
		case "presencePenalty":
			setFloat(&r.PresencePenalty, o.val)
		case "responseMimeType":
			switch str(o.val) {
			case "application/json":
				r.OutputType = "json"
			case "text/plain":
				r.OutputType = "text"
			}
		}
	}
}

// geminiParts converts Gemini parts.
func geminiParts(v []byte) []Part {
	parts := []Part{}
	a := arrayOf(v)
	for a.next() {
		gp := readGeminiPart(a.val)
		text, call, resp, inline, file, thought := gp.text, gp.call, gp.resp, gp.inline, gp.file, gp.thought
		switch {
		case call != nil:
			id, _ := lookup(call, "id")
			n, _ := lookup(call, "name")
			args, _ := lookup(call, "args")
			parts = append(parts, Part{Type: "tool_call", ID: str(id), Name: str(n), Arguments: rawJSON(args)})
		case resp != nil:
			id, _ := lookup(resp, "id")
			n, _ := lookup(resp, "name")
			rv, _ := lookup(resp, "response")
			parts = append(parts, Part{Type: "tool_call_response", ID: str(id), Name: str(n), Response: rawJSON(rv)})
		case text != nil && thought:
			parts = append(parts, reasoningPart(str(text)))
		case text != nil:
			parts = append(parts, textPart(str(text)))
		case inline != nil:
			mime, _ := lookup(inline, "mimeType")
			data, _ := lookup(inline, "data")
			ms := str(mime)
			parts = append(parts, Part{Type: "blob", Modality: modality(ms), MimeType: ms, Content: str(data)})
		case file != nil:
			mime, _ := lookup(file, "mimeType")
			uri, _ := lookup(file, "fileUri")
			ms := str(mime)
			parts = append(parts, Part{Type: "uri", Modality: modality(ms), MimeType: ms, URI: str(uri)})
		}
	}
	return parts
}
