package pricing

// Usage is the token usage of one model call, in OpenTelemetry GenAI
// semantics: InputTokens includes cached tokens (read and written), and
// OutputTokens includes reasoning tokens. The cache and reasoning counts are
// subsets, never additions.
//
// A zero count in a subset field (cache, reasoning) means "none reported" and
// is never emitted. InputTokens and OutputTokens are always meaningful unless
// named in Missing: a provider that leaves a total out (an embeddings call has
// no output; some Ollama servers omit the prompt count) must not be recorded
// as having used zero tokens.
type Usage struct {
	InputTokens        int64 // all input tokens, cached ones included
	OutputTokens       int64 // all output tokens, reasoning included
	CacheReadTokens    int64 // input tokens served from the provider's cache
	CacheWriteTokens   int64 // input tokens written to the cache (all TTLs)
	CacheWrite1hTokens int64 // the part of CacheWriteTokens written with a 1-hour TTL (Anthropic)
	ReasoningTokens    int64 // output tokens spent on reasoning

	// Missing names the totals the provider did not report.
	Missing Missing
}

// Missing is a set of Usage totals a provider did not report.
type Missing uint8

// The totals that can be missing from a Usage.
const (
	MissingInput Missing = 1 << iota
	MissingOutput
)

// HasInput reports whether the input total was reported.
func (u Usage) HasInput() bool { return u.Missing&MissingInput == 0 }

// HasOutput reports whether the output total was reported.
func (u Usage) HasOutput() bool { return u.Missing&MissingOutput == 0 }

// UncachedInput is the input that was neither read from nor written to the
// cache, floored at zero so inconsistent provider data never prices negative.
func (u Usage) UncachedInput() int64 {
	return max(0, u.InputTokens-u.CacheReadTokens-u.CacheWriteTokens)
}

// Add returns the sum of u and v. A total missing from either is missing from
// the sum.
func (u Usage) Add(v Usage) Usage {
	return Usage{
		InputTokens:        u.InputTokens + v.InputTokens,
		OutputTokens:       u.OutputTokens + v.OutputTokens,
		CacheReadTokens:    u.CacheReadTokens + v.CacheReadTokens,
		CacheWriteTokens:   u.CacheWriteTokens + v.CacheWriteTokens,
		CacheWrite1hTokens: u.CacheWrite1hTokens + v.CacheWrite1hTokens,
		ReasoningTokens:    u.ReasoningTokens + v.ReasoningTokens,
		Missing:            u.Missing | v.Missing,
	}
}
