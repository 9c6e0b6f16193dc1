package wire_test

import (
	"fmt"
	"net/url"

	"github.com/genaix/genaix-go/internal/wire"
)

// The whole model: detect the call from the request line, parse the request
// body, feed the response body as it is read, and take the Result.
func Example() {
	u, _ := url.Parse("https://api.openai.com/v1/chat/completions")
	ep, ok := wire.Detect("POST", u, "application/json")
	if !ok {
		return
	}
	req, _ := wire.ParseRequest(ep.API, []byte(`{"model":"gpt-4.1-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}`), false)

	p := wire.NewResponseParser(ep.API, "text/event-stream", wire.Options{
		Request:        req,
		OnFirstContent: func() { fmt.Println("first content") },
	})
	// The body arrives in arbitrary pieces; here a chunk boundary falls
	// inside a JSON string and inside a line ending.
	for _, chunk := range []string{
		"data: {\"id\":\"chatcmpl-1\",\"model\":\"gpt-4.1-mini-2025-04-14\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n",
		"data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel",
		"lo\"},\"finish_reason\":\"stop\"}]}\r",
		"\n\r\ndata: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"prompt_tokens_details\":{\"cached_tokens\":8}}}\n\ndata: [DONE]\n\n",
	} {
		p.Write([]byte(chunk))
	}
	r := p.Finish(p.Done())
	fmt.Println(ep.Provider, ep.Operation, req.Model, req.Stream)
	fmt.Println(r.ResponseID, r.ResponseModel, r.FinishReasons)
	fmt.Println(r.Usage.InputTokens, r.Usage.CacheReadTokens, r.Usage.OutputTokens)
	// Output:
	// first content
	// openai chat gpt-4.1-mini true
	// chatcmpl-1 gpt-4.1-mini-2025-04-14 [stop]
	// 9 8 2
}

// Sniff reads the JSON encoding of a value an SDK returned.
func ExampleSniff() {
	r, ok := wire.Sniff([]byte(`{"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","usage":{"input_tokens":3,"cache_read_input_tokens":1000,"output_tokens":2}}`))
	fmt.Println(ok, r.ResponseModel, r.FinishReasons, r.Usage.InputTokens, r.Usage.CacheReadTokens)
	// Output: true claude-haiku-4-5 [end_turn] 1003 1000
}
