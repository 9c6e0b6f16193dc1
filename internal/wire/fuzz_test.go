package wire

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"net/url"
	"reflect"
	"testing"
)

// Seed corpora live in testdata/fuzz/<FuzzName>/ (the fixtures plus
// hand-picked cases); the f.Add calls below add the smallest interesting
// inputs so a target is useful even without them.

var fuzzAPIs = []API{OpenAIChat, OpenAIResponses, OpenAIEmbeddings, OpenAICompletions, AnthropicMessages,
	GeminiGenerate, GeminiEmbed, OllamaChat, OllamaGenerate, OllamaEmbed, CohereChat, Unknown}

var fuzzTypes = []string{"text/event-stream", "application/x-ndjson", "application/json", ""}

// FuzzSSE checks the SSE framer: any chunking yields the same events, and
// no dispatched event exceeds the cap.
func FuzzSSE(f *testing.F) {
	f.Add([]byte("data: a\r\n\r\ndata: b\r"), uint16(7))
	f.Add([]byte("event: x\ndata:1\ndata:2\n\n: c\n\rdata: [DONE]"), uint16(3))
	f.Fuzz(func(t *testing.T, data []byte, sel uint16) {
		max := 16 + int(sel%512)
		want := frameSSE([][]byte{data}, max, true)
		rng := rand.New(rand.NewSource(int64(sel)))
		got := frameSSE(randomChunks(rng, data, 1+int(sel%9)), max, true)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("chunked %q != whole %q", got.events, want.events)
		}
		for _, e := range want.events {
			if len(e) > max+maxEventName+1 {
				t.Fatalf("event of %d bytes over cap %d", len(e), max)
			}
		}
		cut := frameSSE([][]byte{data}, max, false)
		if len(cut.events) > len(want.events) {
			t.Fatalf("a cut stream dispatched more events than a clean one")
		}
	})
}

// fuzzOptions derives parser options from a selector.
func fuzzOptions(sel uint16) (API, string, Options) {
	api := fuzzAPIs[int(sel)%len(fuzzAPIs)]
	ct := fuzzTypes[int(sel>>4)%len(fuzzTypes)]
	opt := Options{CaptureContent: sel&0x100 != 0}
	if sel&0x200 != 0 {
		opt.Status = 500
	}
	if sel&0x400 != 0 {
		opt.MaxEventBytes, opt.MaxBodyBytes = 64, 256
	}
	if sel&0x800 != 0 {
		opt.Request = &Request{Stream: true}
	}
	return api, ct, opt
}

// FuzzResponseParser feeds arbitrary bytes to any API under any framing,
// in random chunks: no panic, the Result does not depend on the chunking,
// Finish is idempotent, the first-content callback runs at most once, and
// the content captured is valid JSON in the semconv shape.
func FuzzResponseParser(f *testing.F) {
	f.Add([]byte("data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":3,\"function\":{\"arguments\":\"{\"}}]}}]}\n\n"), uint16(0x100))
	f.Add([]byte(`{"data":[1],"model":"m","usage":{"prompt_tokens":1}}`), uint16(0x22))
	f.Fuzz(func(t *testing.T, data []byte, sel uint16) {
		api, ct, opt := fuzzOptions(sel)
		calls := 0
		opt.OnFirstContent = func() { calls++ }
		whole := feed(api, ct, opt, [][]byte{data}, true)
		if calls > 1 {
			t.Fatalf("OnFirstContent called %d times", calls)
		}
		rng := rand.New(rand.NewSource(int64(sel) ^ int64(len(data))))
		p := NewResponseParser(api, ct, opt)
		for _, c := range randomChunks(rng, data, 1+rng.Intn(40)) {
			p.Write(c)
			_ = p.Done()
		}
		got := p.Finish(true)
		if !reflect.DeepEqual(got, whole) {
			a, _ := json.Marshal(got)
			b, _ := json.Marshal(whole)
			t.Fatalf("chunked result differs:\n%s\n%s", a, b)
		}
		if again := p.Finish(false); again != got {
			t.Fatal("Finish not idempotent")
		}
		checkResult(t, got)
		_ = feed(api, ct, opt, [][]byte{data}, false) // a cut stream must not panic either
	})
}

func checkResult(t *testing.T, r *Result) {
	t.Helper()
	if !r.HasUsage && r.Usage != noUsage {
		t.Fatalf("usage without HasUsage: %+v", r.Usage)
	}
	if r.HasUsage && r.NoUsageReason != "" || !r.HasUsage && r.NoUsageReason == "" {
		t.Fatalf("HasUsage %v with reason %q", r.HasUsage, r.NoUsageReason)
	}
	u := r.Usage
	if u.InputTokens < 0 || u.OutputTokens < 0 || u.CacheReadTokens < 0 || u.CacheWriteTokens < 0 || u.ReasoningTokens < 0 {
		t.Fatalf("negative usage %+v", u)
	}
	b, err := json.Marshal(r.OutputMessages)
	if err != nil || !json.Valid(b) {
		t.Fatalf("output messages do not marshal: %v", err)
	}
}

