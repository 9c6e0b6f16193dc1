package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/genaix/genaix-go"
)

// The support bot: each user message is one conversation turn, answered by a
// RAG workflow (embed the question, search the docs, rerank them, stream the
// answer). Along the conversation, the triage agent hands off to the billing
// agent, which looks an order up with a tool, and a sentiment check runs on
// a model the price file does not list.

var questions = []string{
	"How do I get a refund for order A17?",
	"It was a gift. Can the refund go to my card instead of store credit?",
	"Thanks! How long will the refund take to arrive?",
}

var docs = []string{
	"Refunds: items can be returned within 30 days for a full refund to the original payment method.",
	"Gift orders: refunds for gifts are issued as store credit unless the purchaser asks for a card refund.",
	"Timing: card refunds arrive in 5 to 10 business days; store credit is immediate.",
	"Shipping: orders ship within 2 business days from our warehouse.",
	"Accounts: you can change your password from the settings page.",
}

const billingPolicy = "You are the billing agent of Acme. Follow the refund policy exactly. " +
	"Never promise timelines beyond the policy. Quote order numbers back to the customer. " +
	"Be brief, warm and precise. If the order was a gift, explain the card-refund option."

type bot struct {
	llm provider
}

// turn answers message n (1-based) of the conversation.
func (b bot) turn(ctx context.Context, conversation, user string, n int) error {
	q := questions[(n-1)%len(questions)]
	ctx = genaix.WithConversation(ctx, conversation, genaix.UserID(user))
	ctx = genaix.WithAgent(ctx, "triage-agent", genaix.AgentVersion("1.4"))
	_, err := genaix.Observe(ctx, "support.handle_message", func(ctx context.Context) (string, error) {
		return b.answer(ctx, conversation, n, q)
	}, genaix.WithKind(genaix.KindAgent), genaix.Input(q), genaix.Tags("support-bot"))
	return err
}

func (b bot) answer(ctx context.Context, conversation string, n int, q string) (string, error) {
	ctx, wf := genaix.StartWorkflow(ctx, fmt.Sprintf("%s-rag-%d", conversation, n), "rag")
	defer wf.End()

	if err := b.llm.embed(ctx, "text-embedding-3-small", q); err != nil {
		wf.RecordError(err)
		return "", err
	}
	found, err := genaix.ObserveTool(ctx, "vector_search", map[string]any{"query": q, "top_k": 3},
		func(context.Context) ([]string, error) { return search(q, 3), nil })
	if err != nil {
		return "", err
	}
	if _, err := b.llm.messages(ctx, "claude-haiku-4-5", "Rank the documents by relevance to the question.",
		[]message{{Role: "user", Content: q + "\n\n" + strings.Join(found, "\n")}}, false); err != nil {
		return "", err
	}
	msgs := []message{{Role: "user", Content: q + "\n\nContext:\n" + strings.Join(found, "\n")}}
	switch n % 3 {
	case 1: // a reasoning model answers
		return b.llm.chat(ctx, "o4-mini", msgs, true)
	case 2: // hand-off: the billing agent takes over, looks the order up and answers
		ctx = genaix.WithAgent(ctx, "billing-agent", genaix.AgentVersion("2.0"))
		order, err := genaix.ObserveTool(ctx, "lookup_order", map[string]string{"order_id": "A17"},
			func(context.Context) (map[string]string, error) {
				return map[string]string{"order_id": "A17", "status": "delivered", "gift": "true"}, nil
			})
		if err != nil {
			return "", err
		}
		msgs[0].Content += fmt.Sprintf("\nOrder: %v", order)
		return b.llm.messages(ctx, "claude-sonnet-4-5", billingPolicy+strings.Repeat(" Policy detail.", 400), msgs, true)
	default: // a small model answers; a sentiment check runs on an unpriced model
		if _, err := b.llm.chat(ctx, "sentiment-mini-v1", []message{{Role: "user", Content: q}}, false); err != nil {
			return "", err
		}
		return b.llm.chat(ctx, "gpt-4o-mini", msgs, true)
	}
}

// search ranks docs by the words they share with q.
func search(q string, k int) []string {
	words := strings.Fields(strings.ToLower(q))
	type hit struct {
		doc   string
		score int
	}
	var hits []hit
	for _, d := range docs {
		s := 0
		for _, w := range words {
			if len(w) > 3 && strings.Contains(strings.ToLower(d), strings.Trim(w, "?.!,")) {
				s++
			}
		}
		hits = append(hits, hit{d, s})
	}
	for i := 1; i < len(hits); i++ { // stable insertion sort, highest score first
		for j := i; j > 0 && hits[j].score > hits[j-1].score; j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	out := make([]string, 0, k)
	for _, h := range hits[:min(k, len(hits))] {
		out = append(out, h.doc)
	}
	return out
}
