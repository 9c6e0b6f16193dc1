package wire

import "bytes"

// eventSink receives framed events: one SSE event (name and joined data) or
// one NDJSON line (empty name). data is only valid during the call.
type eventSink interface {
	// event handles an event and reports whether the handler skipped it.
	event(name, data []byte) (skipped bool)
	// holes returns, for the event just skipped, the spans of its data a
	// later event may differ in and be skipped too (see template.go).
	holes(name, data []byte) ([]hole, bool)
	// truncated reports that an event was dropped for exceeding the cap.
	truncated()
}

// maxEventName caps an SSE event name. Real names are short
// (response.output_text.delta); a longer one is kept truncated, which can
// only make it unknown.
const maxEventName = 128

// sseFramer splits a byte stream into server-sent events, following the
// WHATWG event-stream rules the providers rely on. It holds only the
// incomplete current line and the current event's data, each bounded by max,
// so memory stays flat however long the stream runs.
type sseFramer struct {
	sink eventSink
	max  int

	line     []byte // carry-over: the start of a line not yet ended
	lineOver bool   // the current line passed max: skip to its end
	skipLF   bool   // the last byte seen was '\r': a '\n' next is part of it

	data    []byte // the current event's data lines, joined with '\n'
	hasData bool
	over    bool // the current event passed max: drop it at dispatch
	name    []byte

	// The fast path (template.go). An event is learned only when it lies
	// whole in one write: it began at b[start] (-1: not in this write) and
	// its single data line's value at b[dataAt].
	fast      fastPath
	start     int
	dataAt    int
	dataLines int
}

// idle reports whether the framer is between events with no line begun.
func (f *sseFramer) idle() bool {
	return !f.hasData && !f.over && len(f.name) == 0 && len(f.line) == 0 && !f.lineOver
}

func (f *sseFramer) write(b []byte) { f.fast.write(b, f.max, f.frame) }

// frame reads b; stash lets the fast path keep a matching event that b ends
// in the middle of.
func (f *sseFramer) frame(b []byte, stash bool) {
	if f.skipLF && len(b) > 0 {
		f.skipLF = false
		if b[0] == '\n' {
			b = b[1:]
		}
	}
	// nextLF is the index of the next '\n' at or after pos (len(b) if
	// none). It is found once and reused across the lines it spans, so a
	// run of lone '\r' endings costs linear time, not quadratic.
	nextLF := -1
	f.start = -1
	for pos := 0; pos < len(b); {
		if f.idle() {
			if n := f.fast.try(b[pos:], f.max, stash); n > 0 {
				pos += n
				continue
			}
			f.start = pos
		}
		if nextLF < pos {
			nextLF = len(b)
			if i := bytes.IndexByte(b[pos:], '\n'); i >= 0 {
				nextLF = pos + i
			}
		}
		var end, next int
		if cr := bytes.IndexByte(b[pos:nextLF], '\r'); cr >= 0 {
			end = pos + cr
			switch {
			case end+1 == len(b): // the next write may start with its '\n'
				next, f.skipLF = len(b), true
			case b[end+1] == '\n':
				next = end + 2
			default:
				next = end + 1
			}
		} else if nextLF < len(b) {
			end, next = nextLF, nextLF+1
		} else {
			f.carry(b[pos:])
			return
		}
		switch {
		case len(f.line) == 0 && !f.lineOver && end == pos:
			var raw []byte
			if f.start >= 0 && b[next-1] == '\n' {
				raw = b[f.start:next]
			}
			f.dispatch(raw)
		case len(f.line) == 0 && !f.lineOver:
			f.processLine(b[pos:end], pos)
		default:
			f.start = -1 // the event spans writes
			f.carry(b[pos:end])
			if !f.lineOver {
				f.processLine(f.line, -1)
			}
			f.line = f.line[:0]
			f.lineOver = false
		}
		pos = next
	}
}

// carry keeps part of an unfinished line, or marks it over the cap.
func (f *sseFramer) carry(b []byte) {
	if f.lineOver {
		return
	}
	if len(f.line)+len(b) > f.max {
		f.lineOver = true
		f.over = true // the line belongs to the current event: drop it whole
		f.line = f.line[:0]
		return
	}
	f.line = append(f.line, b...)
}

