package mockllm

import (
	"strconv"
	"sync"
)

// overheadTokens is the fixed part of every prompt (the provider's hidden
// system prompt and chat template), so counts look realistic and grow across
// turns.
const overheadTokens = 200

// promptTokens is the input token count of a request whose text is text.
func promptTokens(text string) int { return overheadTokens + tokens(text) }

// implicitCache is the automatic prefix-cache hit of a prompt (OpenAI, and
// the same rule for Gemini): the largest multiple of 128 not above
// prompt−1024, when the prompt is longer than 1024 tokens.
func implicitCache(prompt int) int {
	if prompt <= 1024 {
		return 0
	}
	return (prompt - 1024) / 128 * 128
}

// usage is one call's token usage in OpenTelemetry GenAI terms
// (wire-formats.md §17). input includes the cache reads and writes and
// output includes reasoning; each wire format below converts from it, so
// normalising any of them back per §17 gives these numbers.
type usage struct {
	input        int // all input tokens
	cacheRead    int // part of input read from the cache
	cacheWrite   int // part of input written to the cache (all TTLs)
	cacheWrite1h int // part of cacheWrite with a 1-hour TTL
	output       int // all output tokens
	reasoning    int // part of output spent on reasoning
}

// openAIChat is usage on the OpenAI Chat wire: prompt_tokens includes
// cached_tokens, completion_tokens includes reasoning_tokens.
func (u usage) openAIChat() obj {
	return obj{
		{"prompt_tokens", u.input},
		{"completion_tokens", u.output},
		{"total_tokens", u.input + u.output},
		{"prompt_tokens_details", obj{{"cached_tokens", u.cacheRead}, {"audio_tokens", 0}}},
		{"completion_tokens_details", obj{
			{"reasoning_tokens", u.reasoning}, {"audio_tokens", 0},
			{"accepted_prediction_tokens", 0}, {"rejected_prediction_tokens", 0},
		}},
	}
}

// openAILegacy is usage on the legacy Completions wire.
func (u usage) openAILegacy() obj {
	return obj{{"prompt_tokens", u.input}, {"completion_tokens", u.output}, {"total_tokens", u.input + u.output}}
}

// openAIResponses is usage on the Responses wire (totals include the details).
func (u usage) openAIResponses() obj {
	return obj{
		{"input_tokens", u.input},
		{"input_tokens_details", obj{{"cached_tokens", u.cacheRead}}},
		{"output_tokens", u.output},
		{"output_tokens_details", obj{{"reasoning_tokens", u.reasoning}}},
		{"total_tokens", u.input + u.output},
	}
}

// anthropicUsage modes: the provisional usage of message_start, the final
// usage of a message, and the cumulative usage of message_delta.
const (
	anthropicStart = iota
	anthropicFinal
	anthropicDelta
)

// anthropic is usage on the Anthropic wire: input_tokens EXCLUDES cache reads
// and writes, which are reported beside it; thinking_tokens ≤ output_tokens.
func (u usage) anthropic(mode int, thinking bool) obj {
	o := obj{
		{"input_tokens", u.input - u.cacheRead - u.cacheWrite},
		{"cache_creation_input_tokens", u.cacheWrite},
		{"cache_read_input_tokens", u.cacheRead},
	}
	if mode != anthropicDelta {
		o = append(o, field{"cache_creation", obj{
			{"ephemeral_5m_input_tokens", u.cacheWrite - u.cacheWrite1h},
			{"ephemeral_1h_input_tokens", u.cacheWrite1h},
		}})
	}
	if mode == anthropicStart {
		return append(o, field{"output_tokens", 1}, field{"service_tier", "standard"})
	}
	o = append(o, field{"output_tokens", u.output})
	if thinking {
		o = append(o, field{"output_tokens_details", obj{{"thinking_tokens", u.reasoning}}})
	}
	if mode == anthropicFinal {
		o = append(o, field{"service_tier", "standard"})
	}
	return o
}

