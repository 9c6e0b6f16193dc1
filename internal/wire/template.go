package wire

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// Long streams are mostly events that differ from the one before only in
// the text they carry. Once the handler has skipped such an event, the
// framer keeps the event's raw bytes as a template with holes where the
// text was, and a later event that equals the template outside the holes
// is passed over in place: a few vectorised compares and searches, instead
// of framing, copying and scanning every byte of it.
//
// A match is exactly an event the slow path would skip. Outside the holes
// its bytes are those of an event the handler skipped; a hole holds only
// what the handler's decision does not read (the contents of a free-text
// string value, or the data of an event skipped for its name), and no line
// break, so the framing is the same too. The template is dropped whenever
// an event is not skipped, since only such an event can change what the
// handler's decision depends on.

// hole is a span of a skipped event's data that may differ in a later event
// skipped the same way.
type hole struct {
	start, end int
	// line: the data is free to the end of its line (a JSON object, so
	// never [DONE]); otherwise the span is a JSON string's contents.
	line bool
}

const (
	// maxHoles bounds the holes of a template: an event with more free
	// strings is not learned.
	maxHoles = 4
	// maxTemplateBytes bounds the event a template is learned from.
	maxTemplateBytes = 4096
)

// template is a learned event. The zero value matches nothing.
type template struct {
	ok     bool
	raw    []byte               // the event's raw bytes, blank line included
	fixed  [maxHoles + 1][]byte // the parts of raw a match must equal
	lines  [maxHoles]bool       // hole i is a line hole
	bridge []byte               // with one text hole: the fixed end, then the fixed start
	n      int                  // holes
	misses int                  // matches tried and failed since the last success
	passed int                  // events passed over, for tests
}

// learn makes raw, a whole event whose data starts at raw[dataOff], the
// template, with the holes (offsets in the data, in order) left free. raw
// must end with its blank line's '\n'.
func (t *template) learn(raw []byte, dataOff int, holes []hole) {
	t.raw = append(t.raw[:0], raw...)
	t.n = len(holes)
	at := 0
	for i, h := range holes {
		t.fixed[i] = t.raw[at : dataOff+h.start]
		t.lines[i] = h.line
		at = dataOff + h.end
	}
	t.fixed[t.n] = t.raw[at:]
	t.bridge = t.bridge[:0]
	if t.n == 1 && !t.lines[0] {
		t.bridge = append(append(t.bridge, t.fixed[1]...), t.fixed[0]...)
	}
	t.ok = true
}

// drop forgets the template.
func (t *template) drop() {
	t.ok = false
	t.misses = 0
}

// relearn reports whether a skipped event that did not match should
// replace the template: always when there is none, else after 1, 2, 4, 8…
// misses in a row, so that a stream whose events never match costs few
// learning passes.
func (t *template) relearn() bool {
	return !t.ok || t.misses&(t.misses-1) == 0
}

// match returns the length of the event at the start of b if it matches,
// the whole event being in b and no longer than max. Otherwise n is 0, and
// more reports that b ended before the event could be told apart.
func (t *template) match(b []byte, max int) (n int, more bool) {
	if t.ok {
		n, more = t.matchAny(b)
	}
	switch {
	case n > max:
		n = 0
		fallthrough
	case n == 0 && !more:
		t.misses++
	case n > 0:
		t.misses = 0
		t.passed++
	}
	return n, more
}

// textRun passes over a run of events that match a template with one text
// hole, returning their length. Within a run, one event's fixed end and
// the next one's fixed start are adjacent and compared at once: a compare
// costs mostly its call, whatever its length.
func (t *template) textRun(b []byte, max int) int {
	pre, post := t.fixed[0], t.fixed[1]
	if !bytes.HasPrefix(b, pre) {
		return 0
	}
	done, pos := 0, len(pre) // done: the length matched; pos: the current event's hole
	for {
		k, _ := stringEnd(b[pos:])
		if k < 0 {
			break
		}
		end := pos + k
		next := end + len(post)
		if next-done > max {
			break
		}
		if bytes.HasPrefix(b[end:], t.bridge) {
			done, pos = next, end+len(t.bridge)
			t.passed++
			continue
		}
		if bytes.HasPrefix(b[end:], post) {
			done = next
			t.passed++
		}
		break
	}
	if done > 0 {
		t.misses = 0
	}
	return done
}

func (t *template) matchAny(b []byte) (n int, more bool) {
	pos := 0
	for i := 0; ; i++ {
		f := t.fixed[i]
		if !bytes.HasPrefix(b[pos:], f) {
			return 0, len(b)-pos < len(f) && bytes.HasPrefix(f, b[pos:])
		}
		pos += len(f)
		if i == t.n {
			return pos, false
		}
		var k int
		if t.lines[i] {
			k, more = lineEnd(b[pos:])
		} else {
			k, more = stringEnd(b[pos:])
		}
		if k < 0 {
			return 0, more
		}
		pos += k
	}
}

