package genaix

import (
	"context"

	"github.com/genaix/genaix-go/internal/lru"
)

// DefaultMaxConversations bounds the per-conversation state genaix keeps in
// memory by default (turn counters, running totals): the least recently used
// conversation is forgotten first.
const DefaultMaxConversations = 100_000

// TurnCounter hands out conversation turn numbers. NextTurn returns 1 for a
// conversation it has not seen and one more than the last number otherwise,
// atomically: two turns started concurrently in one conversation get distinct
// numbers.
//
// The default counter lives in process memory. An application that runs
// several replicas behind a load balancer and wants one numbering per
// conversation implements TurnCounter over a shared store (for example a Redis
// INCR on the conversation id) and passes it with WithTurnCounter.
type TurnCounter interface {
	NextTurn(ctx context.Context, conversationID string) (int, error)
}

// NewTurnCounter returns an in-memory TurnCounter that remembers at most
// maxConversations conversations (DefaultMaxConversations if maxConversations
// is not positive), forgetting the least recently used first; a forgotten
// conversation starts again at turn 1.
func NewTurnCounter(maxConversations int) TurnCounter {
	if maxConversations <= 0 {
		maxConversations = DefaultMaxConversations
	}
	return &memoryTurns{lru.New[string, int](maxConversations)}
}

type memoryTurns struct{ c *lru.Cache[string, int] }

func (m *memoryTurns) NextTurn(_ context.Context, id string) (int, error) {
	return m.c.Update(id, func(last int, _ bool) int { return last + 1 }), nil
}

// Len reports how many conversations the counter remembers.
func (m *memoryTurns) Len() int { return m.c.Len() }
