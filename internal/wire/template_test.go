package wire

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

// The template fast path must be invisible: a stream fed in one write
// (where it passes over events in place) and fed one byte at a time (where
// no event ever lies whole in a write, so every event takes the slow path)
// must give the same Result, while the fast path did pass over most events.

// templated is a long stream of one API whose events mostly differ in text
// only, with the awkward texts of texts mixed in.
type templated struct {
	name string
	api  API
	ct   string
	head string // events before the text deltas
	// delta formats one text event; text is inserted raw, so it may carry
	// escapes (and, to test the guards, what would break the framing).
	delta func(i int, text string) string
	tail  string // events after them
}

var awkwardTexts = []string{
	`plain words`, ``, `a \"quoted\" word`, `ends in a backslash \\`, `\\\"`, `\u00e9t\u00e9`,
	`looks like a key \"usage\":{\"prompt_tokens\":1}`, `tab	inside`, `{\"finish_reason\":\"stop\"}`,
}

func templatedStreams() []templated {
	chatChunk := func(delta, finish, usage string) string {
		return `data: {"id":"chatcmpl-T","object":"chat.completion.chunk","created":1767225601,"model":"gpt-4.1-mini-2025-04-14","service_tier":"default","system_fingerprint":"fp_1","choices":[{"index":0,"delta":` + delta + `,"logprobs":null,"finish_reason":` + finish + `}],"usage":` + usage + `,"obfuscation":"pad"}` + "\n\n"
	}
	return []templated{{
		name: "openai chat", api: OpenAIChat, ct: "text/event-stream",
		head: chatChunk(`{"role":"assistant","content":""}`, "null", "null"),
		delta: func(i int, text string) string {
			return strings.Replace(chatChunk(`{"content":"`+text+`"}`, "null", "null"), `"pad"`, fmt.Sprintf(`"p%d"`, i%7), 1)
		},
		tail: chatChunk(`{}`, `"stop"`, "null") +
			chatChunk(`{}`, "null", `{"prompt_tokens":12,"completion_tokens":300,"total_tokens":312}`) + "data: [DONE]\n\n",
	}, {
		name: "openai chat crlf", api: OpenAIChat, ct: "text/event-stream",
		head: "data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"}}]}\r\n\r\n",
		delta: func(_ int, text string) string {
			return "data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + text + "\"}}]}\r\n\r\n"
		},
		tail: "data: {\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":400}}\r\n\r\ndata: [DONE]\r\n\r\n",
	}, {
		name: "anthropic", api: AnthropicMessages, ct: "text/event-stream",
		head: "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_T\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":20,\"cache_read_input_tokens\":5,\"output_tokens\":1}}}\n\n" +
			"event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
		delta: func(_ int, text string) string {
			return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}\n\n"
		},
		tail: "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
			"event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":250}}\n\n" +
			"event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
	}, {
		name: "responses", api: OpenAIResponses, ct: "text/event-stream",
		head: "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_T\",\"model\":\"o4-mini-2025-04-16\",\"status\":\"in_progress\",\"output\":[]}}\n\n",
		delta: func(i int, text string) string {
			return fmt.Sprintf("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":%d,\"item_id\":\"msg_T\",\"output_index\":0,\"content_index\":0,\"delta\":\"%s\"}\n\n", i+1, text)
		},
		tail: "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":999,\"response\":{\"id\":\"resp_T\",\"model\":\"o4-mini-2025-04-16\",\"status\":\"completed\",\"output\":[],\"usage\":{\"input_tokens\":30,\"output_tokens\":210,\"total_tokens\":240}}}\n\n",
	}, {
		name: "ollama", api: OllamaChat, ct: "application/x-ndjson",
		head: `{"model":"llama3.2","created_at":"2026-11-01T10:00:00.00Z","message":{"role":"assistant","content":"Hi"},"done":false}` + "\n",
		delta: func(i int, text string) string {
			return fmt.Sprintf(`{"model":"llama3.2","created_at":"2026-11-01T10:00:%02d.%02dZ","message":{"role":"assistant","content":"%s"},"done":false}`+"\n", i/100%60, i%100, text)
		},
		tail: `{"model":"llama3.2","created_at":"2026-11-01T10:01:00.00Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":26,"eval_count":400}` + "\n",
	}}
}