// stringEnd returns the index in b of the quote that ends the JSON string
// whose contents start b, or -1 if a line break comes first; more reports
// that b ended first. Only line breaks matter besides the quote: they are
// what would frame the event differently (the slow path does not validate
// a skipped event either). It reads eight bytes at a time: strings are most
// of a stream's bytes, and few of their bytes are quotes or control
// characters.
func stringEnd(b []byte) (q int, more bool) {
	for i := 0; ; i++ {
		i = quoteOrControl(b, i)
		switch {
		case i >= len(b):
			return -1, true
		case b[i] == '"':
			k := i
			for k > 0 && b[k-1] == '\\' {
				k--
			}
			if (i-k)%2 == 0 { // not escaped
				return i, false
			}
		case b[i] == '\n' || b[i] == '\r':
			return -1, false
		}
	}
}

// quoteOrControl returns the index of the first quote or control character
// in b at or after i, or len(b). Eight bytes at a time: xor 0x02 turns a
// quote into 0x20 and keeps control characters below 0x20, so one "below
// 0x21" test finds both; borrows can flag bytes above a hit, never below
// one, so the lowest flag is exact.
func quoteOrControl(b []byte, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:]) ^ (0x02 * ones)
		if m := (x - 0x21*ones) &^ x & highs; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(b); i++ {
		if b[i] == '"' || b[i] < 0x20 {
			return i
		}
	}
	return i
}

// lineEnd returns the length of the JSON object's text that starts b and
// runs to the end of its line, or -1; more reports that b ended first.
func lineEnd(b []byte) (n int, more bool) {
	if len(b) == 0 {
		return -1, true
	}
	if b[0] != '{' {
		return -1, false
	}
	n = bytes.IndexByte(b, '\n')
	if n < 0 {
		return -1, bytes.IndexByte(b, '\r') < 0
	}
	if cr := bytes.IndexByte(b[:n], '\r'); cr >= 0 {
		n = cr
	}
	return n, false
}

// fastPath is a framer's template, with the start of an event that a write
// ended in the middle of while it matched so far: the next write decides
// it, so that events split across reads take the fast path too.
type fastPath struct {
	template
	pend []byte
}

// try returns how many bytes at the start of b to pass over: the matching
// events there, and, when b ends while an event still matches and stash is
// set, the rest of b, kept for resume.
func (fp *fastPath) try(b []byte, max int, stash bool) int {
	pos := 0
	if fp.ok && len(fp.bridge) > 0 {
		pos = fp.textRun(b, max)
	}
	for {
		n, more := fp.match(b[pos:], max)
		if n > 0 {
			pos += n
			continue
		}
		if more && stash && len(b)-pos <= maxTemplateBytes {
			fp.pend = append(fp.pend[:0], b[pos:]...)
			return len(b)
		}
		return pos
	}
}

// write hands b to frame, first deciding an event kept from the last write:
// what both framers do with a write.
func (fp *fastPath) write(b []byte, max int, frame func(b []byte, stash bool)) {
	if len(fp.pend) > 0 {
		var kept []byte
		if kept, b = fp.resume(b, max); kept != nil {
			frame(kept, false)
		}
	}
	frame(b, true)
}

// dispatch hands an event to sink and keeps the template in step: dropped
// if the event was not skipped, else learned from raw (the whole event,
// its data at raw[dataOff]) when raw is not nil and the template is due.
func (fp *fastPath) dispatch(sink eventSink, name, data, raw []byte, dataOff int) {
	if !sink.event(name, data) {
		fp.drop()
	} else if raw != nil && len(raw) <= maxTemplateBytes && fp.relearn() {
		if h, ok := sink.holes(name, data); ok {
			fp.learn(raw, dataOff, h)
		}
	}
}

// resume decides the kept event with the next write's bytes b. It returns
// the kept bytes if they must be framed after all (nil if the event
// matched), and the part of b left to frame after them.
func (fp *fastPath) resume(b []byte, max int) (kept, rest []byte) {
	// An event a little longer than the template's still matches; a much
	// longer one takes the slow path, which is never wrong.
	k := len(fp.pend)
	fp.pend = append(fp.pend, b[:min(len(b), 2*len(fp.raw))]...)
	n, _ := fp.match(fp.pend, max)
	kept, fp.pend = fp.pend[:k], fp.pend[:0]
	if n > k {
		return nil, b[n-k:]
	}
	return kept, b
}

// freeTextHoles returns the contents of the string values of keys in d,
// appended to out, or false if there are more than maxHoles of them or d
// cannot be read as JSON text. It reads keys and values lexically, which
// is all a template needs: a hole must be a value's contents, bounded by
// unescaped quotes, never a key.
func freeTextHoles(d []byte, keys []string, out []hole) ([]hole, bool) {
	var key []byte
	afterColon := false
	for i := 0; i < len(d); {
		switch c := d[i]; {
		case c == '"':
			n, _ := stringEnd(d[i+1:])
			if n < 0 {
				return nil, false
			}
			start, end := i+1, i+1+n
			i = skipSpace(d, end+1)
			if i < len(d) && d[i] == ':' {
				key, afterColon = d[start:end], true
				i++
				continue
			}
			if afterColon && isOneOf(key, keys) {
				if len(out) == maxHoles {
					return nil, false
				}
				out = append(out, hole{start: start, end: end})
			}
			afterColon = false
		case isSpace(c):
			i++
		default:
			afterColon = false
			i++
		}
	}
	return out, true
}

func isOneOf(key []byte, keys []string) bool {
	for _, k := range keys {
		if string(key) == k {
			return true
		}
	}
	return false
}
