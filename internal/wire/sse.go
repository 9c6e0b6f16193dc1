package wire

import "bytes"

// eventSink receives framed events: one SSE event (name and joined data) or
// one NDJSON line (empty name). data is only valid during the call.
type eventSink interface {
	event(name, data []byte)
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
}

func (f *sseFramer) write(b []byte) {
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
	for pos := 0; pos < len(b); {
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
		if len(f.line) == 0 && !f.lineOver {
			f.processLine(b[pos:end])
		} else {
			f.carry(b[pos:end])
			if !f.lineOver {
				f.processLine(f.line)
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

func (f *sseFramer) processLine(line []byte) {
	if len(line) == 0 {
		f.dispatch()
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
	case "event":
		f.name = append(f.name[:0], value[:min(len(value), maxEventName)]...)
	}
	// "id", "retry" and unknown fields are ignored.
}

// dispatch ends the current event. An event with no data line is not
// dispatched, as in the WHATWG rules.
func (f *sseFramer) dispatch() {
	switch {
	case f.over:
		f.sink.truncated()
	case f.hasData:
		f.sink.event(f.name, f.data)
	}
	f.data = f.data[:0]
	f.hasData = false
	f.over = false
	f.name = f.name[:0]
}

// finish ends the stream. Only a clean EOF flushes a trailing line and an
// event that no blank line closed: after a cut, that event may be partial.
func (f *sseFramer) finish(cleanEOF bool) {
	if !cleanEOF {
		return
	}
	if f.lineOver {
		f.lineOver = false
	} else if len(f.line) > 0 {
		f.processLine(f.line)
	}
	f.line = f.line[:0]
	f.dispatch()
}

// ndjsonFramer splits a byte stream into lines ended by '\n' (a '\r' before
// it is dropped). Blank lines are skipped. Like sseFramer it keeps only the
// unfinished line, bounded by max.
type ndjsonFramer struct {
	sink     eventSink
	max      int
	line     []byte
	lineOver bool
}

func (f *ndjsonFramer) write(b []byte) {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			f.carry(b)
			return
		}
		if len(f.line) == 0 && !f.lineOver {
			f.emit(b[:i])
		} else {
			f.carry(b[:i])
			if !f.lineOver {
				f.emit(f.line)
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

func (f *ndjsonFramer) emit(line []byte) {
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
	f.sink.event(nil, line)
}

// finish flushes a final line without '\n', on a clean EOF only.
func (f *ndjsonFramer) finish(cleanEOF bool) {
	if cleanEOF {
		if f.lineOver {
			f.sink.truncated()
		} else if len(f.line) > 0 {
			f.emit(f.line)
		}
	}
	f.line = f.line[:0]
	f.lineOver = false
}
