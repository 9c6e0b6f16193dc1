package wire

import "github.com/genaix/genaix-go/pricing"

// This file turns each provider's token counts into pricing.Usage, whose
// totals follow OpenTelemetry GenAI semantics: input includes cache reads
// and writes, output includes reasoning. The formulas are those of
// wire-formats §17; each function says which counts its provider already
// folds into its totals, because adding a subset twice is the most common
// cost bug (langfuse #5568, #10592, #12306; posthog #71065).

// opt is a count that may be absent: absent is not zero.
type opt struct {
	n  int64
	ok bool
}

func (o *opt) set(v []byte) {
	if n, ok := count(v); ok {
		*o = opt{n, true}
	}
}

// over replaces o with p when p is present (Anthropic's field-by-field
// overwrite).
func (o *opt) over(p opt) {
	if p.ok {
		*o = p
	}
}

// usageOf builds a Usage, marking absent totals Missing. It reports false
// when neither total is present: such a usage object tells nothing.
func usageOf(in, out opt, u pricing.Usage) (pricing.Usage, bool) {
	u.InputTokens, u.OutputTokens = in.n, out.n
	if !in.ok {
		u.InputTokens = 0
		u.Missing |= pricing.MissingInput
	}
	if !out.ok {
		u.OutputTokens = 0
		u.Missing |= pricing.MissingOutput
	}
	return u, in.ok || out.ok
}

// noUsage is the Usage of a call whose response reported none.
var noUsage = pricing.Usage{Missing: pricing.MissingInput | pricing.MissingOutput}

// openAIUsage holds the counts of an OpenAI-wire usage object, Chat or
// Responses style. prompt_tokens / input_tokens already include cached
// tokens and completion_tokens / output_tokens already include reasoning, so
// nothing is added.
type openAIUsage struct {
	in, out, cacheRead, cacheWrite, reasoning opt
	deepseekHit                               opt
	cost                                      float64
	hasCost                                   bool
}

// parseOpenAIUsage reads a Chat usage object (prompt_tokens…) or a Responses
// one (input_tokens…): the field names do not overlap.
func parseOpenAIUsage(v []byte) (u openAIUsage) {
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "prompt_tokens", "input_tokens":
			u.in.set(o.val)
		case "completion_tokens", "output_tokens":
			u.out.set(o.val)
		case "prompt_tokens_details", "input_tokens_details":
			d := objectOf(o.val)
			for d.next() {
				switch string(d.key) {
				case "cached_tokens":
					u.cacheRead.set(d.val)
				case "cache_write_tokens":
					u.cacheWrite.set(d.val)
				}
			}
		case "completion_tokens_details", "output_tokens_details":
			d := objectOf(o.val)
			for d.next() {
				if string(d.key) == "reasoning_tokens" {
					u.reasoning.set(d.val)
				}
			}
		case "prompt_cache_hit_tokens": // DeepSeek
			u.deepseekHit.set(o.val)
		case "cost": // OpenRouter
			if f, ok := number(o.val); ok {
				u.cost, u.hasCost = f, true
			}
		}
	}
	return u
}

func (u openAIUsage) normalise() (pricing.Usage, bool) {
	read := u.cacheRead
	if !read.ok {
		read = u.deepseekHit
	}
	return usageOf(u.in, u.out, pricing.Usage{
		CacheReadTokens:  read.n,
		CacheWriteTokens: u.cacheWrite.n,
		ReasoningTokens:  u.reasoning.n,
	})
}

// anthropicUsage holds Anthropic's counts. input_tokens excludes cache reads
// and writes, so the semconv input is the sum of all three; output_tokens
// already includes thinking tokens.
type anthropicUsage struct {
	in, cacheRead, cacheCreate, write1h, out, thinking opt
}

func parseAnthropicUsage(v []byte) (u anthropicUsage) {
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "input_tokens":
			u.in.set(o.val)
		case "cache_read_input_tokens":
			u.cacheRead.set(o.val)
		case "cache_creation_input_tokens":
			u.cacheCreate.set(o.val)
		case "cache_creation":
			d := objectOf(o.val)
			for d.next() {
				if string(d.key) == "ephemeral_1h_input_tokens" {
					u.write1h.set(d.val)
				}
			}
		case "output_tokens":
			u.out.set(o.val)
		case "output_tokens_details":
			d := objectOf(o.val)
			for d.next() {
				if string(d.key) == "thinking_tokens" {
					u.thinking.set(d.val)
				}
			}
		}
	}
	return u
}

