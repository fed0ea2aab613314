package ingest

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// Shard is one of Count shares of a run's input (--shard Index/Count,
// Index from 1): an object is in the share that a stable hash of its Rel
// names, so Count workers that each read one share read every object once,
// whatever the machine or the order of listing. The zero Shard is the whole
// input.
type Shard struct {
	Index, Count int
}

// ParseShard reads "i/n", 1 <= i <= n.
func ParseShard(s string) (Shard, error) {
	is, ns, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	if !ok || err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("%q: want i/n, such as 2/7", s)
	}
	if n < 1 || i < 1 || i > n {
		return Shard{}, fmt.Errorf("%q: want 1 <= i <= n", s)
	}
	return Shard{Index: i, Count: n}, nil
}

// Has reports whether the object at rel is in the share.
func (s Shard) Has(rel string) bool {
	if s.Count <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(rel))
	return int(h.Sum64()%uint64(s.Count)) == s.Index-1
}
