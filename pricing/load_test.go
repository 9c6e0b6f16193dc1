package pricing

import (
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseLiteLLM(t *testing.T) {
	c, err := ParseLiteLLM(readTestdata(t, "litellm.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := Prices{
		"gpt-4o":       {Input: 2.5, Output: 10, CacheRead: 1.25},
		"azure/gpt-4o": {Input: 2.75, Output: 11}, // numeric strings; null is absent
		"o3":           {Input: 2, Output: 8, CacheRead: 0.5, Reasoning: 9},
		"claude-sonnet-4-5": {
			Input: 3, Output: 15, CacheRead: 0.3, CacheWrite: 3.75, CacheWrite1h: 6,
			Tiers: []Tier{{AboveInputTokens: 200_000, Price: Price{
				Input: 6, Output: 22.5, CacheRead: 0.6, CacheWrite: 7.5, CacheWrite1h: 12,
			}}},
		},
		"bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0": {Input: 1.1, Output: 5.5},
		// A rate a tier does not give keeps the rate below it; _priority and
		// _flex variants are ignored.
		"gemini/gemini-2.5-pro": {Input: 1.25, Output: 10, Tiers: []Tier{
			{AboveInputTokens: 128_000, Price: Price{Input: 2, Output: 10}},
			{AboveInputTokens: 200_000, Price: Price{Input: 2.5, Output: 15}},
		}},
		"text-embedding-3-small": {Input: 0.02},
		// sample_spec, dall-e-3 (per pixel) and whisper-1 (per second) are skipped.
	}
	if !reflect.DeepEqual(c.Prices, want) {
		t.Errorf("Prices =\n%+v\nwant\n%+v", c.Prices, want)
	}
	if len(c.Rules) != 0 {
		t.Errorf("Rules = %v, want none", c.Rules)
	}
	if _, err := NewTable(nil, c); err != nil {
		t.Errorf("NewTable: %v", err)
	}
}

func TestLiteLLMPerMillion(t *testing.T) {
	// Per-token costs multiply into binary noise; the loader rounds it away.
	for _, tt := range []struct {
		raw  string
		want float64
	}{
		{"2.5e-06", 2.5}, {"1.25e-06", 1.25}, {"3e-07", 0.3}, {"1.1e-05", 11}, {"6e-08", 0.06},
		{"0.000015", 15}, {"3.75e-06", 3.75}, {"0", 0}, {`"2.5e-06"`, 2.5}, {`" 1e-06 "`, 1},
	} {
		got, err := liteLLMNumber([]byte(tt.raw))
		if err != nil || got != tt.want {
			t.Errorf("liteLLMNumber(%s) = %v, %v, want %v", tt.raw, got, err, tt.want)
		}
	}
}

func TestParseGenAIPrices(t *testing.T) {
	data := readTestdata(t, "genai-prices.json")
	afterJune := time.Date(2025, 7, 1, 12, 0, 0, 0, time.UTC)
	c, err := ParseGenAIPrices(data, afterJune)
	if err != nil {
		t.Fatal(err)
	}
	gpt4o := Price{Input: 2.5, Output: 10, CacheRead: 1.25}
	sonnet := Price{
		Input: 3, Output: 15, CacheRead: 0.3, CacheWrite: 3.75, CacheWrite1h: 6,
		Tiers: []Tier{{AboveInputTokens: 200_000, Price: Price{
			Input: 6, Output: 22.5, CacheRead: 0.6, CacheWrite: 7.5, CacheWrite1h: 6, // an untiered rate applies in every tier
		}}},
	}
	// Tiers at different thresholds per rate combine into one Tier per threshold.
	mixed := Price{Input: 1, Output: 4, Tiers: []Tier{
		{AboveInputTokens: 100_000, Price: Price{Input: 2, Output: 4}},
		{AboveInputTokens: 200_000, Price: Price{Input: 3, Output: 8}},
	}}
	o3 := Price{Input: 2, Output: 8, CacheRead: 0.5, Reasoning: 8} // the 2025-06-10 price
	deepseek := Price{Input: 0.27, Output: 1.1, CacheRead: 0.07}   // 12:00Z is in the 00:30–16:30 window
	audio := Price{Input: 2.5, Output: 10}                         // audio rates are not priced
	embedding := Price{Input: 0.02}                                // no output rate
	openrouter := Price{Input: 2.6, Output: 10.5}
	grok := Price{Input: 3, Output: 15}
	want := Prices{
		"openai/gpt-4o": gpt4o, "gpt-4o": gpt4o, // OpenRouter's bare "openai/gpt-4o" does not shadow OpenAI's
		"openai/o3": o3, "o3": o3,
		"openai/text-embedding-3-small": embedding, "text-embedding-3-small": embedding,
		"openai/gpt-4o-audio": audio, "gpt-4o-audio": audio,
		"anthropic/claude-sonnet-4-5": sonnet, "claude-sonnet-4-5": sonnet,
		"anthropic/claude-mixed-tiers": mixed, "claude-mixed-tiers": mixed,
		"deepseek/deepseek-chat": deepseek, "deepseek-chat": deepseek,
		"openrouter/openai/gpt-4o": openrouter,
		"x-ai/grok-4":              grok, "grok-4": grok,
		// tts-1 has no token price.
	}
	if !reflect.DeepEqual(c.Prices, want) {
		t.Errorf("Prices =\n%+v\nwant\n%+v", c.Prices, want)
	}
	var keys []string
	for _, r := range c.Rules {
		keys = append(keys, r.Key)
	}
	wantKeys := []string{"openai/gpt-4o", "openai/o3", "openai/text-embedding-3-small", "openai/gpt-4o-audio",
		"anthropic/claude-sonnet-4-5", "anthropic/claude-mixed-tiers", "deepseek/deepseek-chat", "openrouter/openai/gpt-4o", "x-ai/grok-4"}
	if !slices.Equal(keys, wantKeys) {
		t.Errorf("rule keys = %q, want %q", keys, wantKeys)
	}

	// Each match operator, through a table so rules run as Lookup runs them.
	tab, err := NewTable(nil, c)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ model, key, how string }{
		{"gpt-4o-2024-11-20", "openai/gpt-4o", HowRule},                         // or, starts_with (case-insensitive)
		{"GPT-4O-2024-11-20", "openai/gpt-4o", HowRule},                         // the rule sees the lower-cased name
		{"o3", "o3", HowExact},                                                  // equals, as an exact key
		{"my-text-embedding-3-small", "openai/text-embedding-3-small", HowRule}, // ends_with
		{"gpt-4o-audio-preview", "openai/gpt-4o-audio", HowRule},                // contains
		{"grok-4-0709", "x-ai/grok-4", HowRule},                                 // regex
		{"claude-sonnet-4-5-20250929", "anthropic/claude-sonnet-4-5", HowRule},  // and, regex
		{"claude-sonnet-4-5-preview", "", ""},                                   // starts_with, but the and's regex refuses it
		{"tts-1", "", ""},                                                       // no token price, so no rule either
	} {
		m, ok := tab.Lookup("", tt.model)
		if ok != (tt.key != "") || m.Key != tt.key || m.How != tt.how {
			t.Errorf("Lookup(%q) = %q %q %v, want %q %q", tt.model, m.Key, m.How, ok, tt.key, tt.how)
		}
	}

	// Conditional prices are chosen at the given time.
	before, err := ParseGenAIPrices(data, time.Date(2025, 6, 9, 23, 59, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := before.Prices["o3"], (Price{Input: 10, Output: 40, CacheRead: 2.5}); !reflect.DeepEqual(got, want) {
		t.Errorf("o3 before 2025-06-10 = %+v, want %+v", got, want)
	}
	night, err := ParseGenAIPrices(data, time.Date(2025, 7, 1, 20, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := night.Prices["deepseek-chat"], (Price{Input: 0.135, Output: 0.55, CacheRead: 0.035}); !reflect.DeepEqual(got, want) {
		t.Errorf("deepseek-chat at 20:00Z = %+v, want %+v", got, want)
	}
}

func TestGenAIConstraint(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2025, 7, 1, h, m, 0, 0, time.UTC) }
	for _, tt := range []struct {
		constraint string
		at         time.Time
		want       bool
	}{
		{`{"start_date": "2025-07-01"}`, at(0, 0), true},
		{`{"start_date": "2025-07-02"}`, at(23, 59), false},
		{`{"start_date": "2025-07-02"}`, time.Date(2025, 7, 1, 23, 0, 0, 0, time.FixedZone("", -2*3600)), true}, // 01:00Z on the 2nd
		{`{"start_time": "00:30:00Z", "end_time": "16:30:00Z"}`, at(0, 30), true},
		{`{"start_time": "00:30:00Z", "end_time": "16:30:00Z"}`, at(16, 30), false},
		{`{"start_time": "22:00:00Z", "end_time": "02:00:00Z"}`, at(23, 0), true}, // wraps past midnight
		{`{"start_time": "22:00:00Z", "end_time": "02:00:00Z"}`, at(12, 0), false},
		{`{"start_time": "08:00:00+08:00", "end_time": "09:00:00+08:00"}`, at(0, 30), true},
		{`null`, at(0, 0), true},
	} {
		got, err := genAIConstraintActive([]byte(tt.constraint), tt.at)
		if err != nil || got != tt.want {
			t.Errorf("%s at %v = %v, %v, want %v", tt.constraint, tt.at, got, err, tt.want)
		}
	}
}

func TestParseGenaix(t *testing.T) {
	c, err := ParseGenaix(readTestdata(t, "genaix.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := Prices{
		"gpt-4o": {Input: 2.5, Output: 10, CacheRead: 1.25},
		"claude-sonnet-4-5": {
			Input: 3, Output: 15, CacheRead: 0.3, CacheWrite: 3.75, CacheWrite1h: 6,
			Tiers: []Tier{{AboveInputTokens: 200_000, Price: Price{
				Input: 6, Output: 22.5, CacheRead: 0.6, CacheWrite: 7.5, CacheWrite1h: 12,
			}}},
		},
		"azure/o3": {Input: 2, Output: 8, Reasoning: 8.5},
	}
	if !reflect.DeepEqual(c.Prices, want) {
		t.Errorf("Prices =\n%+v\nwant\n%+v", c.Prices, want)
	}
}

func TestParseDetects(t *testing.T) {
	for _, tt := range []struct {
		file  string
		parse func([]byte) (*Catalog, error)
	}{
		{"litellm.json", ParseLiteLLM},
		{"genaix.json", ParseGenaix},
		{"genai-prices.json", func(b []byte) (*Catalog, error) { return ParseGenAIPrices(b, time.Now()) }},
	} {
		data := readTestdata(t, tt.file)
		got, err := Parse(data)
		if err != nil {
			t.Fatalf("Parse(%s): %v", tt.file, err)
		}
		want, _ := tt.parse(data)
		if !reflect.DeepEqual(slices.Sorted(maps.Keys(got.Prices)), slices.Sorted(maps.Keys(want.Prices))) {
			t.Errorf("Parse(%s) keys differ from its own parser's", tt.file)
		}
		loaded, err := LoadFile(filepath.Join("testdata", tt.file))
		if err != nil || len(loaded.Prices) != len(want.Prices) {
			t.Errorf("LoadFile(%s) = %v entries, %v", tt.file, len(loaded.Prices), err)
		}
	}
	for _, bad := range []string{"", "   ", "42", "null", `"x"`, "\xef\xbb\xbf"} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
	if c, err := Parse([]byte("\xef\xbb\xbf {\"gpt-x\": {\"input_cost_per_token\": 1e-06}}")); err != nil || len(c.Prices) != 1 {
		t.Errorf("Parse with a byte order mark = %v, %v", c, err)
	}
	if _, err := LoadFile(filepath.Join("testdata", "no-such-file.json")); err == nil || !strings.Contains(err.Error(), "no-such-file.json") {
		t.Errorf("LoadFile of a missing file: %v", err)
	}
	if _, err := LoadFile(filepath.Join("testdata", "bad", "genaix-negative.json")); err == nil || !strings.Contains(err.Error(), "genaix-negative.json") {
		t.Errorf("LoadFile of a bad file: %v, want an error naming the file", err)
	}
}

func TestParseErrors(t *testing.T) {
	genai := func(b []byte) (*Catalog, error) { return ParseGenAIPrices(b, time.Now()) }
	tests := []struct {
		file  string
		parse func([]byte) (*Catalog, error)
		want  []string
	}{
		{"litellm-syntax.json", ParseLiteLLM, []string{"pricing: litellm", "invalid character"}},
		{"litellm-string.json", ParseLiteLLM, []string{`litellm entry "my-model"`, `field "input_cost_per_token"`, "two dollars"}},
		{"litellm-negative.json", ParseLiteLLM, []string{`litellm entry "my-model"`, `field "output_cost_per_token"`, "≥ 0"}},
		{"litellm-bool.json", ParseLiteLLM, []string{`litellm entry "my-model"`, `field "input_cost_per_token"`, "want a number"}},
		{"litellm-not-object.json", ParseLiteLLM, []string{`litellm entry "my-model"`, "object"}},
		{"genai-prices-string.json", genai, []string{`provider "acme" model "widget"`, `field "prices"`, `field "input_mtok"`}},
		{"genai-prices-tier-no-start.json", genai, []string{`provider "acme" model "widget"`, `"input_mtok"`, `"start": missing`}},
		{"genai-prices-bad-regex.json", genai, []string{`provider "acme" model "widget"`, `field "match"`, "regex"}},
		{"genai-prices-unknown-clause.json", genai, []string{`provider "acme" model "widget"`, `unknown clause "like"`}},
		{"genai-prices-negative.json", genai, []string{`provider "acme" model "widget"`, `"cache_read_mtok"`, "≥ 0"}},
		{"genai-prices-bad-date.json", genai, []string{`provider "acme" model "widget"`, `"start_date"`}},
		{"genai-prices-empty-or.json", genai, []string{`provider "acme" model "widget"`, `"or"`, "non-empty"}},
		{"genaix-unknown-field.json", ParseGenaix, []string{`genaix model "widget"`, `unknown field "inptu"`}},
		{"genaix-tier-no-threshold.json", ParseGenaix, []string{`genaix model "widget"`, `tiers[0]`, `"above_input_tokens": missing`}},
		{"genaix-negative.json", ParseGenaix, []string{`genaix model "widget"`, `field "cache_read"`, "≥ 0"}},
		{"genaix-string.json", ParseGenaix, []string{`genaix model "widget"`, "input", "string"}},
		{"genaix-missing-output.json", ParseGenaix, []string{`genaix model "widget"`, `field "output": missing`}},
		{"genaix-schema.json", ParseGenaix, []string{`"schema"`, "genaix.prices/v2"}},
		{"genaix-duplicate-tier.json", ParseGenaix, []string{`genaix model "widget"`, "tiers[1]", "duplicate 1000"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := readTestdata(t, filepath.Join("bad", tt.file))
			for _, parse := range []func([]byte) (*Catalog, error){tt.parse, Parse} {
				c, err := parse(data)
				if err == nil {
					t.Fatalf("parsed into %+v, want an error", c)
				}
				for _, w := range tt.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not contain %q", err, w)
					}
				}
			}
		})
	}
}

func TestParseWrongShape(t *testing.T) {
	genai := func(b []byte) (*Catalog, error) { return ParseGenAIPrices(b, time.Now()) }
	tests := []struct {
		in                        string
		litellm, genaix, genaiErr bool // whether each parser fails
	}{
		{"", true, true, true},
		{"null", true, true, true},
		{"42", true, true, true},
		{"[]x", true, true, true},
		{"{}", false, true, true},             // an empty LiteLLM file
		{"[]", true, true, false},             // an empty genai-prices file
		{`{"models": {}}`, false, true, true}, // LiteLLM: "models" has no price; genaix: no schema
		{`{"schema": "genaix.prices/v1", "models": {}}`, true, false, true},
		{`{"schema": "genaix.prices/v1", "models": {}, "extra": 1}`, true, true, true},
		{`{"schema": "genaix.prices/v1", "models": {}} {}`, true, true, true},
		{`[{"id": "p", "models": [null]}]`, true, true, true},
		{`[{"models": []}]`, true, true, true},
		{`[{"id": "p", "models": [{"id": "m", "prices": {"input_mtok": 1}}]}]`, true, true, true}, // no match
	}
	for _, tt := range tests {
		for _, p := range []struct {
			name    string
			parse   func([]byte) (*Catalog, error)
			wantErr bool
		}{{"litellm", ParseLiteLLM, tt.litellm}, {"genaix", ParseGenaix, tt.genaix}, {"genai-prices", genai, tt.genaiErr}} {
			c, err := p.parse([]byte(tt.in))
			if (err != nil) != p.wantErr {
				t.Errorf("%s(%q) = %+v, %v; want error %v", p.name, tt.in, c, err, p.wantErr)
			}
			if err == nil && len(c.Prices) != 0 {
				t.Errorf("%s(%q) = %+v, want an empty catalog", p.name, tt.in, c)
			}
		}
	}
}

func TestGenAIPricesMatch(t *testing.T) {
	c, err := ParseGenAIPrices(readTestdata(t, "genai-prices.json"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]Rule{}
	for _, r := range c.Rules {
		rules[r.Key] = r
	}
	// Rule.Match receives lower-cased names; clause text is lower-cased too.
	tests := []struct {
		rule, model string
		want        bool
	}{
		{"openai/o3", "o3", true}, // equals
		{"openai/o3", "o3-mini", false},
		{"openai/o3", "xo3", false},
		{"openai/gpt-4o", "gpt-4o", true},            // or: equals
		{"openai/gpt-4o", "gpt-4o-2024-08-06", true}, // or: starts_with "GPT-4o-2024-"
		{"openai/gpt-4o", "gpt-4o-mini", false},
		{"openai/gpt-4o", "gpt-4o-mini-2024-07-18", false},
		{"openai/text-embedding-3-small", "azure/text-embedding-3-small", true}, // ends_with
		{"openai/text-embedding-3-small", "text-embedding-3-small-v2", false},
		{"openai/gpt-4o-audio", "gpt-4o-audio-preview-2024-12-17", true}, // contains
		{"openai/gpt-4o-audio", "gpt-4o-mini-audio", false},
		{"x-ai/grok-4", "grok-4-0709", true}, // regex
		{"x-ai/grok-4", "grok-4-fast", false},
		{"anthropic/claude-sonnet-4-5", "claude-sonnet-4-5-20250929", true}, // and: starts_with, regex
		{"anthropic/claude-sonnet-4-5", "claude-sonnet-4-5-preview", false},
	}
	for _, tt := range tests {
		r, ok := rules[tt.rule]
		if !ok {
			t.Fatalf("no rule %q", tt.rule)
		}
		if got := r.Match(tt.model); got != tt.want {
			t.Errorf("rule %q on %q = %v, want %v", tt.rule, tt.model, got, tt.want)
		}
	}
}
