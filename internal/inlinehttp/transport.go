// Package inlinehttp provides an http.RoundTripper for plain-HTTP/1.1 upstreams that writes the request and reads
// the response on the goroutine that calls RoundTrip.
//
// net/http's Transport gives every connection a reader and a writer goroutine and hands each request and response
// between them and the caller over channels. On a loaded two-core machine those hand-offs cost the gateway about
// a third of its added latency (docs/benchmarks.md). An upstream on the same network, a vLLM or Ollama server or
// a sidecar, is usually plain HTTP/1.1, where none of that machinery is needed: one exchange at a time per
// connection, parsed by net/http's own Request.Write and ReadResponse. Everything else (https, proxies, upgrades)
// goes to the fallback transport unchanged.
package inlinehttp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for the zero values of Transport's fields.
const (
	DefaultMaxIdlePerHost        = 256
	DefaultIdleTimeout           = 90 * time.Second
	DefaultDialTimeout           = 30 * time.Second
	DefaultMaxResponseHeaderSize = 1 << 20
)

// Transport is an http.RoundTripper. Its zero value is not usable: set Fallback. It is safe for concurrent use.
type Transport struct {
	// Fallback carries every request this transport does not: https, proxied, CONNECT and upgrade requests.
	Fallback http.RoundTripper
	// Proxy says which proxy a request goes through, as http.Transport.Proxy; a request with a proxy goes to
	// Fallback. Nil means none.
	Proxy func(*http.Request) (*url.URL, error)
	// MaxIdlePerHost bounds the idle connections kept per host and port.
	MaxIdlePerHost int
	// IdleTimeout is how long an idle connection may wait for reuse before it is closed instead.
	IdleTimeout time.Duration
	// DialTimeout bounds connecting; the request's context bounds it too.
	DialTimeout time.Duration
	// DialContext opens connections; nil means a net.Dialer with DialTimeout and TCP keep-alives.
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
	// MaxResponseHeaderSize bounds the status line and headers of a response.
	MaxResponseHeaderSize int64

	mu   sync.Mutex
	idle map[string][]*conn // per host:port, most recently used last
}

// New returns a Transport that sends what it cannot carry to fallback, taking the proxy from the environment as
// http.DefaultTransport does.
func New(fallback http.RoundTripper) *Transport {
	return &Transport{Fallback: fallback, Proxy: http.ProxyFromEnvironment}
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !t.carries(req) {
		if t.Fallback == nil {
			closeBody(req)
			return nil, fmt.Errorf("inlinehttp: no fallback transport for %s %s", req.Method, req.URL.Redacted())
		}
		return t.Fallback.RoundTrip(req)
	}
	ctx := req.Context()
	key := hostPort(req.URL)
	for attempt := 0; ; attempt++ {
		c, err := t.get(ctx, key)
		if err != nil {
			closeBody(req)
			return nil, err
		}
		resp, err := c.exchange(ctx, req)
		if err == nil {
			return resp, nil
		}
		// A connection that sat idle may have been closed by the server just as it was taken (the peek in get
		// catches the rest): the exchange then fails before a single byte of response, and the server almost
		// surely never saw the request. It is sent once more on a new connection, if its body can be produced
		// again. A server that took the request and died without a word is indistinguishable; the gateway's
		// router retries connection errors anyway.
		var stale *staleError
		if !errors.As(err, &stale) || attempt > 0 || ctx.Err() != nil {
			return nil, err
		}
		if req, err = rewind(req); err != nil {
			return nil, err
		}
	}
}

