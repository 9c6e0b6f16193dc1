package pricing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// Parse reads a price file in any of the formats this package loads,
// telling them apart by shape: a JSON array is genai-prices (priced as of
// now), an object with a "schema" of "genaix.prices/…" is the genaix format,
// and any other object is LiteLLM's.
func Parse(data []byte) (*Catalog, error) {
	return prefixed(parse(data))
}

func parse(data []byte) (*Catalog, error) {
	switch detect(data) {
	case '[':
		return parseGenAIPrices(data, time.Now())
	case 'g':
		return parseGenaix(data)
	case '{':
		return parseLiteLLM(data)
	}
	return nil, errors.New("unrecognised price file: want a JSON object or array")
}

// prefixed adds the package's prefix to a loader's error.
func prefixed(c *Catalog, err error) (*Catalog, error) {
	if err != nil {
		return nil, fmt.Errorf("pricing: %w", err)
	}
	return c, nil
}

// detect returns '[' for genai-prices, 'g' for genaix, '{' for LiteLLM and
// 0 for anything else.
func detect(data []byte) byte {
	data = trimJSON(data)
	if len(data) == 0 {
		return 0
	}
	switch data[0] {
	case '[':
		return '['
	case '{':
		var head struct {
			Schema json.RawMessage `json:"schema"`
		}
		var schema string
		if json.Unmarshal(data, &head) == nil && json.Unmarshal(head.Schema, &schema) == nil &&
			strings.HasPrefix(schema, "genaix.prices/") {
			return 'g'
		}
		return '{'
	}
	return 0
}

// LoadFile reads and parses the price file at path; see Parse.
func LoadFile(path string) (*Catalog, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("pricing: %w", err)
	}
	c, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("pricing: %s: %w", path, err)
	}
	return c, nil
}

// trimJSON drops leading white space and a UTF-8 byte order mark.
func trimJSON(data []byte) []byte {
	data = bytes.TrimLeft(data, " \t\r\n")
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	return bytes.TrimLeft(data, " \t\r\n")
}

// decodeObject decodes a JSON object into its raw members, refusing other
// JSON values (null included) so a malformed file is an error, not an empty
// table.
func decodeObject(data []byte) (map[string]json.RawMessage, error) {
	if d := trimJSON(data); len(d) == 0 || d[0] != '{' {
		return nil, errors.New("want a JSON object")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// decodeArray is decodeObject for arrays.
func decodeArray(data []byte) ([]json.RawMessage, error) {
	if d := trimJSON(data); len(d) == 0 || d[0] != '[' {
		return nil, errors.New("want a JSON array")
	}
	var a []json.RawMessage
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, err
	}
	return a, nil
}

// decodeStrict decodes one JSON value into v, rejecting unknown fields and
// trailing data.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// isNull reports whether a raw JSON value is null (or absent).
func isNull(raw json.RawMessage) bool {
	d := trimJSON(raw)
	return len(d) == 0 || string(d) == "null"
}
