// Package sse reads and writes Server-Sent Events (the text/event-stream format of the WHATWG HTML standard), the
// framing OpenAI-compatible and Anthropic upstreams use for streamed completions and the gateway uses towards its
// clients.
package sse

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// DefaultMaxEventBytes bounds one event when NewReader is given no limit.
const DefaultMaxEventBytes = 1 << 20

// readBufferSize is small on purpose: the gateway holds one reader per concurrent stream, and completion events are
// a few hundred bytes. Longer lines are assembled across reads.
const readBufferSize = 4 << 10

// ErrEventTooLarge is returned (wrapped) when one event, counting all its lines, exceeds the reader's limit. The
// reader is unusable afterwards: the stream cannot be resynchronised without reading the rest of the event.
var ErrEventTooLarge = errors.New("sse: event exceeds the size limit")

// ErrTruncated is returned (wrapped) when the stream ends in the middle of an event, before the blank line that
// dispatches it. Upstreams always end events with a blank line, so this means the connection was cut.
var ErrTruncated = errors.New("sse: stream ended inside an event")

// Event is one dispatched event.
type Event struct {
	// Type is the event field; empty means the default type "message".
	Type string
	// Data is the data lines joined by "\n". It aliases the reader's buffer and is valid only until the next call
	// to Next: copy it to keep it.
	Data []byte
	// ID is the last event ID seen on the stream so far (it persists across events, as the standard says).
	ID string
	// Retry is the reconnection time most recently set by a retry field, or zero.
	Retry time.Duration
}

// Reader parses a stream of events. It buffers at most one event (bounded by the limit) plus a fixed read buffer,
// whatever the input. It is not safe for concurrent use.
type Reader struct {
	br    *bufio.Reader
	max   int
	line  []byte // the current line, without its terminator
	data  []byte // the data buffer of the event being assembled
	typ   []byte
	id    string
	retry time.Duration
	size  int  // bytes of the current event consumed so far, terminators included
	cr    bool // the previous line ended with CR, so a leading LF belongs to it
	begun bool // the byte order mark check has been done
	err   error
}

// NewReader returns a reader of r that fails with ErrEventTooLarge on an event larger than maxEventBytes (counting
// field names, values and line terminators). A limit of zero or less means DefaultMaxEventBytes.
func NewReader(r io.Reader, maxEventBytes int) *Reader {
	if maxEventBytes <= 0 {
		maxEventBytes = DefaultMaxEventBytes
	}
	return &Reader{br: bufio.NewReaderSize(r, readBufferSize), max: maxEventBytes}
}

// Next returns the next event. It returns io.EOF when the stream ends cleanly between events, an error wrapping
// ErrTruncated when it ends inside one, an error wrapping ErrEventTooLarge when an event exceeds the limit, and the
// underlying reader's error otherwise. Errors are sticky.
func (r *Reader) Next() (Event, error) {
	if r.err != nil {
		return Event{}, r.err
	}
	if !r.begun {
		r.begun = true
		// A UTF-8 byte order mark at the start of the stream is not part of the first line.
		if b, err := r.br.Peek(3); err == nil && string(b) == "\xEF\xBB\xBF" {
			_, _ = r.br.Discard(3)
		}
	}
	for {
		if err := r.readLine(); err != nil {
			if err == io.EOF && (len(r.data) > 0 || len(r.line) > 0) {
				err = fmt.Errorf("%w (%d bytes of an unfinished event)", ErrTruncated, r.size)
			}
			r.err = err
			return Event{}, err
		}
		if len(r.line) == 0 {
			if ev, ok := r.dispatch(); ok {
				return ev, nil
			}
			continue
		}
		r.field(r.line)
	}
}

// dispatch ends the current event. Following the standard, an event without data lines is not dispatched.
func (r *Reader) dispatch() (Event, bool) {
	r.size = 0
	if len(r.data) == 0 {
		r.typ = r.typ[:0]
		return Event{}, false
	}
	ev := Event{Type: string(r.typ), Data: r.data[:len(r.data)-1], ID: r.id, Retry: r.retry}
	r.typ, r.data = r.typ[:0], r.data[:0]
	return ev, true
}

func (r *Reader) field(line []byte) {
	if line[0] == ':' {
		return // comment
	}
	name, value := line, []byte(nil)
	if i := bytes.IndexByte(line, ':'); i >= 0 {
		name, value = line[:i], line[i+1:]
		if len(value) > 0 && value[0] == ' ' {
			value = value[1:]
		}
	}
	switch string(name) {
	case "event":
		r.typ = append(r.typ[:0], value...)
	case "data":
		r.data = append(r.data, value...)
		r.data = append(r.data, '\n')
	case "id":
		if bytes.IndexByte(value, 0) < 0 {
			r.id = string(value)
		}
	case "retry":
		if ms, ok := digits(value); ok {
			r.retry = time.Duration(ms) * time.Millisecond
		}
	}
}

// digits parses a retry value, which the standard allows to be ASCII digits only.
func digits(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 12 {
		return 0, false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	return n, err == nil
}

// readLine reads one line into r.line, accepting LF, CR and CRLF terminators. A CR is not followed by a peek for
// LF, which could block on a live stream; instead the LF, if any, is skipped when the next line starts.
func (r *Reader) readLine() error {
	r.line = r.line[:0]
	for {
		if r.br.Buffered() == 0 {
			if _, err := r.br.Peek(1); err != nil {
				if err == io.EOF && len(r.line) > 0 {
					// A final line without a terminator still counts as a line; the event it belongs to is then
					// reported as truncated by the caller.
					return io.EOF
				}
				return err
			}
		}
		buf, _ := r.br.Peek(r.br.Buffered())
		start := 0
		if r.cr {
			r.cr = false
			if buf[0] == '\n' {
				start = 1
			}
		}
		i := indexEOL(buf[start:])
		n := len(buf) - start
		if i >= 0 {
			n = i
		}
		if r.size+n > r.max {
			return fmt.Errorf("%w of %d bytes", ErrEventTooLarge, r.max)
		}
		r.size += n
		r.line = append(r.line, buf[start:start+n]...)
		if i < 0 {
			_, _ = r.br.Discard(len(buf))
			continue
		}
		r.size++
		r.cr = buf[start+i] == '\r'
		_, _ = r.br.Discard(start + i + 1)
		return nil
	}
}

func indexEOL(b []byte) int {
	for i, c := range b {
		if c == '\n' || c == '\r' {
			return i
		}
	}
	return -1
}
