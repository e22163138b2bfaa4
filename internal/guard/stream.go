package guard

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/walens/walens/internal/guard/classify"
)

// StreamOptions bound what a stream checker does per piece of output and how long it holds text back.
type StreamOptions struct {
	// HoldBack is how many of the newest bytes stay unreleased until more text arrives, so that a number, an
	// address or a word split across pieces is seen whole before any of it goes out. Default 128: longer than
	// any structured identifier. It is the added latency, in bytes of output.
	HoldBack int
	// Window is how much already released text the deterministic detectors (PII, regexes, words) read again as
	// context on each check. Default 128.
	Window int
	// CheckEvery is how many new bytes trigger a check by the deterministic detectors. Default 64; smaller checks
	// more often and releases text sooner.
	CheckEvery int
	// ModelWindow and ModelEvery are the same for the classifiers and denied topics, which cost more and need
	// more context: they read the last ModelWindow bytes every ModelEvery new bytes. Defaults 1024 and 256.
	ModelWindow, ModelEvery int
}

func (o *StreamOptions) defaults() {
	if o.HoldBack <= 0 {
		o.HoldBack = 128
	}
	if o.Window <= 0 {
		o.Window = 128
	}
	if o.CheckEvery <= 0 {
		o.CheckEvery = 64
	}
	if o.ModelWindow <= 0 {
		o.ModelWindow = classify.Window
	}
	if o.ModelEvery <= 0 {
		o.ModelEvery = 256
	}
}

// Stream checks model output that arrives in pieces (a streamed completion) against the policy, on sliding
// windows: every CheckEvery bytes the deterministic detectors read the new text plus a short window of what was
// released before it, every ModelEvery bytes the classifiers and denied topics read the last ModelWindow bytes,
// and text is released once it is at least HoldBack bytes behind the newest text. Anonymised entities are
// replaced before release. The work per byte is bounded by the windows, whatever the length of the output.
// A Stream is used by one goroutine.
type Stream struct {
	e         *Engine
	ctx       context.Context
	opts      StreamOptions
	buf       []byte
	committed int // bytes of buf whose (anonymised) text has been released
	checked   int // len(buf) at the last check
	modeled   int // len(buf) at the last check by the models
	blocked   *Response
	closed    bool
}

// NewStream starts checking a stream of OUTPUT text.
func (e *Engine) NewStream(ctx context.Context, opts StreamOptions) *Stream {
	opts.defaults()
	return &Stream{e: e, ctx: ctx, opts: opts}
}

// Write adds a piece of output and returns the text that can be released now. When the guardrail blocks, it
// returns the blocking response (its Outputs hold the blocked message): the caller stops the stream and sends
// that instead; nothing more is released. Text released before the block has already gone out, which is why
// checks run on every CheckEvery bytes and text waits HoldBack bytes.
func (s *Stream) Write(delta string) (release string, blocked *Response, err error) {
	if s.blocked != nil {
		return "", s.blocked, nil
	}
	if s.closed {
		return "", nil, fmt.Errorf("guardrail stream is closed")
	}
	s.buf = append(s.buf, delta...)
	if len(s.buf) > s.e.maxBytes {
		return "", nil, &InputError{Msg: fmt.Sprintf("streamed output passed this guardrail's limit of %d bytes", s.e.maxBytes)}
	}
	if len(s.buf)-s.checked < s.opts.CheckEvery {
		return "", nil, nil
	}
	return s.check(false)
}

// Close checks what is left, releases it, and returns the final response over the whole output, for the audit
// record and for a verdict that only the whole text reveals (the caller decides what to do when that verdict
// blocks text already released).
func (s *Stream) Close() (release string, final *Response, err error) {
	if s.closed {
		return "", nil, fmt.Errorf("guardrail stream is closed")
	}
	if s.blocked != nil {
		s.closed = true
		return "", s.blocked, nil
	}
	release, blocked, err := s.check(true)
	s.closed = true
	if err != nil || blocked != nil {
		return "", blocked, err
	}
	if !utf8.Valid(s.buf) {
		return release, nil, &InputError{Msg: "streamed output is not valid UTF-8"}
	}
	final, err = s.e.Apply(s.ctx, Output, []Content{{Text: string(s.buf)}}, ApplyOptions{})
	return release, final, err
}

// check runs the detectors over the window and releases what is safe.
func (s *Stream) check(last bool) (string, *Response, error) {
	if err := s.ctx.Err(); err != nil {
		return "", nil, err
	}
	s.checked = len(s.buf)
	start := s.contextStart()
	// Detectors read invalid UTF-8 (a character split across pieces) as U+FFFD without moving offsets.
	f := s.e.detect(s.ctx, Output, string(s.buf[start:]), deterministic)
	var acc accumulator
	acc.add(f)
	if last || len(s.buf)-s.modeled >= s.opts.ModelEvery {
		s.modeled = len(s.buf)
		from := wordStart(s.buf, max(0, len(s.buf)-s.opts.ModelWindow))
		acc.add(s.e.detect(s.ctx, Output, string(s.buf[from:]), models))
	}
	if acc.blocked {
		s.blocked = s.e.response(Output, &acc, nil)
		return "", s.blocked, nil
	}
	cut := len(s.buf)
	if !last {
		cut = s.releasePoint()
	}
	// Spans are in region coordinates; move them to buf's, and never release part of one.
	var spans []span
	for _, sp := range f.spans {
		sp.start += start
		sp.end += start
		if sp.end <= s.committed {
			continue
		}
		if sp.start < cut && cut < sp.end {
			cut = max(sp.start, s.committed)
		}
		spans = append(spans, sp)
	}
	if cut <= s.committed {
		return "", nil, nil
	}
	var inside []span
	for _, sp := range spans {
		if sp.start >= s.committed && sp.end <= cut {
			inside = append(inside, span{sp.start - s.committed, sp.end - s.committed, sp.label})
		}
	}
	out := anonymize(strings.ToValidUTF8(string(s.buf[s.committed:cut]), "\uFFFD"), inside)
	s.committed = cut
	return out, nil, nil
}

// contextStart is where the deterministic detectors' region begins: Window bytes before the released point,
// moved forward to the start of a word.
func (s *Stream) contextStart() int {
	return min(wordStart(s.buf, max(0, s.committed-s.opts.Window)), s.committed)
}

// wordStart moves i forward to the start of the next word (or leaves it at 0).
func wordStart(buf []byte, i int) int {
	if i == 0 {
		return 0
	}
	for k := i; k < len(buf); k++ {
		if buf[k] == ' ' || buf[k] == '\n' {
			return k + 1
		}
	}
	return len(buf)
}

// releasePoint is where released text may end: HoldBack bytes before the newest byte, moved back to a space so
// a word is never cut; a run without spaces longer than four hold-backs is cut at a character boundary so a
// stream without spaces still moves.
func (s *Stream) releasePoint() int {
	cut := len(s.buf) - s.opts.HoldBack
	if cut <= s.committed {
		return s.committed
	}
	for i := cut; i > s.committed; i-- {
		if s.buf[i-1] == ' ' || s.buf[i-1] == '\n' {
			return i
		}
	}
	if cut-s.committed < 4*s.opts.HoldBack {
		return s.committed
	}
	for cut > s.committed && !utf8.RuneStart(s.buf[cut]) {
		cut--
	}
	return cut
}
