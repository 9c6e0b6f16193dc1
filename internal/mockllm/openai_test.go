package mockllm_test

import (
	"encoding/base64"
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"github.com/genaix/genaix-go/internal/mockllm"
)

const weatherTool = `,"tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now","parameters":{"type":"object","properties":{"days":{"type":"integer"},"city":{"type":"string"}},"required":["days","city"]}}}]`

// chatStream decodes an OpenAI Chat stream: every event a data-only chunk,
// the last one [DONE]. It returns the chunks.
func chatStream(t *testing.T, body string) []any {
	t.Helper()
	ev := parseSSE(t, body)
	if len(ev) < 2 || ev[len(ev)-1].data != "[DONE]" {
		t.Fatalf("stream does not end with data: [DONE]: %v", ev)
	}
	var chunks []any
	for _, e := range ev[:len(ev)-1] {
		if e.name != "" {
			t.Errorf("event name %q on the OpenAI Chat wire", e.name)
		}
		c := decode(t, e.data)
		if str(at(c, "object")) != "chat.completion.chunk" || !strings.HasPrefix(str(at(c, "id")), "chatcmpl-mock-") {
			t.Errorf("chunk %s", e.data)
		}
		chunks = append(chunks, c)
	}
	return chunks
}

func TestOpenAIChat(t *testing.T) {
	s := mockllm.New()
	body := chatBody("gpt-4o-mini", "What is the capital of France?", "")
	w := post(t, s, "/v1/chat/completions", body)
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	v := decode(t, w.Body.String())
	if str(at(v, "object")) != "chat.completion" || str(at(v, "id")) != "chatcmpl-mock-000001" ||
		str(at(v, "model")) != "gpt-4o-mini-2026-01-15" || num(at(v, "created")) == 0 {
		t.Errorf("envelope: %s", w.Body)
	}
	text := str(at(v, "choices", 0, "message", "content"))
	if !strings.HasPrefix(text, "Mock answer to: What is the capital of France?") ||
		str(at(v, "choices", 0, "message", "role")) != "assistant" || str(at(v, "choices", 0, "finish_reason")) != "stop" {
		t.Errorf("choice: %s", w.Body)
	}
	n := normOpenAIChat(at(v, "usage"))
	checkNorm(t, n)
	if n.input <= 200 || n.cacheRead != 0 || n.reasoning != 0 || num(at(v, "usage", "total_tokens")) != n.input+n.output {
		t.Errorf("usage %+v", n)
	}

	// The stream carries the same text; usage only with include_usage.
	for _, withUsage := range []bool{false, true} {
		extra := `,"stream":true`
		if withUsage {
			extra += `,"stream_options":{"include_usage":true}`
		}
		w := post(t, s, "/v1/chat/completions", chatBody("gpt-4o-mini", "What is the capital of France?", extra))
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
			t.Errorf("Content-Type %q", ct)
		}
		chunks := chatStream(t, w.Body.String())
		if str(at(chunks[0], "choices", 0, "delta", "role")) != "assistant" {
			t.Errorf("first chunk %v", chunks[0])
		}
		var got strings.Builder
		var finish []string
		var usage []any
		for i, c := range chunks {
			if at(c, "choices", 0, "delta") == nil && len(at(c, "choices").([]any)) > 0 {
				t.Errorf("chunk %d without choices[].delta", i)
			}
			got.WriteString(str(at(c, "choices", 0, "delta", "content")))
			if f := str(at(c, "choices", 0, "finish_reason")); f != "" {
				finish = append(finish, f)
			}
			if has(c, "usage") != withUsage {
				t.Errorf("chunk %d: usage member present = %v, include_usage = %v", i, has(c, "usage"), withUsage)
			}
			if u := at(c, "usage"); u != nil {
				usage = append(usage, u)
				if i != len(chunks)-1 || len(at(c, "choices").([]any)) != 0 {
					t.Errorf("usage on chunk %d of %d, choices %v", i, len(chunks), at(c, "choices"))
				}
			}
		}
		if got.String() != text || strings.Join(finish, ",") != "stop" {
			t.Errorf("streamed %q finish %v, want %q stop", got.String(), finish, text)
		}
		if withUsage && (len(usage) != 1 || normOpenAIChat(usage[0]) != n) {
			t.Errorf("stream usage %v, want %+v", usage, n)
		}
		if !withUsage && len(chunks) != len(strings.Fields(text))+2 {
			t.Errorf("%d chunks for %d words: want role chunk, one per word, finish chunk", len(chunks), len(strings.Fields(text)))
		}
	}
}

