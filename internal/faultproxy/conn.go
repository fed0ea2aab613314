package faultproxy

// What a fault does to the client's connection once the proxy has taken it
// from the HTTP server: a raw answer cut, stalled or reset at a byte.

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"
)

// writeHead writes resp's status line and headers with the full body
// length, and asks the client not to reuse the connection.
func writeHead(c net.Conn, resp *http.Response, size int) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %s\r\n", resp.Status)
	h := http.Header{}
	copyHeader(h, resp.Header)
	h.Set("Content-Length", strconv.Itoa(size))
	h.Set("Connection", "close")
	h.Write(&b)
	b.WriteString("\r\n")
	c.Write(b.Bytes())
}

// hijack takes the connection from the server; nil when the proxy is
// closing or the connection cannot be taken.
func (p *Proxy) hijack(w http.ResponseWriter) net.Conn {
	c, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil
	}
	if buf != nil && buf.Writer.Buffered() > 0 {
		buf.Flush()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.Close()
		return nil
	}
	p.conns[c] = struct{}{}
	return c
}

func (p *Proxy) drop(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	c.Close()
}

// reset closes c with a TCP RST rather than a FIN.
func (p *Proxy) reset(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	p.drop(c)
}

// stall waits until the client closes c, the proxy closes, or delay (when
// set) passes; it reports whether the delay passed with the client still
// there.
func (p *Proxy) stall(c net.Conn, delay time.Duration) bool {
	gone := make(chan struct{})
	go func() {
		// The client sends nothing more on this connection; a read
		// returns when it closes.
		bufio.NewReader(c).ReadByte()
		close(gone)
	}()
	var timeout <-chan time.Time
	if delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-gone:
		return false
	case <-p.done:
		return false
	case <-timeout:
		return true
	}
}
