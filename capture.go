package genaix

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"go.opentelemetry.io/otel/attribute"
)

// capture says what content genaix records and how.
type capture struct {
	input, output bool
	maxBytes      int
	redact        Redactor
}

// DefaultMaxContentBytes bounds each captured input or output by default.
const DefaultMaxContentBytes = 10 << 10

var defaultCapture = capture{input: true, output: true, maxBytes: DefaultMaxContentBytes}

const truncationMarker = "…[truncated]"

// content renders v for recording: strings as they are, anything else as JSON
// (fmt's %+v if it cannot be encoded), then redacted, then cut to the limit.
// ok is false when there is nothing to record.
func (c capture) content(kind string, v any) (s string, truncated, ok bool) {
	// A value's MarshalJSON or the user's Redactor may panic: that loses the
	// content, never the caller's call.
	defer func() {
		if recover() != nil {
			s, truncated, ok = "", false, false
		}
	}()
	switch v := v.(type) {
	case nil:
		return "", false, false
	case string:
		s = v
	case []byte:
		s = string(v)
	case json.RawMessage:
		s = string(v)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			s = fmt.Sprintf("%+v", v)
		} else {
			s = string(b)
		}
	}
	// Redact before truncating, so a secret is never cut in half and missed.
	if c.redact != nil {
		s = c.redact(kind, s)
	}
	if s == "" {
		return "", false, false
	}
	s, truncated = truncate(s, c.maxBytes)
	return s, truncated, true
}

// truncate cuts s to at most n bytes, marker included, at a UTF-8 boundary.
func truncate(s string, n int) (string, bool) {
	if n <= 0 || len(s) <= n {
		return s, false
	}
	cut := max(0, n-len(truncationMarker))
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + truncationMarker, true
}

// marshal is json.Marshal that turns a panicking MarshalJSON into an error.
func marshal(v any) (b []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("genaix: encoding %T panicked: %v", v, r)
		}
	}()
	return json.Marshal(v)
}

// appendContent appends v, rendered by content, under each of keys (the
// semconv name and the last9-genai one, say), marking truncation.
func (c capture) appendContent(kv []attribute.KeyValue, kind string, v any, keys ...attribute.Key) []attribute.KeyValue {
	s, truncated, ok := c.content(kind, v)
	if !ok {
		return kv
	}
	for _, k := range keys {
		kv = append(kv, k.String(s))
	}
	if truncated {
		kv = append(kv, ContentTruncatedKey.Bool(true))
	}
	return kv
}
