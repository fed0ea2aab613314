package ingest

import (
	"context"
	"io"
)

// StdinName names standard input in reports.
const StdinName = "stdin"

// Stdin reads one stream, standard input, as one object named StdinName:
// any form a file may hold, gzip or not, told by its content. It can be
// listed and opened once.
type Stdin struct {
	R io.Reader
}

// List lists the one object.
func (s Stdin) List(_ context.Context, fn func(Object) error) error {
	return fn(Object{Name: StdinName, Key: StdinName, Size: -1, Rel: StdinName, Stream: true})
}

// Open returns the stream. Closing it leaves standard input open.
func (s Stdin) Open(_ context.Context, _ Object) (io.ReadCloser, error) {
	return io.NopCloser(s.R), nil
}
