package wire

import (
	"bytes"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestSplitEveryByte feeds every fixture in two writes, split at every byte
// boundary (so inside every CRLF and every multi-byte UTF-8 character): the
// Result must equal the one from a single write.
func TestSplitEveryByte(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.file, func(t *testing.T) {
			body := fx.body(t)
			opt := fx.options(t, true)
			want := feed(fx.api, fx.contentType(), opt, [][]byte{body}, true)
			for i := 0; i <= len(body); i++ {
				got := feed(fx.api, fx.contentType(), opt, [][]byte{body[:i], body[i:]}, true)
				if !reflect.DeepEqual(got, want) {
					diff(t, fmt.Sprintf("split at %d", i), got, *want)
					return
				}
			}
		})
	}
}

// randomChunks cuts b into pieces of 0 to max bytes.
func randomChunks(rng *rand.Rand, b []byte, max int) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		n := min(rng.Intn(max+1), len(b))
		out = append(out, b[:n])
		b = b[n:]
	}
	return out
}

// TestRandomChunking is a property test with a fixed seed: any chunking of
// any fixture gives the Result of the whole.
func TestRandomChunking(t *testing.T) {
	rng := rand.New(rand.NewSource(20261101))
	iterations := 300
	if testing.Short() {
		iterations = 30
	}
	for _, fx := range fixtures {
		body := fx.body(t)
		opt := fx.options(t, true)
		want := feed(fx.api, fx.contentType(), opt, [][]byte{body}, true)
		for i := range iterations {
			max := []int{1, 2, 3, 7, 16, 64, 512}[i%7]
			chunks := randomChunks(rng, body, max)
			got := feed(fx.api, fx.contentType(), opt, chunks, true)
			if !reflect.DeepEqual(got, want) {
				diff(t, fmt.Sprintf("%s: chunking %d (max %d)", fx.file, i, max), got, *want)
				break
			}
		}
	}
}

// TestWriteDoesNotRetain checks the parser copies what it keeps: the
// caller's buffer is overwritten after every Write.
func TestWriteDoesNotRetain(t *testing.T) {
	for _, fx := range fixtures {
		body := fx.body(t)
		opt := fx.options(t, true)
		want := feed(fx.api, fx.contentType(), opt, [][]byte{body}, true)
		p := NewResponseParser(fx.api, fx.contentType(), opt)
		buf := make([]byte, 13)
		for rest := body; len(rest) > 0; {
			n := copy(buf, rest)
			p.Write(buf[:n])
			for i := range buf {
				buf[i] = 'X'
			}
			rest = rest[n:]
		}
		if got := p.Finish(true); !reflect.DeepEqual(got, want) {
			diff(t, fx.file, got, *want)
		}
	}
}

// recorder is an eventSink that keeps what it is given.
type recorder struct {
	events  []string
	dropped int
}

func (r *recorder) event(name, data []byte) bool {
	r.events = append(r.events, string(name)+"|"+string(data))
	return false
}
func (r *recorder) holes(_, _ []byte) ([]hole, bool) { return nil, false }
func (r *recorder) truncated()                       { r.dropped++ }

func frameSSE(chunks [][]byte, max int, cleanEOF bool) *recorder {
	r := &recorder{}
	f := sseFramer{sink: r, max: max}
	for _, c := range chunks {
		f.write(c)
	}
	f.finish(cleanEOF)
	return r
}