// FuzzParseRequest: any body, any API: no panic; a JSON object never fails;
// the content captured marshals to valid JSON.
func FuzzParseRequest(f *testing.F) {
	f.Add([]byte(`{"model":"m","messages":[{"role":"tool","content":[{"type":"text","text":"x"}]}],"stop":"s"}`), uint16(0))
	f.Add([]byte(`{"contents":[{"parts":[{"functionCall":{"name":"f","args":{}}}]}]}`), uint16(5))
	f.Fuzz(func(t *testing.T, data []byte, sel uint16) {
		api := fuzzAPIs[int(sel)%len(fuzzAPIs)]
		r, err := ParseRequest(api, data, sel&0x100 == 0)
		isObj := validJSON(data) && isObject(trimSpace(data))
		switch {
		case api == Unknown:
			if err == nil {
				t.Fatal("unknown API accepted")
			}
			return
		case isObj && err != nil:
			t.Fatalf("object rejected: %v", err)
		case !isObj && err == nil:
			t.Fatal("non-object accepted")
		case err != nil:
			return
		}
		for _, v := range []any{r.InputMessages, r.SystemInstructions, r.ToolDefinitions} {
			b, err := json.Marshal(v)
			if err != nil || !json.Valid(b) {
				t.Fatalf("content does not marshal: %v", err)
			}
		}
	})
}

// FuzzSniff: no panic; a recognised value gives a consistent Result.
func FuzzSniff(f *testing.F) {
	f.Add([]byte(`{"object":"chat.completion","choices":[],"usage":{"prompt_tokens":0,"completion_tokens":0}}`))
	f.Add([]byte(`{"candidates":[{"finishReason":7}],"usageMetadata":{"thoughtsTokenCount":1e30}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, ok := Sniff(data)
		if !ok {
			if r != nil {
				t.Fatal("result without ok")
			}
			return
		}
		if !r.Terminal {
			t.Fatal("a recognised value is a whole response")
		}
		checkResult(t, r)
	})
}

// FuzzDetect: no panic on any request line; a match is complete.
func FuzzDetect(f *testing.F) {
	f.Add("POST", "https://api.openai.com/v1/chat/completions", "application/json")
	f.Add("POST", "http://[::1]:11434/api/chat", "")
	f.Add("POST", "https://x/v1beta/models/m:streamGenerateContent?alt=sse", "application/json; charset=utf-8")
	f.Fuzz(func(t *testing.T, method, rawURL, ct string) {
		u, err := url.Parse(rawURL)
		if err != nil {
			return
		}
		e, ok := Detect(method, u, ct)
		if !ok {
			if e != (Endpoint{}) {
				t.Fatal("endpoint without ok")
			}
			return
		}
		if e.API == Unknown || e.Operation == "" || e.Provider == "" || e.Port < 0 || e.Port > 65535 {
			t.Fatalf("incomplete endpoint %+v", e)
		}
		if again, _ := Detect(method, u, ct); again != e {
			t.Fatal("not deterministic")
		}
	})
}

// FuzzJSONScanner checks the scanner against encoding/json: same validity,
// same strings, and iterators that never loop or panic.
func FuzzJSONScanner(f *testing.F) {
	for _, c := range jsonCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		valid := validJSON(data)
		if valid != json.Valid(data) {
			t.Fatalf("validJSON = %v, encoding/json disagrees", valid)
		}
		if !valid {
			return
		}
		v := trimSpace(data)
		if isString(v) {
			var want string
			if err := json.Unmarshal(v, &want); err != nil {
				t.Fatal(err)
			}
			if got := str(v); got != want {
				t.Fatalf("str = %q, want %q", got, want)
			}
		}
		if isObject(v) {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(v, &m); err != nil {
				t.Fatal(err)
			}
			o := objectOf(v)
			n := 0
			for o.next() {
				n++
				if _, ok := m[string(o.key)]; !ok {
					t.Fatalf("key %q not in encoding/json's map", o.key)
				}
				if !json.Valid(o.val) { // the value's end was found right
					t.Fatalf("value of %q is %q", o.key, o.val)
				}
			}
			if n < len(m) {
				t.Fatalf("%d members, encoding/json has %d distinct", n, len(m))
			}
		}
		if isArray(v) {
			var want []json.RawMessage
			if err := json.Unmarshal(v, &want); err != nil {
				t.Fatal(err)
			}
			a := arrayOf(v)
			n := 0
			for a.next() {
				if n >= len(want) || !bytes.Equal(compactStd(a.val), compactStd(want[n])) {
					t.Fatalf("element %d is %q", n, a.val)
				}
				n++
			}
			if n != len(want) {
				t.Fatalf("%d elements, encoding/json has %d", n, len(want))
			}
		}
		if c := appendCompact(nil, v); !json.Valid(c) || !bytes.Equal(compactStd(v), c) {
			t.Fatalf("compact %q", c)
		}
	})
}

func compactStd(v []byte) []byte {
	var b bytes.Buffer
	_ = json.Compact(&b, v)
	return b.Bytes()
}
