package wire

import (
	"encoding/json"
	"strings"
)

// Message is one message in the OpenTelemetry GenAI content shape used by
// gen_ai.input.messages and gen_ai.output.messages: a role and a list of
// typed parts. It is never the OpenAI {role, content, tool_calls} shape.
type Message struct {
	Role         string `json:"role"`
	Parts        []Part `json:"parts"`
	Name         string `json:"name,omitempty"`
	FinishReason string `json:"finish_reason,omitempty"` // output messages only, semconv enum (§18)
}

// MarshalJSON writes parts as [] rather than null when there are none.
func (m Message) MarshalJSON() ([]byte, error) {
	type plain Message
	if m.Parts == nil {
		m.Parts = []Part{}
	}
	return json.Marshal(plain(m))
}

// Part is one part of a message, or one system instruction. Type selects
// which fields apply:
//
//	text, reasoning                 Content
//	tool_call                       ID, Name, Arguments
//	tool_call_response              ID, Response
//	blob                            Modality, MimeType, Content (base64)
//	file                            Modality, MimeType, FileID
//	uri                             Modality, MimeType, URI
//
// Any other Type is a provider-specific part recorded by type (and ID and
// Name when known).
type Part struct {
	Type      string          `json:"type"`
	Content   string          `json:"content,omitempty"`
	ID        string          `json:"id,omitempty"`
	Name      string          `json:"name,omitempty"`
	Arguments json.RawMessage `json:"arguments,omitempty"`
	Response  json.RawMessage `json:"response,omitempty"`
	Modality  string          `json:"modality,omitempty"`
	MimeType  string          `json:"mime_type,omitempty"`
	URI       string          `json:"uri,omitempty"`
	FileID    string          `json:"file_id,omitempty"`
}

// MarshalJSON writes the fields the semconv schema requires for the part's
// type even when they are empty, and omits the others when empty.
func (p Part) MarshalJSON() ([]byte, error) {
	type wirePart struct {
		Type      string           `json:"type"`
		Content   *string          `json:"content,omitempty"`
		ID        string           `json:"id,omitempty"`
		Name      *string          `json:"name,omitempty"`
		Arguments *json.RawMessage `json:"arguments,omitempty"`
		Response  *json.RawMessage `json:"response,omitempty"`
		Modality  *string          `json:"modality,omitempty"`
		MimeType  string           `json:"mime_type,omitempty"`
		URI       *string          `json:"uri,omitempty"`
		FileID    *string          `json:"file_id,omitempty"`
	}
	w := wirePart{Type: p.Type, ID: p.ID, MimeType: p.MimeType}
	opt := func(s *string, required bool) *string {
		if *s == "" && !required {
			return nil
		}
		return s
	}
	raw := func(r *json.RawMessage, required bool) *json.RawMessage {
		if len(*r) == 0 {
			if !required {
				return nil
			}
			null := json.RawMessage("null")
			return &null
		}
		if !json.Valid(*r) { // never let a bad fragment break the whole attribute
			q, _ := json.Marshal(string(*r))
			v := json.RawMessage(q)
			return &v
		}
		return r
	}
	switch p.Type {
	case "text", "reasoning":
		w.Content = opt(&p.Content, true)
	case "tool_call":
		w.Name = opt(&p.Name, true)
		w.Arguments = raw(&p.Arguments, false)
	case "tool_call_response":
		w.Response = raw(&p.Response, true)
	case "blob":
		w.Modality = opt(&p.Modality, true)
		w.Content = opt(&p.Content, true)
	case "file":
		w.Modality = opt(&p.Modality, true)
		w.FileID = opt(&p.FileID, true)
	case "uri":
		w.Modality = opt(&p.Modality, true)
		w.URI = opt(&p.URI, true)
	default:
		w.Content = opt(&p.Content, false)
		w.Name = opt(&p.Name, false)
		w.Arguments = raw(&p.Arguments, false)
		w.Response = raw(&p.Response, false)
		w.Modality = opt(&p.Modality, false)
		w.URI = opt(&p.URI, false)
		w.FileID = opt(&p.FileID, false)
	}
	return json.Marshal(w)
}

