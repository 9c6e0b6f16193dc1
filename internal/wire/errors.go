package wire

import "strconv"

// OtherError is the error.type used when nothing better identifies an error.
const OtherError = "_OTHER"

// errorInfo is what an error object says, before choosing error.type.
type errorInfo struct {
	code, typ, status, numCode string
	message                    bool // a non-empty message was present
}

// empty reports whether the object said nothing: SDK structs marshal a
// zero error ({"code":"","message":""}) on success.
func (e errorInfo) empty() bool {
	return e.code == "" && e.typ == "" && e.status == "" && e.numCode == "" && !e.message
}

// parseErrorObject reads an error object: OpenAI {message,type,param,code},
// Anthropic {type,message}, Gemini {code,message,status}. A code may be a
// string or a number.
func parseErrorObject(v []byte) (e errorInfo) {
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "code":
			if isString(o.val) {
				e.code = lowCardinality(o.val)
			} else if n, ok := integer(o.val); ok {
				e.numCode = strconv.FormatInt(n, 10)
			}
		case "type":
			e.typ = lowCardinality(o.val)
		case "status":
			e.status = lowCardinality(o.val)
		case "message":
			e.message = nonEmptyString(o.val)
		}
	}
	return e
}

// lowCardinality returns the string v holds if it looks like an identifier
// (rate_limit_exceeded, overloaded_error, RESOURCE_EXHAUSTED), else "".
// error.type must stay low-cardinality: some servers put message text in
// code fields, and that must never become an attribute value.
func lowCardinality(v []byte) string {
	if !isString(v) || len(v) > 66 || len(v) <= 2 {
		return ""
	}
	for _, c := range v[1 : len(v)-1] {
		ok := c == '_' || c == '-' || c == '.' || c == ':' || c == '/' ||
			(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
		if !ok {
			return ""
		}
	}
	return string(v[1 : len(v)-1])
}

// errorType chooses error.type per wire-formats §16: the provider's code,
// else its type, else the HTTP status, else _OTHER. Gemini's status string
// (RESOURCE_EXHAUSTED) comes first there; Ollama and Cohere carry no code.
func errorType(api API, e errorInfo, httpStatus int) string {
	var order []string
	switch api {
	case GeminiGenerate, GeminiEmbed:
		order = []string{e.status, e.code, e.typ}
	case AnthropicMessages:
		order = []string{e.typ, e.code}
	case OllamaChat, OllamaGenerate, OllamaEmbed, CohereChat:
		order = nil
	default:
		order = []string{e.code, e.typ, e.status}
	}
	for _, s := range order {
		if s != "" {
			return s
		}
	}
	if httpStatus >= 400 {
		return strconv.Itoa(httpStatus)
	}
	if e.numCode != "" && !api.isOllama() {
		return e.numCode
	}
	return OtherError
}

// errorBody extracts error.type from an HTTP error body of any API. It
// understands every provider's shape, since gateways mix them; a body that
// does not parse yields the HTTP status.
func errorBody(api API, body []byte, httpStatus int) string {
	if !validJSON(body) {
		return errorType(api, errorInfo{}, httpStatus)
	}
	var e errorInfo
	o := objectOf(body)
	for o.next() {
		if string(o.key) == "error" && isObject(o.val) {
			e = parseErrorObject(o.val)
		}
	}
	return errorType(api, e, httpStatus)
}