// CloseIdleConnections closes every idle connection, here and in Fallback.
func (t *Transport) CloseIdleConnections() {
	t.mu.Lock()
	idle := t.idle
	t.idle = nil
	t.mu.Unlock()
	for _, cs := range idle {
		for _, c := range cs {
			c.nc.Close()
		}
	}
	if ci, ok := t.Fallback.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// carries says whether a request is one this transport sends itself.
func (t *Transport) carries(req *http.Request) bool {
	if req.URL == nil || req.URL.Scheme != "http" || req.URL.Host == "" || req.Method == http.MethodConnect {
		return false
	}
	if req.Header.Get("Upgrade") != "" {
		return false
	}
	if t.Proxy != nil {
		if u, err := t.Proxy(req); err != nil || u != nil {
			return false // the fallback applies the proxy, or reports its error
		}
	}
	return true
}

func (t *Transport) maxHeader() int64 {
	if t.MaxResponseHeaderSize > 0 {
		return t.MaxResponseHeaderSize
	}
	return DefaultMaxResponseHeaderSize
}

// get takes the most recently used live idle connection to key, or dials a new one.
func (t *Transport) get(ctx context.Context, key string) (*conn, error) {
	idleTimeout := t.IdleTimeout
	if idleTimeout <= 0 {
		idleTimeout = DefaultIdleTimeout
	}
	now := time.Now()
	for {
		t.mu.Lock()
		cs := t.idle[key]
		if len(cs) == 0 {
			t.mu.Unlock()
			break
		}
		c := cs[len(cs)-1]
		cs[len(cs)-1] = nil
		t.idle[key] = cs[:len(cs)-1]
		t.mu.Unlock()
		if now.Sub(c.idleSince) > idleTimeout || !alive(c.nc) {
			c.nc.Close()
			continue
		}
		c.reused = true
		return c, nil
	}
	dial := t.DialContext
	if dial == nil {
		timeout := t.DialTimeout
		if timeout <= 0 {
			timeout = DefaultDialTimeout
		}
		d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
		dial = d.DialContext
	}
	nc, err := dial(ctx, "tcp", key)
	if err != nil {
		return nil, err
	}
	c := &conn{t: t, key: key, nc: nc, hl: &headerLimit{r: nc, n: -1}, nw: &netWriter{w: nc}}
	c.br = bufio.NewReaderSize(c.hl, 16<<10)
	c.bw = bufio.NewWriterSize(c.nw, 16<<10)
	return c, nil
}

// put returns a connection whose last exchange ended cleanly to the idle pool, or closes it if the pool is full.
func (t *Transport) put(c *conn) {
	max := t.MaxIdlePerHost
	if max <= 0 {
		max = DefaultMaxIdlePerHost
	}
	c.idleSince = time.Now()
	t.mu.Lock()
	if t.idle == nil {
		t.idle = map[string][]*conn{}
	}
	if cs := t.idle[c.key]; len(cs) < max {
		t.idle[c.key] = append(cs, c)
		t.mu.Unlock()
		return
	}
	t.mu.Unlock()
	c.nc.Close()
}

// conn is one connection to an upstream, used by one exchange at a time.
type conn struct {
	t         *Transport
	key       string
	nc        net.Conn
	hl        *headerLimit
	nw        *netWriter
	br        *bufio.Reader
	bw        *bufio.Writer
	reused    bool
	idleSince time.Time
	// stop unhooks the current exchange from its context; false means the context ended first and spoiled the
	// connection.
	stop func() bool
}

// staleError reports an exchange on a reused connection that failed before any of the response arrived.
type staleError struct{ err error }

func (e *staleError) Error() string { return e.err.Error() }
func (e *staleError) Unwrap() error { return e.err }

// past is a deadline that has passed: setting it makes blocked reads and writes on a connection return at once.
var past = time.Unix(1, 0)

// exchange writes req and reads the response head. On success the response's body owns the connection; on
// failure the connection is closed.
func (c *conn) exchange(ctx context.Context, req *http.Request) (*http.Response, error) {
	// Cancelling ctx unblocks whatever the exchange or the body is waiting on, by making the connection's deadline
	// pass.
	c.stop = context.AfterFunc(ctx, func() { c.nc.SetDeadline(past) })
	fail := func(err error) (*http.Response, error) {
		c.stop()
		c.nc.Close()
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.Redacted(), ctxErr)
		}
		return nil, err
	}
	c.nw.err = nil
	werr := req.Write(c.bw)
	if werr == nil {
		werr = c.bw.Flush()
	}
	if werr != nil && c.nw.err == nil {
		// Producing the request body failed, not the connection: the server is still waiting for the rest of
		// it, so there is no response to read.
		return fail(fmt.Errorf("write request: %w", werr))
	}
	c.hl.n, c.hl.read = c.t.maxHeader(), 0
	resp, err := readResponse(c.br, req)
	c.hl.n = -1
	if err != nil {
		if werr != nil {
			err = werr
		}
		if c.reused && c.hl.read == 0 {
			return fail(&staleError{err})
		}
		return fail(err)
	}
	if werr != nil || resp.Close || req.Close {
		// The server answered before taking all of the request (a 413, say) and closed, or asked to close: the
		// connection is not reused.
		resp.Close = true
	}
	if resp.Body == http.NoBody {
		c.release(resp.Close)
		return resp, nil
	}
	resp.Body = &body{rc: resp.Body, c: c, close: resp.Close}
	return resp, nil
}

