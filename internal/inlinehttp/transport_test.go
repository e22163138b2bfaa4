package inlinehttp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// server is an httptest server that counts the connections it accepts.
type server struct {
	*httptest.Server
	conns  atomic.Int64
	closed atomic.Int64
}

func newServer(t *testing.T, h http.HandlerFunc) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewUnstartedServer(h)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		switch st {
		case http.StateNew:
			s.conns.Add(1)
		case http.StateClosed:
			s.closed.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// refuse is a fallback that records what reached it.
type refuse struct{ got []string }

func (r *refuse) RoundTrip(req *http.Request) (*http.Response, error) {
	r.got = append(r.got, req.URL.String())
	if req.Body != nil {
		req.Body.Close()
	}
	return nil, errors.New("fallback")
}

func newTransport(t *testing.T) (*Transport, *refuse) {
	t.Helper()
	fb := &refuse{}
	tr := &Transport{Fallback: fb}
	t.Cleanup(tr.CloseIdleConnections)
	return tr, fb
}

func do(t *testing.T, tr http.RoundTripper, method, u, body string) (*http.Response, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, u, err)
	}
	return resp, string(b)
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name      string
		method    string
		body      string
		handler   http.HandlerFunc
		status    int
		want      string
		wantConns int64 // after three requests in a row
	}{
		{name: "post echoes on one connection", method: "POST", body: `{"model":"m"}`, status: 200, want: `{"model":"m"}`, wantConns: 1,
			handler: func(w http.ResponseWriter, r *http.Request) { io.Copy(w, r.Body) }},
		{name: "chunked body", method: "GET", status: 200, want: "a,b,c", wantConns: 1,
			handler: func(w http.ResponseWriter, r *http.Request) {
				for i, s := range []string{"a", "b", "c"} {
					if i > 0 {
						io.WriteString(w, ",")
					}
					io.WriteString(w, s)
					w.(http.Flusher).Flush()
				}
			}},
		{name: "no content", method: "GET", status: 204, wantConns: 1,
			handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }},
		{name: "empty body", method: "GET", status: 200, wantConns: 1,
			handler: func(w http.ResponseWriter, r *http.Request) { w.Header().Set("Content-Length", "0") }},
		{name: "head", method: "HEAD", status: 200, wantConns: 1,
			handler: func(w http.ResponseWriter, r *http.Request) { w.Header().Set("Content-Length", "5") }},
		{name: "early hints are skipped", method: "GET", status: 200, want: "ok", wantConns: 1,
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Link", "</x>; rel=preload")
				w.WriteHeader(http.StatusEarlyHints)
				io.WriteString(w, "ok")
			}},
		{name: "server asks to close", method: "GET", status: 200, want: "bye", wantConns: 3,
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Connection", "close")
				io.WriteString(w, "bye")
			}},
		{name: "error status keeps the connection", method: "POST", body: "x", status: http.StatusTooManyRequests, want: "slow down\n", wantConns: 1,
			handler: func(w http.ResponseWriter, r *http.Request) { http.Error(w, "slow down", http.StatusTooManyRequests) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, tt.handler)
			tr, fb := newTransport(t)
			for i := range 3 {
				resp, got := do(t, tr, tt.method, s.URL+"/v1/x", tt.body)
				if resp.StatusCode != tt.status || got != tt.want {
					t.Fatalf("request %d: got %d %q, want %d %q", i, resp.StatusCode, got, tt.status, tt.want)
				}
			}
			if n := s.conns.Load(); n != tt.wantConns {
				t.Errorf("server saw %d connections, want %d", n, tt.wantConns)
			}
			if len(fb.got) > 0 {
				t.Errorf("fallback carried %v", fb.got)
			}
		})
	}
}

func TestRequestHeadersReachServer(t *testing.T) {
	var got http.Header
	var host, uri string
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) { got, host, uri = r.Header.Clone(), r.Host, r.RequestURI })
	tr, _ := newTransport(t)
	req, _ := http.NewRequestWithContext(t.Context(), "POST", s.URL+"/v1/chat?x=1", strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer k")
	req.Host = "upstream.example"
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if got.Get("Authorization") != "Bearer k" || host != "upstream.example" || uri != "/v1/chat?x=1" ||
		got.Get("Content-Length") != "" && got.Get("Content-Length") != "2" {
		t.Errorf("server saw host %q uri %q headers %v", host, uri, got)
	}
}

