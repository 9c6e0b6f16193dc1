package pricing

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
)

// How a Lookup found its price: the values of Match.How.
const (
	HowExact      = "exact"      // the model name is a key, as given or lower-cased
	HowProvider   = "provider"   // "<provider alias>/<model>" is a key
	HowRule       = "rule"       // a catalog Rule matched the model name
	HowNormalized = "normalized" // the model name and a key normalise alike
)

// Match is the result of a Lookup: the price and why it was chosen.
type Match struct {
	Key   string // the table or rule key that priced the model
	Price Price  // shared with the table: do not modify its Tiers
	How   string // HowExact, HowProvider, HowRule or HowNormalized
}

// Rule is a pattern entry, such as a genai-prices "match" clause. Match is
// called with the lower-cased model name and must be safe for concurrent
// use.
type Rule struct {
	Key   string // names the rule in Match.Key, e.g. "openai/gpt-4o"
	Match func(model string) bool
	Price Price
}

// Catalog is a price table read from a file by one of the loaders.
type Catalog struct {
	Prices Prices
	Rules  []Rule
}

// memoMax bounds the lookup memo; past it, lookups are computed every time.
const memoMax = 10_000

// Table resolves model names to prices. It is safe for concurrent use, and
// remembers the result of each (provider, model) lookup, found or not, so a
// repeated Lookup is a map read. A nil *Table finds nothing.
type Table struct {
	sources []*source // explicit prices first, then catalogs in order
	n       int

	mu      sync.RWMutex
	memo    map[string]map[string]memoEntry // provider → model → result
	memoLen int
}

type memoEntry struct {
	m  Match
	ok bool
}

// source is one price table (explicit prices or one catalog), indexed.
type source struct {
	prices Prices
	lower  map[string]string      // lower-cased key → key
	index  map[string][]candidate // each form of each key (see nameForms) → keys, best first
	rules  []Rule
	rlower []string // lower-cased rule keys
}

// candidate is a key reachable from a normal form after steps strippings.
type candidate struct {
	key, lower string
	steps      int
}

// NewTable builds a Table from explicit prices and catalogs. Explicit
// entries beat catalog entries at every stage of a lookup, and earlier
// catalogs beat later ones. Every price is validated; the error names the
// offending key. Nil catalogs are skipped. Prices are copied, so later
// changes to the arguments do not affect the table.
func NewTable(explicit Prices, catalogs ...*Catalog) (*Table, error) {
	t := &Table{}
	keys := make(map[string]bool)
	s, err := newSource(explicit, nil, keys)
	if err != nil {
		return nil, fmt.Errorf("pricing: explicit %w", err)
	}
	t.sources = append(t.sources, s)
	for i, c := range catalogs {
		if c == nil {
			continue
		}
		s, err := newSource(c.Prices, c.Rules, keys)
		if err != nil {
			return nil, fmt.Errorf("pricing: catalog %d: %w", i, err)
		}
		t.sources = append(t.sources, s)
	}
	t.n = len(keys)
	return t, nil
}

func newSource(prices Prices, rules []Rule, keys map[string]bool) (*source, error) {
	s := &source{
		prices: make(Prices, len(prices)),
		lower:  make(map[string]string, len(prices)),
		index:  make(map[string][]candidate, 2*len(prices)),
		rules:  make([]Rule, 0, len(rules)),
	}
	// Sorted, so that errors and tie-breaks do not depend on map order.
	for _, k := range slices.Sorted(maps.Keys(prices)) {
		p := prices[k]
		if strings.TrimSpace(k) == "" {
			return nil, errors.New("price: empty key")
		}
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("price %q: %w", k, err)
		}
		s.prices[k] = clonePrice(p)
		keys[k] = true
		forms := nameForms(k)
		// Among keys equal but for case, a lower-case one wins, else the
		// smallest (the first in sorted order).
		if prev, dup := s.lower[forms[0]]; !dup || prev != forms[0] && k == forms[0] {
			s.lower[forms[0]] = k
		}
		for i, f := range forms {
			s.index[f] = append(s.index[f], candidate{key: k, lower: forms[0], steps: i})
		}
	}
	for _, c := range s.index {
		slices.SortFunc(c, func(a, b candidate) int {
			return cmp.Or(cmp.Compare(a.steps, b.steps), strings.Compare(a.key, b.key))
		})
	}
	for i, r := range rules {
		if r.Key == "" {
			return nil, fmt.Errorf("rule %d: empty key", i)
		}
		if r.Match == nil {
			return nil, fmt.Errorf("rule %q: nil Match", r.Key)
		}
		if err := r.Price.Validate(); err != nil {
			return nil, fmt.Errorf("rule %q: %w", r.Key, err)
		}
		r.Price = clonePrice(r.Price)
		s.rules = append(s.rules, r)
		s.rlower = append(s.rlower, strings.ToLower(r.Key))
		keys[r.Key] = true
	}
	return s, nil
}

