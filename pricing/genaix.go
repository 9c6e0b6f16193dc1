package pricing

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// GenaixSchema is the "schema" value of a genaix price file.
const GenaixSchema = "genaix.prices/v1"

// genaixRates are the rates of a genaix model or tier. Input and Output are
// required: an omitted rate would silently price as zero.
type genaixRates struct {
	Input        *float64 `json:"input"`
	Output       *float64 `json:"output"`
	CacheRead    *float64 `json:"cache_read"`
	CacheWrite   *float64 `json:"cache_write"`
	CacheWrite1h *float64 `json:"cache_write_1h"`
	Reasoning    *float64 `json:"reasoning"`
}

type genaixModel struct {
	genaixRates
	Tiers []genaixTier `json:"tiers"`
}

type genaixTier struct {
	AboveInputTokens *int64 `json:"above_input_tokens"`
	genaixRates
}

// ParseGenaix reads a genaix price file; the package documentation
// describes the format. Unknown fields, missing required fields and invalid
// rates are errors naming the model and the field.
func ParseGenaix(data []byte) (*Catalog, error) {
	return prefixed(parseGenaix(data))
}

func parseGenaix(data []byte) (*Catalog, error) {
	data = trimJSON(data) // a byte order mark is not JSON
	var f struct {
		Schema *string                    `json:"schema"`
		Models map[string]json.RawMessage `json:"models"`
	}
	if err := decodeStrictObject(data, &f); err != nil {
		return nil, fmt.Errorf("genaix: %w", err)
	}
	switch {
	case f.Schema == nil:
		return nil, errors.New(`genaix: field "schema": missing`)
	case *f.Schema != GenaixSchema:
		return nil, fmt.Errorf("genaix: field \"schema\": unsupported %q, want %q", *f.Schema, GenaixSchema)
	case f.Models == nil:
		return nil, errors.New(`genaix: field "models": missing`)
	}
	c := &Catalog{Prices: make(Prices, len(f.Models))}
	for _, name := range slices.Sorted(maps.Keys(f.Models)) {
		p, err := parseGenaixModel(f.Models[name])
		if err == nil && strings.TrimSpace(name) == "" {
			err = errors.New("empty model name")
		}
		if err != nil {
			return nil, fmt.Errorf("genaix model %q: %w", name, err)
		}
		c.Prices[name] = p
	}
	return c, nil
}

func parseGenaixModel(raw json.RawMessage) (Price, error) {
	var m genaixModel
	if err := decodeStrictObject(raw, &m); err != nil {
		return Price{}, err
	}
	p, err := m.price()
	if err != nil {
		return Price{}, err
	}
	seen := map[int64]bool{}
	for i, t := range m.Tiers {
		switch {
		case t.AboveInputTokens == nil:
			return Price{}, fmt.Errorf("tiers[%d]: field \"above_input_tokens\": missing", i)
		case *t.AboveInputTokens < 0:
			return Price{}, fmt.Errorf("tiers[%d]: field \"above_input_tokens\": %d is negative", i, *t.AboveInputTokens)
		case seen[*t.AboveInputTokens]:
			return Price{}, fmt.Errorf("tiers[%d]: field \"above_input_tokens\": duplicate %d", i, *t.AboveInputTokens)
		}
		seen[*t.AboveInputTokens] = true
		tp, err := t.price()
		if err != nil {
			return Price{}, fmt.Errorf("tiers[%d]: %w", i, err)
		}
		p.Tiers = append(p.Tiers, Tier{AboveInputTokens: *t.AboveInputTokens, Price: tp})
	}
	return p, p.Validate() // a safety net: the checks above already cover it
}

func (r genaixRates) price() (Price, error) {
	var p Price
	for _, f := range []struct {
		name     string
		v        *float64
		dst      *float64
		required bool
	}{
		{"input", r.Input, &p.Input, true},
		{"output", r.Output, &p.Output, true},
		{"cache_read", r.CacheRead, &p.CacheRead, false},
		{"cache_write", r.CacheWrite, &p.CacheWrite, false},
		{"cache_write_1h", r.CacheWrite1h, &p.CacheWrite1h, false},
		{"reasoning", r.Reasoning, &p.Reasoning, false},
	} {
		if f.v == nil {
			if f.required {
				return Price{}, fmt.Errorf("field %q: missing", f.name)
			}
			continue
		}
		if err := checkRate(*f.v); err != nil {
			return Price{}, fmt.Errorf("field %q: %w", f.name, err)
		}
		*f.dst = *f.v
	}
	return p, nil
}
