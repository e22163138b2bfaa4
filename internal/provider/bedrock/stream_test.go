package bedrock

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"

	"github.com/walens/walens/internal/provider"
)

func TestStreamFailures(t *testing.T) {
	start := eventFrame(t, "messageStart", `{"role":"assistant"}`)
	delta := eventFrame(t, "contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":"Hi"}}`)
	stop := eventFrame(t, "messageStop", `{"stopReason":"end_turn"}`)
	meta := eventFrame(t, "metadata", `{"usage":{"inputTokens":3,"outputTokens":1,"totalTokens":4},"metrics":{"latencyMs":5}}`)
	flip := func(b []byte, i int) []byte {
		c := bytes.Clone(b)
		if i < 0 {
			i += len(c)
		}
		c[i] ^= 0xff
		return c
	}
	prelude := func(total, headers uint32) []byte {
		b := make([]byte, 16)
		binary.BigEndian.PutUint32(b[0:], total)
		binary.BigEndian.PutUint32(b[4:], headers)
		return b
	}

	tests := []struct {
		name      string
		frames    [][]byte
		maxBytes  int64
		chunks    int
		code      string // "" for a clean end
		status    int
		msgHas    string
		checksum  bool
		wantUsage bool
	}{
		{name: "complete", frames: [][]byte{start, delta, stop, meta}, chunks: 4, wantUsage: true},
		{name: "no metadata", frames: [][]byte{start, delta, stop}, chunks: 3},
		{name: "ends before messageStop", frames: [][]byte{start, delta}, chunks: 2, code: provider.CodeMalformed, status: 200, msgHas: "ended before"},
		{name: "truncated frame", frames: [][]byte{start, delta, stop[:len(stop)/2]}, chunks: 2, code: provider.CodeMalformed, status: 200, msgHas: "cut off"},
		{name: "truncated prelude", frames: [][]byte{start, stop[:5]}, chunks: 1, code: provider.CodeMalformed, status: 200, msgHas: "cut off"},
		{name: "bad message crc", frames: [][]byte{start, flip(delta, -1)}, chunks: 1, code: provider.CodeMalformed, status: 200, checksum: true},
		{name: "bad prelude crc", frames: [][]byte{start, flip(delta, 9)}, chunks: 1, code: provider.CodeMalformed, status: 200, checksum: true},
		{name: "corrupt payload", frames: [][]byte{start, flip(delta, -8)}, chunks: 1, code: provider.CodeMalformed, status: 200, checksum: true},
		{name: "oversized frame", frames: [][]byte{start, eventFrame(t, "contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":"`+strings.Repeat("x", 2048)+`"}}`)},
			maxBytes: 1024, chunks: 1, code: provider.CodeMalformed, status: 200, msgHas: "size limit"},
		{name: "length below minimum", frames: [][]byte{start, prelude(8, 0)}, chunks: 1, code: provider.CodeMalformed, status: 200, msgHas: "malformed frame"},
		{name: "headers longer than frame", frames: [][]byte{start, prelude(64, 60)}, chunks: 1, code: provider.CodeMalformed, status: 200, msgHas: "malformed frame"},
		{name: "huge declared length", frames: [][]byte{start, prelude(0xffffffff, 0)}, chunks: 1, code: provider.CodeMalformed, status: 200, msgHas: "size limit"},
		{name: "event not JSON", frames: [][]byte{start, eventFrame(t, "contentBlockDelta", `{"delta":`)}, chunks: 1, code: provider.CodeMalformed, status: 200, msgHas: "not valid JSON"},
		{name: "tool input without start", frames: [][]byte{start, eventFrame(t, "contentBlockDelta", `{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{}"}}}`)},
			chunks: 1, code: provider.CodeMalformed, status: 200, msgHas: "outside a tool block"},
		{name: "unknown events are skipped", frames: [][]byte{start, eventFrame(t, "somethingNew", `{}`),
			encodeFrame(t, map[string]string{":message-type": "notice"}, nil), eventFrame(t, "contentBlockDelta", `{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"hmm"}}}`), delta, stop, meta},
			chunks: 4, wantUsage: true},
		{name: "throttling", frames: [][]byte{start, exceptionFrame(t, "throttlingException", "Too many requests")}, chunks: 1, code: provider.CodeRateLimited, status: 429},
		{name: "context window", frames: [][]byte{start, exceptionFrame(t, "validationException", "Input is too long for requested model.")}, chunks: 1, code: provider.CodeContextLength, status: 400},
		{name: "validation", frames: [][]byte{start, exceptionFrame(t, "validationException", "Bad thing.")}, chunks: 1, code: provider.CodeBadRequest, status: 400},
		{name: "service unavailable", frames: [][]byte{start, delta, exceptionFrame(t, "serviceUnavailableException", "busy")}, chunks: 2, code: provider.CodeUpstream, status: 503},
		{name: "internal", frames: [][]byte{exceptionFrame(t, "internalServerException", "oops")}, code: provider.CodeUpstream, status: 500},
		{name: "model stream error", frames: [][]byte{start, exceptionFrame(t, "modelStreamErrorException", "model died")}, chunks: 1, code: provider.CodeUpstream, status: 502},
		{name: "unknown exception", frames: [][]byte{start, exceptionFrame(t, "brandNewException", "?")}, chunks: 1, code: provider.CodeUpstream, status: 502},
		{name: "error message type", frames: [][]byte{start, encodeFrame(t, map[string]string{":message-type": "error", ":error-code": "InternalFailure", ":error-message": "boom"}, nil)},
			chunks: 1, code: provider.CodeUpstream, status: 502},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) { writeFrames(w, tt.frames) })
			p := newTestProvider(t, f, func(c *provider.Config, _ *Options) { c.MaxResponseBytes = tt.maxBytes })
			s, err := p.ChatStream(context.Background(), userRequest(""))
			if err != nil {
				t.Fatal(err)
			}
			chunks, err := drain(t, s)
			if len(chunks) != tt.chunks {
				t.Errorf("got %d chunks, want %d", len(chunks), tt.chunks)
			}
			if tt.code == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
			} else {
				pe := asProviderError(t, err)
				if pe.Code != tt.code || pe.Status != tt.status {
					t.Errorf("got code %q status %d, want %q %d (%v)", pe.Code, pe.Status, tt.code, tt.status, err)
				}
				if !strings.Contains(pe.Message, tt.msgHas) {
					t.Errorf("message %q lacks %q", pe.Message, tt.msgHas)
				}
				if tt.checksum && !errors.As(err, new(eventstream.ChecksumError)) {
					t.Errorf("error %v does not report the checksum mismatch", err)
				}
				// The error is sticky.
				if _, again := s.Recv(); again == nil || again.Error() != err.Error() {
					t.Errorf("second Recv: %v", again)
				}
			}
			last := (*provider.Chunk)(nil)
			if len(chunks) > 0 {
				last = chunks[len(chunks)-1]
			}
			if gotUsage := last != nil && last.Usage != nil; gotUsage != tt.wantUsage {
				t.Errorf("usage chunk present = %v, want %v", gotUsage, tt.wantUsage)
			}
			if tt.wantUsage && (len(last.Choices) != 0 || last.Choices == nil || last.Usage.TotalTokens != 4) {
				t.Errorf("usage chunk %+v must have an empty choices array and the upstream counts", last)
			}
		})
	}
}