func clonePrice(p Price) Price {
	p.Tiers = slices.Clone(p.Tiers)
	for i := range p.Tiers {
		p.Tiers[i].Price.Tiers = nil // ignored; dropped so a Match shares nothing mutable with the caller
	}
	return p
}

// Len returns the number of distinct keys in the table, price and rule keys
// together.
func (t *Table) Len() int {
	if t == nil {
		return 0
	}
	return t.n
}

// Lookup returns the price of model as served by provider, a
// gen_ai.provider.name value such as "openai", "azure.ai.openai" or
// "aws.bedrock" ("" if unknown). It tries, in order, and within each stage
// the explicit prices before each catalog in turn:
//
//  1. the model name as a key, as given and then lower-cased (HowExact);
//  2. "<alias>/<model>" for each alias of provider, e.g. "azure/gpt-4o" for
//     azure.ai.openai (HowProvider);
//  3. the catalogs' Rules, those keyed under a provider alias first, then
//     all in order (HowRule);
//  4. each successive normalisation of the name against the same
//     normalisations of the keys (HowNormalized); see the package
//     documentation.
//
// Names are never matched by bare prefix. The result, found or not, is
// remembered, so a repeated Lookup is cheap and does not allocate.
func (t *Table) Lookup(provider, model string) (Match, bool) {
	if t == nil {
		return Match{}, false
	}
	t.mu.RLock()
	e, hit := t.memo[provider][model]
	t.mu.RUnlock()
	if hit {
		return e.m, e.ok
	}
	m, ok := t.resolve(provider, model)
	t.remember(provider, model, memoEntry{m, ok})
	return m, ok
}

func (t *Table) remember(provider, model string, e memoEntry) {
	if len(provider) > maxNormalize || len(model) > maxNormalize {
		return // junk names must not pin memory
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.memoLen >= memoMax {
		return
	}
	if t.memo == nil {
		t.memo = make(map[string]map[string]memoEntry)
	}
	byModel := t.memo[provider]
	if byModel == nil {
		// Cloned: the caller's strings may be slices of a large response body.
		byModel = make(map[string]memoEntry)
		t.memo[strings.Clone(provider)] = byModel
	}
	if _, dup := byModel[model]; !dup {
		byModel[strings.Clone(model)] = e
		t.memoLen++
	}
}

// resolve is Lookup without the memo.
func (t *Table) resolve(provider, model string) (Match, bool) {
	lower := strings.ToLower(strings.TrimSpace(model))
	if lower == "" {
		return Match{}, false
	}
	for _, s := range t.sources {
		if k, ok := s.exact(model, lower); ok {
			return Match{Key: k, Price: s.prices[k], How: HowExact}, true
		}
	}
	aliases := aliasesOf(provider)
	for _, s := range t.sources {
		for _, a := range aliases {
			if k, ok := s.exact(a+"/"+model, a+"/"+lower); ok {
				return Match{Key: k, Price: s.prices[k], How: HowProvider}, true
			}
		}
	}
	for _, s := range t.sources {
		if r, ok := s.rule(lower, aliases); ok {
			return Match{Key: r.Key, Price: r.Price, How: HowRule}, true
		}
	}
	forms := nameForms(model)
	for _, s := range t.sources {
		for _, f := range forms {
			if k, ok := s.normalized(f, aliases); ok {
				return Match{Key: k, Price: s.prices[k], How: HowNormalized}, true
			}
		}
	}
	return Match{}, false
}

// exact finds key as given, then lower-cased.
func (s *source) exact(key, lower string) (string, bool) {
	if _, ok := s.prices[key]; ok {
		return key, true
	}
	k, ok := s.lower[lower]
	return k, ok
}

// rule returns the first matching rule keyed under one of aliases, else the
// first matching rule.
func (s *source) rule(lower string, aliases []string) (Rule, bool) {
	if len(aliases) > 0 {
		for i, r := range s.rules {
			if hasAliasPrefix(s.rlower[i], aliases) && r.Match(lower) {
				return r, true
			}
		}
	}
	for _, r := range s.rules {
		if r.Match(lower) {
			return r, true
		}
	}
	return Rule{}, false
}

// normalized picks among the keys with normal form f: one qualified with a
// provider alias, else the one that needed the fewest strippings to reach f
// (a key equal to f needs none), else the lexicographically smallest.
func (s *source) normalized(f string, aliases []string) (string, bool) {
	c := s.index[f]
	if len(c) == 0 {
		return "", false
	}
	for _, k := range c {
		if hasAliasPrefix(k.lower, aliases) {
			return k.key, true
		}
	}
	return c[0].key, true
}
