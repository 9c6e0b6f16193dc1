package mockllm_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/genaix/genaix-go/internal/mockllm"
)

// anthropicEvents parses an Anthropic stream: every event named, the name
// equal to data.type. It returns the names (pings dropped) and the data.
func anthropicEvents(t *testing.T, body string) ([]string, []any) {
	t.Helper()
	var names []string
	var data []any
	for _, e := range parseSSE(t, body) {
		d := decode(t, e.data)
		if e.name == "" || str(at(d, "type")) != e.name {
			t.Errorf("event %q with data %s", e.name, e.data)
		}
		if e.name != "ping" {
			names = append(names, e.name)
			data = append(data, d)
		}
	}
	return names, data
}

// squeeze collapses runs of the same name: a b b b c → a b c.
func squeeze(names []string) string {
	var out []string
	for _, n := range names {
		if len(out) == 0 || out[len(out)-1] != n {
			out = append(out, n)
		}
	}
	return strings.Join(out, " ")
}

func anthropicBody(extra, messages string) string {
	return `{"model":"claude-sonnet-4-5","max_tokens":4096` + extra + `,"messages":` + messages + `}`
}

const anthropicHello = `[{"role":"user","content":"What is the capital of France?"}]`

func TestAnthropicMessages(t *testing.T) {
	s := mockllm.New()
	w := post(t, s, "/v1/messages?beta=true", anthropicBody("", anthropicHello))
	v := decode(t, w.Body.String())
	text := str(at(v, "content", 0, "text"))
	if str(at(v, "type")) != "message" || str(at(v, "role")) != "assistant" || str(at(v, "id")) != "msg_mock_000001" ||
		str(at(v, "model")) != "claude-sonnet-4-5-20260115" || str(at(v, "content", 0, "type")) != "text" ||
		!strings.HasPrefix(text, "Mock answer to: What is the capital of France?") ||
		str(at(v, "stop_reason")) != "end_turn" || !has(v, "stop_sequence") || w.Header().Get("request-id") == "" {
		t.Errorf("message: %s", w.Body)
	}
	n := normAnthropic(at(v, "usage"))
	checkNorm(t, n)
	if n.cacheRead != 0 || n.cacheWrite != 0 || n.reasoning != 0 || str(at(v, "usage", "service_tier")) != "standard" {
		t.Errorf("usage %v", at(v, "usage"))
	}

	w = post(t, s, "/v1/messages", anthropicBody(`,"stream":true`, anthropicHello))
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Errorf("Content-Type %q", ct)
	}
	if !strings.Contains(w.Body.String(), "event: ping\n") {
		t.Errorf("no ping event")
	}
	names, data := anthropicEvents(t, w.Body.String())
	want := "message_start content_block_start content_block_delta content_block_stop message_delta message_stop"
	if squeeze(names) != want {
		t.Fatalf("events %s, want %s", squeeze(names), want)
	}
	var got strings.Builder
	for i, d := range data {
		if names[i] == "content_block_delta" {
			if str(at(d, "delta", "type")) != "text_delta" || num(at(d, "index")) != 0 {
				t.Errorf("delta %v", d)
			}
			got.WriteString(str(at(d, "delta", "text")))
		}
	}
	start, delta := data[0], data[len(data)-2]
	if got.String() != text || str(at(start, "message", "id")) != "msg_mock_000002" || len(at(start, "message", "content").([]any)) != 0 ||
		str(at(delta, "delta", "stop_reason")) != "end_turn" {
		t.Errorf("stream text %q, start %v, delta %v", got.String(), start, delta)
	}
	// message_start carries the input side and a provisional output count;
	// message_delta's cumulative usage gives the same totals as the message.
	if sn := normAnthropic(at(start, "message", "usage")); sn.input != n.input || sn.output != 1 {
		t.Errorf("message_start usage %+v", sn)
	}
	if dn := normAnthropic(at(delta, "usage")); dn != n {
		t.Errorf("message_delta usage %+v, want %+v", dn, n)
	}
}

func TestAnthropicThinking(t *testing.T) {
	s := mockllm.New()
	body := anthropicBody(`,"thinking":{"type":"enabled","budget_tokens":1024}`, anthropicHello)
	v := decode(t, post(t, s, "/v1/messages", body).Body.String())
	n := normAnthropic(at(v, "usage"))
	checkNorm(t, n)
	if str(at(v, "content", 0, "type")) != "thinking" || str(at(v, "content", 0, "signature")) == "" ||
		str(at(v, "content", 1, "type")) != "text" || n.reasoning == 0 || n.reasoning > 1024 || n.reasoning >= n.output {
		t.Errorf("thinking reply %v", v)
	}
	names, data := anthropicEvents(t, post(t, s, "/v1/messages", `{"stream":true,`+body[1:]).Body.String())
	want := "message_start content_block_start content_block_delta content_block_stop content_block_start content_block_delta content_block_stop message_delta message_stop"
	if squeeze(names) != want {
		t.Fatalf("events %s", squeeze(names))
	}
	var kinds []string
	for i, d := range data {
		if names[i] == "content_block_delta" {
			kinds = append(kinds, str(at(d, "delta", "type")))
		}
	}
	if s := squeeze(kinds); s != "thinking_delta signature_delta text_delta" {
		t.Errorf("delta types %s", s)
	}
	if dn := normAnthropic(at(data[len(data)-2], "usage")); dn != n {
		t.Errorf("message_delta usage %+v, want %+v", dn, n)
	}
}

