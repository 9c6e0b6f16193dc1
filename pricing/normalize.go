package pricing

import "strings"

// providerAliases maps gen_ai.provider.name values to the prefixes price
// tables qualify their keys with: LiteLLM's first ("azure", "bedrock", ...),
// then genai-prices' provider ids ("aws", "google", "x-ai", ...). The
// provider name itself is always tried last.
var providerAliases = map[string][]string{
	"azure.ai.openai":    {"azure"},
	"azure.ai.inference": {"azure_ai", "azure"},
	"aws.bedrock":        {"bedrock", "bedrock_converse", "aws"},
	"gcp.vertex_ai":      {"vertex_ai", "google"},
	"gcp.gemini":         {"gemini", "google"},
	"gcp.gen_ai":         {"vertex_ai", "gemini", "google"},
	"mistral_ai":         {"mistral"},
	"x_ai":               {"xai", "x-ai"},
	"together":           {"together_ai"},
	"moonshot_ai":        {"moonshot", "moonshotai"},
	"ibm.watsonx.ai":     {"watsonx"},
}

// aliasesOf returns the key prefixes (without the slash) for provider, most
// specific first. It allocates, so it is for the uncached path only.
func aliasesOf(provider string) []string {
	p := strings.ToLower(strings.TrimSpace(provider))
	if p == "" {
		return nil
	}
	return append(append([]string(nil), providerAliases[p]...), p)
}

// hasAliasPrefix reports whether the lower-cased key is qualified with one
// of aliases, as in "azure/gpt-4o".
func hasAliasPrefix(key string, aliases []string) bool {
	for _, a := range aliases {
		if len(key) > len(a) && key[len(a)] == '/' && key[:len(a)] == a {
			return true
		}
	}
	return false
}

// providerPrefixes are the routing prefixes stripped from model names. Each
// is a whole path segment, so stripping one never shortens a model name.
var providerPrefixes = []string{
	"openai/", "azure/", "azure_ai/", "anthropic/",
	"bedrock/", "bedrock_converse/", "converse/", "invoke/",
	"vertex_ai/", "vertex_ai_beta/", "gemini/", "google/", "publishers/", "models/",
	"groq/", "mistral/", "xai/", "x-ai/", "deepseek/", "together_ai/", "together/",
	"cohere/", "cohere_chat/", "ollama/", "ollama_chat/", "fireworks_ai/", "perplexity/",
}

// bedrockRegions are the cross-region inference profile prefixes of Bedrock
// model ids ("us.anthropic.claude-…"). They are stripped only before a known
// vendor, so a model that merely starts with "eu." keeps its name.
var bedrockRegions = []string{"us.", "us-gov.", "eu.", "apac.", "ap.", "global.", "jp.", "au.", "ca."}

// bedrockVendors are the vendor parts of Bedrock model ids
// ("anthropic.claude-…" → "claude-…").
var bedrockVendors = []string{
	"anthropic.", "amazon.", "meta.", "mistral.", "cohere.", "ai21.", "deepseek.",
	"openai.", "qwen.", "writer.", "moonshot.", "moonshotai.", "google.", "nvidia.",
	"minimax.", "zai.", "twelvelabs.", "stability.",
}

// maxNormalize is the longest name that is normalised; longer ones (no real
// model name is) are matched only as they are, which bounds the work junk
// names can cause.
const maxNormalize = 256