// prompt_tokens includes cached_tokens; cached is the largest multiple of
// 128 not above prompt−1024; reasoning models report reasoning inside
// completion_tokens; counts grow across turns.
func TestOpenAIUsageRules(t *testing.T) {
	s := mockllm.New()
	long := strings.Repeat("lorem ipsum dolor sit amet ", 400) // ~2700 tokens
	v := decode(t, post(t, s, "/v1/chat/completions", chatBody("gpt-4.1", long, "")).Body.String())
	n := normOpenAIChat(at(v, "usage"))
	checkNorm(t, n)
	if n.input < 2000 || n.cacheRead%128 != 0 || n.cacheRead > n.input-1024 || n.cacheRead+128 <= n.input-1024 {
		t.Errorf("cached %d for prompt %d, want the largest multiple of 128 ≤ prompt−1024", n.cacheRead, n.input)
	}

	for _, model := range []string{"o4-mini", "o3", "gpt-5-mini", "openai/o1"} {
		v := decode(t, post(t, s, "/v1/chat/completions", chatBody(model, "think hard", `,"reasoning_effort":"high"`)).Body.String())
		n := normOpenAIChat(at(v, "usage"))
		checkNorm(t, n)
		if n.reasoning == 0 || n.output <= n.reasoning {
			t.Errorf("%s: usage %+v, want reasoning inside the output", model, n)
		}
	}

	short := normOpenAIChat(at(decode(t, post(t, s, "/v1/chat/completions", chatBody("gpt-4o", "hi", "")).Body.String()), "usage"))
	twoTurns := `{"model":"gpt-4o","messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"Hello! How can I help?"},{"role":"user","content":"Tell me more."}]}`
	longer := normOpenAIChat(at(decode(t, post(t, s, "/v1/chat/completions", twoTurns).Body.String()), "usage"))
	if longer.input <= short.input {
		t.Errorf("prompt tokens do not grow across turns: %d then %d", short.input, longer.input)
	}

	// max_tokens cuts the reply: finish_reason length.
	v = decode(t, post(t, s, "/v1/chat/completions", chatBody("gpt-4o", "hi", `,"max_tokens":5`)).Body.String())
	if str(at(v, "choices", 0, "finish_reason")) != "length" || num(at(v, "usage", "completion_tokens")) > 5 {
		t.Errorf("max_tokens 5: %v", v)
	}
}

func TestOpenAIChatTools(t *testing.T) {
	s := mockllm.New()
	body := chatBody("gpt-4o", "What's the weather in Paris?", weatherTool)
	v := decode(t, post(t, s, "/v1/chat/completions", body).Body.String())
	call := at(v, "choices", 0, "message", "tool_calls", 0)
	args := str(at(call, "function", "arguments"))
	if str(at(v, "choices", 0, "finish_reason")) != "tool_calls" || at(v, "choices", 0, "message", "content") != nil ||
		str(at(call, "type")) != "function" || str(at(call, "function", "name")) != "get_weather" || !strings.HasPrefix(str(at(call, "id")), "call_") ||
		str(at(decode(t, args), "city")) != "What's the weather in Paris?" {
		t.Errorf("tool call reply: %v", v)
	}

	// Streamed: the first fragment has id, type and name; the arguments come
	// in several fragments keyed by index.
	chunks := chatStream(t, post(t, s, "/v1/chat/completions", chatBody("gpt-4o", "What's the weather in Paris?", weatherTool+`,"stream":true`)).Body.String())
	var got strings.Builder
	frags := 0
	for i, c := range chunks {
		tc := at(c, "choices", 0, "delta", "tool_calls", 0)
		if tc == nil {
			continue
		}
		if num(at(tc, "index")) != 0 || (i == 0) != (str(at(tc, "function", "name")) == "get_weather") || (i == 0) != has(tc, "id") {
			t.Errorf("fragment %d: %v", i, tc)
		}
		got.WriteString(str(at(tc, "function", "arguments")))
		frags++
	}
	if got.String() != args || frags < 3 || str(at(chunks[len(chunks)-1], "choices", 0, "finish_reason")) != "tool_calls" {
		t.Errorf("streamed arguments %q in %d fragments, want %q", got.String(), frags, args)
	}

	// After the tool result: a text reply.
	after := `{"model":"gpt-4o","messages":[{"role":"user","content":"Weather in Paris?"},
		{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
		{"role":"tool","tool_call_id":"call_1","content":"Sunny, 21 °C"}]` + weatherTool + `}`
	v = decode(t, post(t, s, "/v1/chat/completions", after).Body.String())
	if str(at(v, "choices", 0, "finish_reason")) != "stop" || !strings.HasPrefix(str(at(v, "choices", 0, "message", "content")), "Mock answer from the tool result: Sunny, 21 °C") {
		t.Errorf("reply to a tool result: %v", v)
	}
}

