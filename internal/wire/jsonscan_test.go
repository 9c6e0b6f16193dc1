package wire

import (
	"encoding/json"
	"strings"
	"testing"
)

var jsonCases = []string{
	`{}`, `[]`, `""`, `0`, `-0`, `1.5e-3`, `true`, `false`, `null`, ` {"a" : [1, 2 ,{"b":null}] } `,
	`{"a":"\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t"}`, `"\ud800"`, `"\ud800\u0041"`, `"\udc00"`, "\"\xff\xfe\"", `"é"`,
	`01`, `1.`, `.5`, `-`, `1e`, `+1`, `{"a"}`, `{"a":}`, `{,}`, `[1,]`, `[,1]`, `{"a":1,}`, `{"a" 1}`, `{a:1}`,
	`"\x"`, `"\u12"`, "\"a\tb\"", "\"a\nb\"", `tru`, `nul`, `[`, `]`, `{"a":1}}`, `[1] [2]`, ``, ` `,
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
	strings.Repeat("[", 9999) + strings.Repeat("]", 9999),
}

// TestValidJSON checks the scanner accepts exactly what encoding/json does.
func TestValidJSON(t *testing.T) {
	for _, c := range jsonCases {
		if got, want := validJSON([]byte(c)), json.Valid([]byte(c)); got != want {
			t.Errorf("validJSON(%.40q) = %v, want %v", c, got, want)
		}
	}
}

// TestUnquote checks string decoding against encoding/json.
func TestUnquote(t *testing.T) {
	for _, c := range jsonCases {
		if !json.Valid([]byte(c)) || c == "" || strings.TrimSpace(c)[0] != '"' {
			continue
		}
		var want string
		if err := json.Unmarshal([]byte(c), &want); err != nil {
			t.Fatal(err)
		}
		if got := str([]byte(c)); got != want {
			t.Errorf("str(%q) = %q, want %q", c, got, want)
		}
	}
}

func TestIterators(t *testing.T) {
	o := objectOf([]byte(` { "a" : 1 , "b\u0063" : [true, {"x":"y"}], "d": "e" } `))
	var keys []string
	for o.next() {
		keys = append(keys, string(o.key)+"="+string(o.val))
	}
	if got := strings.Join(keys, ";"); got != `a=1;bc=[true, {"x":"y"}];d="e"` {
		t.Errorf("object: %s", got)
	}
	a := arrayOf([]byte(`[ 1, "two" ,{"3":3}]`))
	var vals []string
	for a.next() {
		vals = append(vals, string(a.val))
	}
	if got := strings.Join(vals, ";"); got != `1;"two";{"3":3}` || a.n != 2 {
		t.Errorf("array: %s", got)
	}
	for _, v := range []string{``, `[1]`, `"x"`, `{`, `null`} {
		o := objectOf([]byte(v))
		if o.next() {
			t.Errorf("objectOf(%q) yielded", v)
		}
	}
	if v, ok := lookup([]byte(`{"a":{"b":2},"b":3}`), "b"); !ok || string(v) != "3" {
		t.Errorf("lookup: %s", v)
	}
	if got := string(appendCompact(nil, []byte(" { \"a b\" : [ 1 , 2 ] } "))); got != `{"a b":[1,2]}` {
		t.Errorf("compact: %s", got)
	}
}
