package llmhttp

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// readUpTo must return what io.ReadAll of the limited reader returns,
// whatever size it is told, right or wrong.
func TestReadUpTo(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789"), 100) // 1000 bytes
	for _, tc := range []struct {
		name  string
		size  int64
		limit int
	}{
		{"exact size", 1000, 4096},
		{"unknown size", -1, 4096},
		{"size too small", 10, 4096},
		{"size zero", 0, 4096},
		{"size too large", 3000, 4096},
		{"size over the limit", 5000, 4096},
		{"body over the limit", 1000, 999},
		{"body at the limit", 1000, 1000},
		{"body over the limit, size says under", 100, 500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, _ := io.ReadAll(io.LimitReader(bytes.NewReader(body), int64(tc.limit)+1))
			for _, r := range []io.Reader{bytes.NewReader(body), iotest.OneByteReader(bytes.NewReader(body)), iotest.DataErrReader(bytes.NewReader(body))} {
				got, err := readUpTo(r, tc.size, tc.limit)
				if err != nil || !bytes.Equal(got, want) {
					t.Fatalf("got %d bytes, %v; want %d bytes", len(got), err, len(want))
				}
			}
		})
	}
	t.Run("read error", func(t *testing.T) {
		boom := errors.New("boom")
		got, err := readUpTo(io.MultiReader(bytes.NewReader(body[:300]), iotest.ErrReader(boom)), 1000, 4096)
		if !errors.Is(err, boom) || !bytes.Equal(got, body[:300]) {
			t.Fatalf("got %d bytes, %v; want the 300 bytes read and the error", len(got), err)
		}
	})
}