func (s templated) build(n int, texts []string) []byte {
	var b strings.Builder
	b.WriteString(s.head)
	for i := range n {
		b.WriteString(s.delta(i, texts[i%len(texts)]))
	}
	b.WriteString(s.tail)
	return []byte(b.String())
}

// parseBoth returns the Result of the stream fed whole and fed bytewise,
// and how many events the fast path passed over in the first.
func parseBoth(api API, ct string, opt Options, stream []byte) (whole, bytewise *Result, passed int) {
	p := NewResponseParser(api, ct, opt)
	p.Write(stream)
	whole = p.Finish(true)
	passed = p.sse.fast.passed + p.nd.fast.passed
	q := NewResponseParser(api, ct, opt)
	for i := range stream {
		q.Write(stream[i : i+1])
	}
	bytewise = q.Finish(true)
	if n := q.sse.fast.passed + q.nd.fast.passed; n != 0 {
		panic(fmt.Sprintf("bytewise feeding passed %d events over", n))
	}
	return whole, bytewise, passed
}

func sameResult(t *testing.T, what string, got, want *Result) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		a, _ := json.Marshal(got)
		b, _ := json.Marshal(want)
		t.Fatalf("%s: fast path result differs from slow path:\n fast %s\n slow %s", what, a, b)
	}
}

func TestTemplateFastPathIsInvisible(t *testing.T) {
	const n = 400
	for _, s := range templatedStreams() {
		t.Run(s.name, func(t *testing.T) {
			stream := s.build(n, awkwardTexts)
			whole, bytewise, passed := parseBoth(s.api, s.ct, Options{}, stream)
			sameResult(t, s.name, whole, bytewise)
			if !whole.HasUsage || !whole.Terminal || whole.Malformed {
				t.Fatalf("stream not read to its end: %+v", whole)
			}
			if passed < n*8/10 {
				t.Fatalf("fast path passed over %d of %d text events", passed, n)
			}
			// With capture on nothing is skipped: the text must be whole.
			cw, cb, cpassed := parseBoth(s.api, s.ct, Options{CaptureContent: true}, stream)
			sameResult(t, s.name+" capture", cw, cb)
			if cpassed != 0 {
				t.Fatalf("capture on, yet %d events passed over", cpassed)
			}
		})
	}
}

// TestTemplateGuards: events shaped like the template that must not be
// passed over, each placed among plain text events.
func TestTemplateGuards(t *testing.T) {
	chat := templatedStreams()[0]
	tests := []struct {
		name  string
		event string
		check func(*Result) bool
	}{
		{"finish reason set", strings.NewReplacer(`"finish_reason":null`, `"finish_reason":"content_filter"`, `"index":0`, `"index":1`).Replace(chat.delta(0, "x")),
			func(r *Result) bool { return reflect.DeepEqual(r.FinishReasons, []string{"stop", "content_filter"}) }},
		{"tool call", strings.Replace(chat.delta(0, "x"), `{"content":"x"}`, `{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"lookup","arguments":""}}]}`, 1),
			func(r *Result) bool { return len(r.ToolCalls) == 1 && r.ToolCalls[0].Name == "lookup" }},
		{"usage early", strings.Replace(chat.delta(0, "x"), `"usage":null`, `"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}`, 1),
			func(r *Result) bool { return r.HasUsage }},
		{"raw line break in text", chat.delta(0, "two\nlines"),
			func(r *Result) bool { return r.Malformed }},
		// Skipped events are not validated (on either path): this one only
		// has to be read alike.
		{"unescaped quote in text", chat.delta(0, `say "hi`),
			func(r *Result) bool { return !r.Malformed }},
		{"error", "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n",
			func(r *Result) bool { return r.ErrorType != "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString(chat.head)
			for i := range 50 {
				b.WriteString(chat.delta(i, "plain text"))
			}
			b.WriteString(tt.event)
			for i := range 50 {
				b.WriteString(chat.delta(i, "more text"))
			}
			b.WriteString(chat.tail)
			whole, bytewise, passed := parseBoth(OpenAIChat, "text/event-stream", Options{}, []byte(b.String()))
			sameResult(t, tt.name, whole, bytewise)
			if !tt.check(whole) {
				t.Fatalf("the event was passed over: %+v", whole)
			}
			if passed < 80 {
				t.Fatalf("fast path passed over only %d events", passed)
			}
		})
	}
}