func TestAnthropicTools(t *testing.T) {
	s := mockllm.New()
	tools := `,"tools":[{"name":"lookup_order","description":"Find an order","input_schema":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}}]`
	v := decode(t, post(t, s, "/v1/messages", anthropicBody(tools, `[{"role":"user","content":[{"type":"text","text":"Where is A17?"}]}]`)).Body.String())
	block := at(v, "content", 0)
	input, _ := json.Marshal(at(block, "input"))
	if str(at(v, "stop_reason")) != "tool_use" || str(at(block, "type")) != "tool_use" || str(at(block, "name")) != "lookup_order" ||
		!strings.HasPrefix(str(at(block, "id")), "toolu_") || str(at(block, "input", "order_id")) != "Where is A17?" {
		t.Errorf("tool_use reply %v", v)
	}
	names, data := anthropicEvents(t, post(t, s, "/v1/messages", anthropicBody(tools+`,"stream":true`, `[{"role":"user","content":"Where is A17?"}]`)).Body.String())
	var partial strings.Builder
	frags := 0
	for i, d := range data {
		switch names[i] {
		case "content_block_start":
			if str(at(d, "content_block", "type")) != "tool_use" || str(at(d, "content_block", "name")) != "lookup_order" {
				t.Errorf("block start %v", d)
			}
		case "content_block_delta":
			if str(at(d, "delta", "type")) != "input_json_delta" {
				t.Errorf("delta %v", d)
			}
			partial.WriteString(str(at(d, "delta", "partial_json")))
			frags++
		case "message_delta":
			if str(at(d, "delta", "stop_reason")) != "tool_use" {
				t.Errorf("message_delta %v", d)
			}
		}
	}
	if partial.String() != string(input) || frags < 3 {
		t.Errorf("partial_json %q in %d fragments, want %s", partial.String(), frags, input)
	}
	after := `[{"role":"user","content":"Where is A17?"},
		{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"lookup_order","input":{"order_id":"A17"}}]},
		{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"In transit"}]}]}]`
	v = decode(t, post(t, s, "/v1/messages", anthropicBody(tools, after)).Body.String())
	if str(at(v, "stop_reason")) != "end_turn" || !strings.HasPrefix(str(at(v, "content", 0, "text")), "Mock answer from the tool result: In transit") {
		t.Errorf("reply to a tool_result: %v", v)
	}
}

// Anthropic's input_tokens excludes cache reads and writes; the cache is
// written on the first sight of a prefix and read afterwards.
func TestAnthropicPromptCache(t *testing.T) {
	s := mockllm.New()
	system := `,"system":[{"type":"text","text":"` + strings.Repeat("You are a careful assistant. ", 300) + `","cache_control":{"type":"ephemeral"}}]`
	usageOf := func(body string) (any, norm) {
		v := decode(t, post(t, s, "/v1/messages", body).Body.String())
		u := at(v, "usage")
		n := normAnthropic(u)
		checkNorm(t, n)
		return u, n
	}
	body := anthropicBody(system, anthropicHello)
	u1, n1 := usageOf(body)
	u2, n2 := usageOf(body)
	if n1.cacheWrite < 2000 || n1.cacheRead != 0 || num(at(u1, "cache_creation", "ephemeral_5m_input_tokens")) != n1.cacheWrite {
		t.Errorf("first call usage %v, want a cache write", u1)
	}
	if n2.cacheRead != n1.cacheWrite || n2.cacheWrite != 0 || n2.input != n1.input {
		t.Errorf("second call usage %v, want a cache read of %d", u2, n1.cacheWrite)
	}
	if in := num(at(u2, "input_tokens")); in != n2.input-n2.cacheRead || in >= 100 {
		t.Errorf("input_tokens %d includes the cache (total %d)", in, n2.input)
	}

	// The same call on the OpenAI wire: prompt_tokens includes cached_tokens.
	oa := normOpenAIChat(at(decode(t, post(t, s, "/v1/chat/completions", chatBody("gpt-4o", strings.Repeat("You are a careful assistant. ", 300), "")).Body.String()), "usage"))
	if oa.cacheRead == 0 || oa.input < oa.cacheRead+1024 {
		t.Errorf("OpenAI usage %+v, want prompt_tokens including cached_tokens", oa)
	}

	// Next turn with the breakpoint moved to the last message: the old
	// prefix is read, the new part written (1-hour TTL here).
	turn2 := `[{"role":"user","content":"What is the capital of France?"},{"role":"assistant","content":"Paris."},
		{"role":"user","content":[{"type":"text","text":"And of Italy?","cache_control":{"type":"ephemeral","ttl":"1h"}}]}]`
	u3, n3 := usageOf(anthropicBody(system, turn2))
	if n3.cacheRead != n1.cacheWrite || n3.cacheWrite == 0 || num(at(u3, "cache_creation", "ephemeral_1h_input_tokens")) != n3.cacheWrite || n3.input <= n1.input {
		t.Errorf("second turn usage %v", u3)
	}

	// No cache_control, no caching.
	if _, n := usageOf(anthropicBody(strings.ReplaceAll(system, `,"cache_control":{"type":"ephemeral"}`, ""), anthropicHello)); n.cacheRead != 0 || n.cacheWrite != 0 || n.input != n1.input {
		t.Errorf("uncached usage %+v", n)
	}

	// count_tokens reports the same input total.
	w := post(t, s, "/v1/messages/count_tokens", anthropicBody(system, anthropicHello))
	if got := num(at(decode(t, w.Body.String()), "input_tokens")); got != n1.input {
		t.Errorf("count_tokens %d, want %d", got, n1.input)
	}
}
