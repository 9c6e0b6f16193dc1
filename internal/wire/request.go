package wire

import (
	"encoding/json"
	"errors"
)

// Request is what genaix records from a request body. Pointer and empty
// fields were absent from the body: absent is never recorded as zero.
type Request struct {
	Model string // gen_ai.request.model; empty for Gemini, whose model is in the URL

	// Stream is gen_ai.request.stream. StreamSet says the body said so
	// explicitly; Ollama streams when the field is absent, so there Stream
	// is true with StreamSet false. Gemini streams by URL (Endpoint.Stream).
	Stream, StreamSet bool

	Temperature, TopP, TopK, FrequencyPenalty, PresencePenalty *float64
	MaxTokens, Seed, ChoiceCount                               *int64

	StopSequences   []string
	EncodingFormats []string // embeddings encoding_format

	// OutputType is gen_ai.output.type: text, json, image or speech.
	OutputType string

	// IncludeUsage is OpenAI's stream_options.include_usage: a stream
	// without it returns no usage at all.
	IncludeUsage bool

	Dimensions *int64 // embeddings dimensions

	ToolNames   []string // names of the tool definitions offered
	ServiceTier string   // openai.request.service_tier and the like

	// Content, filled only when capture is on, in the semconv parts shape.
	InputMessages      []Message
	SystemInstructions []Part
	ToolDefinitions    json.RawMessage // the tools array as sent, compacted
}

// Errors returned by ParseRequest.
var (
	ErrUnknownAPI  = errors.New("wire: unknown API")
	ErrRequestBody = errors.New("wire: request body is not a JSON object")
)

// ParseRequest reads a request body of the given API. It is lenient:
// unknown fields are ignored, null is the same as absent, numbers may be
// floats, and a field of an unexpected type is skipped rather than failing
// the whole body. It fails only when the body is not a JSON object.
func ParseRequest(api API, body []byte, captureContent bool) (*Request, error) {
	body = trimSpace(body)
	if !isObject(body) || !validJSON(body) {
		if api == Unknown {
			return nil, ErrUnknownAPI
		}
		return nil, ErrRequestBody
	}
	r := &Request{}
	rp := reqParser{r: r, capture: captureContent}
	switch api {
	case OpenAIChat, OpenAICompletions:
		rp.openAIChat(body, api == OpenAICompletions)
	case OpenAIResponses:
		rp.responses(body)
	case OpenAIEmbeddings:
		rp.openAIEmbeddings(body)
	case AnthropicMessages:
		rp.anthropic(body)
	case GeminiGenerate, GeminiEmbed:
		rp.gemini(body)
	case OllamaChat, OllamaGenerate, OllamaEmbed:
		rp.ollama(body, api)
	case CohereChat:
		rp.cohere(body)
	default:
		return nil, ErrUnknownAPI
	}
	return r, nil
}

// reqParser holds the request being filled and the capture switch.
type reqParser struct {
	r       *Request
	capture bool
}

func setFloat(p **float64, v []byte) {
	if f, ok := number(v); ok {
		*p = &f
	}
}

func setInt(p **int64, v []byte) {
	if n, ok := integer(v); ok {
		*p = &n
	}
}

func (rp *reqParser) setStream(v []byte) {
	if b, ok := boolean(v); ok {
		rp.r.Stream, rp.r.StreamSet = b, true
	}
}

// strings reads a string or an array of strings (OpenAI's stop).
func stringList(v []byte) []string {
	if isString(v) {
		return []string{str(v)}
	}
	var out []string
	a := arrayOf(v)
	for a.next() {
		if isString(a.val) {
			out = append(out, str(a.val))
		}
	}
	return out
}

// toolDefinitions copies a tools array when capturing.
func (rp *reqParser) toolDefinitions(v []byte) {
	if rp.capture && isArray(v) {
		rp.r.ToolDefinitions = json.RawMessage(appendCompact(nil, v))
	}
}

// addTool records a tool name once.
func (rp *reqParser) addTool(v []byte) {
	if nonEmptyString(v) {
		rp.r.ToolNames = append(rp.r.ToolNames, str(v))
	}
}

// textOf joins the text of a string or of an array of {type:text,text}
// parts, for places where the semconv shape wants one value.
func textOf(v []byte) string {
	if isString(v) {
		return str(v)
	}
	var buf []byte
	a := arrayOf(v)
	for a.next() {
		if t, ok := lookup(a.val, "text"); ok {
			buf = appendStr(buf, t)
		}
	}
	return string(buf)
}

// jsonOrString returns v as a JSON value for a tool response: a JSON text in
// a string becomes that JSON; other strings stay strings; non-strings are
// copied.
func jsonOrString(v []byte) json.RawMessage {
	if isString(v) {
		return argsJSON(appendStr(nil, v))
	}
	return rawJSON(v)
}