// release ends an exchange: the connection goes back to the pool if it can carry another, else it is closed.
func (c *conn) release(closeConn bool) {
	// Unsolicited bytes after a response mean the stream is out of step: never reuse it.
	if !c.stop() || closeConn || c.br.Buffered() > 0 {
		c.nc.Close()
		return
	}
	c.t.put(c)
}

// readResponse reads a response head, skipping informational (1xx) responses other than 101.
func readResponse(br *bufio.Reader, req *http.Request) (*http.Response, error) {
	for {
		resp, err := http.ReadResponse(br, req)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode >= 200 || resp.StatusCode < 100 {
			return resp, nil
		}
		if resp.StatusCode == http.StatusSwitchingProtocols {
			resp.Body.Close()
			return nil, errors.New("upstream switched protocols unasked")
		}
	}
}

// netWriter remembers whether writing to the connection failed, as opposed to reading the request body.
type netWriter struct {
	w   io.Writer
	err error
}

func (n *netWriter) Write(p []byte) (int, error) {
	k, err := n.w.Write(p)
	if err != nil {
		n.err = err
	}
	return k, err
}

// headerLimit counts the bytes read from the connection while a response head is read, and fails once they pass
// n; n < 0 lifts the limit for the body.
type headerLimit struct {
	r    io.Reader
	n    int64
	read int64
}

func (h *headerLimit) Read(p []byte) (int, error) {
	if h.n >= 0 {
		if h.read >= h.n {
			return 0, fmt.Errorf("response head exceeds %d bytes", h.n)
		}
		p = p[:min(int64(len(p)), h.n-h.read)]
	}
	n, err := h.r.Read(p)
	h.read += int64(n)
	return n, err
}

// body is a response body that hands its connection back to the pool as soon as it is read to the end. Close
// before the end keeps the connection only if the rest of the body has already arrived. Close may be called
// while a Read is blocked, to abort it, as with net/http.
type body struct {
	rc    io.ReadCloser
	c     *conn
	close bool

	rmu   sync.Mutex   // held while rc is read
	state atomic.Int32 // open, then ended or closed; whoever moves it from open owns the connection's fate
}

// States of a body.
const (
	bodyOpen   = iota
	bodyEnded  // read to EOF; the connection was released
	bodyClosed // Close came first
)

// errClosed is what net/http also reports for a read after Close: the body may have been cut short.
var errClosed = errors.New("http: read on closed response body")

func (b *body) Read(p []byte) (int, error) {
	b.rmu.Lock()
	defer b.rmu.Unlock()
	switch b.state.Load() {
	case bodyEnded:
		return 0, io.EOF
	case bodyClosed:
		return 0, errClosed
	}
	n, err := b.rc.Read(p)
	if err == io.EOF && b.state.CompareAndSwap(bodyOpen, bodyEnded) {
		b.c.release(b.close)
	}
	return n, err
}

// maxDrain bounds what Close reads of a body's buffered rest to keep its connection.
const maxDrain = 64 << 10

func (b *body) Close() error {
	if !b.state.CompareAndSwap(bodyOpen, bodyClosed) {
		return nil
	}
	// A stream's reader often stops at its last event with only the chunked terminator left, already in the
	// buffer. Reading on with the deadline passed takes what has arrived without waiting for more. A Read in
	// progress owns the reader: then the connection is closed under it instead.
	if !b.close && b.rmu.TryLock() {
		defer b.rmu.Unlock()
		if b.c.nc.SetReadDeadline(past) == nil {
			n, err := io.CopyN(io.Discard, b.rc, maxDrain)
			if err == io.EOF && n < maxDrain && b.c.nc.SetReadDeadline(time.Time{}) == nil {
				b.c.release(false)
				return nil
			}
		}
	}
	b.c.stop()
	return b.c.nc.Close()
}

// rewind returns req with a fresh copy of its body for a second attempt.
func rewind(req *http.Request) (*http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return req, nil
	}
	if req.GetBody == nil {
		return nil, errors.New("connection closed by the upstream, and the request body cannot be sent again")
	}
	b, err := req.GetBody()
	if err != nil {
		return nil, fmt.Errorf("rewind request body: %w", err)
	}
	r := req.Clone(req.Context())
	r.Body = b
	return r, nil
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

func hostPort(u *url.URL) string {
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "80"
	}
	return net.JoinHostPort(host, port)
}
