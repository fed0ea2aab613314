package limits

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
)

func TestCappedReader(t *testing.T) {
	for _, tc := range []struct {
		size, limit int
		wantErr     bool
	}{
		{10, 10, false}, {11, 10, true}, {0, 0, false}, {1, 0, true}, {1 << 20, 1000, true},
	} {
		r := NewReader(iotest.HalfReader(bytes.NewReader(make([]byte, tc.size))), "body", int64(tc.limit))
		b, err := io.ReadAll(r)
		var se *SizeError
		if tc.wantErr != errors.As(err, &se) || len(b) > tc.limit+1 {
			t.Errorf("%d bytes, limit %d: read %d, err %v", tc.size, tc.limit, len(b), err)
		}
	}
	var total atomic.Int64
	a := NewReader(bytes.NewReader(make([]byte, 60)), "a", 100).Sharing(&total, 100)
	b := NewReader(bytes.NewReader(make([]byte, 60)), "b", 100).Sharing(&total, 100)
	if _, err := io.ReadAll(a); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(b); err == nil || !strings.Contains(err.Error(), "together") {
		t.Errorf("err = %v, want the shared limit passed", err)
	}
}
