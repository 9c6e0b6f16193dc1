package pricing

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
)

// genAIPricesKeys lists, for each Price rate, the genai-prices price keys
// that give it, most specific first: a text-only key beats the generic one,
// and a 5-minute cache write beats the generic cache write.
var genAIPricesKeys = []struct {
	keys []string
	rate func(*Price) *float64
}{
	{[]string{"input_text_mtok", "input_mtok"}, func(p *Price) *float64 { return &p.Input }},
	{[]string{"output_text_mtok", "output_mtok"}, func(p *Price) *float64 { return &p.Output }},
	{[]string{"cache_text_read_mtok", "cache_read_mtok"}, func(p *Price) *float64 { return &p.CacheRead }},
	{[]string{"cache_text_write_5m_mtok", "cache_write_5m_mtok", "cache_text_write_mtok", "cache_write_mtok"}, func(p *Price) *float64 { return &p.CacheWrite }},
	{[]string{"cache_text_write_1h_mtok", "cache_write_1h_mtok"}, func(p *Price) *float64 { return &p.CacheWrite1h }},
	{[]string{"output_text_reasoning_mtok", "output_reasoning_mtok"}, func(p *Price) *float64 { return &p.Reasoning }},
}

// maxMatchDepth bounds the nesting of "or"/"and" clauses.
const maxMatchDepth = 32

// ParseGenAIPrices reads the data.json of pydantic's genai-prices: a list
// of providers, each with an "id" and "models", each model with an "id", a
// "match" clause and "prices" in USD per million tokens. Each priced model
// yields an exact entry under "<provider id>/<model id>" and, unless an
// earlier model took it, under its bare id; and a Rule keyed
// "<provider id>/<model id>" from its match clause. Rules keep the file's
// order, the first match winning as in genai-prices.
//
// Match clauses "equals", "starts_with", "ends_with" and "contains" compare
// case-insensitively; "regex" is searched in the lower-cased name with Go's
// RE2 syntax (a pattern RE2 cannot compile is an error); "or" and "and"
// combine clauses and must not be empty.
//
// The text-token price keys are read: input_mtok, output_mtok,
// cache_read_mtok, cache_write_mtok (or cache_write_5m_mtok),
// cache_write_1h_mtok and output_reasoning_mtok, and their "_text_"
// variants, which win over the generic key. Other units (audio, image,
// requests, web searches, …) are validated but not priced: Usage does not
// count them. Models with no text-token price are skipped.
//
// A price may be tiered, {"base": x, "tiers": [{"start": n, "price": y}]}.
// genai-prices applies such a tier to every token of its kind once the
// call's total input tokens exceed start, which is this package's Tier
// semantics; rates of different kinds may use different thresholds, and are
// combined into one Tier per threshold. (Old genai-prices releases priced
// tiers marginally, only the tokens above start at the tier rate; files
// meant for those are priced here with the threshold semantics.)
//
// "prices" may instead be a list of conditional prices. As in genai-prices,
// the last one whose constraint holds at at is used, else the first:
// {"start_date": "2025-06-10"} holds from that date (UTC) on, and
// {"start_time": "00:30:00Z", "end_time": "16:30:00Z"} holds during that
// daily window (a window may wrap past midnight). The choice is made once,
// at parse time: reload the file to follow time-of-day prices.
//
// Unknown fields are ignored, as the format grows; malformed values are
// errors naming the provider, the model and the field.
func ParseGenAIPrices(data []byte, at time.Time) (*Catalog, error) {
	return prefixed(parseGenAIPrices(data, at))
}

type genAIModel struct {
	provider, id string
	price        Price
	match        func(string) bool
}

func parseGenAIPrices(data []byte, at time.Time) (*Catalog, error) {
	c, err := parseGenAIProviders(trimJSON(data), at) // trimmed: a byte order mark is not JSON
	if err != nil {
		return nil, fmt.Errorf("genai-prices %w", err)
	}
	return c, nil
}