func TestStreamArrivesAsSent(t *testing.T) {
	next := make(chan struct{})
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "GET" {
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for i := range 3 {
			fmt.Fprintf(w, "data: %d\n\n", i)
			w.(http.Flusher).Flush()
			<-next
		}
	})
	tr, _ := newTransport(t)
	req, _ := http.NewRequestWithContext(t.Context(), "POST", s.URL, strings.NewReader("{}"))
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	for i := range 3 {
		// Each event must be readable before the server is allowed to write the next one.
		line, err := br.ReadString('\n')
		if err != nil || line != fmt.Sprintf("data: %d\n", i) {
			t.Fatalf("event %d: %q, %v", i, line, err)
		}
		br.ReadString('\n')
		next <- struct{}{}
	}
	if rest, err := io.ReadAll(br); err != nil || len(rest) != 0 {
		t.Fatalf("after the last event: %q, %v", rest, err)
	}
	resp.Body.Close()
	do(t, tr, "GET", s.URL, "")
	if n := s.conns.Load(); n != 1 {
		t.Errorf("a stream read to its end should leave its connection for reuse; server saw %d connections", n)
	}
}

func TestCancel(t *testing.T) {
	release := make(chan struct{})
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/body" {
			io.WriteString(w, "first")
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	tr, _ := newTransport(t)

	t.Run("waiting for the head", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		req, _ := http.NewRequestWithContext(ctx, "POST", s.URL+"/head", strings.NewReader("{}"))
		time.AfterFunc(20*time.Millisecond, cancel)
		_, err := tr.RoundTrip(req)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/head", nil)
		_, err := tr.RoundTrip(req)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("got %v, want context.DeadlineExceeded", err)
		}
	})
	t.Run("reading the body", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/body", nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		buf := make([]byte, 5)
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			t.Fatal(err)
		}
		time.AfterFunc(20*time.Millisecond, cancel)
		if _, err := resp.Body.Read(buf); err == nil {
			t.Fatal("read after cancel succeeded")
		}
	})
	t.Run("close while a read is blocked", func(t *testing.T) {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", s.URL+"/body", nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 5)
		io.ReadFull(resp.Body, buf)
		time.AfterFunc(20*time.Millisecond, func() { resp.Body.Close() })
		if _, err := resp.Body.Read(buf); err == nil {
			t.Fatal("read after close succeeded")
		}
	})
	t.Run("already cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", s.URL+"/head", nil)
		if _, err := tr.RoundTrip(req); !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
	})
	// The connections spoiled by cancelling are gone; a new request still works.
	release <- struct{}{}
}

// oneShot is a raw HTTP/1.1 server that answers one request per connection without saying it will close, then
// closes: the way an upstream's idle timeout looks from the client.
func oneShot(t *testing.T, respond bool) (string, *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			first := n.Add(1) == 1
			wg.Go(func() {
				defer c.Close()
				br := bufio.NewReader(c)
				req, err := http.ReadRequest(br)
				if err != nil {
					return
				}
				io.Copy(io.Discard, req.Body)
				if respond || first {
					io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
				}
			})
		}
	})
	return "http://" + ln.Addr().String(), &n
}

// hidden hides a connection's file descriptor, so that the idle check cannot see a close and the retry must
// handle it.
type hidden struct{ net.Conn }

// newPeekTransport returns a transport whose idle check works (peek) or is blinded by hidden connections.
func newPeekTransport(t *testing.T, peek bool) *Transport {
	tr, _ := newTransport(t)
	if !peek {
		tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			return hidden{c}, err
		}
	}
	return tr
}

func TestServerClosedIdleConnection(t *testing.T) {
	for _, peek := range []bool{true, false} {
		t.Run(fmt.Sprintf("peek=%v", peek), func(t *testing.T) {
			u, conns := oneShot(t, true)
			tr := newPeekTransport(t, peek)
			for i := range 3 {
				if _, body := do(t, tr, "POST", u, "{}"); body != "ok" {
					t.Fatalf("request %d: %q", i, body)
				}
				time.Sleep(10 * time.Millisecond) // let the server's close arrive
			}
			if n := conns.Load(); n != 3 {
				t.Errorf("server saw %d connections, want 3", n)
			}
		})
	}
}

