package wire

import (
	"bytes"
	"encoding/binary"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// This file is a small JSON reader. It never builds a tree: values are byte
// slices of the input, walked with the object and array iterators and read
// with the leaf helpers below. Reading is lenient in the ways the wire
// formats need (null is absent, counts may be floats, a value of the wrong
// type is ignored) and allocation-free except where a string is kept.

// maxDepth bounds nesting, as in encoding/json, so hostile input cannot
// exhaust the stack.
const maxDepth = 10000

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(d []byte, i int) int {
	for i < len(d) && isSpace(d[i]) {
		i++
	}
	return i
}

// validJSON reports whether d is exactly one JSON value, with optional
// surrounding whitespace. It accepts what encoding/json's Valid accepts.
func validJSON(d []byte) bool {
	i := skipSpace(d, 0)
	end := scanValue(d, i, 0)
	return end >= 0 && skipSpace(d, end) == len(d)
}

// scanValue returns the index just past the value starting at d[i], or -1.
func scanValue(d []byte, i, depth int) int {
	if i >= len(d) {
		return -1
	}
	switch c := d[i]; {
	case c == '{':
		return scanObject(d, i, depth+1)
	case c == '[':
		return scanArray(d, i, depth+1)
	case c == '"':
		return scanString(d, i)
	case c == 't':
		return scanLiteral(d, i, "true")
	case c == 'f':
		return scanLiteral(d, i, "false")
	case c == 'n':
		return scanLiteral(d, i, "null")
	case c == '-' || (c >= '0' && c <= '9'):
		return scanNumber(d, i)
	}
	return -1
}

func scanLiteral(d []byte, i int, lit string) int {
	if len(d)-i < len(lit) || string(d[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}

func scanObject(d []byte, i, depth int) int {
	if depth > maxDepth {
		return -1
	}
	i = skipSpace(d, i+1)
	if i < len(d) && d[i] == '}' {
		return i + 1
	}
	for {
		if i >= len(d) || d[i] != '"' {
			return -1
		}
		if i = scanString(d, i); i < 0 {
			return -1
		}
		i = skipSpace(d, i)
		if i >= len(d) || d[i] != ':' {
			return -1
		}
		if i = scanValue(d, skipSpace(d, i+1), depth); i < 0 {
			return -1
		}
		i = skipSpace(d, i)
		if i >= len(d) {
			return -1
		}
		switch d[i] {
		case '}':
			return i + 1
		case ',':
			i = skipSpace(d, i+1)
		default:
			return -1
		}
	}
}

func scanArray(d []byte, i, depth int) int {
	if depth > maxDepth {
		return -1
	}
	i = skipSpace(d, i+1)
	if i < len(d) && d[i] == ']' {
		return i + 1
	}
	for {
		if i = scanValue(d, i, depth); i < 0 {
			return -1
		}
		i = skipSpace(d, i)
		if i >= len(d) {
			return -1
		}
		switch d[i] {
		case ']':
			return i + 1
		case ',':
			i = skipSpace(d, i+1)
		default:
			return -1
		}
	}
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// scanString returns the index just past the string starting at d[i] (a
// quote), or -1. Raw control characters are invalid, as in encoding/json.
func scanString(d []byte, i int) int {
	i++
	for {
		// Jump to the next quote with IndexByte (vectorised), then check the
		// run before it: strings are most of an LLM response's bytes.
		q := bytes.IndexByte(d[i:], '"')
		if q < 0 {
			return -1
		}
		run := d[i : i+q]
		b := bytes.IndexByte(run, '\\')
		if b < 0 {
			if hasControl(run) {
				return -1
			}
			return i + q + 1
		}
		if hasControl(run[:b]) {
			return -1
		}
		i += b
		if i+1 >= len(d) {
			return -1
		}
		switch d[i+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			i += 2
		case 'u':
			if i+6 > len(d) || !isHex(d[i+2]) || !isHex(d[i+3]) || !isHex(d[i+4]) || !isHex(d[i+5]) {
				return -1
			}
			i += 6
		default:
			return -1
		}
	}
}

// hasControl reports whether b holds a byte below 0x20, which JSON strings
// may not contain raw. It tests eight bytes at a time: x-0x20…20 borrows
// into a byte's top bit only where that byte is below 0x20 (or a lower byte
// borrowed), and &^x drops bytes that had the top bit set already; a hit is
// confirmed byte by byte.
func hasControl(b []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	// Four words per round, one branch: a hit in any is confirmed below.
	for len(b) >= 32 {
		x0 := binary.LittleEndian.Uint64(b)
		x1 := binary.LittleEndian.Uint64(b[8:])
		x2 := binary.LittleEndian.Uint64(b[16:])
		x3 := binary.LittleEndian.Uint64(b[24:])
		if ((x0-0x20*ones)&^x0|(x1-0x20*ones)&^x1|(x2-0x20*ones)&^x2|(x3-0x20*ones)&^x3)&highs != 0 {
			break
		}
		b = b[32:]
	}
	for len(b) >= 8 {
		x := binary.LittleEndian.Uint64(b)
		if (x-0x20*ones)&^x&highs != 0 {
			for _, c := range b[:8] {
				if c < 0x20 {
					return true
				}
			}
		}
		b = b[8:]
	}
	for _, c := range b {
		if c < 0x20 {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func scanNumber(d []byte, i int) int {
	if d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	default:
		return -1
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || !isDigit(d[i]) {
			return -1
		}
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || !isDigit(d[i]) {
			return -1
		}
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	}
	return i
}

// skipValue returns the index just past the value that starts at d[i], or
// -1. It is for input validJSON accepted, which the iterators below walk
// level by level: checking again what was checked would cost a pass over a
// long string at every level it is nested in. So it only finds the end:
// strings by their closing quote, containers by bracket depth, the rest by
// the next delimiter. On any other input it still ends, without panicking.
func skipValue(d []byte, i int) int {
	if i >= len(d) {
		return -1
	}
	switch d[i] {
	case '"':
		return skipString(d, i)
	case '{', '[':
		depth := 0
		for i < len(d) {
			// Most bytes of a container (numbers, names, the indentation of
			// a pretty-printed body) mean nothing here: pass them in a tight
			// loop rather than through the switch.
			for i < len(d) && !containerByte[d[i]] {
				i++
			}
			if i == len(d) {
				break
			}
			switch d[i] {
			case '"':
				if i = skipString(d, i); i < 0 {
					return -1
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return -1
	}
	j := i
	for j < len(d) && !isDelim(d[j]) {
		j++
	}
	if j == i {
		return -1
	}
	return j
}

// containerByte marks the bytes that skipValue must look at inside a
// container: quotes and brackets.
var containerByte = [256]bool{'"': true, '{': true, '[': true, '}': true, ']': true}

func isDelim(c byte) bool {
	return c == ',' || c == '}' || c == ']' || c == ':' || isSpace(c)
}

// skipString returns the index just past the string that starts at d[i] (a
// quote), or -1: the first quote not escaped by an odd run of backslashes.
func skipString(d []byte, i int) int {
	for j := i + 1; j < len(d); j++ {
		q := bytes.IndexByte(d[j:], '"')
		if q < 0 {
			return -1
		}
		j += q
		k := j
		for k > i+1 && d[k-1] == '\\' {
			k--
		}
		if (j-k)%2 == 0 {
			return j + 1
		}
	}
	return -1
}

// object iterates the members of a JSON object. It is meant for input that
// validJSON accepted; on anything else it simply stops.
type object struct {
	d    []byte
	i    int
	done bool
	key  []byte // the member's name, unescaped
	val  []byte // the member's raw value
}

// objectOf returns an iterator over v, which yields nothing unless v is an
// object.
func objectOf(v []byte) object {
	v = trimSpace(v)
	if len(v) < 2 || v[0] != '{' {
		return object{done: true}
	}
	return object{d: v, i: 1}
}

// next advances to the next member, reporting whether there was one.
func (o *object) next() bool {
	if o.done {
		return false
	}
	d := o.d
	i := skipSpace(d, o.i)
	if i < len(d) && d[i] == ',' {
		i = skipSpace(d, i+1)
	}
	if i >= len(d) || d[i] != '"' {
		o.done = true
		return false
	}
	kend := skipString(d, i)
	if kend < 0 {
		o.done = true
		return false
	}
	k := d[i:kend]
	i = skipSpace(d, kend)
	if i >= len(d) || d[i] != ':' {
		o.done = true
		return false
	}
	i = skipSpace(d, i+1)
	vend := skipValue(d, i)
	if vend < 0 {
		o.done = true
		return false
	}
	o.val = d[i:vend]
	o.i = vend
	o.key = k[1 : len(k)-1]
	if !plainKey(o.key) {
		// Escaped or non-ASCII names are rare; decoding them into a buffer
		// inside o would make every iterator escape to the heap.
		o.key = appendUnquoted(nil, k)
	}
	return true
}

// plainKey reports whether a member name needs no decoding: no escapes,
// and valid UTF-8 (encoding/json turns invalid bytes into U+FFFD).
func plainKey(k []byte) bool {
	for _, c := range k {
		if c == '\\' || c >= utf8.RuneSelf {
			return !hasByte(k, '\\') && utf8.Valid(k)
		}
	}
	return true
}

// array iterates the elements of a JSON array.
type array struct {
	d    []byte
	i    int
	n    int // index of val
	done bool
	val  []byte
}

// arrayOf returns an iterator over v, which yields nothing unless v is an
// array.
func arrayOf(v []byte) array {
	v = trimSpace(v)
	if len(v) < 2 || v[0] != '[' {
		return array{done: true}
	}
	return array{d: v, i: 1, n: -1}
}

// next advances to the next element, reporting whether there was one.
func (a *array) next() bool {
	if a.done {
		return false
	}
	d := a.d
	i := skipSpace(d, a.i)
	if i < len(d) && d[i] == ',' {
		i = skipSpace(d, i+1)
	}
	end := skipValue(d, i)
	if end < 0 {
		a.done = true
		return false
	}
	a.val = d[i:end]
	a.i = end
	a.n++
	return true
}

// lookup returns the raw value of the first member of object v named key.
func lookup(v []byte, key string) ([]byte, bool) {
	o := objectOf(v)
	for o.next() {
		if string(o.key) == key {
			return o.val, true
		}
	}
	return nil, false
}

func trimSpace(v []byte) []byte {
	i, j := 0, len(v)
	for i < j && isSpace(v[i]) {
		i++
	}
	for j > i && isSpace(v[j-1]) {
		j--
	}
	return v[i:j]
}

func hasByte(b []byte, c byte) bool {
	for _, x := range b {
		if x == c {
			return true
		}
	}
	return false
}

// isNull reports whether v is null or empty; both mean absent.
func isNull(v []byte) bool { return len(v) == 0 || string(v) == "null" }

func isString(v []byte) bool { return len(v) >= 2 && v[0] == '"' }
func isObject(v []byte) bool { return len(v) >= 2 && v[0] == '{' }
func isArray(v []byte) bool  { return len(v) >= 2 && v[0] == '[' }

// str returns the string v holds, or "" if v is not a string.
func str(v []byte) string {
	if !isString(v) {
		return ""
	}
	if !hasByte(v, '\\') && utf8.Valid(v) {
		return string(v[1 : len(v)-1])
	}
	return string(appendUnquoted(nil, v))
}

// nonEmptyString reports whether v is a string with at least one character.
func nonEmptyString(v []byte) bool { return isString(v) && len(v) > 2 }

// strIs reports whether v is the string s.
func strIs(v []byte, s string) bool {
	if !isString(v) {
		return false
	}
	if !hasByte(v, '\\') {
		return string(v[1:len(v)-1]) == s
	}
	var buf [64]byte
	return string(appendUnquoted(buf[:0], v)) == s
}

// appendStr appends the string v holds to dst; a non-string appends nothing.
func appendStr(dst, v []byte) []byte {
	if !isString(v) {
		return dst
	}
	if !hasByte(v, '\\') && utf8.Valid(v) {
		return append(dst, v[1:len(v)-1]...)
	}
	return appendUnquoted(dst, v)
}

// strLen is the length of v's string content, an upper bound of its
// unescaped length.
func strLen(v []byte) int {
	if !isString(v) {
		return 0
	}
	return len(v) - 2
}

// appendUnquoted appends the unescaped content of the quoted string q to
// dst. Invalid UTF-8 and lone surrogates become U+FFFD, as in encoding/json.
func appendUnquoted(dst, q []byte) []byte {
	if len(q) < 2 {
		return dst
	}
	s := q[1 : len(q)-1]
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			switch s[i+1] {
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			case 'u':
				r, ok := hex4(s, i+2)
				if !ok {
					return dst
				}
				i += 6
				if utf16.IsSurrogate(r) {
					if r2, ok := hex4(s, i+2); ok && i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							i += 6
							dst = utf8.AppendRune(dst, dec)
							continue
						}
					}
					r = utf8.RuneError
				}
				dst = utf8.AppendRune(dst, r)
				continue
			default: // '"', '\\', '/'
				dst = append(dst, s[i+1])
			}
			i += 2
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			r, size := utf8.DecodeRune(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = utf8.AppendRune(dst, utf8.RuneError)
			} else {
				dst = append(dst, s[i:i+size]...)
			}
			i += size
		}
	}
	return dst
}

func hex4(s []byte, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range s[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r*16 + rune(c)
	}
	return r, true
}

// count reads a token count. Counts may be JSON floats (Cohere types every
// count as float64): they are rounded. Negative counts and anything that is
// not a number are absent.
func count(v []byte) (int64, bool) {
	if len(v) == 0 || !(v[0] == '-' || isDigit(v[0])) {
		return 0, false
	}
	var n int64
	allDigits := len(v) <= 18
	for _, c := range v {
		if !isDigit(c) {
			allDigits = false
			break
		}
		n = n*10 + int64(c-'0')
	}
	if allDigits {
		return n, true
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil || math.IsNaN(f) || f < 0 {
		return 0, false
	}
	if f >= math.MaxInt64 {
		return math.MaxInt64, true
	}
	return int64(math.Round(f)), true
}

// integer reads an integer parameter such as max_tokens or seed, which may
// be negative; floats are rounded.
func integer(v []byte) (int64, bool) {
	f, ok := number(v)
	if !ok {
		return 0, false
	}
	switch {
	case f >= math.MaxInt64:
		return math.MaxInt64, true
	case f <= math.MinInt64:
		return math.MinInt64, true
	}
	if n, ok := count(v); ok && len(v) <= 18 {
		return n, true // exact for integers beyond float64 precision
	}
	return int64(math.Round(f)), true
}

// number reads a JSON number as a float64.
func number(v []byte) (float64, bool) {
	if len(v) == 0 || !(v[0] == '-' || isDigit(v[0])) {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil && !isRangeErr(err) {
		return 0, false
	}
	if math.IsNaN(f) {
		return 0, false
	}
	return f, true
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// boolean reads true or false.
func boolean(v []byte) (val, ok bool) {
	switch string(v) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// appendCompact appends the JSON value v without insignificant whitespace.
func appendCompact(dst, v []byte) []byte {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if isSpace(c) {
			continue
		}
		if c == '"' {
			end := scanString(v, i)
			if end < 0 {
				return append(dst, v[i:]...)
			}
			dst = append(dst, v[i:end]...)
			i = end - 1
			continue
		}
		dst = append(dst, c)
	}
	return dst
}
