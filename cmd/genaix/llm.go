package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// provider is a minimal client for the two wire formats the demo uses. It is
// plain net/http on purpose: genaix's llmhttp transport instruments whatever
// client sends the request, SDK or not.
type provider struct {
	base string
	http *http.Client
}

type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

func (p provider) post(ctx context.Context, path string, body any) (*http.Response, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.base+path, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer demo-key-never-recorded")
	req.Header.Set("x-api-key", "demo-key-never-recorded")
	req.Header.Set("anthropic-version", "2023-06-01")
	resp, err := p.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 400 {
		defer resp.Body.Close()
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, fmt.Errorf("%s: %s: %s", path, resp.Status, msg)
	}
	return resp, nil
}

// embed calls OpenAI embeddings.
func (p provider) embed(ctx context.Context, model, text string) error {
	resp, err := p.post(ctx, "/v1/embeddings", map[string]any{"model": model, "input": text})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// chat calls OpenAI chat completions, streaming with usage when stream is set.
func (p provider) chat(ctx context.Context, model string, msgs []message, stream bool) (string, error) {
	body := map[string]any{"model": model, "messages": msgs}
	if stream {
		body["stream"] = true
		body["stream_options"] = map[string]any{"include_usage": true}
	}
	resp, err := p.post(ctx, "/v1/chat/completions", body)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if !stream {
		var out struct {
			Choices []struct {
				Message message `json:"message"`
			} `json:"choices"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Choices) == 0 {
			return "", fmt.Errorf("chat: bad response: %v", err)
		}
		return out.Choices[0].Message.Content, nil
	}
	var text strings.Builder
	err = sse(resp.Body, func(_, data string) bool {
		if data == "[DONE]" {
			return false
		}
		var chunk struct {
			Choices []struct {
				Delta message `json:"delta"`
			} `json:"choices"`
		}
		if json.Unmarshal([]byte(data), &chunk) == nil && len(chunk.Choices) > 0 {
			text.WriteString(chunk.Choices[0].Delta.Content)
		}
		return true
	})
	return text.String(), err
}

// messages calls Anthropic messages, streaming when stream is set. system is
// sent as a cacheable block, as an app that reuses a long prompt would.
func (p provider) messages(ctx context.Context, model, system string, msgs []message, stream bool) (string, error) {
	body := map[string]any{
		"model": model, "max_tokens": 512, "messages": msgs, "stream": stream,
		"system": []map[string]any{{"type": "text", "text": system, "cache_control": map[string]string{"type": "ephemeral"}}},
	}
	resp, err := p.post(ctx, "/v1/messages", body)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if !stream {
		var out struct {
			Content []struct {
				Text string `json:"text"`
			} `json:"content"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			return "", err
		}
		var text strings.Builder
		for _, c := range out.Content {
			text.WriteString(c.Text)
		}
		return text.String(), nil
	}
	var text strings.Builder
	err = sse(resp.Body, func(event, data string) bool {
		var d struct {
			Delta struct {
				Text string `json:"text"`
			} `json:"delta"`
		}
		if event == "content_block_delta" && json.Unmarshal([]byte(data), &d) == nil {
			text.WriteString(d.Delta.Text)
		}
		return event != "message_stop"
	})
	return text.String(), err
}

// sse calls fn for each server-sent event until fn returns false or the
// stream ends. Lines here are short; a real client should not use a
// line-length-limited reader.
func sse(r io.Reader, fn func(event, data string) bool) error {
	br := bufio.NewReader(r)
	var event, data string
	for {
		line, err := br.ReadString('\n')
		line = strings.TrimRight(line, "\r\n")
		switch {
		case strings.HasPrefix(line, "event:"):
			event = strings.TrimSpace(line[len("event:"):])
		case strings.HasPrefix(line, "data:"):
			data = strings.TrimSpace(line[len("data:"):])
		case line == "" && data != "":
			if !fn(event, data) {
				return nil
			}
			event, data = "", ""
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