func TestStaleRetryNeedsReplayableBody(t *testing.T) {
	for _, peek := range []bool{true, false} {
		t.Run(fmt.Sprintf("peek=%v", peek), func(t *testing.T) {
			u, _ := oneShot(t, true)
			tr := newPeekTransport(t, peek)
			do(t, tr, "POST", u, "{}")
			time.Sleep(10 * time.Millisecond)
			req, _ := http.NewRequestWithContext(t.Context(), "POST", u, io.NopCloser(strings.NewReader("{}")))
			req.GetBody = nil
			_, err := tr.RoundTrip(req)
			if peek {
				// The peek saw the close: the request never went to the dead connection, so nothing is resent.
				if err != nil {
					t.Fatalf("with the idle check: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "cannot be sent again") {
				t.Fatalf("got %v, want the body-cannot-be-sent-again error", err)
			}
		})
	}
}

func TestNoAnswerOnNewConnectionIsNotRetried(t *testing.T) {
	u, conns := oneShot(t, false)
	tr, _ := newTransport(t)
	do(t, tr, "POST", u, "{}") // the first connection answers
	time.Sleep(10 * time.Millisecond)
	// The pooled connection is seen closed and dropped; the new one takes the request and closes without a word,
	// which is an upstream failure, not a stale connection.
	req, _ := http.NewRequestWithContext(t.Context(), "POST", u, strings.NewReader("{}"))
	if _, err := tr.RoundTrip(req); err == nil {
		t.Fatal("no error")
	}
	if n := conns.Load(); n != 2 {
		t.Errorf("server saw %d connections, want 2 (no retry)", n)
	}
}

func TestResponseHeadLimit(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Big", strings.Repeat("a", 8<<10))
	})
	tr, _ := newTransport(t)
	tr.MaxResponseHeaderSize = 4 << 10
	req, _ := http.NewRequestWithContext(t.Context(), "GET", s.URL, nil)
	if _, err := tr.RoundTrip(req); err == nil || !strings.Contains(err.Error(), "response head exceeds") {
		t.Fatalf("got %v, want the head limit error", err)
	}
	tr.MaxResponseHeaderSize = 0
	if resp, _ := do(t, tr, "GET", s.URL, ""); len(resp.Header.Get("X-Big")) != 8<<10 {
		t.Fatal("the default limit refused an 8 KiB header")
	}
}

func TestFallback(t *testing.T) {
	proxy, _ := url.Parse("http://proxy.example:3128")
	tests := []struct {
		name  string
		url   string
		setup func(*Transport, *http.Request)
	}{
		{name: "https", url: "https://api.example/v1"},
		{name: "proxy", url: "http://api.example/v1", setup: func(tr *Transport, _ *http.Request) {
			tr.Proxy = func(*http.Request) (*url.URL, error) { return proxy, nil }
		}},
		{name: "upgrade", url: "http://api.example/v1", setup: func(_ *Transport, r *http.Request) {
			r.Header.Set("Upgrade", "websocket")
		}},
		{name: "connect", url: "http://api.example:443", setup: func(_ *Transport, r *http.Request) { r.Method = "CONNECT" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, fb := newTransport(t)
			req, _ := http.NewRequestWithContext(t.Context(), "GET", tt.url, nil)
			if tt.setup != nil {
				tt.setup(tr, req)
			}
			if _, err := tr.RoundTrip(req); err == nil || err.Error() != "fallback" || len(fb.got) != 1 {
				t.Fatalf("got %v; fallback saw %v", err, fb.got)
			}
		})
	}
	t.Run("none", func(t *testing.T) {
		tr := &Transport{}
		req, _ := http.NewRequestWithContext(t.Context(), "GET", "https://api.example/v1", nil)
		if _, err := tr.RoundTrip(req); err == nil || !strings.Contains(err.Error(), "no fallback") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestEarlyClose(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/long" {
			io.WriteString(w, "part")
			w.(http.Flusher).Flush()
			<-r.Context().Done()
			return
		}
		io.WriteString(w, "ok")
	})
	tr, _ := newTransport(t)
	req, _ := http.NewRequestWithContext(t.Context(), "GET", s.URL+"/long", nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4)
	io.ReadFull(resp.Body, buf)
	resp.Body.Close() // the rest has not arrived and never will: the connection must go
	if _, err := resp.Body.Read(buf); err == nil || err == io.EOF {
		t.Errorf("read after an early close: %v, want an error that is not EOF", err)
	}
	if _, body := do(t, tr, "GET", s.URL+"/short", ""); body != "ok" {
		t.Fatalf("next request: %q", body)
	}
	if n := s.conns.Load(); n != 2 {
		t.Errorf("server saw %d connections, want 2", n)
	}
}