func parseGenAIProviders(data []byte, at time.Time) (*Catalog, error) {
	providers, err := decodeArray(data)
	if err != nil {
		return nil, fmt.Errorf("file: %w", err)
	}
	var models []genAIModel
	for i, raw := range providers {
		var p struct {
			ID     string            `json:"id"`
			Models []json.RawMessage `json:"models"`
		}
		if err := decodeInto(raw, &p); err != nil {
			return nil, fmt.Errorf("provider %d: %w", i, err)
		}
		if strings.TrimSpace(p.ID) == "" {
			return nil, fmt.Errorf("provider %d: field \"id\": missing", i)
		}
		for j, raw := range p.Models {
			m, ok, err := parseGenAIModel(raw, at)
			if err != nil {
				if m.id == "" {
					return nil, fmt.Errorf("provider %q model %d: %w", p.ID, j, err)
				}
				return nil, fmt.Errorf("provider %q model %q: %w", p.ID, m.id, err)
			}
			if ok {
				m.provider = p.ID
				models = append(models, m)
			}
		}
	}
	c := &Catalog{Prices: make(Prices, 2*len(models))}
	// Qualified keys first, so a bare id that looks qualified (OpenRouter's
	// "openai/gpt-4o") never shadows the provider's own entry.
	for _, m := range models {
		if k := m.provider + "/" + m.id; !hasKey(c.Prices, k) {
			c.Prices[k] = m.price
		}
	}
	for _, m := range models {
		if !hasKey(c.Prices, m.id) {
			c.Prices[m.id] = m.price
		}
		c.Rules = append(c.Rules, Rule{Key: m.provider + "/" + m.id, Match: m.match, Price: m.price})
	}
	return c, nil
}

func hasKey(p Prices, k string) bool {
	_, ok := p[k]
	return ok
}

// decodeInto decodes a JSON object into v, refusing other JSON values.
func decodeInto(raw json.RawMessage, v any) error {
	if d := trimJSON(raw); len(d) == 0 || d[0] != '{' {
		return errors.New("want a JSON object")
	}
	return json.Unmarshal(raw, v)
}

// parseGenAIModel returns the model (its id even on error) and whether it
// has a text-token price.
func parseGenAIModel(raw json.RawMessage, at time.Time) (genAIModel, bool, error) {
	var m struct {
		ID     string          `json:"id"`
		Match  json.RawMessage `json:"match"`
		Prices json.RawMessage `json:"prices"`
	}
	if err := decodeInto(raw, &m); err != nil {
		return genAIModel{}, false, err
	}
	g := genAIModel{id: m.ID}
	if strings.TrimSpace(m.ID) == "" {
		return g, false, errors.New("field \"id\": missing")
	}
	if isNull(m.Match) {
		return g, false, errors.New("field \"match\": missing")
	}
	match, err := parseGenAIMatch(m.Match, 0)
	if err != nil {
		return g, false, fmt.Errorf("field \"match\": %w", err)
	}
	g.match = match
	price, ok, err := parseGenAIModelPrices(m.Prices, at)
	if err != nil {
		return g, false, fmt.Errorf("field \"prices\": %w", err)
	}
	g.price = price
	return g, ok, nil
}

// parseGenAIMatch compiles a match clause into a function of the
// lower-cased model name.
func parseGenAIMatch(raw json.RawMessage, depth int) (func(string) bool, error) {
	if depth > maxMatchDepth {
		return nil, errors.New("clauses nested too deeply")
	}
	obj, err := decodeObject(raw)
	if err != nil {
		return nil, err
	}
	if len(obj) != 1 {
		return nil, fmt.Errorf("want exactly one clause, got %d", len(obj))
	}
	var op string
	var v json.RawMessage
	for op, v = range obj { // its only member
	}
	switch op {
	case "equals", "starts_with", "ends_with", "contains", "regex":
		var s string
		if err := json.Unmarshal(v, &s); err != nil || isNull(v) {
			return nil, fmt.Errorf("%q: want a string", op)
		}
		return stringClause(op, s)
	case "or", "and":
		var list []json.RawMessage
		if err := json.Unmarshal(v, &list); err != nil || len(list) == 0 {
			return nil, fmt.Errorf("%q: want a non-empty list of clauses", op)
		}
		clauses := make([]func(string) bool, len(list))
		for i, c := range list {
			if clauses[i], err = parseGenAIMatch(c, depth+1); err != nil {
				return nil, fmt.Errorf("%s[%d]: %w", op, i, err)
			}
		}
		// "or" stops at the first true clause, "and" at the first false.
		or := op == "or"
		return func(m string) bool {
			for _, c := range clauses {
				if c(m) == or {
					return or
				}
			}
			return !or
		}, nil
	}
	return nil, fmt.Errorf("unknown clause %q", op)
}

func stringClause(op, s string) (func(string) bool, error) {
	if op == "regex" {
		re, err := regexp.Compile(s)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", op, err)
		}
		return re.MatchString, nil
	}
	s = strings.ToLower(s)
	switch op {
	case "equals":
		return func(m string) bool { return m == s }, nil
	case "starts_with":
		return func(m string) bool { return strings.HasPrefix(m, s) }, nil
	case "ends_with":
		return func(m string) bool { return strings.HasSuffix(m, s) }, nil
	}
	return func(m string) bool { return strings.Contains(m, s) }, nil
}

