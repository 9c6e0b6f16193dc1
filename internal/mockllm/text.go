package mockllm

import (
	"bytes"
	"encoding/json"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// field is one member of an obj.
type field struct {
	k string
	v any
}

// obj is a JSON object that keeps its members in the order written, as the
// real APIs do. A nil value is written as null.
type obj []field

// MarshalJSON writes o with its members in order.
func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshal(f.k)
		if err != nil {
			return nil, err
		}
		v, err := marshal(f.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal is json.Marshal without HTML escaping, like the real APIs.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte{'\n'}), nil
}

// mustJSON marshals values the server built itself, which cannot fail.
func mustJSON(v any) []byte {
	b, err := marshal(v)
	if err != nil {
		panic("mockllm: " + err.Error())
	}
	return b
}

// mockEpoch is the fixed creation time of every response (2026-01-15), so
// that replies are byte-for-byte deterministic.
const mockEpoch = 1768435200

// tokens estimates the token count of s: one token per four bytes.
func tokens(s string) int { return (len(s) + 3) / 4 }

func hash64(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		_, _ = h.Write([]byte(p))
		_, _ = h.Write([]byte{0})
	}
	return h.Sum64()
}

// turn is what a reply is derived from, decoded from any provider's request.
type turn struct {
	model     string
	prompt    string    // all the request's text: counted for prompt tokens, seeds the reply
	lastUser  string    // the text of the last user message
	toolTurn  bool      // the last message is a tool result
	toolOut   string    // that result's text
	tool      *toolSpec // the first tool the request defines, if any
	maxOut    int       // output token limit, reasoning included (0: none)
	reasoning int       // reasoning tokens the reply reports (0: none)
	thinking  bool      // produce visible thinking text too
}

// toolSpec is the tool a reply calls, and the argument it fills in.
type toolSpec struct{ name, key string }

// answer is a reply, split into stream pieces.
type answer struct {
	text        string
	pieces      []string // concatenated, they are text
	thinking    string
	thinkPieces []string
	call        *toolCall
	truncated   bool // cut at maxOut: finish reason "length"
	reasoning   int  // reasoning tokens, part of output
	output      int  // all output tokens
}

// toolCall is a reply's call of the request's first tool.
type toolCall struct {
	name, args string   // args is a JSON object
	argPieces  []string // concatenated, they are args
}

// fillers are the sentences a reply picks from, after echoing the question.
// chunks is how many content chunks a's stream has.
func (a answer) chunks() int {
	n := len(a.pieces) + len(a.thinkPieces)
	if a.call != nil {
		n += len(a.call.argPieces)
	}
	return n
}

var fillers = []string{
	"This reply comes from the genaix mock server.",
	"Every word is streamed in order so tracing can time it.",
	"Token usage is counted along the way.",
	"The same request always gets the same answer.",
	"No network and no model weights are involved.",
	"Point the base URL at the real provider for a real answer.",
	"Spans, metrics and costs can be checked against these numbers.",
	"Longer conversations use more input tokens.",
}

// answer builds the deterministic reply to t.
func (s *Server) answer(t turn) answer {
	h := hash64(t.model, t.prompt)
	a := answer{reasoning: t.reasoning}
	if t.thinking {
		first, more := firstWords(t.lastUser+t.toolOut, 6)
		a.thinking = "Let me think about: " + first + ellipsis(more) + " A mock answer will do."
		a.thinkPieces = s.pieces(strings.Fields(a.thinking))
		a.reasoning = max(a.reasoning, tokens(a.thinking))
	}
	if t.tool != nil && !t.toolTurn {
		q, _ := firstWords(t.lastUser, 12)
		if q == "" {
			q = "mock"
		}
		args := string(mustJSON(obj{{t.tool.key, q}}))
		a.call = &toolCall{name: t.tool.name, args: args, argPieces: splitBytes(args, 7)}
		a.output = tokens(args) + 10 + a.reasoning
		return a
	}
	var words []string
	if t.toolTurn {
		first, more := firstWords(t.toolOut, 8)
		words = append(strings.Fields("Mock answer from the tool result:"), strings.Fields(first+ellipsis(more))...)
	} else {
		first, more := firstWords(t.lastUser, 8)
		words = append(strings.Fields("Mock answer to:"), strings.Fields(first+ellipsis(more))...)
	}
	rng := rand.New(rand.NewPCG(uint64(s.cfg.seed), h))
	for _, i := range rng.Perm(len(fillers))[:2+rng.IntN(3)] {
		words = append(words, strings.Fields(fillers[i])...)
	}
	if t.maxOut > 0 {
		if a.reasoning >= t.maxOut {
			a.reasoning, words, a.truncated = t.maxOut, nil, true
		}
		for len(words) > 0 && tokens(strings.Join(words, " "))+a.reasoning > t.maxOut {
			words, a.truncated = words[:len(words)-1], true
		}
	}
	a.text = strings.Join(words, " ")
	a.pieces = s.pieces(words)
	a.output = tokens(a.text) + a.reasoning
	return a
}

