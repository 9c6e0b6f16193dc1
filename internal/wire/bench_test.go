package wire

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// chatStream builds an OpenAI chat stream of about size bytes: realistic
// chunks with obfuscation padding, then the usage chunk and [DONE].
func chatStream(size int) []byte {
	var b bytes.Buffer
	words := []string{"The", " parcel", " left", " Rotterdam", " at", " 06:40", " and", " is", " on", " schedule", "."}
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, `data: {"id":"chatcmpl-C1d2e3F4g5H6i7J8k9L0mN1o","object":"chat.completion.chunk","created":1767225601,"model":"gpt-4.1-mini-2025-04-14","service_tier":"default","system_fingerprint":"fp_6f2eabb9a5","choices":[{"index":0,"delta":{"content":%q},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"x3Qp"}`+"\n\n", words[i%len(words)])
	}
	b.WriteString(chatUsageTail)
	return b.Bytes()
}

// BenchmarkSSEThroughput parses a long chat stream fed in 32 KiB writes,
// as an HTTP body arrives. B/op stays flat from 5 MiB to 50 MiB: the parser
// holds one event at a time and allocates nothing per event.
func BenchmarkSSEThroughput(b *testing.B) {
	for _, mib := range []int{5, 50} {
		stream := chatStream(mib << 20)
		for _, capture := range []bool{false, true} {
			b.Run(fmt.Sprintf("%dMiB/capture=%v", mib, capture), func(b *testing.B) {
				b.SetBytes(int64(len(stream)))
				b.ReportAllocs()
				for b.Loop() {
					p := NewResponseParser(OpenAIChat, "text/event-stream", Options{CaptureContent: capture})
					for rest := stream; len(rest) > 0; {
						n := min(32<<10, len(rest))
						p.Write(rest[:n])
						rest = rest[n:]
					}
					if r := p.Finish(true); !r.HasUsage {
						b.Fatal("no usage")
					}
				}
			})
		}
	}
}

func BenchmarkParseRequest(b *testing.B) {
	for _, name := range []string{"openai_chat_stream_request.json", "anthropic_messages_request.json", "gemini_generate_request.json"} {
		body := fixture{file: name}.body(b)
		api := guessAPI(name)
		for _, capture := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/capture=%v", strings.TrimSuffix(name, "_request.json"), capture), func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := ParseRequest(api, body, capture); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func BenchmarkJSONResponse(b *testing.B) {
	var emb strings.Builder
	emb.WriteString(`{"object":"list","data":[`)
	vec := strings.TrimSuffix(strings.Repeat("-0.0123456789,", 1536), ",")
	for i := range 100 {
		if i > 0 {
			emb.WriteByte(',')
		}
		fmt.Fprintf(&emb, `{"object":"embedding","index":%d,"embedding":[%s]}`, i, vec)
	}
	emb.WriteString(`],"model":"text-embedding-3-large","usage":{"prompt_tokens":1200,"total_tokens":1200}}`)
	cases := []struct {
		name string
		api  API
		body []byte
	}{
		{"openai_chat", OpenAIChat, fixture{file: "openai_chat_response.json"}.body(b)},
		{"openai_responses", OpenAIResponses, fixture{file: "openai_responses_response.json"}.body(b)},
		{"anthropic", AnthropicMessages, fixture{file: "anthropic_messages_response.json"}.body(b)},
		{"gemini", GeminiGenerate, fixture{file: "gemini_generate_response.json"}.body(b)},
		{"embeddings_2MB", OpenAIEmbeddings, []byte(emb.String())},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				p := NewResponseParser(c.api, "application/json", Options{})
				for rest := c.body; len(rest) > 0; {
					n := min(32<<10, len(rest))
					p.Write(rest[:n])
					rest = rest[n:]
				}
				if r := p.Finish(true); !r.HasUsage {
					b.Fatal("no usage")
				}
			}
		})
	}
}