// parseGenAIModelPrices reads a model's "prices": one price object, or a list
// of conditional prices of which the one in effect at at is returned. Every
// element is validated, used or not.
func parseGenAIModelPrices(raw json.RawMessage, at time.Time) (Price, bool, error) {
	d := trimJSON(raw)
	if len(d) == 0 || d[0] != '[' {
		return parseGenAIPrice(raw)
	}
	list, err := decodeArray(raw)
	if err != nil {
		return Price{}, false, err
	}
	if len(list) == 0 {
		return Price{}, false, errors.New("empty list")
	}
	type cond struct {
		price  Price
		ok     bool
		active bool
	}
	conds := make([]cond, len(list))
	for i, raw := range list {
		var c struct {
			Constraint json.RawMessage `json:"constraint"`
			Prices     json.RawMessage `json:"prices"`
		}
		if err := decodeStrictObject(raw, &c); err != nil {
			return Price{}, false, fmt.Errorf("[%d]: %w", i, err)
		}
		if isNull(c.Prices) {
			return Price{}, false, fmt.Errorf("[%d]: field \"prices\": missing", i)
		}
		p, ok, err := parseGenAIPrice(c.Prices)
		if err != nil {
			return Price{}, false, fmt.Errorf("[%d]: field \"prices\": %w", i, err)
		}
		active, err := genAIConstraintActive(c.Constraint, at)
		if err != nil {
			return Price{}, false, fmt.Errorf("[%d]: field \"constraint\": %w", i, err)
		}
		conds[i] = cond{p, ok, active}
	}
	// The last one in effect wins; if none is, the first.
	for i := len(conds) - 1; i >= 0; i-- {
		if conds[i].active {
			return conds[i].price, conds[i].ok, nil
		}
	}
	return conds[0].price, conds[0].ok, nil
}

func decodeStrictObject(raw json.RawMessage, v any) error {
	if d := trimJSON(raw); len(d) == 0 || d[0] != '{' {
		return errors.New("want a JSON object")
	}
	return decodeStrict(raw, v)
}

// genAIConstraintActive reports whether a conditional price's constraint
// holds at at; no constraint always holds.
func genAIConstraintActive(raw json.RawMessage, at time.Time) (bool, error) {
	if isNull(raw) {
		return true, nil
	}
	var c struct {
		StartDate *string `json:"start_date"`
		StartTime *string `json:"start_time"`
		EndTime   *string `json:"end_time"`
	}
	if err := decodeStrictObject(raw, &c); err != nil {
		return false, err
	}
	switch {
	case c.StartDate != nil && c.StartTime == nil && c.EndTime == nil:
		d, err := time.Parse(time.DateOnly, *c.StartDate)
		if err != nil {
			return false, fmt.Errorf("\"start_date\": %w", err)
		}
		y, m, day := at.UTC().Date()
		return !time.Date(y, m, day, 0, 0, 0, 0, time.UTC).Before(d), nil
	case c.StartDate == nil && c.StartTime != nil && c.EndTime != nil:
		start, err := secondsOfDay(*c.StartTime, at)
		if err != nil {
			return false, fmt.Errorf("\"start_time\": %w", err)
		}
		end, err := secondsOfDay(*c.EndTime, at)
		if err != nil {
			return false, fmt.Errorf("\"end_time\": %w", err)
		}
		// Each bound is compared with at in the bound's own zone.
		if start.bound <= end.bound {
			return start.now >= start.bound && end.now < end.bound, nil
		}
		return start.now >= start.bound || end.now < end.bound, nil
	}
	return false, errors.New("want {\"start_date\"} or {\"start_time\", \"end_time\"}")
}

type dayTime struct{ bound, now int }

// secondsOfDay parses a time of day such as "16:30:00Z" and returns it, and
// at in the same zone (UTC if none is given), as seconds since midnight.
func secondsOfDay(s string, at time.Time) (dayTime, error) {
	for _, layout := range []string{"15:04:05Z07:00", "15:04:05.999999999Z07:00", "15:04Z07:00", "15:04:05", "15:04:05.999999999", "15:04"} {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		a := at.In(t.Location())
		return dayTime{
			bound: t.Hour()*3600 + t.Minute()*60 + t.Second(),
			now:   a.Hour()*3600 + a.Minute()*60 + a.Second(),
		}, nil
	}
	return dayTime{}, fmt.Errorf("not a time of day: %q", s)
}