func TestStreamRejectsJSONAnswer(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) { writeJSON(w, 200, okConverse) })
	p := newTestProvider(t, f, nil)
	_, err := p.ChatStream(context.Background(), userRequest(""))
	if pe := asProviderError(t, err); pe.Code != provider.CodeMalformed {
		t.Fatalf("got %v", err)
	}
}

func TestStreamEOFIsSticky(t *testing.T) {
	frames := [][]byte{eventFrame(t, "messageStart", `{"role":"assistant"}`), eventFrame(t, "messageStop", `{"stopReason":"end_turn"}`)}
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) { writeFrames(w, frames) })
	p := newTestProvider(t, f, nil)
	s, err := p.ChatStream(context.Background(), userRequest(""))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 0; ; i++ {
		if _, err := s.Recv(); err != nil {
			if err != io.EOF || i != 2 {
				t.Fatalf("Recv %d: %v", i, err)
			}
			break
		}
	}
	if _, err := s.Recv(); err != io.EOF {
		t.Fatalf("Recv after the end: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// hangingFake sends the first frame of a stream, then holds the response open until the client goes away.
func hangingFake(t *testing.T) *fakeBedrock {
	first := eventFrame(t, "messageStart", `{"role":"assistant"}`)
	return newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		writeFrames(w, [][]byte{first})
		<-r.Context().Done()
	})
}

func TestStreamContextCancel(t *testing.T) {
	f := hangingFake(t)
	p := newTestProvider(t, f, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := p.ChatStream(ctx, userRequest(""))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Recv(); err != nil {
		t.Fatal(err)
	}
	cancel()
	_, err = s.Recv()
	if !errors.Is(err, context.Canceled) || provider.Retryable(err) {
		t.Fatalf("Recv after cancel: %v", err)
	}
}

func TestStreamCloseUnblocksRecv(t *testing.T) {
	f := hangingFake(t)
	p := newTestProvider(t, f, nil)
	s, err := p.ChatStream(context.Background(), userRequest(""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Recv(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := s.Recv()
		done <- err
	}()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, errStreamClosed) {
		t.Fatalf("Recv after Close: %v", err)
	}
}

// TestStreamConnectionReset cuts the connection after the first frame, without the end of the chunked body, the
// way a dying load balancer would.
func TestStreamConnectionReset(t *testing.T) {
	first := eventFrame(t, "messageStart", `{"role":"assistant"}`)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.amazon.eventstream\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n", len(first))
		buf.Write(first)
		buf.WriteString("\r\n")
		buf.Flush()
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // close with a reset rather than a FIN
		}
	})
	p := newTestProvider(t, f, nil)
	s, err := p.ChatStream(context.Background(), userRequest(""))
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := drain(t, s)
	if len(chunks) != 1 {
		t.Errorf("got %d chunks", len(chunks))
	}
	if pe := asProviderError(t, err); pe.Code != provider.CodeConnection || !provider.Retryable(err) {
		t.Fatalf("got %v", err)
	}
}

// BenchmarkStreamDecode measures decoding and translating a 100-delta ConverseStream from memory.
func BenchmarkStreamDecode(b *testing.B) {
	frames := [][]byte{eventFrame(b, "messageStart", `{"role":"assistant"}`)}
	for range 100 {
		frames = append(frames, eventFrame(b, "contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":"token "},"p":"abcdefghijklmnop"}`))
	}
	frames = append(frames, eventFrame(b, "contentBlockStop", `{"contentBlockIndex":0}`),
		eventFrame(b, "messageStop", `{"stopReason":"end_turn"}`),
		eventFrame(b, "metadata", `{"usage":{"inputTokens":10,"outputTokens":100,"totalTokens":110},"metrics":{"latencyMs":5}}`))
	data := bytes.Join(frames, nil)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		s := newStream(context.Background(), io.NopCloser(bytes.NewReader(data)), "id", "m", 0, provider.DefaultMaxResponseBytes)
		for {
			if _, err := s.Recv(); err != nil {
				if err != io.EOF {
					b.Fatal(err)
				}
				break
			}
		}
	}
}
