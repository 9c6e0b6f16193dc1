package pricing

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// testTable is the table the matching tests share: explicit prices, catalog
// A, then catalog B.
func testTable(t testing.TB) *Table {
	t.Helper()
	explicit := Prices{
		"shared":       {Input: 0.5, Output: 0.5},
		"Custom-Model": {Input: 7, Output: 7},
	}
	a := &Catalog{Prices: Prices{
		"gpt-4o":                       {Input: 2.5, Output: 10, CacheRead: 1.25},
		"gpt-4o-mini":                  {Input: 0.15, Output: 0.6},
		"gpt-4o-2024-05-13":            {Input: 5, Output: 15},
		"o1":                           {Input: 15, Output: 60},
		"o1-mini":                      {Input: 1.1, Output: 4.4},
		"claude-opus-4":                {Input: 15, Output: 75},
		"claude-sonnet-4-5":            {Input: 3, Output: 15},
		"claude-3-5-sonnet-20241022":   {Input: 3, Output: 15},
		"claude-3-7-sonnet":            {Input: 3, Output: 15},
		"gemini-1.5-pro":               {Input: 1.25, Output: 5},
		"gpt-5":                        {Input: 1.25, Output: 10},
		"shared":                       {Input: 1, Output: 1},
		"azure/gpt-4o":                 {Input: 2.75, Output: 11},
		"azure/gpt-4.1-nano":           {Input: 0.11, Output: 0.44},
		"azure/gpt-5-2025-08-07":       {Input: 1.38, Output: 11},
		"mistral/mistral-large-latest": {Input: 2, Output: 6},
		"xai/grok-4":                   {Input: 3, Output: 15},
		"vertex_ai/gemini-2.5-flash":   {Input: 0.3, Output: 2.5},
		"bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0": {Input: 1.1, Output: 5.5},
		"bedrock/claude-tie":   {Input: 1, Output: 1},
		"vertex_ai/claude-tie": {Input: 2, Output: 2},
	}}
	widget := func(m string) bool { return strings.HasPrefix(m, "widget-") }
	b := &Catalog{
		Prices: Prices{
			"shared": {Input: 2, Output: 2},
			"gpt-4o": {Input: 99, Output: 99},
			"only-b": {Input: 4, Output: 4},
		},
		Rules: []Rule{
			{Key: "acme/widget", Match: widget, Price: Price{Input: 1, Output: 2}},
			{Key: "bedrock/widget", Match: widget, Price: Price{Input: 1.1, Output: 2.2}},
		},
	}
	tab, err := NewTable(explicit, a, nil, b)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestLookup(t *testing.T) {
	tests := []struct {
		provider, model string
		key, how        string  // key "" means not found
		input           float64 // checked if not zero
	}{
		// Exact, as given or lower-cased.
		{"", "gpt-4o", "gpt-4o", HowExact, 2.5},
		{"", "GPT-4o", "gpt-4o", HowExact, 2.5},
		{"", "  gpt-4o ", "gpt-4o", HowExact, 0},
		{"", "custom-model", "Custom-Model", HowExact, 7},
		{"", "gpt-4o-2024-05-13", "gpt-4o-2024-05-13", HowExact, 5},
		{"", "azure/gpt-4o", "azure/gpt-4o", HowExact, 2.75},
		{"", "bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0", "bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0", HowExact, 0},
		// An exact key comes before a provider-qualified one.
		{"azure.ai.openai", "gpt-4o", "gpt-4o", HowExact, 2.5},

		// Collisions: never a bare prefix.
		{"", "gpt-4o-mini", "gpt-4o-mini", HowExact, 0.15},
		{"", "o1-mini", "o1-mini", HowExact, 1.1},
		{"", "o1", "o1", HowExact, 15},
		{"", "claude-opus-4-7", "", "", 0},
		{"", "claude-opus-4-1", "", "", 0},
		{"", "gpt-4", "", "", 0},
		{"", "gpt-4o-mini-2024-07-18", "gpt-4o-mini", HowNormalized, 0.15},
		{"", "o1-mini-2024-09-12", "o1-mini", HowNormalized, 1.1},
		{"", "o1-2024-12-17", "o1", HowNormalized, 15},

		// Provider-qualified keys.
		{"azure.ai.openai", "gpt-4.1-nano", "azure/gpt-4.1-nano", HowProvider, 0.11},
		{"azure.ai.openai", "GPT-4.1-Nano", "azure/gpt-4.1-nano", HowProvider, 0},
		{"mistral_ai", "mistral-large-latest", "mistral/mistral-large-latest", HowProvider, 2},
		{"x_ai", "grok-4", "xai/grok-4", HowProvider, 3},
		{"", "gpt-4.1-nano", "azure/gpt-4.1-nano", HowNormalized, 0},

		// Routing prefixes.
		{"", "openrouter/openai/gpt-4o", "gpt-4o", HowNormalized, 2.5},
		{"openrouter", "openai/gpt-4o", "gpt-4o", HowNormalized, 2.5},
		{"gcp.gemini", "models/gemini-1.5-pro", "gemini-1.5-pro", HowNormalized, 0},
		{"gcp.gemini", "gemini-2.5-flash", "vertex_ai/gemini-2.5-flash", HowNormalized, 0},

		// Bedrock ids.
		{"aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5", HowNormalized, 3},
		{"aws.bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0", "claude-3-5-sonnet-20241022", HowNormalized, 0},
		{"", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5", HowNormalized, 0},
		{"", "apac.anthropic.claude-3-5-sonnet-20241022-v2:0", "claude-3-5-sonnet-20241022", HowNormalized, 0},
		{"", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5", HowNormalized, 0},
		{"", "us.anthropic.claude-haiku-4-5-20251001-v1:0", "bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0", HowNormalized, 1.1},
		{"", "claude-haiku-4-5-20251001", "bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0", HowNormalized, 1.1},

		// Vertex and dates.
		{"gcp.vertex_ai", "claude-sonnet-4-5@20250929", "claude-sonnet-4-5", HowNormalized, 3},
		{"", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5", HowNormalized, 3},
		{"", "gpt-4o-2024-08-06", "gpt-4o", HowNormalized, 2.5},
		{"", "claude-opus-4-20250514", "claude-opus-4", HowNormalized, 15},
		{"", "gpt-4o-mini-2024-13-45", "", "", 0}, // not a date
		{"", "claude-3-7-sonnet-latest", "claude-3-7-sonnet", HowNormalized, 0},
		{"", "gemini-1.5-pro-latest", "gemini-1.5-pro", HowNormalized, 0},

		// Ties among normalised keys.
		{"azure.ai.openai", "gpt-5-2025-09-09", "azure/gpt-5-2025-08-07", HowNormalized, 1.38},
		{"", "gpt-5-2025-09-09", "gpt-5", HowNormalized, 1.25},
		{"", "claude-tie-20250101", "bedrock/claude-tie", HowNormalized, 1},
		{"gcp.vertex_ai", "claude-tie-20250101", "vertex_ai/claude-tie", HowNormalized, 2},
		{"gcp.vertex_ai", "claude-tie", "vertex_ai/claude-tie", HowProvider, 2},

		// Precedence among sources.
		{"", "shared", "shared", HowExact, 0.5}, // explicit beats catalogs
		{"", "openai/shared", "shared", HowNormalized, 0.5},
		{"", "only-b", "only-b", HowExact, 4}, // a later catalog still counts

		// Rules.
		{"", "widget-pro", "acme/widget", HowRule, 1},
		{"aws.bedrock", "widget-pro", "bedrock/widget", HowRule, 1.1},

		// Unknown.
		{"", "unknown-model", "", "", 0},
		{"openai", "", "", "", 0},
	}
	tab := testTable(t)
	for _, tt := range tests {
		t.Run(tt.provider+"|"+tt.model, func(t *testing.T) {
			for range 2 { // the second lookup comes from the memo
				m, ok := tab.Lookup(tt.provider, tt.model)
				if ok != (tt.key != "") || m.Key != tt.key || m.How != tt.how {
					t.Fatalf("Lookup = %q %q %v, want %q %q", m.Key, m.How, ok, tt.key, tt.how)
				}
				if tt.input != 0 && m.Price.Input != tt.input {
					t.Fatalf("Input = %v, want %v", m.Price.Input, tt.input)
				}
			}
		})
	}
}

func TestLookupProviderQualified(t *testing.T) {
	tab, err := NewTable(nil, &Catalog{Prices: Prices{
		"azure/gpt-4o":  {Input: 2.75, Output: 11},
		"gpt-4o-mini":   {Input: 0.15, Output: 0.6},
		"bedrock/nova":  {Input: 1, Output: 1},
		"vertex_ai/foo": {Input: 1, Output: 1},
	}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ provider, model, key, how string }{
		{"azure.ai.openai", "gpt-4o", "azure/gpt-4o", HowProvider},
		{"azure.ai.openai", "GPT-4o", "azure/gpt-4o", HowProvider},
		{"", "azure/gpt-4o", "azure/gpt-4o", HowExact},
		{"", "gpt-4o", "azure/gpt-4o", HowNormalized},
		{"", "openrouter/openai/gpt-4o", "azure/gpt-4o", HowNormalized},
		{"azure.ai.openai", "gpt-4o-mini", "gpt-4o-mini", HowExact},
		{"aws.bedrock", "nova", "bedrock/nova", HowProvider},
		{"gcp.vertex_ai", "foo", "vertex_ai/foo", HowProvider},
		{"openai", "gpt-4o-mini-2024-07-18", "gpt-4o-mini", HowNormalized},
	}
	for _, tt := range tests {
		m, ok := tab.Lookup(tt.provider, tt.model)
		if !ok || m.Key != tt.key || m.How != tt.how {
			t.Errorf("Lookup(%q, %q) = %q %q %v, want %q %q", tt.provider, tt.model, m.Key, m.How, ok, tt.key, tt.how)
		}
	}
}

func TestNameForms(t *testing.T) {
	tests := []struct {
		name string
		want string // the last form
	}{
		{"gpt-4o-2024-08-06", "gpt-4o"},
		{"gpt-4-0613", "gpt-4"},
		{"gpt-3.5-turbo-0125", "gpt-3.5-turbo"},
		{"gemini-2.5-pro-preview-05-06", "gemini-2.5-pro-preview"},
		{"us.anthropic.claude-3-5-sonnet-20241022-v2:0", "claude-3-5-sonnet"},
		{"us-gov.anthropic.claude-3-haiku-20240307-v1:0", "claude-3-haiku"},
		{"anthropic.claude-v2:1", "claude-v2:1"}, // the version is the name
		{"eu.example-model", "eu.example-model"}, // no vendor after the region
		{"claude-3-5-sonnet-v2@20241022", "claude-3-5-sonnet-v2"},
		{"gemini-1.5-pro@latest", "gemini-1.5-pro"},
		{"gemini-1.5-pro@001", "gemini-1.5-pro@001"},
		{"mistral-large-2411", "mistral-large-2411"}, // 24 is no month
		{"model-0230", "model-0230"},                 // 30 February
		{"model-0229", "model"},                      // 29 February, in some year
		{"model-2023-02-29", "model-2023-02-29"},     // but not in 2023
		{"model-2024-02-29", "model"},
		{"model-19991231", "model-19991231"},
		{"openrouter/meta-llama/llama-3.1-70b-instruct", "llama-3.1-70b-instruct"},
		{"openrouter/auto", "openrouter/auto"},
		{"publishers/google/models/gemini-2.0-flash-001", "gemini-2.0-flash-001"},
		{"latest", "latest"},
		{"-latest", "-latest"},
		{"2024-08-06", "2024-08-06"},
		{"openai/", "openai/"},
	}
	for _, tt := range tests {
		forms := nameForms(tt.name)
		if got := forms[len(forms)-1]; got != tt.want {
			t.Errorf("nameForms(%q) = %q, want last %q", tt.name, forms, tt.want)
		}
		for i := 1; i < len(forms); i++ {
			if len(forms[i]) >= len(forms[i-1]) {
				t.Errorf("nameForms(%q) = %q: not strictly shorter", tt.name, forms)
			}
		}
	}
}

func TestNewTableErrors(t *testing.T) {
	ok := Price{Input: 1, Output: 1}
	tests := []struct {
		name     string
		explicit Prices
		catalogs []*Catalog
		want     []string
	}{
		{"explicit", Prices{"good": ok, "bad-model": {Input: -1}}, nil, []string{"explicit", `"bad-model"`, "Input"}},
		{"catalog", nil, []*Catalog{{Prices: Prices{"x": ok}}, {Prices: Prices{"bad-tier": {Tiers: []Tier{{AboveInputTokens: 1}, {AboveInputTokens: 1}}}}}},
			[]string{"catalog 1", `"bad-tier"`, "duplicate"}},
		{"nil rule", nil, []*Catalog{{Rules: []Rule{{Key: "r"}}}}, []string{`rule "r"`, "nil Match"}},
		{"empty rule key", nil, []*Catalog{{Rules: []Rule{{Match: func(string) bool { return true }}}}}, []string{"rule 0", "empty key"}},
		{"empty key", Prices{" ": ok}, nil, []string{"empty key"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := NewTable(tt.explicit, tt.catalogs...)
			if err == nil {
				t.Fatalf("NewTable = %v, want an error", tab)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestTableNilAndLen(t *testing.T) {
	var nilTable *Table
	if m, ok := nilTable.Lookup("openai", "gpt-4o"); ok || m.Key != "" {
		t.Errorf("nil Lookup = %v %v", m, ok)
	}
	if n := nilTable.Len(); n != 0 {
		t.Errorf("nil Len = %d", n)
	}
	var zero Table
	if _, ok := zero.Lookup("", "gpt-4o"); ok {
		t.Error("zero Table found a price")
	}
	empty, err := NewTable(nil)
	if err != nil || empty.Len() != 0 {
		t.Fatalf("NewTable(nil) = %v, %v", empty, err)
	}
	// 2 explicit keys, 21 in A of which "shared" is explicit's, "only-b" from
	// B (its "shared" and "gpt-4o" are A's), and 2 rules.
	if n := testTable(t).Len(); n != 2+20+1+2 {
		t.Errorf("Len = %d, want 25", n)
	}
}

func TestTableCopiesPrices(t *testing.T) {
	tiers := []Tier{{AboveInputTokens: 10, Price: Price{Input: 2}}}
	p := Prices{"m": {Input: 1, Tiers: tiers}}
	tab, err := NewTable(p)
	if err != nil {
		t.Fatal(err)
	}
	tiers[0].Price.Input = 100
	p["m"] = Price{Input: 50}
	m, _ := tab.Lookup("", "m")
	if m.Price.Input != 1 || m.Price.Tiers[0].Price.Input != 2 {
		t.Errorf("table changed with its arguments: %+v", m.Price)
	}
}

func TestMemoBounded(t *testing.T) {
	tab := testTable(t)
	for i := range memoMax + 100 {
		tab.Lookup("", fmt.Sprintf("unknown-%d", i))
	}
	if tab.memoLen != memoMax {
		t.Errorf("memo holds %d entries, want %d", tab.memoLen, memoMax)
	}
	// Past the bound, lookups are still right, just not remembered.
	if m, ok := tab.Lookup("", "gpt-4o-2024-08-06"); !ok || m.Key != "gpt-4o" {
		t.Errorf("Lookup past the bound = %v %v", m, ok)
	}
	long := strings.Repeat("x", maxNormalize+1)
	tab2 := testTable(t)
	tab2.Lookup("", long)
	if tab2.memoLen != 0 {
		t.Error("an over-long name was memoised")
	}
}

func TestLookupConcurrent(t *testing.T) {
	tab := testTable(t)
	models := []string{"gpt-4o", "gpt-4o-mini-2024-07-18", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "nope", "widget-x"}
	want := make(map[string]string)
	for _, m := range models {
		r, _ := testTable(t).Lookup("aws.bedrock", m)
		want[m] = r.Key
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				m := models[(g+i)%len(models)]
				if got, _ := tab.Lookup("aws.bedrock", m); got.Key != want[m] {
					t.Errorf("Lookup(%q) = %q, want %q", m, got.Key, want[m])
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestLookupWarmAllocs(t *testing.T) {
	tab := testTable(t)
	tab.Lookup("aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")
	tab.Lookup("", "unknown-model")
	allocs := testing.AllocsPerRun(1000, func() {
		tab.Lookup("aws.bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")
		tab.Lookup("", "unknown-model")
	})
	if allocs != 0 {
		t.Errorf("warm Lookup allocates %v times", allocs)
	}
}
