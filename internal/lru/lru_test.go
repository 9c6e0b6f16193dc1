package lru

import (
	"fmt"
	"sync"
	"testing"
)

func TestEvictsLeastRecentlyUsed(t *testing.T) {
	c := New[string, int](2)
	inc := func(old int, _ bool) int { return old + 1 }
	c.Update("a", inc)
	c.Update("b", inc)
	c.Get("a") // a is now the most recent; b is evicted next
	c.Update("c", inc)
	if _, ok := c.Get("b"); ok {
		t.Fatal("b should have been evicted")
	}
	if v, ok := c.Get("a"); !ok || v != 1 {
		t.Fatalf("a = %d, %v; want 1, true", v, ok)
	}
	if c.Len() != 2 {
		t.Fatalf("Len = %d, want 2", c.Len())
	}
}

func TestBoundHoldsUnderManyKeys(t *testing.T) {
	c := New[string, int](100)
	for i := range 10_000 {
		c.Update(fmt.Sprint(i), func(int, bool) int { return i })
	}
	if c.Len() != 100 {
		t.Fatalf("Len = %d, want 100", c.Len())
	}
	if v, ok := c.Get("9999"); !ok || v != 9999 {
		t.Fatalf("newest entry lost: %d, %v", v, ok)
	}
}

func TestConcurrentUpdatesAreExact(t *testing.T) {
	c := New[string, int](10)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			for range 100 {
				c.Update("k", func(old int, _ bool) int { return old + 1 })
			}
		})
	}
	wg.Wait()
	if v, _ := c.Get("k"); v != 5000 {
		t.Fatalf("k = %d, want 5000", v)
	}
}
