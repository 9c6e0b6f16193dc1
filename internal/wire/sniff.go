package wire

// Sniff recognises the JSON encoding of a value an SDK returned and reads
// it like a response body: openai-go and go-openai ChatCompletion (and
// legacy Completion), the Responses API Response, an embeddings response,
// anthropic-sdk-go Message, google.golang.org/genai GenerateContentResponse
// (camelCase, like the wire) and ollama's ChatResponse / GenerateResponse.
// Observe uses it on a function's return value. It reports false when the
// value is none of these.
//
// Go SDK structs marshal zero values that the wire would omit (go-openai's
// Usage has no omitempty), so a usage whose totals are both zero is taken
// as not reported.
func Sniff(data []byte) (*Result, bool) {
	data = trimSpace(data)
	if !isObject(data) || !validJSON(data) {
		return nil, false
	}
	api := sniffAPI(data)
	if api == Unknown {
		return nil, false
	}
	p := NewResponseParser(api, "application/json", Options{MaxBodyBytes: len(data) + 1})
	p.Write(data)
	r := p.Finish(true)
	if r.HasUsage && r.Usage.InputTokens == 0 && r.Usage.OutputTokens == 0 {
		r.HasUsage, r.Usage = false, noUsage
		r.NoUsageReason = NoUsageNotReported
	}
	return r, true
}

// sniffAPI tells the API from the top-level members.
func sniffAPI(data []byte) API {
	var object, typ []byte
	var has struct {
		choices, candidates, usageMetadata, promptFeedback, output, status,
		content, stopReason, role, data, usage, done, message, response, embeddings bool
	}
	o := objectOf(data)
	for o.next() {
		switch string(o.key) {
		case "object":
			object = o.val
		case "type":
			typ = o.val
		case "choices":
			has.choices = isArray(o.val) || isNull(o.val)
		case "candidates":
			has.candidates = true
		case "usageMetadata":
			has.usageMetadata = true
		case "promptFeedback":
			has.promptFeedback = true
		case "output":
			has.output = isArray(o.val)
		case "status":
			has.status = true
		case "content":
			has.content = isArray(o.val)
		case "stop_reason":
			has.stopReason = true
		case "role":
			has.role = true
		case "data":
			has.data = isArray(o.val)
		case "usage":
			has.usage = true
		case "done":
			has.done = true
		case "message":
			has.message = isObject(o.val)
		case "response":
			has.response = isString(o.val)
		case "embeddings":
			has.embeddings = true
		}
	}
	switch {
	case has.candidates || has.usageMetadata || has.promptFeedback:
		return GeminiGenerate
	case strIs(object, "response") || (has.output && has.status):
		return OpenAIResponses
	case strIs(typ, "message") || (has.content && has.stopReason && has.role):
		return AnthropicMessages
	case strIs(object, "text_completion"):
		return OpenAICompletions
	case has.choices || strIs(object, "chat.completion"):
		return OpenAIChat
	case strIs(object, "list") && has.data && has.usage:
		return OpenAIEmbeddings
	case has.done && has.message:
		return OllamaChat
	case has.done && has.response:
		return OllamaGenerate
	case has.embeddings && !has.done:
		return OllamaEmbed
	}
	return Unknown
}