// nameForms returns the successive normalisations of a model name or table
// key: first the trimmed, lower-cased name, then one more form for each
// prefix or suffix stripped, in this order: provider prefixes (repeatedly,
// including "openrouter/<vendor>/"), a Bedrock region, a Bedrock vendor,
// then suffixes (repeatedly): a Bedrock "-v1:0" version, a Vertex
// "@YYYYMMDD" or "@latest", "-latest", and a date. Each form is strictly
// shorter than the one before, and only whole segments or genuine
// dates/versions are removed, so "gpt-4o-mini" never becomes "gpt-4o".
func nameForms(name string) []string {
	s := strings.ToLower(strings.TrimSpace(name))
	forms := []string{s}
	if len(s) > maxNormalize {
		return forms
	}
	next := func(rest string) {
		s = rest
		forms = append(forms, s)
	}
	for {
		if rest, ok := strings.CutPrefix(s, "openrouter/"); ok {
			// OpenRouter ids are "<vendor>/<model>", and the vendor may be
			// anything ("meta-llama"), so strip one segment if two remain.
			if i := strings.IndexByte(rest, '/'); i > 0 && i < len(rest)-1 {
				next(rest)
				next(rest[i+1:])
				continue
			}
			break
		}
		if rest, ok := cutAny(s, providerPrefixes); ok {
			next(rest)
			continue
		}
		break
	}
	if rest, ok := cutAny(s, bedrockRegions); ok {
		if _, vendor := cutAny(rest, bedrockVendors); vendor {
			next(rest)
		}
	}
	if rest, ok := cutAny(s, bedrockVendors); ok {
		next(rest)
	}
	for {
		rest, ok := cutSuffix(s)
		if !ok {
			break
		}
		next(rest)
	}
	return forms
}

// cutAny removes the first of prefixes that s starts with, if something is
// left after it.
func cutAny(s string, prefixes []string) (string, bool) {
	for _, p := range prefixes {
		if len(s) > len(p) && strings.HasPrefix(s, p) {
			return s[len(p):], true
		}
	}
	return s, false
}

// cutSuffix removes one version, "latest" or date suffix from s.
func cutSuffix(s string) (string, bool) {
	// Bedrock version "-v1:0". The rest must carry a digit so that a name
	// whose version is part of it ("claude-v2:1") is left alone.
	if i := strings.LastIndex(s, "-v"); i > 0 {
		if major, minor, ok := strings.Cut(s[i+2:], ":"); ok && isDigits(major) && isDigits(minor) &&
			strings.ContainsAny(s[:i], "0123456789") {
			return s[:i], true
		}
	}
	// Vertex "@20250929" and "@latest".
	if i := strings.LastIndexByte(s, '@'); i > 0 {
		if v := s[i+1:]; v == "latest" || len(v) == 8 && isDate(v[:4], v[4:6], v[6:]) {
			return s[:i], true
		}
	}
	if rest, ok := strings.CutSuffix(s, "-latest"); ok && rest != "" {
		return rest, true
	}
	return cutDate(s)
}

// cutDate removes a trailing "-YYYY-MM-DD", "-YYYYMMDD", "-MM-DD" or
// "-MMDD" that is a real calendar date. Something must be left before it.
func cutDate(s string) (string, bool) {
	n := len(s)
	dash := func(i int) bool { return i > 0 && s[i] == '-' }
	if n >= 10 && isDigits(s[n-10:n-6]) && s[n-6] == '-' && s[n-3] == '-' {
		// A "YYYY-MM-DD" shape is a date as a whole or not at all: its
		// "-MM-DD" alone is never stripped.
		if dash(n-11) && isDate(s[n-10:n-6], s[n-5:n-3], s[n-2:]) {
			return s[:n-11], true
		}
		return s, false
	}
	switch {
	case n > 9 && dash(n-9) && isDate(s[n-8:n-4], s[n-4:n-2], s[n-2:]):
		return s[:n-9], true
	case n > 6 && dash(n-6) && s[n-3] == '-' && isDate("", s[n-5:n-3], s[n-2:]):
		return s[:n-6], true
	case n > 5 && dash(n-5) && isDate("", s[n-4:n-2], s[n-2:]):
		return s[:n-5], true
	}
	return s, false
}

// isDate reports whether the digit strings form a calendar date; an empty
// year accepts 29 February. Years outside 2000–2099 are not dates here, so
// "-12345678" is not mistaken for one.
func isDate(year, month, day string) bool {
	if !isDigits(month) || !isDigits(day) || len(month) != 2 || len(day) != 2 {
		return false
	}
	m, d := atoi(month), atoi(day)
	leap := true
	if year != "" {
		if !isDigits(year) || len(year) != 4 {
			return false
		}
		y := atoi(year)
		if y < 2000 || y > 2099 {
			return false
		}
		leap = y%4 == 0 // exact for 2000–2099
	}
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	if m == 2 && leap {
		return d <= 29
	}
	return d <= days[m-1]
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi converts a short string of ASCII digits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