// TestTemplateResponsesDone: a [DONE] under a text event's name is not an
// object, so it is never passed over as one.
func TestTemplateResponsesDone(t *testing.T) {
	s := templatedStreams()[3]
	var b strings.Builder
	b.WriteString(s.head)
	for i := range 20 {
		b.WriteString(s.delta(i, "text"))
	}
	b.WriteString("event: response.output_text.delta\ndata: [DONE]\n\n")
	whole, bytewise, _ := parseBoth(s.api, s.ct, Options{}, []byte(b.String()))
	sameResult(t, "responses", whole, bytewise)
	if !whole.Terminal {
		t.Fatal("[DONE] was passed over")
	}
}

// TestTemplateRandomChunks: the fast path also runs on events split across
// writes (kept and resumed); any chunking gives the Result of the whole.
func TestTemplateRandomChunks(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for _, s := range templatedStreams() {
		stream := s.build(300, awkwardTexts)
		want := feed(s.api, s.ct, Options{}, [][]byte{stream}, true)
		for range 30 {
			got := feed(s.api, s.ct, Options{}, randomChunks(rng, stream, 1+rng.Intn(2000)), true)
			sameResult(t, s.name, got, want)
		}
	}
}

func TestStringEnd(t *testing.T) {
	tests := []struct {
		in   string
		q    int
		more bool
	}{
		{`abc"`, 3, false},
		{`"`, 0, false},
		{`a\"b"`, 4, false},
		{`a\\"`, 3, false},
		{`a\\\"b"`, 6, false},
		{`0123456789abcdef\"0123456789"x`, 28, false},
		{"tab\there\"", 8, false},
		{"line\nbreak\"", -1, false},
		{"cr\rhere\"", -1, false},
		{`no end`, -1, true},
		{`ends in \`, -1, true},
		{`0123456789abcdefghij`, -1, true},
	}
	for _, tt := range tests {
		if q, more := stringEnd([]byte(tt.in)); q != tt.q || more != tt.more {
			t.Errorf("stringEnd(%q) = %d, %v; want %d, %v", tt.in, q, more, tt.q, tt.more)
		}
	}
}

func TestFreeTextHoles(t *testing.T) {
	d := []byte(`{"content":"a\"b","n":{"content":"c"},"keep":"x","content":null,"text":"t"}`)
	h, ok := freeTextHoles(d, []string{"content", "text"}, nil)
	if !ok {
		t.Fatal("not learnable")
	}
	var got []string
	for _, x := range h {
		got = append(got, string(d[x.start:x.end]))
	}
	if want := []string{`a\"b`, "c", "t"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("holes %q, want %q", got, want)
	}
	// A key is never a hole, even one named like a free-text key.
	if h, _ := freeTextHoles([]byte(`{"content":{"content":1}}`), []string{"content"}, nil); len(h) != 0 {
		t.Fatalf("holes in keys: %v", h)
	}
	if _, ok := freeTextHoles([]byte(`{"text":"a","text":"b","text":"c","text":"d","text":"e"}`), []string{"text"}, nil); ok {
		t.Fatal("more than maxHoles learned")
	}
}

// FuzzTemplate inserts arbitrary texts, raw, into the text events of each
// templated stream: whatever they do to the framing or the JSON, the fast
// path reads the stream as the slow path does, whole or in random chunks.
func FuzzTemplate(f *testing.F) {
	f.Add("plain", `a \"b\"`, uint8(0))
	f.Add("x\ny", `"`, uint8(2))
	f.Add(`\`, "\r", uint8(3))
	f.Add(`"},"finish_reason":"stop"}],"x":{"a":"`, "ok", uint8(1))
	streams := templatedStreams()
	f.Fuzz(func(t *testing.T, a, b string, sel uint8) {
		s := streams[int(sel)%len(streams)]
		stream := s.build(12, []string{a, a, b, "plain", a})
		opt := Options{CaptureContent: sel&0x80 != 0}
		whole, bytewise, _ := parseBoth(s.api, s.ct, opt, stream)
		sameResult(t, s.name, whole, bytewise)
		rng := rand.New(rand.NewSource(int64(sel)))
		got := feed(s.api, s.ct, opt, randomChunks(rng, stream, 1+rng.Intn(600)), true)
		sameResult(t, s.name+" chunked", got, whole)
	})
}