// genAIValue is one price key's value: a rate, possibly tiered.
type genAIValue struct {
	base  float64
	tiers []genAITier
}

type genAITier struct {
	start int64
	price float64
}

// parseGenAIPrice reads one price object. It reports false if no text-token
// rate is given.
func parseGenAIPrice(raw json.RawMessage) (Price, bool, error) {
	obj, err := decodeObject(raw)
	if err != nil {
		return Price{}, false, err
	}
	values := make(map[string]genAIValue, len(obj))
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		if isNull(obj[k]) {
			continue
		}
		v, err := parseGenAIValue(obj[k])
		if err != nil {
			return Price{}, false, fmt.Errorf("field %q: %w", k, err)
		}
		values[k] = v
	}
	// The chosen value of each rate, and every threshold any of them uses.
	var chosen [6]*genAIValue
	var starts []int64
	for i, f := range genAIPricesKeys {
		for _, k := range f.keys {
			if v, ok := values[k]; ok {
				chosen[i] = &v
				for _, t := range v.tiers {
					starts = append(starts, t.start)
				}
				break
			}
		}
	}
	if chosen == [6]*genAIValue{} {
		return Price{}, false, nil
	}
	slices.Sort(starts)
	starts = slices.Compact(starts)
	// rateAt returns the rate of value i for a call above threshold (-1:
	// the base rate).
	rateAt := func(i int, above int64) float64 {
		v := chosen[i]
		rate := v.base
		best := int64(-1)
		for _, t := range v.tiers {
			if t.start <= above && t.start > best {
				rate, best = t.price, t.start
			}
		}
		return rate
	}
	var p Price
	for i, f := range genAIPricesKeys {
		if chosen[i] != nil {
			*f.rate(&p) = rateAt(i, -1)
		}
	}
	for _, s := range starts {
		t := Tier{AboveInputTokens: s}
		for i, f := range genAIPricesKeys {
			if chosen[i] != nil {
				*f.rate(&t.Price) = rateAt(i, s)
			}
		}
		p.Tiers = append(p.Tiers, t)
	}
	return p, true, nil
}

// parseGenAIValue reads a number or {"base": x, "tiers": [{"start": n,
// "price": y}]}.
func parseGenAIValue(raw json.RawMessage) (genAIValue, error) {
	d := trimJSON(raw)
	if len(d) > 0 && d[0] == '{' {
		var t struct {
			Base  *float64 `json:"base"`
			Tiers *[]struct {
				Start *int64   `json:"start"`
				Price *float64 `json:"price"`
			} `json:"tiers"`
		}
		if err := decodeStrict(d, &t); err != nil {
			return genAIValue{}, err
		}
		if t.Base == nil {
			return genAIValue{}, errors.New("\"base\": missing")
		}
		if t.Tiers == nil {
			return genAIValue{}, errors.New("\"tiers\": missing")
		}
		if err := checkRate(*t.Base); err != nil {
			return genAIValue{}, fmt.Errorf("\"base\": %w", err)
		}
		v := genAIValue{base: *t.Base}
		seen := map[int64]bool{}
		for i, tier := range *t.Tiers {
			switch {
			case tier.Start == nil:
				return genAIValue{}, fmt.Errorf("tiers[%d]: \"start\": missing", i)
			case *tier.Start < 0:
				return genAIValue{}, fmt.Errorf("tiers[%d]: \"start\": %d is negative", i, *tier.Start)
			case seen[*tier.Start]:
				return genAIValue{}, fmt.Errorf("tiers[%d]: \"start\": duplicate %d", i, *tier.Start)
			case tier.Price == nil:
				return genAIValue{}, fmt.Errorf("tiers[%d]: \"price\": missing", i)
			}
			if err := checkRate(*tier.Price); err != nil {
				return genAIValue{}, fmt.Errorf("tiers[%d]: \"price\": %w", i, err)
			}
			seen[*tier.Start] = true
			v.tiers = append(v.tiers, genAITier{*tier.Start, *tier.Price})
		}
		return v, nil
	}
	if len(d) == 0 || !(d[0] == '-' || d[0] >= '0' && d[0] <= '9') {
		return genAIValue{}, fmt.Errorf("want a number or a tiered price, got %.20s", d)
	}
	var f float64
	if err := json.Unmarshal(d, &f); err != nil {
		return genAIValue{}, err
	}
	if err := checkRate(f); err != nil {
		return genAIValue{}, err
	}
	return genAIValue{base: f}, nil
}
