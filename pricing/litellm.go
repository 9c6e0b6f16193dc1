package pricing

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// liteLLMFields maps LiteLLM's per-token cost fields to Price rates. The
// same names followed by "_above_<N>k_tokens" are long-context tiers.
var liteLLMFields = []struct {
	name string
	rate func(*Price) *float64
}{
	{"input_cost_per_token", func(p *Price) *float64 { return &p.Input }},
	{"output_cost_per_token", func(p *Price) *float64 { return &p.Output }},
	{"cache_read_input_token_cost", func(p *Price) *float64 { return &p.CacheRead }},
	{"cache_creation_input_token_cost", func(p *Price) *float64 { return &p.CacheWrite }},
	{"cache_creation_input_token_cost_above_1hr", func(p *Price) *float64 { return &p.CacheWrite1h }},
	{"output_cost_per_reasoning_token", func(p *Price) *float64 { return &p.Reasoning }},
}

// ParseLiteLLM reads LiteLLM's model_prices_and_context_window.json: an
// object of model name → entry. Keys are kept as given (they carry prefixes
// such as "azure/gpt-4o"). Costs there are USD per token; they are converted
// to per million tokens and rounded to 12 significant digits, so 2.5e-06
// becomes exactly 2.5. The fields read are
//
//	input_cost_per_token                      → Input
//	output_cost_per_token                     → Output
//	cache_read_input_token_cost               → CacheRead
//	cache_creation_input_token_cost           → CacheWrite
//	cache_creation_input_token_cost_above_1hr → CacheWrite1h
//	output_cost_per_reasoning_token           → Reasoning
//
// and each of them followed by "_above_<N>k_tokens" (N × 1000 tokens), which
// becomes a Tier. As in LiteLLM, a tier applies to the whole call when its
// input is above the threshold, and a rate the tier does not give stays at
// the base (or lower tier) rate.
//
// Values may be JSON numbers or numeric strings; null means absent. The
// "sample_spec" entry and entries with no per-token cost (image, audio or
// per-second pricing) are skipped. Other fields, and service-tier variants
// such as "_priority" and "_flex", are ignored. Any malformed entry is an
// error naming the entry and the field: a file is never half loaded.
func ParseLiteLLM(data []byte) (*Catalog, error) {
	return prefixed(parseLiteLLM(data))
}

func parseLiteLLM(data []byte) (*Catalog, error) {
	data = trimJSON(data) // a byte order mark is not JSON
	top, err := decodeObject(data)
	if err != nil {
		return nil, fmt.Errorf("litellm: %w", err)
	}
	c := &Catalog{Prices: make(Prices, len(top))}
	for _, key := range slices.Sorted(maps.Keys(top)) {
		if key == "sample_spec" {
			continue
		}
		p, ok, err := parseLiteLLMEntry(top[key])
		if err != nil {
			return nil, fmt.Errorf("litellm entry %q: %w", key, err)
		}
		if !ok {
			continue
		}
		if strings.TrimSpace(key) == "" {
			return nil, errors.New("litellm: entry with an empty name")
		}
		c.Prices[key] = p
	}
	return c, nil
}

// parseLiteLLMEntry returns the entry's price, or false if it has no
// per-token cost.
func parseLiteLLMEntry(raw json.RawMessage) (Price, bool, error) {
	fields, err := decodeObject(raw)
	if err != nil {
		return Price{}, false, err
	}
	var base Price
	found := false
	tiers := map[int64]map[int]float64{} // threshold → field index → rate
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		i, above, ok := liteLLMField(name)
		if !ok || isNull(fields[name]) {
			continue
		}
		v, err := liteLLMNumber(fields[name])
		if err != nil {
			return Price{}, false, fmt.Errorf("field %q: %w", name, err)
		}
		found = true
		if above < 0 {
			*liteLLMFields[i].rate(&base) = v
			continue
		}
		if tiers[above] == nil {
			tiers[above] = map[int]float64{}
		}
		tiers[above][i] = v
	}
	if !found {
		return Price{}, false, nil
	}
	// Each tier starts from the rates below it, so a rate it does not give
	// stays what it was, as LiteLLM prices it.
	cur := base
	for _, above := range slices.Sorted(maps.Keys(tiers)) {
		for i, v := range tiers[above] {
			*liteLLMFields[i].rate(&cur) = v
		}
		base.Tiers = append(base.Tiers, Tier{AboveInputTokens: above, Price: cur})
	}
	return base, true, nil
}

// liteLLMField recognises a cost field: the index of its rate in
// liteLLMFields, and its tier threshold in tokens, or -1 for a base rate.
func liteLLMField(name string) (i int, above int64, ok bool) {
	for i, f := range liteLLMFields {
		if name == f.name {
			return i, -1, true
		}
		rest, ok := strings.CutPrefix(name, f.name+"_above_")
		if !ok {
			continue
		}
		// "cache_creation_input_token_cost_above_1hr_above_200k_tokens" is
		// not a tier of cache_creation_input_token_cost: its N is not digits.
		n, ok := strings.CutSuffix(rest, "k_tokens")
		if ok && isDigits(n) && len(n) <= 12 {
			k, _ := strconv.ParseInt(n, 10, 64)
			return i, k * 1000, true
		}
	}
	return 0, 0, false
}

// liteLLMNumber reads a per-token cost, a number or a numeric string, and
// returns it per million tokens.
func liteLLMNumber(raw json.RawMessage) (float64, error) {
	var text string
	switch d := trimJSON(raw); {
	case len(d) > 0 && d[0] == '"':
		if err := json.Unmarshal(d, &text); err != nil {
			return 0, err
		}
		text = strings.TrimSpace(text)
	case len(d) > 0 && (d[0] == '-' || d[0] >= '0' && d[0] <= '9'):
		text = string(d)
	default:
		return 0, fmt.Errorf("want a number or a numeric string, got %.20s", d)
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return 0, fmt.Errorf("not a number: %q", text)
	}
	if err := checkRate(v); err != nil {
		return 0, err
	}
	return perMillion(v)
}

// perMillion converts USD per token to USD per million tokens, rounded to 12
// significant digits to undo binary noise (2.5e-06 × 1e6 = 2.4999999999999996).
func perMillion(v float64) (float64, error) {
	m, err := strconv.ParseFloat(strconv.FormatFloat(v*1e6, 'g', 12, 64), 64)
	if err != nil || math.IsInf(m, 0) {
		return 0, fmt.Errorf("%v per token is out of range", v)
	}
	return m, nil
}