// merge applies a message_delta usage: cumulative values that overwrite
// the earlier ones field by field, only where present.
func (u *anthropicUsage) merge(d anthropicUsage) {
	u.in.over(d.in)
	u.cacheRead.over(d.cacheRead)
	u.cacheCreate.over(d.cacheCreate)
	u.write1h.over(d.write1h)
	u.out.over(d.out)
	u.thinking.over(d.thinking)
}

func (u anthropicUsage) normalise() (pricing.Usage, bool) {
	in := u.in
	if in.ok {
		in.n += u.cacheRead.n + u.cacheCreate.n
	}
	return usageOf(in, u.out, pricing.Usage{
		CacheReadTokens:    u.cacheRead.n,
		CacheWriteTokens:   u.cacheCreate.n,
		CacheWrite1hTokens: u.write1h.n,
		ReasoningTokens:    u.thinking.n,
	})
}

// geminiUsage holds Gemini's usageMetadata. promptTokenCount includes the
// cached tokens but not toolUsePromptTokenCount; candidatesTokenCount
// excludes thoughtsTokenCount, except on endpoints whose total shows the
// thoughts already inside the candidates (posthog #71065).
type geminiUsage struct {
	prompt, toolUse, cached, candidates, thoughts, total opt
}

func parseGeminiUsage(v []byte) (u geminiUsage) {
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "promptTokenCount":
			u.prompt.set(o.val)
		case "toolUsePromptTokenCount":
			u.toolUse.set(o.val)
		case "cachedContentTokenCount":
			u.cached.set(o.val)
		case "candidatesTokenCount":
			u.candidates.set(o.val)
		case "thoughtsTokenCount":
			u.thoughts.set(o.val)
		case "totalTokenCount":
			u.total.set(o.val)
		}
	}
	return u
}

func (u geminiUsage) normalise() (pricing.Usage, bool) {
	in := u.prompt
	if in.ok {
		in.n += u.toolUse.n
	}
	out := u.candidates
	switch {
	case u.thoughts.n > 0 && u.total.ok && in.ok && out.ok && u.total.n == in.n+out.n:
		// The total shows the thoughts already counted in candidates.
	case u.thoughts.ok:
		out = opt{out.n + u.thoughts.n, true}
	case !out.ok && in.ok && u.total.ok && u.total.n >= in.n:
		// Gemini omits zero counts (proto3 JSON): with a prompt and a
		// total, the output is what the total leaves.
		out = opt{u.total.n - in.n, true}
	}
	return usageOf(in, out, pricing.Usage{
		CacheReadTokens: u.cached.n,
		ReasoningTokens: u.thoughts.n,
	})
}

// ollamaUsage holds Ollama's counts. prompt_eval_count includes the cached
// prompt_eval_cached_count (v0.34), and older servers omit it when the whole
// prompt came from the KV cache: then the input is unknown, not zero.
type ollamaUsage struct {
	prompt, cached, eval opt
}

func (u ollamaUsage) normalise(embed bool) (pricing.Usage, bool) {
	out := u.eval
	if embed {
		out = opt{}
	}
	return usageOf(u.prompt, out, pricing.Usage{CacheReadTokens: u.cached.n})
}

// cohereUsage holds Cohere v2 counts. Semconv asks for billed counts when a
// provider reports both billed and consumed; consumed counts are the fallback.
type cohereUsage struct {
	billedIn, billedOut, in, out, cached opt
}

func parseCohereUsage(v []byte) (u cohereUsage) {
	o := objectOf(v)
	for o.next() {
		switch string(o.key) {
		case "billed_units":
			d := objectOf(o.val)
			for d.next() {
				switch string(d.key) {
				case "input_tokens":
					u.billedIn.set(d.val)
				case "output_tokens":
					u.billedOut.set(d.val)
				}
			}
		case "tokens":
			d := objectOf(o.val)
			for d.next() {
				switch string(d.key) {
				case "input_tokens":
					u.in.set(d.val)
				case "output_tokens":
					u.out.set(d.val)
				}
			}
		case "cached_tokens":
			u.cached.set(o.val)
		}
	}
	return u
}

func (u cohereUsage) normalise() (pricing.Usage, bool) {
	in, out := u.billedIn, u.billedOut
	if !in.ok {
		in = u.in
	}
	if !out.ok {
		out = u.out
	}
	return usageOf(in, out, pricing.Usage{CacheReadTokens: u.cached.n})
}