func TestSSEFraming(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"lf", "data: a\n\ndata: b\n\n", []string{"|a", "|b"}},
		{"crlf", "data: a\r\n\r\ndata: b\r\n\r\n", []string{"|a", "|b"}},
		{"lone cr", "data: a\r\rdata: b\r\r", []string{"|a", "|b"}},
		{"mixed endings", "data: a\r\n\ndata: b\n\r\ndata: c\r\r\n", []string{"|a", "|b", "|c"}},
		{"no space", "data:a\n\ndata:  b\n\n", []string{"|a", "| b"}},
		{"multi-line data", "data: {\"a\":\ndata: 1}\n\n", []string{"|{\"a\":\n1}"}},
		{"empty data line", "data\ndata:\ndata: x\n\n", []string{"|\n\nx"}},
		{"event name", "event: message_start\ndata: {}\n\n", []string{"message_start|{}"}},
		{"name resets", "event: a\ndata: 1\n\ndata: 2\n\n", []string{"a|1", "|2"}},
		{"comments", ": OPENROUTER PROCESSING\n\n:\ndata: x\n: mid-event\n\n", []string{"|x"}},
		{"id and retry ignored", "id: 7\nretry: 100\ndata: x\nfoo: bar\n\n", []string{"|x"}},
		{"no data no event", "event: ping\n\nid: 1\n\n", nil},
		{"trailing event on clean EOF", "data: a\n\ndata: b", []string{"|a", "|b"}},
		{"trailing event with line end", "data: a\n\ndata: b\n", []string{"|a", "|b"}},
		{"done", "data: [DONE]\n\n", []string{"|[DONE]"}},
		{"utf-8", "data: é—✓\n\n", []string{"|é—✓"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []byte(tt.in)
			for i := 0; i <= len(in); i++ {
				for j := i; j <= len(in); j++ {
					r := frameSSE([][]byte{in[:i], in[i:j], in[j:]}, 1<<20, true)
					if !reflect.DeepEqual(r.events, tt.want) {
						t.Fatalf("split %d,%d: got %q, want %q", i, j, r.events, tt.want)
					}
				}
			}
		})
	}
}

// TestSSECRThenLF checks that a '\r' ending one write and a '\n' starting
// the next are one line ending, not an extra blank line that would end the
// event early.
func TestSSECRThenLF(t *testing.T) {
	r := frameSSE([][]byte{[]byte("data: a\r"), []byte("\ndata: b\r"), []byte("\n\r"), []byte("\n")}, 1<<20, true)
	if want := []string{"|a\nb"}; !reflect.DeepEqual(r.events, want) {
		t.Fatalf("got %q, want %q", r.events, want)
	}
	// With empty writes in between, the pending '\r' still pairs.
	r = frameSSE([][]byte{[]byte("data: a\r"), nil, {}, []byte("\n\r"), nil, []byte("\n")}, 1<<20, true)
	if want := []string{"|a"}; !reflect.DeepEqual(r.events, want) {
		t.Fatalf("got %q, want %q", r.events, want)
	}
}

func TestSSECutStream(t *testing.T) {
	in := []byte("data: a\n\ndata: b")
	if r := frameSSE([][]byte{in}, 1<<20, false); !reflect.DeepEqual(r.events, []string{"|a"}) {
		t.Fatalf("cut stream flushed a partial event: %q", r.events)
	}
	in = []byte("data: a\n\ndata: b\n")
	if r := frameSSE([][]byte{in}, 1<<20, false); !reflect.DeepEqual(r.events, []string{"|a"}) {
		t.Fatalf("cut stream flushed an unterminated event: %q", r.events)
	}
}

func TestSSECap(t *testing.T) {
	big := strings.Repeat("x", 100)
	in := []byte("data: small\n\ndata: " + big + "\n\ndata: " + big[:40] + "\ndata: " + big[:40] + "\n\ndata: after\n\n")
	for _, chunk := range []int{1, 7, len(in)} {
		var chunks [][]byte
		for b := in; len(b) > 0; b = b[min(chunk, len(b)):] {
			chunks = append(chunks, b[:min(chunk, len(b))])
		}
		r := frameSSE(chunks, 64, true)
		// The 100-byte line and the 81-byte event are over the cap of 64.
		if want := []string{"|small", "|after"}; !reflect.DeepEqual(r.events, want) || r.dropped != 2 {
			t.Fatalf("chunk %d: events %q dropped %d", chunk, r.events, r.dropped)
		}
	}
}

func TestNDJSONFraming(t *testing.T) {
	in := []byte("{\"a\":1}\r\n\n  \n{\"b\":2}\n{\"c\":3}")
	for i := 0; i <= len(in); i++ {
		r := &recorder{}
		f := ndjsonFramer{sink: r, max: 1 << 20}
		f.write(in[:i])
		f.write(in[i:])
		f.finish(true)
		if want := []string{`|{"a":1}`, `|{"b":2}`, `|{"c":3}`}; !reflect.DeepEqual(r.events, want) {
			t.Fatalf("split %d: %q", i, r.events)
		}
	}
	r := &recorder{}
	f := ndjsonFramer{sink: r, max: 1 << 20}
	f.write([]byte("{\"a\":1}\n{\"b\""))
	f.finish(false)
	if want := []string{`|{"a":1}`}; !reflect.DeepEqual(r.events, want) {
		t.Fatalf("cut: %q", r.events)
	}
	r = &recorder{}
	f = ndjsonFramer{sink: r, max: 8}
	f.write([]byte("{\"long\":12345}\n{}\n"))
	f.finish(true)
	if want := []string{`|{}`}; !reflect.DeepEqual(r.events, want) || r.dropped != 1 {
		t.Fatalf("cap: %q %d", r.events, r.dropped)
	}
}