// gemini is usageMetadata with candidates visible output tokens so far:
// promptTokenCount includes cachedContentTokenCount, thoughtsTokenCount is
// separate from candidatesTokenCount, and the total adds them all.
func (u usage) gemini(candidates int, intEnums bool) obj {
	text := any("TEXT")
	if intEnums {
		text = 1
	}
	o := obj{
		{"promptTokenCount", u.input},
		{"candidatesTokenCount", candidates},
		{"totalTokenCount", u.input + candidates + u.reasoning},
	}
	if u.cacheRead > 0 {
		o = append(o, field{"cachedContentTokenCount", u.cacheRead})
	}
	o = append(o, field{"promptTokensDetails", []any{obj{{"modality", text}, {"tokenCount", u.input}}}})
	if u.cacheRead > 0 {
		o = append(o, field{"cacheTokensDetails", []any{obj{{"modality", text}, {"tokenCount", u.cacheRead}}}})
	}
	if u.reasoning > 0 {
		o = append(o, field{"thoughtsTokenCount", u.reasoning})
	}
	return o
}

// ollama is the usage and timing members of Ollama's final (done) line.
// prompt_eval_count includes prompt_eval_cached_count. Durations are
// nanoseconds, derived from the counts so they stay deterministic.
func (u usage) ollama() obj {
	load, promptDur, evalDur := 5_000_000, u.input*200_000, u.output*10_000_000
	return obj{
		{"total_duration", load + promptDur + evalDur + 1_000_000},
		{"load_duration", load},
		{"prompt_eval_count", u.input},
		{"prompt_eval_cached_count", u.cacheRead},
		{"prompt_eval_duration", promptDur},
		{"eval_count", u.output},
		{"eval_duration", evalDur},
	}
}

// cacheUnit is one block of an Anthropic prompt, in cache order (tools,
// system, messages).
type cacheUnit struct {
	text       string
	breakpoint bool // the block carries cache_control
	ttl1h      bool // with "ttl": "1h"
}

// promptCache simulates Anthropic prompt caching. It remembers (a bounded
// number of) the prompt prefixes that ended at a cache_control breakpoint.
type promptCache struct {
	mu   sync.Mutex
	seen map[uint64]bool
	ring []uint64 // eviction order
	next int
}

func newPromptCache(size int) *promptCache {
	return &promptCache{seen: make(map[uint64]bool, size), ring: make([]uint64, 0, size)}
}

func (pc *promptCache) add(h uint64) {
	if pc.seen[h] {
		return
	}
	if len(pc.ring) < cap(pc.ring) {
		pc.ring = append(pc.ring, h)
	} else {
		delete(pc.seen, pc.ring[pc.next])
		pc.ring[pc.next] = h
		pc.next = (pc.next + 1) % len(pc.ring)
	}
	pc.seen[h] = true
}

// trailerTokens is the part of the overhead that follows the last block
// (the turn template), so it is never cached and input_tokens is never 0.
const trailerTokens = 4

// promptTotal is the input token count of a prompt made of units.
func promptTotal(units []cacheUnit) int {
	n := 0
	for _, u := range units {
		n += len(u.text)
	}
	return overheadTokens + (n+3)/4
}

// usage is the input side of an Anthropic call over units. Up to the last
// breakpoint the prompt is served from the cache: the longest prefix seen
// before at a breakpoint is a cache read, the rest up to the last breakpoint
// is a cache write (and every breakpoint prefix is remembered). Without a
// breakpoint nothing is cached.
func (pc *promptCache) usage(model string, units []cacheUnit) usage {
	u := usage{input: promptTotal(units)}
	last := -1
	cum := make([]int, len(units))       // prompt tokens up to and including unit i
	hashes := make([]uint64, len(units)) // identity of that prefix
	h, chars := hash64(model), 0
	for i, unit := range units {
		chars += len(unit.text)
		cum[i] = overheadTokens - trailerTokens + (chars+3)/4
		h = hash64(strconv.FormatUint(h, 16), unit.text)
		hashes[i] = h
		if unit.breakpoint {
			last = i
		}
	}
	if last < 0 {
		return u
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	for i := last; i >= 0; i-- {
		if pc.seen[hashes[i]] {
			u.cacheRead = cum[i]
			break
		}
	}
	u.cacheWrite = cum[last] - u.cacheRead
	if units[last].ttl1h {
		u.cacheWrite1h = u.cacheWrite
	}
	for i := 0; i <= last; i++ {
		if units[i].breakpoint {
			pc.add(hashes[i])
		}
	}
	return u
}