func TestOpenAIPathsAndModels(t *testing.T) {
	s := mockllm.New()
	for path, model := range map[string]string{
		"/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21": "prod-4o-2026-01-15",
		"/api/v1/chat/completions":           "gpt-4o-mini-2024-07-18", // already dated
		"/chat/completions":                  "gpt-4o-mini-2024-07-18",
		"/v1beta/openai/chat/completions":    "gpt-4o-mini-2024-07-18",
		"/openai/v1/chat/completions?x=true": "gpt-4o-mini-2024-07-18",
	} {
		body := chatBody("gpt-4o-mini-2024-07-18", "hi", "")
		if strings.HasPrefix(path, "/openai/deployments/") {
			body = `{"messages":[{"role":"user","content":"hi"}]}`
		}
		if got := str(at(decode(t, post(t, s, path, body).Body.String()), "model")); got != model {
			t.Errorf("%s: model %q, want %q", path, got, model)
		}
	}
}

func TestOpenAIResponses(t *testing.T) {
	s := mockllm.New()
	body := `{"model":"o4-mini","instructions":"Be brief.","input":[{"role":"user","content":[{"type":"input_text","text":"Name a colour"}]}]}`
	v := decode(t, post(t, s, "/v1/responses", body).Body.String())
	out := at(v, "output").([]any)
	text := str(at(out[len(out)-1], "content", 0, "text"))
	if str(at(v, "object")) != "response" || str(at(v, "id")) != "resp_mock_000001" || str(at(v, "status")) != "completed" ||
		str(at(v, "model")) != "o4-mini-2026-01-15" || str(at(out[0], "type")) != "reasoning" ||
		str(at(out[1], "type")) != "message" || str(at(out[1], "content", 0, "type")) != "output_text" ||
		!strings.HasPrefix(text, "Mock answer to: Name a colour") {
		t.Errorf("response: %v", v)
	}
	n := normResponses(at(v, "usage"))
	checkNorm(t, n)
	if n.reasoning == 0 || num(at(v, "usage", "total_tokens")) != n.input+n.output {
		t.Errorf("usage %+v", n)
	}

	// Stream: event name = data.type, sequence numbers from 0, usage only in
	// response.completed.
	ev := parseSSE(t, post(t, s, "/v1/responses", strings.Replace(body, "{", `{"stream":true,`, 1)).Body.String())
	var names []string
	var delta strings.Builder
	for i, e := range ev {
		d := decode(t, e.data)
		if str(at(d, "type")) != e.name || num(at(d, "sequence_number")) != i || !has(d, "sequence_number") {
			t.Errorf("event %d %s: %s", i, e.name, e.data)
		}
		if e.name == "response.output_text.delta" {
			delta.WriteString(str(at(d, "delta")))
		}
		if at(d, "response", "usage") != nil && e.name != "response.completed" {
			t.Errorf("usage in %s", e.name)
		}
		if len(names) == 0 || names[len(names)-1] != e.name {
			names = append(names, e.name)
		}
	}
	want := "response.created response.in_progress response.output_item.added response.output_item.done " +
		"response.output_item.added response.content_part.added response.output_text.delta response.output_text.done " +
		"response.content_part.done response.output_item.done response.completed"
	if strings.Join(names, " ") != want {
		t.Errorf("events\n%s\nwant\n%s", strings.Join(names, " "), want)
	}
	last := decode(t, ev[len(ev)-1].data)
	if delta.String() != text || normResponses(at(last, "response", "usage")) != n {
		t.Errorf("stream text %q usage %v", delta.String(), at(last, "response", "usage"))
	}

	// max_output_tokens: incomplete.
	v = decode(t, post(t, s, "/v1/responses", `{"model":"gpt-4o","input":"hi","max_output_tokens":3}`).Body.String())
	if str(at(v, "status")) != "incomplete" || str(at(v, "incomplete_details", "reason")) != "max_output_tokens" {
		t.Errorf("max_output_tokens: %v", v)
	}
}

