package faultproxy

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// upstream answers every request with its path, Host header and a body of
// 1,000 bytes.
func upstream(t *testing.T) *httptest.Server {
	body := strings.Repeat("x", 1000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Path", r.URL.EscapedPath())
		w.Header().Set("X-Host", r.Host)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func start(t *testing.T, s Script) *Proxy {
	p, err := New(upstream(t).URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	p.SetScript(s)
	return p
}

func TestFaults(t *testing.T) {
	client := &http.Client{Timeout: 500 * time.Millisecond}
	tests := []struct {
		name     string
		fault    Fault
		status   int    // 0: no response
		got      int    // body bytes read
		bodyErr  string // the error reading the body ends with
		duration time.Duration
	}{
		{name: "pass", fault: Fault{}, status: 200, got: 1000},
		{name: "slow down", fault: Fault{Kind: SlowDown}, status: 503, got: -1},
		{name: "reset", fault: Fault{Kind: Reset}},
		{name: "stall headers", fault: Fault{Kind: StallHeaders}, duration: 500 * time.Millisecond},
		{name: "stall headers, then answer", fault: Fault{Kind: StallHeaders, Delay: 100 * time.Millisecond}, status: 200, got: 1000},
		{name: "cut body", fault: Fault{Kind: CutBody, After: 300}, status: 200, got: 300, bodyErr: "unexpected EOF"},
		{name: "cut half", fault: Fault{Kind: CutBody, Fraction: 0.5}, status: 200, got: 500, bodyErr: "unexpected EOF"},
		{name: "cut past the end bites at the last byte", fault: Fault{Kind: CutBody, After: 5000}, status: 200, got: 999, bodyErr: "unexpected EOF"},
		{name: "reset body", fault: Fault{Kind: ResetBody, After: 10}, status: 200, got: 10, bodyErr: "reset"},
		{name: "stall body", fault: Fault{Kind: StallBody, After: 10}, status: 200, got: 10, bodyErr: "Timeout", duration: 500 * time.Millisecond},
		{name: "stall body, then the rest", fault: Fault{Kind: StallBody, After: 10, Delay: 100 * time.Millisecond}, status: 200, got: 1000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := start(t, func(Request) Fault { return tc.fault })
			t0 := time.Now()
			resp, err := client.Get(p.URL + "/b/k")
			if tc.status == 0 {
				if err == nil {
					resp.Body.Close()
					t.Fatalf("got a response %s, want none", resp.Status)
				}
				if d := time.Since(t0); d < tc.duration {
					t.Errorf("failed after %s, want at least %s", d, tc.duration)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			b, err := io.ReadAll(resp.Body)
			if tc.got >= 0 && len(b) != tc.got {
				t.Errorf("read %d bytes, want %d", len(b), tc.got)
			}
			switch {
			case tc.bodyErr == "" && err != nil:
				t.Errorf("body: %v", err)
			case tc.bodyErr != "" && (err == nil || !strings.Contains(err.Error(), tc.bodyErr)):
				t.Errorf("body error %v, want one with %q", err, tc.bodyErr)
			}
		})
	}
}

func TestAttemptsAndForwarding(t *testing.T) {
	var seen []Request
	p := start(t, func(r Request) Fault {
		seen = append(seen, r)
		if r.Attempt <= 2 {
			return Fault{Kind: SlowDown}
		}
		return Fault{}
	})
	get := func(path string) *http.Response {
		t.Helper()
		resp, err := http.Get(p.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	const path = "/bucket/a%20b/c%2Bd.json.gz"
	for i, want := range []int{503, 503, 200} {
		if got := get(path).StatusCode; got != want {
			t.Errorf("attempt %d: status %d, want %d", i+1, got, want)
		}
	}
	if got := get(path + "?x-id=GetObject").StatusCode; got != 503 {
		t.Errorf("another query is a new request: status %d, want 503", got)
	}
	resp := get(path)
	if got := resp.Header.Get("X-Path"); got != path {
		t.Errorf("upstream saw path %q, want %q as sent", got, path)
	}
	if got, want := resp.Header.Get("X-Host"), strings.TrimPrefix(p.URL, "http://"); got != want {
		t.Errorf("upstream saw Host %q, want the proxy's %q", got, want)
	}
	if r := seen[0]; r.Bucket() != "bucket" || r.Key() != "a b/c+d.json.gz" || !r.IsGetObject() || r.IsList() {
		t.Errorf("request %+v: bucket %q key %q", r, r.Bucket(), r.Key())
	}
	if n := len(p.Log()); n != 5 {
		t.Errorf("log has %d entries, want 5", n)
	}
}

// Close ends stalled requests at once.
func TestCloseEndsStalls(t *testing.T) {
	p := start(t, func(Request) Fault { return Fault{Kind: StallHeaders} })
	errc := make(chan error, 1)
	go func() {
		resp, err := http.Get(p.URL + "/b/k")
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	time.Sleep(100 * time.Millisecond)
	p.Close()
	select {
	case err := <-errc:
		var ne net.Error
		if err == nil || errors.As(err, &ne) && ne.Timeout() {
			t.Errorf("err = %v, want the connection closed", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a stalled request outlived Close")
	}
}