func TestCloseKeepsAFullyArrivedBody(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "10")
		io.WriteString(w, "0123456789")
	})
	tr, _ := newTransport(t)
	const n = 10
	for range n {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", s.URL, nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 3)
		io.ReadFull(resp.Body, buf)
		resp.Body.Close()
	}
	// Head and body leave the server in one write; on loopback they nearly always arrive together, so closing
	// after part of the body must have kept the connection at least once.
	if c := s.conns.Load(); c == n {
		t.Errorf("every one of %d early closes dropped its connection", n)
	}
}

func TestBodyReadErrorDoesNotWaitForTheServer(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body) })
	tr, _ := newTransport(t)
	req, _ := http.NewRequestWithContext(t.Context(), "POST", s.URL, io.MultiReader(strings.NewReader("{"), iotest{}))
	req.ContentLength = 10
	_, err := tr.RoundTrip(req)
	if err == nil || !strings.Contains(err.Error(), "write request") {
		t.Fatalf("got %v, want a write request error", err)
	}
}

type iotest struct{}

func (iotest) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestIdlePool(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	t.Run("idle timeout", func(t *testing.T) {
		tr, _ := newTransport(t)
		tr.IdleTimeout = time.Nanosecond
		before := s.conns.Load()
		for range 3 {
			do(t, tr, "GET", s.URL, "")
		}
		if n := s.conns.Load() - before; n != 3 {
			t.Errorf("server saw %d new connections, want 3", n)
		}
	})
	t.Run("max idle per host", func(t *testing.T) {
		tr, _ := newTransport(t)
		tr.MaxIdlePerHost = 2
		var resps []*http.Response
		for range 4 {
			req, _ := http.NewRequestWithContext(t.Context(), "GET", s.URL, nil)
			resp, err := tr.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resps = append(resps, resp)
		}
		for _, r := range resps {
			io.Copy(io.Discard, r.Body)
			r.Body.Close()
		}
		tr.mu.Lock()
		idle := len(tr.idle[hostPort(resps[0].Request.URL)])
		tr.mu.Unlock()
		if idle != 2 {
			t.Errorf("%d idle connections, want 2", idle)
		}
		tr.CloseIdleConnections()
		tr.mu.Lock()
		idle = len(tr.idle)
		tr.mu.Unlock()
		if idle != 0 {
			t.Errorf("%d hosts with idle connections after CloseIdleConnections", idle)
		}
	})
}

func TestConcurrent(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, r *http.Request) { io.Copy(w, r.Body) })
	tr, _ := newTransport(t)
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for g := range 32 {
		wg.Go(func() {
			for i := range 25 {
				want := fmt.Sprintf(`{"g":%d,"i":%d}`, g, i)
				req, _ := http.NewRequestWithContext(t.Context(), "POST", s.URL, strings.NewReader(want))
				resp, err := tr.RoundTrip(req)
				if err != nil {
					errs <- err
					return
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || string(b) != want {
					errs <- fmt.Errorf("got %q, %v; want %q", b, err, want)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := s.conns.Load(); n > 32 {
		t.Errorf("server saw %d connections for 32 clients", n)
	}
}

// FuzzResponse feeds arbitrary bytes as an upstream's answer: the transport must return an error or a response
// whose body reads to an end, never panic or hang.
func FuzzResponse(f *testing.F) {
	for _, s := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
		"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
		"HTTP/1.1 101 Switching Protocols\r\n\r\n",
		"HTTP/1.0 200 OK\r\n\r\nuntil close",
		"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\nshort",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"garbage",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, answer []byte) {
		tr := &Transport{Fallback: &refuse{}, MaxResponseHeaderSize: 4 << 10}
		tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
			client, srv := net.Pipe()
			go func() {
				defer srv.Close()
				if _, err := http.ReadRequest(bufio.NewReader(srv)); err != nil {
					return
				}
				srv.Write(answer)
			}()
			return client, nil
		}
		defer tr.CloseIdleConnections()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://upstream.test/", nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			return
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if ctx.Err() != nil {
			t.Fatalf("reading %q hung until the deadline", answer)
		}
	})
}
