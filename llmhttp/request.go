package llmhttp

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
)

// readBody returns the request body for parsing without changing what is
// sent. With GetBody (every SDK this package targets sets it) the body is
// read from a fresh copy and req is left alone. Without it, the body is read
// from req.Body and a clone of req carries the same bytes on: the whole body
// (with GetBody) when it fit under limit, else the bytes read followed by the
// unread rest, exactly, even if reading failed part-way. over reports a body
// too large to parse.
func readBody(req *http.Request, limit int) (body []byte, out *http.Request, over bool) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, req, false
	}
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil, req, false
		}
		defer rc.Close()
		b, err := readUpTo(rc, req.ContentLength, limit)
		if err != nil || len(b) > limit {
			return nil, req, err == nil
		}
		return b, req, false
	}
	prefix, err := readUpTo(req.Body, req.ContentLength, limit)
	out = req.Clone(req.Context())
	if err == nil && len(prefix) <= limit {
		_ = req.Body.Close() // fully read and replaced: a RoundTripper closes the body it was given
		setBody(out, prefix)
		return prefix, out, false
	}
	// Re-assemble what was read with what was not, before looking at err.
	out.Body = readCloser{io.MultiReader(bytes.NewReader(prefix), req.Body), req.Body}
	return nil, out, err == nil
}

// readUpTo reads r to EOF, stopping after limit+1 bytes. A known size (the
// request's ContentLength) sizes the buffer once; io.ReadAll would grow it
// from 512 bytes through a series of copies.
func readUpTo(r io.Reader, size int64, limit int) ([]byte, error) {
	r = io.LimitReader(r, int64(limit)+1)
	if size < 0 || size > int64(limit) {
		return io.ReadAll(r)
	}
	b := make([]byte, 0, size+1) // +1: room to see EOF without growing
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // the size was wrong: grow as append does
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

type readCloser struct {
	io.Reader
	io.Closer
}

func setBody(req *http.Request, b []byte) {
	req.Body = io.NopCloser(bytes.NewReader(b))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	req.ContentLength = int64(len(b))
	if req.Header.Get("Content-Length") != "" {
		req.Header.Set("Content-Length", strconv.Itoa(len(b)))
	}
}

// withIncludeUsage returns body with stream_options.include_usage set to
// true, keeping any other stream options; ok is false if body is not a JSON
// object.
func withIncludeUsage(body []byte) ([]byte, bool) {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil || top == nil {
		return nil, false
	}
	opts := map[string]json.RawMessage{}
	if raw, found := top["stream_options"]; found && string(raw) != "null" {
		if json.Unmarshal(raw, &opts) != nil || opts == nil {
			return nil, false
		}
	}
	opts["include_usage"] = json.RawMessage("true")
	raw, err := json.Marshal(opts)
	if err != nil {
		return nil, false
	}
	top["stream_options"] = raw
	out, err := json.Marshal(top)
	return out, err == nil
}