func ellipsis(more bool) string {
	if more {
		return "…"
	}
	return ""
}

// pieces groups words into stream chunks of the configured size; the
// chunks concatenate back to the words joined by spaces.
func (s *Server) pieces(words []string) []string {
	var out []string
	for i := 0; i < len(words); i += s.cfg.chunkWords {
		p := strings.Join(words[i:min(i+s.cfg.chunkWords, len(words))], " ")
		if i > 0 {
			p = " " + p
		}
		out = append(out, p)
	}
	return out
}

// splitBytes cuts s into pieces of about n bytes, at rune boundaries.
func splitBytes(s string, n int) []string {
	var out []string
	for len(s) > 0 {
		i := min(n, len(s))
		for i < len(s) && !utf8.RuneStart(s[i]) {
			i++
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	return out
}

// firstWords returns the first n words of s and whether s had more.
func firstWords(s string, n int) (string, bool) {
	w := strings.Fields(s)
	if len(w) > n {
		return strings.Join(w[:n], " "), true
	}
	return strings.Join(w, " "), false
}

// reasoningTokens is the reasoning a reasoning model reports for an effort
// level, varied deterministically by h.
func reasoningTokens(h uint64, effort string) int {
	base := 192
	switch effort {
	case "none":
		return 0
	case "minimal":
		base = 16
	case "low":
		base = 64
	case "high", "xhigh":
		base = 512
	}
	return base + int(h%8)*16
}

// contentText is the text of a message content: a string, or an array of
// parts with "text" (and nested "content", as in tool results).
func contentText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		_ = json.Unmarshal(raw, &s)
		return s
	case '[':
		var parts []json.RawMessage
		_ = json.Unmarshal(raw, &parts)
		var texts []string
		for _, p := range parts {
			if t := contentText(p); t != "" {
				texts = append(texts, t)
			}
		}
		return strings.Join(texts, "\n")
	case '{':
		var p struct {
			Text    string          `json:"text"`
			Content json.RawMessage `json:"content"`
			Output  json.RawMessage `json:"output"`
		}
		_ = json.Unmarshal(raw, &p)
		return strings.Join(slices.DeleteFunc([]string{p.Text, contentText(p.Content), contentText(p.Output)},
			func(s string) bool { return s == "" }), "\n")
	}
	return ""
}

// argKey picks the argument a tool call fills in: the first required string
// parameter of the JSON schema, else its first string parameter, else "query".
func argKey(schema json.RawMessage) string {
	var s struct {
		Properties map[string]struct {
			Type json.RawMessage `json:"type"`
		} `json:"properties"`
		Required []string `json:"required"`
	}
	if json.Unmarshal(schema, &s) != nil {
		return "query"
	}
	isString := func(k string) bool {
		p, ok := s.Properties[k]
		return ok && (len(p.Type) == 0 || strings.Contains(strings.ToLower(string(p.Type)), `"string"`))
	}
	for _, k := range s.Required {
		if isString(k) {
			return k
		}
	}
	keys := make([]string, 0, len(s.Properties))
	for k := range s.Properties {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if isString(k) {
			return k
		}
	}
	return "query"
}

var datedRE = regexp.MustCompile(`-(\d{4}-\d{2}-\d{2}|\d{8})$`)

// dated gives a model name the dated suffix the provider reports
// ("gpt-4o-mini" → "gpt-4o-mini-2026-01-15", compact: "claude-x" →
// "claude-x-20260115"), unless it already has one. "-latest" is replaced.
func dated(model string, compact bool) string {
	if model == "" || datedRE.MatchString(model) {
		return model
	}
	model = strings.TrimSuffix(model, "-latest")
	if compact {
		return model + "-20260115"
	}
	return model + "-2026-01-15"
}

// defaultDimensions is the length of embedding vectors unless the request
// asks for another.
const defaultDimensions = 32

// embedding is a deterministic unit vector for text: hashed bag of words,
// so texts sharing words are close (cosine similarity works in demos).
func embedding(text string, dim int) []float32 {
	if dim <= 0 {
		dim = defaultDimensions
	}
	v := make([]float64, dim)
	for _, w := range strings.Fields(strings.ToLower(text)) {
		w = strings.Trim(w, ".,;:!?\"'()[]{}…")
		if w == "" {
			continue
		}
		h := hash64(w)
		sign := 1.0
		if h>>63 == 1 {
			sign = -1
		}
		v[h%uint64(dim)] += sign
		v[(h>>24)%uint64(dim)] += sign / 2
	}
	var norm float64
	for _, x := range v {
		norm += x * x
	}
	out := make([]float32, dim)
	if norm == 0 {
		out[0] = 1
		return out
	}
	norm = math.Sqrt(norm)
	for i, x := range v {
		out[i] = float32(x / norm)
	}
	return out
}