// chatChunk is one OpenAI chat chunk event.
func chatChunk(content string) string {
	return `data: {"id":"chatcmpl-big","object":"chat.completion.chunk","model":"gpt-4.1-mini","choices":[{"index":0,"delta":{"content":` +
		quoteJSON(content) + `},"finish_reason":null}]}` + "\n\n"
}

func quoteJSON(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

const chatUsageTail = `data: {"id":"chatcmpl-big","object":"chat.completion.chunk","model":"gpt-4.1-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}` + "\n\n" +
	`data: {"id":"chatcmpl-big","object":"chat.completion.chunk","model":"gpt-4.1-mini","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":300000,"total_tokens":300009}}` + "\n\n" +
	"data: [DONE]\n\n"

// TestLargeEvent: an event over 1 MiB is parsed under the default cap; over
// a small cap it is dropped (Truncated) and later events are still parsed.
func TestLargeEvent(t *testing.T) {
	huge := strings.Repeat("lorem ipsum ", 150_000) // 1.8 MB in one event
	stream := []byte(chatChunk("start ") + chatChunk(huge) + chatChunk(" end") + chatUsageTail)

	r := feed(OpenAIChat, "text/event-stream", Options{CaptureContent: true}, randomChunks(rand.New(rand.NewSource(1)), stream, 32<<10), true)
	if r.Truncated || !r.HasUsage || r.Usage.OutputTokens != 300000 {
		t.Fatalf("under the cap: %+v", r)
	}
	if got := r.OutputMessages[0].Parts[0].Content; got != "start "+huge+" end" {
		t.Fatalf("text of %d bytes, want %d", len(got), len(huge)+10)
	}

	r = feed(OpenAIChat, "text/event-stream", Options{CaptureContent: true, MaxEventBytes: 1 << 20}, [][]byte{stream}, true)
	if !r.Truncated || !r.HasUsage || r.Usage.OutputTokens != 300000 || !r.Terminal {
		t.Fatalf("over the cap: %+v", r)
	}
	if got := r.OutputMessages[0].Parts[0].Content; got != "start  end" {
		t.Fatalf("text %q", got)
	}
}

// TestLargeResponsesTerminal: the Responses terminal event repeats the whole
// response on one line (MBs with encrypted reasoning or images).
func TestLargeResponsesTerminal(t *testing.T) {
	blob := strings.Repeat("QUJDRA", 300_000) // 1.8 MB of base64
	stream := []byte(`event: response.created
data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_big","status":"in_progress","model":"gpt-5","output":[],"usage":null}}

event: response.output_item.added
data: {"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"id":"fc_1","type":"function_call","arguments":"","call_id":"call_big","name":"render"}}

event: response.function_call_arguments.delta
data: {"type":"response.function_call_arguments.delta","sequence_number":2,"output_index":0,"delta":"{\"w\":1}"}

event: response.output_item.done
data: {"type":"response.output_item.done","sequence_number":3,"output_index":0,"item":{"id":"fc_1","type":"function_call","arguments":"{\"w\":1}","call_id":"call_big","name":"render"}}

event: response.completed
data: {"type":"response.completed","sequence_number":4,"response":{"id":"resp_big","status":"completed","model":"gpt-5-2025-08-07","output":[{"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"` + blob + `"},{"id":"fc_1","type":"function_call","arguments":"{\"w\":1}","call_id":"call_big","name":"render"}],"usage":{"input_tokens":50,"output_tokens":70,"output_tokens_details":{"reasoning_tokens":64},"total_tokens":120}}}

`)
	r := feed(OpenAIResponses, "text/event-stream", Options{}, randomChunks(rand.New(rand.NewSource(2)), stream, 32<<10), true)
	if r.Truncated || !r.HasUsage || r.Usage != usage(50, 70, 0, 0, 0, 64) || r.ResponseModel != "gpt-5-2025-08-07" || !r.Terminal {
		t.Fatalf("under the cap: %+v", r)
	}
	r = feed(OpenAIResponses, "text/event-stream", Options{MaxEventBytes: 1 << 20}, [][]byte{stream}, true)
	if !r.Truncated || r.HasUsage || r.NoUsageReason != NoUsageTruncated || r.Terminal {
		t.Fatalf("over the cap: %+v", r)
	}
	// What the smaller events said survives the lost terminal event.
	if want := []ToolCall{{"call_big", "render", `{"w":1}`}}; !reflect.DeepEqual(r.ToolCalls, want) || r.ResponseModel != "gpt-5" {
		t.Fatalf("over the cap lost the items: %+v", r)
	}
}

// TestCutMidEvent: a stream cut inside an event (Finish(false)) never
// flushes the partial event.
func TestCutMidEvent(t *testing.T) {
	fx := fixtureNamed(t, "anthropic_messages_stream_cache.sse")
	body := fx.body(t)
	cut := bytes.Index(body, []byte(`"output_tokens":187`))
	r := feed(fx.api, fx.contentType(), Options{}, [][]byte{body[:cut]}, false)
	if r.Terminal || len(r.FinishReasons) != 0 || r.Usage.OutputTokens != 2 {
		t.Fatalf("cut stream: %+v", r)
	}
	// Even a complete line is not flushed without its blank line.
	end := bytes.Index(body, []byte("event: message_stop"))
	r = feed(fx.api, fx.contentType(), Options{}, [][]byte{body[:end-1]}, false)
	if r.Usage.OutputTokens != 2 {
		t.Fatalf("flushed an unterminated event after a cut: %+v", r.Usage)
	}
	// A clean EOF flushes it.
	r = feed(fx.api, fx.contentType(), Options{}, [][]byte{body[:end-1]}, true)
	if r.Usage.OutputTokens != 187 || r.Terminal || r.NoUsageReason != "" {
		t.Fatalf("clean EOF: %+v", r)
	}
	// [DONE] without a final blank line: terminal only on a clean EOF.
	in := []byte(chatChunk("hi") + "data: [DONE]")
	if r := feed(OpenAIChat, "text/event-stream", Options{}, [][]byte{in}, false); r.Terminal || r.NoUsageReason != NoUsageIncomplete {
		t.Fatalf("cut [DONE]: %+v", r)
	}
	if r := feed(OpenAIChat, "text/event-stream", Options{}, [][]byte{in}, true); !r.Terminal {
		t.Fatalf("clean [DONE]: %+v", r)
	}
}

func fixtureNamed(t *testing.T, name string) fixture {
	t.Helper()
	for _, fx := range fixtures {
		if fx.file == name {
			return fx
		}
	}
	t.Fatalf("no fixture %s", name)
	return fixture{}
}

// TestMalformedEvent: a bad event sets Malformed and is skipped; the events
// after it still count.
func TestMalformedEvent(t *testing.T) {
	in := []byte(chatChunk("one ") +
		"data: {\"id\":\"chatcmpl-big\",\"choices\":[{\"delta\":{\"content\":\"lost\n\n" +
		"data: {not json}\n\n" +
		"data: \xff\xfe\n\n" +
		chatChunk("two") + chatUsageTail)
	r := feed(OpenAIChat, "text/event-stream", Options{CaptureContent: true}, [][]byte{in}, true)
	if !r.Malformed || !r.HasUsage || !r.Terminal || r.OutputMessages[0].Parts[0].Content != "one two" {
		t.Fatalf("%+v", r)
	}
	if r.NoUsageReason != "" {
		t.Fatalf("NoUsageReason %q with usage", r.NoUsageReason)
	}
	// A malformed body.
	r = feed(OpenAIChat, "application/json", Options{}, [][]byte{[]byte(`{"id":"x","usage":{`)}, true)
	if !r.Malformed || r.HasUsage || r.NoUsageReason != NoUsageMalformed || r.ResponseID != "" {
		t.Fatalf("body: %+v", r)
	}
}

// firstContentAt lists, per stream fixture, a marker in the first
// content-bearing event (§19): not a role-only chunk, not message_start.
var firstContentAt = map[string]string{
	"openai_chat_stream_usage.sse":              "Order A17 shipped",
	"openai_chat_stream_no_usage.sse":           "Hello, warehouse",
	"openai_chat_stream_tools_n2.sse":           `"id":"call_P4r1s`,
	"azure_chat_stream_empty_first.sse":         "Your parcel",
	"groq_chat_stream_x_groq.sse":               "Fast inference",
	"xai_chat_stream_usage_second_to_last.sse":  "Routing",
	"openrouter_chat_stream_comment.sse":        "Summary:",
	"openai_chat_stream_nospace.sse":            "Local models",
	"openai_chat_stream_multiline.sse":          "Two lines",
	"openai_chat_stream_error.sse":              "The inventory",
	"openai_completions_stream.sse":             "Cardboard",
	"openai_responses_stream_function_call.sse": "**Looking up A17**\"",
	"openai_responses_stream_text.sse":          "Dear customer, your order\"",
	"anthropic_messages_stream_cache.sse":       "thinking_delta",
	"anthropic_messages_stream_error.sse":       "The quarterly",
	"gemini_generate_stream.sse":                "**Checking",
	"gemini_generate_stream_error.sse":          "Here is the",
	"ollama_chat_stream.ndjson":                 "Sunlight",
	"ollama_chat_stream_tools.ndjson":           "The user wants",
	"ollama_generate_stream.ndjson":             `{\"rules\":`,
	"ollama_chat_stream_error.ndjson":           "The answer",
	"cohere_chat_stream.sse":                    `"text":"Two orders"`,
}

// TestOnFirstContent feeds each stream byte by byte: the callback runs
// exactly once, during the write that completes the first content-bearing
// event, and never for non-stream bodies.
func TestOnFirstContent(t *testing.T) {
	for _, fx := range fixtures {
		body := fx.body(t)
		marker, stream := firstContentAt[fx.file]
		calls, at := 0, -1
		fed := 0
		opt := fx.options(t, false)
		opt.OnFirstContent = func() { calls++; at = fed }
		p := NewResponseParser(fx.api, fx.contentType(), opt)
		for i := range body {
			fed = i + 1
			p.Write(body[i : i+1])
		}
		p.Finish(true)
		if !stream {
			if calls != 0 && fx.status() < 400 && !strings.HasSuffix(fx.file, ".json") {
				t.Errorf("%s: no marker listed for a stream that has content", fx.file)
			}
			if calls != 0 && strings.HasSuffix(fx.file, ".json") {
				t.Errorf("%s: OnFirstContent called for a non-stream body", fx.file)
			}
			continue
		}
		m := bytes.Index(body, []byte(marker))
		if m < 0 {
			t.Fatalf("%s: marker %q not found", fx.file, marker)
		}
		// The event holding the marker ends at the next blank line (SSE) or
		// line end (NDJSON).
		end := m + bytes.Index(body[m:], []byte("\n"))
		if fx.contentType() == "text/event-stream" {
			rest := body[m:]
			e := bytes.Index(rest, []byte("\n\n"))
			if c := bytes.Index(rest, []byte("\r\n\r\n")); c >= 0 && (e < 0 || c < e) {
				e = c + 1 // the blank line's '\r', at c+2, dispatches
			}
			end = m + e + 1
		}
		if calls != 1 || at != end+1 {
			t.Errorf("%s: %d calls, at byte %d; want 1 call at byte %d", fx.file, calls, at, end+1)
		}
	}
}

// TestMemoryFlat streams 20 MiB through the parser and checks its buffers
// stay near the size of one event.
func TestMemoryFlat(t *testing.T) {
	chunk := []byte(chatChunk("a few words of streamed text "))
	p := NewResponseParser(OpenAIChat, "text/event-stream", Options{})
	var fed int
	buf := bytes.Repeat(chunk, (32<<10)/len(chunk))
	for fed < 20<<20 {
		p.Write(buf)
		fed += len(buf)
	}
	if c := cap(p.sse.line) + cap(p.sse.data); c > 4*len(chunk) {
		t.Fatalf("framer holds %d bytes after %d MiB", c, fed>>20)
	}
	if n := len(p.c.choices[0].blocks); n > 1 {
		t.Fatalf("%d blocks", n)
	}
	p.Write([]byte(chatUsageTail))
	if r := p.Finish(true); !r.HasUsage {
		t.Fatalf("%+v", r)
	}
}

// TestAssemblyBudget caps what a stream can make the parser assemble.
func TestAssemblyBudget(t *testing.T) {
	var b strings.Builder
	for range 100 {
		b.WriteString(chatChunk(strings.Repeat("z", 1000)))
	}
	b.WriteString(chatUsageTail)
	r := feed(OpenAIChat, "text/event-stream", Options{CaptureContent: true, MaxBodyBytes: 10_000}, [][]byte{[]byte(b.String())}, true)
	if !r.Truncated || len(r.OutputMessages[0].Parts[0].Content) != 10_000 || !r.HasUsage {
		t.Fatalf("truncated %v, %d bytes", r.Truncated, len(r.OutputMessages[0].Parts[0].Content))
	}
}

func TestFraming(t *testing.T) {
	chat := []byte(`{"id":"c","model":"m","choices":[{"index":0,"message":{"content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1}}`)
	tests := []struct {
		ct       string
		opt      Options
		unparsed bool
	}{
		{"application/json", Options{}, false},
		{"Application/JSON; charset=utf-8", Options{}, false},
		{"application/vnd.api+json", Options{}, false},
		{"", Options{}, false},
		{"text/html", Options{}, true},
		{"application/octet-stream", Options{}, true},
		{"application/vnd.amazon.eventstream", Options{}, true},
		{"gzip", Options{}, true}, // a compressed body the caller did not decode
	}
	for _, tt := range tests {
		r := feed(OpenAIChat, tt.ct, tt.opt, [][]byte{chat}, true)
		if r.Unparsed != tt.unparsed || (!tt.unparsed && !r.HasUsage) {
			t.Errorf("%q: %+v", tt.ct, r)
		}
		if tt.unparsed && r.NoUsageReason != NoUsageUnparsed {
			t.Errorf("%q: reason %q", tt.ct, r.NoUsageReason)
		}
	}
	// No content type, but the request asked for a stream.
	sse := []byte(chatChunk("x") + chatUsageTail)
	if r := feed(OpenAIChat, "", Options{Request: &Request{Stream: true}}, [][]byte{sse}, true); !r.HasUsage || !r.Terminal {
		t.Errorf("sse without content type: %+v", r)
	}
	// An HTTP error with an HTML body from a proxy.
	if r := feed(OpenAIChat, "text/html", Options{Status: 502}, [][]byte{[]byte("<html>Bad Gateway</html>")}, true); r.ErrorType != "502" {
		t.Errorf("html 502: %+v", r)
	}
	// An HTTP error whose body is over the cap.
	if r := feed(AnthropicMessages, "application/json", Options{Status: 500, MaxBodyBytes: 10}, [][]byte{[]byte(`{"type":"error","error":{"type":"api_error"}}`)}, true); r.ErrorType != "500" || !r.Truncated {
		t.Errorf("big error body: %+v", r)
	}
	// Ollama without a content type streams NDJSON; an Ollama stream
	// mislabelled application/json is still read line by line.
	nd := fixtureNamed(t, "ollama_chat_stream.ndjson")
	for _, ct := range []string{"", "application/json"} {
		if r := feed(OllamaChat, ct, Options{}, [][]byte{nd.body(t)}, true); !r.HasUsage || r.Usage.InputTokens != 26 {
			t.Errorf("ollama %q: %+v", ct, r)
		}
	}
	// A JSON body is parsed even when the reader stopped before EOF.
	if r := feed(OpenAIChat, "application/json", Options{}, [][]byte{chat}, false); !r.HasUsage {
		t.Errorf("json without EOF: %+v", r)
	}
	// Finish is idempotent and later writes are ignored.
	p := NewResponseParser(OpenAIChat, "application/json", Options{})
	p.Write(chat)
	r1 := p.Finish(true)
	p.Write([]byte("garbage"))
	if r2 := p.Finish(false); r1 != r2 || !r2.HasUsage {
		t.Errorf("Finish not idempotent")
	}
	// Unknown API: nothing parsed, no panic.
	if r := feed(API(99), "application/json", Options{}, [][]byte{chat}, true); !r.Unparsed {
		t.Errorf("unknown api: %+v", r)
	}
}

// TestDone reports the terminal event as it is written, before Finish.
func TestDone(t *testing.T) {
	fx := fixtureNamed(t, "openai_chat_stream_usage.sse")
	body := fx.body(t)
	p := NewResponseParser(fx.api, fx.contentType(), Options{})
	done := bytes.Index(body, []byte("data: [DONE]"))
	p.Write(body[:done])
	if p.Done() {
		t.Fatal("Done before [DONE]")
	}
	p.Write(body[done:])
	if !p.Done() {
		t.Fatal("not Done after [DONE]")
	}
}

func TestEmbeddingsNeverBuffered(t *testing.T) {
	// 20 MB of vectors pass under an 8 MiB body cap: only model and usage
	// are kept.
	var b strings.Builder
	b.WriteString(`{"object":"list","data":[`)
	vec := strings.TrimSuffix(strings.Repeat("-0.0123456789,", 1536), ",")
	for i := range 1000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"object":"embedding","index":%d,"embedding":[%s]}`, i, vec)
	}
	b.WriteString(`],"model":"text-embedding-3-large","usage":{"prompt_tokens":12000,"total_tokens":12000}}`)
	body := []byte(b.String())
	if len(body) < 20<<20 {
		t.Fatalf("body only %d bytes", len(body))
	}
	p := NewResponseParser(OpenAIEmbeddings, "application/json", Options{})
	for _, c := range randomChunks(rand.New(rand.NewSource(3)), body, 64<<10) {
		p.Write(c)
	}
	if n := len(p.filter.out); n > 200 {
		t.Fatalf("filter kept %d bytes", n)
	}
	r := p.Finish(true)
	if !r.HasUsage || r.Usage != inputOnly(12000) || r.ResponseModel != "text-embedding-3-large" || r.Truncated {
		t.Fatalf("%+v", r)
	}
}

func TestTopFilter(t *testing.T) {
	tests := []struct{ in, out string }{
		{`{"data":[1,2],"model":"m","usage":{"a":1}}`, `{"model":"m","usage":{"a":1}}`},
		{` { "model" : "m" , "data" : [ "x\"]}" ] } `, `{"model":"m" }`},
		{`{"embedding":{"values":[1]},"n":null,"t":true,"s":"a,}b"}`, `{"n":null,"t":true,"s":"a,}b"}`},
		{`{}`, `{}`},
		{`{"embeddings":[[1]]}`, `{}`},
		{`{"a\"b":1}`, `{"a\"b":1}`},
	}
	for _, tt := range tests {
		in := []byte(tt.in)
		for i := 0; i <= len(in); i++ {
			f := topFilter{max: 1 << 20}
			f.write(in[:i])
			f.write(in[i:])
			out, ok := f.result()
			if !ok || string(out) != tt.out {
				t.Fatalf("%s split %d: %q %v", tt.in, i, out, ok)
			}
		}
	}
	for _, bad := range []string{`[1]`, `{"a":1,}`, `{"a":1} x`, `{"a":1`, `{"a" 1}`, `{a:1}`} {
		f := topFilter{max: 1 << 20}
		f.write([]byte(bad))
		if _, ok := f.result(); ok {
			t.Errorf("%s accepted", bad)
		}
	}
}

// TestHostileBounds: many tool calls, huge ids and huge indexes cannot make
// the parser hold more than its limits.
func TestHostileBounds(t *testing.T) {
	var b strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&b, `data: {"choices":[{"index":%d,"delta":{"tool_calls":[{"index":%d,"id":"c%d","function":{"name":"f","arguments":"{}"}}]}}]}`+"\n\n", i%200, i, i)
	}
	r := feed(OpenAIChat, "text/event-stream", Options{CaptureContent: true}, [][]byte{[]byte(b.String())}, true)
	if !r.Truncated || len(r.ToolCalls) > maxBlocks || len(r.OutputMessages) > maxChoices {
		t.Fatalf("truncated %v, %d tool calls, %d messages", r.Truncated, len(r.ToolCalls), len(r.OutputMessages))
	}
	long := strings.Repeat("i", 5000)
	r = feed(OpenAIChat, "application/json", Options{}, [][]byte{[]byte(`{"id":"` + long + `","model":"m","choices":[{"index":-9223372036854775808,"message":{"tool_calls":[{"id":"` + long + `","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"` + long + `"}]}`)}, true)
	if !r.Truncated || r.ResponseID != "" || r.ToolCalls[0].ID != "" || len(r.FinishReasons) != 0 || r.ResponseModel != "m" {
		t.Fatalf("%+v", r)
	}
}

// TestLinearTime guards against quadratic framing: 8 MiB of lone '\r' line
// endings (each a line end with no '\n' ahead) once took minutes, because
// every line re-searched the rest of the write for '\n'. Linear framing
// takes well under a second; the bound is loose for slow, shared machines.
func TestLinearTime(t *testing.T) {
	in := bytes.Repeat([]byte("\r"), 8<<20)
	start := time.Now()
	p := NewResponseParser(OpenAIChat, "text/event-stream", Options{})
	p.Write(in)
	p.Finish(true)
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("8 MiB of lone CRs took %v", d)
	}
}
