// Package faultproxy is an HTTP reverse proxy on 127.0.0.1 that a test puts
// in front of an S3 server (MinIO) to inject network faults: stalls before the
// headers or mid-body, connection resets, bodies cut short of their
// Content-Length, and 503 SlowDown answers.
//
// A test scripts the faults per request: the Script sees each request's
// method, path, query, headers and attempt number (how many times this
// method, path and query have been asked for, the first being 1) and returns
// the Fault to apply, or none. Requests are forwarded unchanged, Host header
// included, so SigV4 signatures made for the proxy's address still verify
// upstream; clients must use path-style addressing.
package faultproxy

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Kind names a fault.
type Kind int

const (
	// Pass forwards the request and its answer untouched.
	Pass Kind = iota
	// StallHeaders holds the request without answering, until the client
	// gives up (or Delay passes, after which the answer is sent).
	StallHeaders
	// StallBody sends the headers and After bytes of the body, then nothing,
	// until the client gives up (or Delay passes, after which the rest is
	// sent).
	StallBody
	// CutBody sends the headers, with the full Content-Length, and After
	// bytes of the body, then closes the connection.
	CutBody
	// Reset answers nothing and resets the connection (TCP RST).
	Reset
	// ResetBody sends the headers and After bytes of the body, then resets
	// the connection.
	ResetBody
	// SlowDown answers 503 with S3's SlowDown error, without asking
	// upstream.
	SlowDown
)

var kindNames = [...]string{"pass", "stall-headers", "stall-body", "cut-body", "reset", "reset-body", "slow-down"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Fault is what to do to one request.
type Fault struct {
	Kind Kind
	// After is how many body bytes StallBody, CutBody and ResetBody let
	// through. It is clipped to one byte short of the body, so the fault
	// always bites; Fraction, when set, takes that share of the body
	// instead.
	After    int64
	Fraction float64
	// Delay ends a stall: the answer, or the rest of it, is sent after it.
	// Zero stalls until the client closes the connection.
	Delay time.Duration
}

// Request is what a Script sees of a request.
type Request struct {
	Method  string
	Path    string // escaped, as the client sent it: /bucket/key
	Query   url.Values
	Header  http.Header
	Attempt int // 1 for the first request with this method, path and query
}

// Bucket and Key split a path-style request path, unescaped: "/b/k/x" is
// bucket "b" and key "k/x".
func (r Request) Bucket() string {
	b, _ := r.split()
	return b
}

// Key is the object key of a path-style request, "" for a bucket request.
func (r Request) Key() string {
	_, k := r.split()
	return k
}

func (r Request) split() (string, string) {
	path, err := url.PathUnescape(r.Path)
	if err != nil {
		path = r.Path
	}
	b, k, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return b, k
}

// IsList reports whether r is a ListObjectsV2 request.
func (r Request) IsList() bool {
	return r.Method == http.MethodGet && r.Key() == "" && r.Query.Get("list-type") == "2"
}

// IsGetObject reports whether r reads an object.
func (r Request) IsGetObject() bool {
	return r.Method == http.MethodGet && r.Key() != ""
}

// Script chooses the fault for a request. It is called for every request,
// from the proxy's goroutines, one call at a time.
type Script func(Request) Fault

// Entry is one request the proxy saw and the fault it applied.
type Entry struct {
	Request
	Fault Fault
}

// Proxy is a running fault-injecting proxy.
type Proxy struct {
	URL string // http://127.0.0.1:PORT, to use as the S3 endpoint

	target *url.URL
	ln     net.Listener
	srv    *http.Server
	tr     *http.Transport
	done   chan struct{}

	mu       sync.Mutex
	script   Script
	attempts map[string]int
	log      []Entry
	conns    map[net.Conn]struct{} // hijacked connections still open
	closed   bool
}

// New starts a proxy on 127.0.0.1 in front of target (http://host:port).
// Until SetScript is called it passes everything through.
func New(target string) (*Proxy, error) {
	u, err := url.Parse(target)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("faultproxy: bad target %q", target)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("faultproxy: listen: %w", err)
	}
	p := &Proxy{
		URL:    "http://" + ln.Addr().String(),
		target: u,
		ln:     ln,
		done:   make(chan struct{}),
		// No proxy from the environment, and no transparent gzip: the
		// client must see upstream's bytes.
		tr:       &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 64},
		attempts: map[string]int{},
		conns:    map[net.Conn]struct{}{},
	}
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go p.srv.Serve(ln)
	return p, nil
}