func textPart(s string) Part      { return Part{Type: "text", Content: s} }
func reasoningPart(s string) Part { return Part{Type: "reasoning", Content: s} }

// argsJSON turns tool-call arguments into a JSON value: the arguments
// themselves when they are JSON (OpenAI sends a JSON text in a string),
// otherwise a JSON string holding them.
func argsJSON(s []byte) json.RawMessage {
	t := trimSpace(s)
	if len(t) == 0 {
		return nil
	}
	if validJSON(t) {
		return json.RawMessage(appendCompact(nil, t))
	}
	q, _ := json.Marshal(string(s))
	return json.RawMessage(q)
}

// rawJSON copies a JSON value (already validated) for a Part field.
func rawJSON(v []byte) json.RawMessage {
	if isNull(v) {
		return nil
	}
	return json.RawMessage(appendCompact(nil, v))
}

// modality derives the semconv modality from a MIME type.
func modality(mime string) string {
	switch {
	case strings.HasPrefix(mime, "image/"):
		return "image"
	case strings.HasPrefix(mime, "audio/"):
		return "audio"
	case strings.HasPrefix(mime, "video/"):
		return "video"
	}
	return "document"
}

// urlPart turns a URL into a part: a data: URL becomes a blob with its
// base64 content, anything else a uri part. kind is the modality to use when
// the URL has no MIME type to tell.
func urlPart(url, kind string) Part {
	if rest, ok := strings.CutPrefix(url, "data:"); ok {
		meta, data, ok := strings.Cut(rest, ",")
		if ok {
			mime, _, _ := strings.Cut(meta, ";")
			m := kind
			if mime != "" {
				m = modality(mime)
			}
			return Part{Type: "blob", Modality: m, MimeType: mime, Content: data}
		}
	}
	return Part{Type: "uri", Modality: kind, URI: url}
}

// mapFinishReason maps a provider's raw finish reason to the semconv enum
// (stop, length, content_filter, tool_call, error), per wire-formats §18.
// Unknown values pass through unchanged. toolCalls says whether the choice
// produced tool calls, which Gemini and Ollama signal only that way.
func mapFinishReason(api API, raw string, toolCalls bool) string {
	switch api {
	case OpenAIChat, OpenAICompletions:
		switch raw {
		case "stop":
			return "stop"
		case "length":
			return "length"
		case "tool_calls", "function_call":
			return "tool_call"
		case "content_filter":
			return "content_filter"
		}
	case AnthropicMessages:
		switch raw {
		case "end_turn", "stop_sequence":
			return "stop"
		case "max_tokens", "model_context_window_exceeded":
			return "length"
		case "tool_use":
			return "tool_call"
		case "refusal":
			return "content_filter"
		}
	case GeminiGenerate:
		switch raw {
		case "STOP":
			if toolCalls {
				return "tool_call"
			}
			return "stop"
		case "MAX_TOKENS":
			return "length"
		case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII":
			return "content_filter"
		}
		if strings.HasPrefix(raw, "IMAGE_") {
			return "content_filter"
		}
	case OllamaChat, OllamaGenerate:
		if toolCalls && (raw == "stop" || raw == "") {
			return "tool_call"
		}
		switch raw {
		case "stop":
			return "stop"
		case "length":
			return "length"
		}
	case CohereChat:
		switch raw {
		case "COMPLETE", "STOP_SEQUENCE":
			return "stop"
		case "MAX_TOKENS":
			return "length"
		case "TOOL_CALL":
			return "tool_call"
		case "ERROR", "TIMEOUT":
			return "error"
		}
	}
	// OpenAIResponses finish reasons are derived, already in the enum.
	return raw
}
