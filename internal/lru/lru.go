// Package lru is a small, bounded, least-recently-used map, safe for
// concurrent use. genaix keeps per-conversation state (turn counters, running
// totals) in it so that memory stays bounded however many conversations a
// process sees.
package lru

import "sync"

// Cache maps keys to values, evicting the least recently used entry when it
// would grow beyond its bound.
type Cache[K comparable, V any] struct {
	mu    sync.Mutex
	max   int
	items map[K]*entry[K, V]
	head  entry[K, V] // sentinel: head.next is the most recent, head.prev the least
}

type entry[K comparable, V any] struct {
	key        K
	val        V
	prev, next *entry[K, V]
}

// New returns a Cache holding at most limit entries (at least 1).
func New[K comparable, V any](limit int) *Cache[K, V] {
	c := &Cache[K, V]{max: max(1, limit), items: make(map[K]*entry[K, V])}
	c.head.next, c.head.prev = &c.head, &c.head
	return c
}

// Get returns the value for k and marks it most recently used.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if !ok {
		var zero V
		return zero, false
	}
	c.touch(e)
	return e.val, true
}

// Update calls fn with the value for k (the zero value if absent) while holding
// the cache's lock, stores what fn returns, marks k most recently used and
// returns the stored value. Read-modify-write under one lock is what makes
// concurrent counters exact.
func (c *Cache[K, V]) Update(k K, fn func(old V, found bool) V) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[k]
	if ok {
		e.val = fn(e.val, true)
		c.touch(e)
		return e.val
	}
	var zero V
	e = &entry[K, V]{key: k, val: fn(zero, false)}
	c.items[k] = e
	c.link(e)
	if len(c.items) > c.max {
		old := c.head.prev
		c.unlink(old)
		delete(c.items, old.key)
	}
	return e.val
}

// Len returns the number of entries.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

func (c *Cache[K, V]) touch(e *entry[K, V]) {
	if c.head.next != e {
		c.unlink(e)
		c.link(e)
	}
}

func (c *Cache[K, V]) link(e *entry[K, V]) {
	e.prev, e.next = &c.head, c.head.next
	c.head.next.prev = e
	c.head.next = e
}

func (c *Cache[K, V]) unlink(e *entry[K, V]) {
	e.prev.next, e.next.prev = e.next, e.prev
	e.prev, e.next = nil, nil
}