// SetScript replaces the script and starts counting attempts afresh.
func (p *Proxy) SetScript(s Script) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.script = s
	p.attempts = map[string]int{}
	p.log = nil
}

// Log returns the requests seen since the last SetScript, in arrival order.
func (p *Proxy) Log() []Entry {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Entry(nil), p.log...)
}

// Close stops the proxy and drops every connection, stalled ones included.
func (p *Proxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	close(p.done)
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	err := p.srv.Close()
	p.tr.CloseIdleConnections()
	return err
}

// decide counts the attempt and asks the script.
func (p *Proxy) decide(r *http.Request) Request {
	q := r.URL.Query()
	key := r.Method + " " + r.URL.EscapedPath() + "?" + q.Encode()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.attempts[key]++
	return Request{Method: r.Method, Path: r.URL.EscapedPath(), Query: q, Header: r.Header.Clone(), Attempt: p.attempts[key]}
}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req := p.decide(r)
	p.mu.Lock()
	var f Fault
	if p.script != nil {
		f = p.script(req)
	}
	p.log = append(p.log, Entry{Request: req, Fault: f})
	p.mu.Unlock()

	switch f.Kind {
	case Pass:
		p.pass(w, r)
	case SlowDown:
		body := []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
			`<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>` +
			`<Resource>` + r.URL.EscapedPath() + `</Resource><RequestId>faultproxy</RequestId></Error>`)
		w.Header().Set("Content-Type", "application/xml")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write(body)
	case Reset:
		if c := p.hijack(w); c != nil {
			p.reset(c)
		}
	case StallHeaders:
		c := p.hijack(w)
		if c == nil {
			return
		}
		defer p.drop(c)
		if !p.stall(c, f.Delay) {
			return
		}
		resp, body, err := p.fetch(r)
		if err != nil {
			return
		}
		writeHead(c, resp, len(body))
		c.Write(body)
	default: // the faults that need upstream's answer first
		resp, body, err := p.fetch(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		c := p.hijack(w)
		if c == nil {
			return
		}
		n := cutAt(f, len(body))
		writeHead(c, resp, len(body))
		c.Write(body[:n])
		switch f.Kind {
		case CutBody:
			p.drop(c)
		case ResetBody:
			p.reset(c)
		case StallBody:
			if p.stall(c, f.Delay) {
				c.Write(body[n:])
			}
			p.drop(c)
		}
	}
}

// cutAt is where a body fault bites: never past the last byte.
func cutAt(f Fault, size int) int {
	n := int(f.After)
	if f.Fraction > 0 {
		n = int(f.Fraction * float64(size))
	}
	return max(0, min(n, size-1))
}

// pass forwards r upstream and streams the answer back.
func (p *Proxy) pass(w http.ResponseWriter, r *http.Request) {
	resp, err := p.tr.RoundTrip(p.outgoing(r))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	copyHeader(w.Header(), resp.Header)
	if resp.ContentLength >= 0 {
		w.Header().Set("Content-Length", strconv.FormatInt(resp.ContentLength, 10))
	}
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

// fetch forwards r upstream and reads the whole answer.
func (p *Proxy) fetch(r *http.Request) (*http.Response, []byte, error) {
	resp, err := p.tr.RoundTrip(p.outgoing(r))
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// outgoing is r addressed to the target, with the client's Host header and
// its path exactly as sent, so the signature still holds.
func (p *Proxy) outgoing(r *http.Request) *http.Request {
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.URL.Scheme = p.target.Scheme
	out.URL.Host = p.target.Host
	out.Host = r.Host
	for _, h := range hopHeaders {
		out.Header.Del(h)
	}
	if r.ContentLength == 0 {
		out.Body = nil
	}
	return out
}

var hopHeaders = []string{"Connection", "Proxy-Connection", "Keep-Alive", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

func copyHeader(dst, src http.Header) {
	for k, vs := range src {
		if k == "Connection" || k == "Keep-Alive" || k == "Transfer-Encoding" {
			continue
		}
		dst[k] = append(dst[k][:0:0], vs...)
	}
}