func TestOpenAIResponsesTools(t *testing.T) {
	s := mockllm.New()
	tools := `"tools":[{"type":"web_search"},{"type":"function","name":"lookup_order","parameters":{"type":"object","properties":{"order_id":{"type":"string"}}}}]`
	body := `{"model":"gpt-4.1","input":"Where is order A17?",` + tools + `}`
	v := decode(t, post(t, s, "/v1/responses", body).Body.String())
	item := at(v, "output", 0)
	args := str(at(item, "arguments"))
	if str(at(item, "type")) != "function_call" || str(at(item, "name")) != "lookup_order" || str(at(item, "call_id")) == "" ||
		str(at(decode(t, args), "order_id")) != "Where is order A17?" {
		t.Errorf("function call: %v", v)
	}
	ev := parseSSE(t, post(t, s, "/v1/responses", `{"stream":true,`+body[1:]).Body.String())
	var got strings.Builder
	deltas := 0
	for _, e := range ev {
		d := decode(t, e.data)
		switch e.name {
		case "response.function_call_arguments.delta":
			got.WriteString(str(at(d, "delta")))
			deltas++
		case "response.function_call_arguments.done":
			if str(at(d, "arguments")) != args {
				t.Errorf("arguments.done %v", d)
			}
		}
	}
	if got.String() != args || deltas < 2 || ev[len(ev)-1].name != "response.completed" {
		t.Errorf("streamed arguments %q in %d deltas, want %q", got.String(), deltas, args)
	}
	after := `{"model":"gpt-4.1","input":[{"role":"user","content":"Where is order A17?"},
		{"type":"function_call","call_id":"c1","name":"lookup_order","arguments":"{}"},
		{"type":"function_call_output","call_id":"c1","output":"Shipped yesterday"}],` + tools + `}`
	v = decode(t, post(t, s, "/v1/responses", after).Body.String())
	if !strings.HasPrefix(str(at(v, "output", 0, "content", 0, "text")), "Mock answer from the tool result: Shipped yesterday") {
		t.Errorf("reply to a tool output: %v", v)
	}
}

func TestOpenAIEmbeddings(t *testing.T) {
	s := mockllm.New()
	floats := decode(t, post(t, s, "/v1/embeddings", `{"model":"text-embedding-3-small","input":["the cat sat","a dog ran"]}`).Body.String())
	b64 := decode(t, post(t, s, "/v1/embeddings", `{"model":"text-embedding-3-small","input":["the cat sat","a dog ran"],"encoding_format":"base64"}`).Body.String())
	if str(at(floats, "object")) != "list" || str(at(floats, "model")) != "text-embedding-3-small" || len(at(floats, "data").([]any)) != 2 {
		t.Fatalf("embeddings: %v", floats)
	}
	for i := range 2 {
		item := at(floats, "data", i)
		vec := at(item, "embedding").([]any)
		raw, err := base64.StdEncoding.DecodeString(str(at(b64, "data", i, "embedding")))
		if str(at(item, "object")) != "embedding" || num(at(item, "index")) != i || len(vec) != 32 || err != nil || len(raw) != 4*len(vec) {
			t.Fatalf("item %d: %v (%v)", i, item, err)
		}
		var norm float64
		for j, x := range vec {
			f := math.Float32frombits(binary.LittleEndian.Uint32(raw[4*j:]))
			if f != float32(x.(float64)) {
				t.Errorf("item %d[%d]: base64 %v, float %v", i, j, f, x)
			}
			norm += float64(f) * float64(f)
		}
		if math.Abs(norm-1) > 1e-3 {
			t.Errorf("vector norm² %v, want 1", norm)
		}
	}
	u := at(floats, "usage")
	if num(at(u, "prompt_tokens")) == 0 || num(at(u, "prompt_tokens")) != num(at(u, "total_tokens")) {
		t.Errorf("usage %v", u)
	}
	v := decode(t, post(t, s, "/v1/embeddings", `{"model":"text-embedding-3-large","input":[1,2,3],"dimensions":8}`).Body.String())
	if len(at(v, "data", 0, "embedding").([]any)) != 8 || num(at(v, "usage", "prompt_tokens")) != 3 {
		t.Errorf("dimensions 8 / token input: %v", v)
	}
}

func TestOpenAILegacyCompletions(t *testing.T) {
	s := mockllm.New()
	v := decode(t, post(t, s, "/v1/completions", `{"model":"gpt-3.5-turbo-instruct","prompt":"Say hi"}`).Body.String())
	text := str(at(v, "choices", 0, "text"))
	if str(at(v, "object")) != "text_completion" || !strings.HasPrefix(text, "Mock answer to: Say hi") ||
		str(at(v, "choices", 0, "finish_reason")) != "stop" || num(at(v, "usage", "total_tokens")) == 0 {
		t.Errorf("completion: %v", v)
	}
	ev := parseSSE(t, post(t, s, "/v1/completions", `{"model":"gpt-3.5-turbo-instruct","prompt":"Say hi","stream":true,"stream_options":{"include_usage":true}}`).Body.String())
	var got strings.Builder
	for _, e := range ev[:len(ev)-2] {
		got.WriteString(str(at(decode(t, e.data), "choices", 0, "text")))
	}
	usage := decode(t, ev[len(ev)-2].data)
	if got.String() != text || ev[len(ev)-1].data != "[DONE]" || len(at(usage, "choices").([]any)) != 0 || num(at(usage, "usage", "total_tokens")) == 0 {
		t.Errorf("stream %q, last events %v", got.String(), ev[len(ev)-2:])
	}
}
