package cache

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
)

// fullRef is a service reference as large as AWS's: one file for each
// service of the embedded catalog, in AWS's format, on a test server on
// 127.0.0.1. Tests change it before the update starts: drop services or
// actions, or answer a service's file with a handler of their own.
type fullRef struct {
	*httptest.Server
	files    map[string]*refService // by prefix
	prefixes []string

	mu      sync.Mutex
	handler map[string]http.HandlerFunc // prefix → answer instead of its file
	hits    map[string]int
}

// refFromFile turns a catalog file back into service reference files.
func refFromFile(f *file) map[string]*refService {
	out := map[string]*refService{}
	for _, s := range f.Services {
		rs := &refService{Name: s.Prefix, Version: "v1.3"}
		for _, a := range s.Actions {
			ra := refAction{Name: a.Name}
			p := &ra.Annotations.Properties
			switch {
			case strings.Contains(a.Level, "Permissions management"):
				p.IsPermissionManagement = true
			case strings.Contains(a.Level, "Tagging"):
				p.IsTaggingOnly = true
			case strings.Contains(a.Level, "Write"):
				p.IsWrite = true
			case a.Level == "List":
				p.IsList = true
			}
			for _, r := range a.Resources {
				ra.Resources = append(ra.Resources, refName{Name: r.Name})
			}
			rs.Actions = append(rs.Actions, ra)
		}
		for _, r := range s.Resources {
			if ts := r.Templates(); len(ts) > 0 {
				rs.Resources = append(rs.Resources, refResource{Name: r.Name, ARNFormats: ts})
			}
		}
		out[s.Prefix] = rs
	}
	return out
}

func newFullRef(t *testing.T) *fullRef {
	t.Helper()
	r := &fullRef{files: refFromFile(embeddedFile(t)), handler: map[string]http.HandlerFunc{}, hits: map[string]int{}}
	for p := range r.files {
		r.prefixes = append(r.prefixes, p)
	}
	// Smallest services first, so that dropping the first few loses
	// services rather than a share of the actions.
	sort.Slice(r.prefixes, func(i, j int) bool {
		a, b := len(r.files[r.prefixes[i]].Actions), len(r.files[r.prefixes[j]].Actions)
		if a != b {
			return a < b
		}
		return r.prefixes[i] < r.prefixes[j]
	})
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

func (r *fullRef) serve(w http.ResponseWriter, req *http.Request) {
	if req.URL.Path == "/" {
		var list []refIndexEntry
		for _, p := range r.prefixes {
			if _, ok := r.files[p]; ok {
				list = append(list, refIndexEntry{Service: p, URL: fmt.Sprintf("%s/v1/%s/%s.json", r.URL, p, p)})
			}
		}
		json.NewEncoder(w).Encode(list)
		return
	}
	p, _, _ := strings.Cut(strings.TrimPrefix(req.URL.Path, "/v1/"), "/")
	r.mu.Lock()
	r.hits[p]++
	h := r.handler[p]
	r.mu.Unlock()
	if h != nil {
		h(w, req)
		return
	}
	s, ok := r.files[p]
	if !ok {
		http.NotFound(w, req)
		return
	}
	json.NewEncoder(w).Encode(s)
}

// answer makes the server answer prefix's file with h.
func (r *fullRef) answer(prefix string, h http.HandlerFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.handler[prefix] = h
}

func (r *fullRef) hitsOf(prefix string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.hits[prefix]
}

// dropActions removes every nth action of every service, from the first.
func (r *fullRef) dropActions(nth int) (dropped []string) {
	for p, s := range r.files {
		var kept []refAction
		for i, a := range s.Actions {
			if i%nth == 0 {
				dropped = append(dropped, p+":"+a.Name)
				continue
			}
			kept = append(kept, a)
		}
		s.Actions = kept
	}
	return dropped
}

// streamedFile is a service file that a server sends as it goes, without
// holding it: head, then unit repeated until size bytes have gone, then
// tail. A reader, so that a test can send 62 MB without allocating it.
type streamedFile struct {
	head, unit, tail string
	size             int64
	sent             int64
	rest             string
}

func (s *streamedFile) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if s.rest == "" {
			switch {
			case s.sent == 0:
				s.rest = s.head
			case s.sent < s.size:
				s.rest = s.unit
			case s.tail != "":
				s.rest, s.tail = s.tail, ""
			default:
				if n == 0 {
					return 0, io.EOF
				}
				return n, nil
			}
		}
		c := copy(p[n:], s.rest)
		s.rest = s.rest[c:]
		n += c
		s.sent += int64(c)
	}
	return n, nil
}

// stream answers with a fresh streamedFile, declaring its length first if
// withLength, and stops when the client hangs up.
func stream(head, unit, tail string, size int64, withLength bool) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		if withLength {
			w.Header().Set("Content-Length", fmt.Sprint(size+int64(len(tail))))
		}
		io.Copy(w, &streamedFile{head: head, unit: unit, tail: tail, size: size})
	}
}
