package wire

// topFilter buffers a JSON object body while dropping the values of large
// top-level members (the vectors of an embeddings response), so a batch
// response of many megabytes keeps its model and usage without being held
// or decoded. It is a byte-at-a-time state machine, so its output does not
// depend on how the input was chunked. Skipped values are only scanned for
// their extent; what is kept is validated later by the normal parser.
type topFilter struct {
	max   int
	out   []byte
	over  bool
	bad   bool
	state filterState

	key    []byte // the current member name, raw
	long   bool   // the name passed maxFilterKey: drop the member
	skip   bool   // the current value is dropped
	seen   int    // members seen so far
	kept   int    // members written to out so far
	depth  int
	inStr  bool
	esc    bool
	primed bool // the current value has started
}

type filterState uint8

const (
	fsStart  filterState = iota // before '{'
	fsKey                       // expecting a member name or '}'
	fsKeyStr                    // inside a member name
	fsColon                     // expecting ':'
	fsValue                     // inside a value
	fsAfter                     // expecting ',' or '}'
	fsDone                      // after the closing '}'
)

// maxFilterKey caps a member name the filter looks at.
const maxFilterKey = 64

func skippedMember(key []byte) bool {
	switch string(key) {
	case "data", "embedding", "embeddings":
		return true
	}
	return false
}

func (f *topFilter) emit(b ...byte) {
	if f.over {
		return
	}
	if len(f.out)+len(b) > f.max {
		f.over = true
		f.out = nil
		return
	}
	f.out = append(f.out, b...)
}

func (f *topFilter) write(b []byte) {
	for i := 0; i < len(b) && !f.bad; i++ {
		c := b[i]
		switch f.state {
		case fsStart:
			switch {
			case isSpace(c):
			case c == '{':
				f.emit('{')
				f.state = fsKey
			default:
				f.bad = true
			}
		case fsKey:
			switch {
			case isSpace(c):
			case c == '"':
				f.key, f.long = f.key[:0], false
				f.state = fsKeyStr
			case c == '}' && f.seen == 0:
				f.emit('}')
				f.state = fsDone
			default:
				f.bad = true
			}
		case fsKeyStr:
			switch {
			case f.esc:
				f.esc = false
			case c == '\\':
				f.esc = true
			case c == '"':
				f.state = fsColon
				continue
			}
			if len(f.key) < maxFilterKey {
				f.key = append(f.key, c)
			} else {
				f.long = true
			}
		case fsColon:
			switch {
			case isSpace(c):
			case c == ':':
				f.skip = f.long || skippedMember(f.key)
				if !f.skip {
					if f.kept > 0 {
						f.emit(',')
					}
					f.emit('"')
					f.emit(f.key...)
					f.emit('"', ':')
					f.kept++
				}
				f.seen++
				f.state, f.depth, f.inStr, f.esc, f.primed = fsValue, 0, false, false, false
			default:
				f.bad = true
			}
		case fsValue:
			if !f.primed && isSpace(c) {
				continue
			}
			f.primed = true
			if f.inStr {
				switch {
				case f.esc:
					f.esc = false
				case c == '\\':
					f.esc = true
				case c == '"':
					f.inStr = false
				default:
					if f.skip { // fast-forward through a long string
						j := i
						for j < len(b) && b[j] != '"' && b[j] != '\\' {
							j++
						}
						i = j - 1
						continue
					}
				}
				if !f.skip {
					f.emit(c)
				}
				continue
			}
			switch c {
			case '"':
				f.inStr = true
			case '{', '[':
				f.depth++
			case '}', ']':
				if f.depth == 0 { // closes the top-level object: the value was a scalar
					f.state = fsAfter
					i--
					continue
				}
				f.depth--
			case ',':
				if f.depth == 0 {
					f.state = fsAfter
					i--
					continue
				}
			}
			if !f.skip {
				f.emit(c)
			}
		case fsAfter:
			switch {
			case isSpace(c):
			case c == ',':
				f.state = fsKey
			case c == '}':
				f.emit('}')
				f.state = fsDone
			default:
				f.bad = true
			}
		case fsDone:
			if !isSpace(c) {
				f.bad = true
			}
		}
	}
}

// result returns the filtered object and whether it was complete.
func (f *topFilter) result() ([]byte, bool) {
	if f.bad || f.over || f.state != fsDone {
		return nil, false
	}
	return f.out, true
}
