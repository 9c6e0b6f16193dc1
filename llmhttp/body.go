package llmhttp

import (
	"io"
	"sync"

	"github.com/genaix/genaix-go/internal/wire"
)

// body passes a response body through unchanged while feeding the bytes the
// caller reads to the parser, inside the caller's own Read: no goroutine, no
// read-ahead. The span ends exactly once, at the terminal event, at EOF, on
// a read error (cancellation included) or on Close, whichever comes first.
type body struct {
	rc     io.ReadCloser
	parser *wire.ResponseParser
	done   func(r *wire.Result, readErr error)
	abort  func() // ends the span when genaix's own code failed

	mu    sync.Mutex // Read and Close may race (Close from another goroutine to abort)
	ended bool
}

// Read returns exactly what the underlying body's Read returns.
func (b *body) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ended {
		return n, err
	}
	if n > 0 && !b.feed(p[:n]) {
		b.ended = true
		b.abort()
		return n, err
	}
	switch {
	case err == io.EOF:
		b.end(true, nil)
	case err != nil:
		b.end(false, err)
	case b.parser.Done():
		b.end(true, nil)
	}
	return n, err
}

// Close closes the underlying body, always, and ends the span if it has not
// ended yet.
func (b *body) Close() error {
	err := b.rc.Close()
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.ended {
		b.end(false, nil)
	}
	return err
}

// feed gives the parser the bytes the caller read. The parser is fuzzed not
// to panic; if it ever did, the caller must still get its bytes.
func (b *body) feed(p []byte) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	b.parser.Write(p)
	return true
}

// end finishes the span; b.mu is held.
func (b *body) end(clean bool, readErr error) {
	b.ended = true
	defer func() {
		if recover() != nil { // genaix's failure must not become the caller's
			b.abort()
		}
	}()
	b.done(b.parser.Finish(clean), readErr)
}
