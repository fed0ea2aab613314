package pq

import (
	"sync"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go/compress"
	pqzstd "github.com/parquet-go/parquet-go/compress/zstd"
	"github.com/parquet-go/parquet-go/format"
)

// Window is the encoders' window, and so their history's size.
const Window = 1 << 20

// Codec is the zstd codec of the Parquet files tailor writes (partial
// aggregates, exports): parquet-go's own, but with encoders that hold a
// small window, so that writing a file does not keep tens of MiB of
// compression history alive beside the aggregate being written.
//
// parquet-go's default zstd encoder keeps a history the size of zstd's
// default window (8 MiB) per encoder, and one encoder per page written at
// once: writing a partial aggregate of a 200 MB trail held 32 MiB of it,
// more than the aggregate. Pages are at most a few hundred KiB, so a
// window of 1 MiB loses nothing a page could use. The files are standard
// zstd-compressed Parquet that any reader reads; decoding is parquet-go's.
// It is safe for concurrent use.
var Codec compress.Codec = &codec{}

type codec struct {
	encoders sync.Pool
	decode   pqzstd.Codec
}

func (c *codec) String() string                            { return "ZSTD" }
func (c *codec) CompressionCodec() format.CompressionCodec { return format.Zstd }

func (c *codec) Encode(dst, src []byte) ([]byte, error) {
	e, _ := c.encoders.Get().(*zstd.Encoder)
	if e == nil {
		var err error
		e, err = zstd.NewWriter(nil,
			zstd.WithEncoderConcurrency(1),
			zstd.WithEncoderLevel(zstd.SpeedDefault),
			zstd.WithWindowSize(Window),
			zstd.WithLowerEncoderMem(true),
			zstd.WithZeroFrames(true),
			zstd.WithEncoderCRC(false),
		)
		if err != nil {
			return nil, err
		}
	}
	defer c.encoders.Put(e)
	return e.EncodeAll(src, dst[:0]), nil
}

func (c *codec) Decode(dst, src []byte) ([]byte, error) { return c.decode.Decode(dst, src) }