// processLine reads one line; at is its index in the current write, or -1
// if it was carried over from earlier ones.
func (f *sseFramer) processLine(line []byte, at int) {
	if len(line) == 0 {
		f.dispatch(nil)
		return
	}
	if len(line) > f.max {
		// The same test carry applies, so the outcome never depends on
		// how the bytes were chunked.
		f.over = true
		return
	}
	if line[0] == ':' {
		return // comment, e.g. ": OPENROUTER PROCESSING"
	}
	field, value := line, []byte(nil)
	if i := bytes.IndexByte(line, ':'); i >= 0 {
		field, value = line[:i], line[i+1:]
		if len(value) > 0 && value[0] == ' ' {
			value = value[1:]
		}
	}
	switch string(field) {
	case "data":
		if f.over {
			return
		}
		n := len(value)
		if f.hasData {
			n++
		}
		if len(f.data)+n > f.max {
			f.over = true
			f.data = f.data[:0]
			return
		}
		if f.hasData {
			f.data = append(f.data, '\n')
		}
		f.data = append(f.data, value...)
		f.hasData = true
		f.dataLines++
		f.dataAt = at + len(line) - len(value)
	case "event":
		f.name = append(f.name[:0], value[:min(len(value), maxEventName)]...)
	}
	// "id", "retry" and unknown fields are ignored.
}

// dispatch ends the current event. An event with no data line is not
// dispatched, as in the WHATWG rules. raw is the whole event if it lay in
// the current write, else nil.
func (f *sseFramer) dispatch(raw []byte) {
	switch {
	case f.over:
		f.sink.truncated()
	case f.hasData:
		if f.dataLines != 1 {
			raw = nil // joined data lines: no single span of raw holds the data
		}
		f.fast.dispatch(f.sink, f.name, f.data, raw, f.dataAt-f.start)
	}
	f.data = f.data[:0]
	f.hasData = false
	f.over = false
	f.name = f.name[:0]
	f.dataLines = 0
}

// finish ends the stream. Only a clean EOF flushes a trailing line and an
// event that no blank line closed: after a cut, that event may be partial.
func (f *sseFramer) finish(cleanEOF bool) {
	if !cleanEOF {
		return
	}
	if len(f.fast.pend) > 0 {
		f.frame(f.fast.pend, false)
		f.fast.pend = f.fast.pend[:0]
	}
	if f.lineOver {
		f.lineOver = false
	} else if len(f.line) > 0 {
		f.processLine(f.line, -1)
	}
	f.line = f.line[:0]
	f.dispatch(nil)
}

// ndjsonFramer splits a byte stream into lines ended by '\n' (a '\r' before
// it is dropped). Blank lines are skipped. Like sseFramer it keeps only the
// unfinished line, bounded by max, and passes over lines that match its
// template.
type ndjsonFramer struct {
	sink     eventSink
	max      int
	line     []byte
	lineOver bool
	fast     fastPath
}

func (f *ndjsonFramer) write(b []byte) { f.fast.write(b, f.max, f.frame) }

// frame reads b; stash lets the fast path keep a matching line that b ends
// in the middle of.
func (f *ndjsonFramer) frame(b []byte, stash bool) {
	for len(b) > 0 {
		whole := len(f.line) == 0 && !f.lineOver
		if whole {
			if n := f.fast.try(b, f.max, stash); n > 0 {
				b = b[n:]
				continue
			}
		}
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			f.carry(b)
			return
		}
		if whole {
			f.emit(b[:i], b[:i+1])
		} else {
			f.carry(b[:i])
			if !f.lineOver {
				f.emit(f.line, nil)
			} else {
				f.sink.truncated()
			}
			f.line = f.line[:0]
			f.lineOver = false
		}
		b = b[i+1:]
	}
}

func (f *ndjsonFramer) carry(b []byte) {
	if f.lineOver {
		return
	}
	if len(f.line)+len(b) > f.max {
		f.lineOver = true
		f.line = f.line[:0]
		return
	}
	f.line = append(f.line, b...)
}

// emit hands on one line; raw is the line with its '\n' if it lay whole in
// the current write, else nil.
func (f *ndjsonFramer) emit(line, raw []byte) {
	if len(line) > f.max {
		f.sink.truncated()
		return
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	if len(trimSpace(line)) == 0 {
		return
	}
	f.fast.dispatch(f.sink, nil, line, raw, 0)
}

// finish flushes a final line without '\n', on a clean EOF only.
func (f *ndjsonFramer) finish(cleanEOF bool) {
	if cleanEOF {
		if len(f.fast.pend) > 0 {
			f.frame(f.fast.pend, false)
		}
		if f.lineOver {
			f.sink.truncated()
		} else if len(f.line) > 0 {
			f.emit(f.line, nil)
		}
	}
	f.line = f.line[:0]
	f.lineOver = false
	f.fast.pend = f.fast.pend[:0]
}

// eventType is an event's type: the "type" member of its data (typ),
// unescaped into buf, when there is one, else the SSE event name.
func eventType(buf, name, typ []byte) []byte {
	if isString(typ) {
		return appendStr(buf, typ)
	}
	return name
}
