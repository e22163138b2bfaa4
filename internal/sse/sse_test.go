package sse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

type ev struct {
	Type, Data, ID string
	Retry          time.Duration
}

// readAll reads every event and the terminal error.
func readAll(r io.Reader, max int) ([]ev, error) {
	rd := NewReader(r, max)
	var out []ev
	for {
		e, err := rd.Next()
		if err != nil {
			return out, err
		}
		out = append(out, ev{e.Type, string(e.Data), e.ID, e.Retry})
	}
}

func TestReader(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []ev
		wantErr error
	}{
		{"single", "data: hello\n\n", []ev{{Data: "hello"}}, io.EOF},
		{"multi-line data", "data: a\ndata: b\ndata:c\n\n", []ev{{Data: "a\nb\nc"}}, io.EOF},
		{"event and id", "event: message_start\nid: 7\ndata: {}\n\n", []ev{{Type: "message_start", Data: "{}", ID: "7"}}, io.EOF},
		{"id persists", "id: 1\ndata: a\n\ndata: b\n\n", []ev{{Data: "a", ID: "1"}, {Data: "b", ID: "1"}}, io.EOF},
		{"id with NUL ignored", "id: a\x00b\ndata: x\n\n", []ev{{Data: "x"}}, io.EOF},
		{"retry", "retry: 1500\ndata: x\n\n", []ev{{Data: "x", Retry: 1500 * time.Millisecond}}, io.EOF},
		{"bad retry ignored", "retry: 15s\ndata: x\n\n", []ev{{Data: "x"}}, io.EOF},
		{"comments", ": ping\n\n:\ndata: x\n: mid\n\n", []ev{{Data: "x"}}, io.EOF},
		{"CRLF", "event: e\r\ndata: a\r\ndata: b\r\n\r\n", []ev{{Type: "e", Data: "a\nb"}}, io.EOF},
		{"CR", "data: a\rdata: b\r\rdata: c\r\r", []ev{{Data: "a\nb"}, {Data: "c"}}, io.EOF},
		{"mixed endings", "data: a\r\n\ndata: b\r\r\ndata: c\n\r", []ev{{Data: "a"}, {Data: "b"}, {Data: "c"}}, io.EOF},
		{"no space after colon", "data:x\n\n", []ev{{Data: "x"}}, io.EOF},
		{"only one space stripped", "data:  x\n\n", []ev{{Data: " x"}}, io.EOF},
		{"field without colon", "data\n\n", []ev{{Data: ""}}, io.EOF},
		{"empty data line", "data:\ndata:\n\n", []ev{{Data: "\n"}}, io.EOF},
		{"unknown field ignored", "foo: bar\ndata: x\n\n", []ev{{Data: "x"}}, io.EOF},
		{"event without data not dispatched", "event: ping\n\ndata: x\n\n", []ev{{Data: "x"}}, io.EOF},
		{"type does not leak", "event: a\n\ndata: x\n\n", []ev{{Data: "x"}}, io.EOF},
		{"BOM", "\xEF\xBB\xBFdata: x\n\n", []ev{{Data: "x"}}, io.EOF},
		{"DONE", "data: {}\n\ndata: [DONE]\n\n", []ev{{Data: "{}"}, {Data: "[DONE]"}}, io.EOF},
		{"empty stream", "", nil, io.EOF},
		{"truncated event", "data: a\n\ndata: b\n", []ev{{Data: "a"}}, ErrTruncated},
		{"truncated line", "data: a\n\ndata: {\"x", []ev{{Data: "a"}}, ErrTruncated},
		{"trailing comment is clean", "data: a\n\n: bye\n", []ev{{Data: "a"}}, io.EOF},
		{"too large", "data: " + strings.Repeat("x", 100) + "\n\n", nil, ErrEventTooLarge},
		{"too large over lines", "data: a\n\n" + strings.Repeat("data: 0123456789\n", 6) + "\n", []ev{{Data: "a"}}, ErrEventTooLarge},
		{"blank lines do not accumulate", strings.Repeat("\n", 200) + "data: a\n\n", []ev{{Data: "a"}}, io.EOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, mode := range []string{"whole", "one byte"} {
				var in io.Reader = strings.NewReader(tt.in)
				if mode == "one byte" {
					in = iotest.OneByteReader(in)
				}
				got, err := readAll(in, 64)
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("%s: err = %v, want %v", mode, err, tt.wantErr)
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Fatalf("%s: events\n got  %q\n want %q", mode, got, tt.want)
				}
			}
		})
	}
}

func TestReaderStickyError(t *testing.T) {
	rd := NewReader(strings.NewReader("data: "+strings.Repeat("x", 20)+"\n\ndata: y\n\n"), 10)
	_, err1 := rd.Next()
	_, err2 := rd.Next()
	if !errors.Is(err1, ErrEventTooLarge) || err1 != err2 {
		t.Fatalf("errors = %v, %v; want the same ErrEventTooLarge twice", err1, err2)
	}
	if !strings.Contains(err1.Error(), "10 bytes") {
		t.Fatalf("error %q does not name the limit", err1)
	}
}

func TestReaderPropagatesReadError(t *testing.T) {
	boom := errors.New("connection reset")
	r := io.MultiReader(strings.NewReader("data: a\n\ndata: b"), iotest.ErrReader(boom))
	got, err := readAll(r, 0)
	if !errors.Is(err, boom) || len(got) != 1 {
		t.Fatalf("got %v, %v; want one event then the read error", got, err)
	}
}

// TestReaderDoesNotWaitAfterCR checks that a CR-terminated event is dispatched without reading further, which would
// block on a live connection until the next event arrives.
func TestReaderDoesNotWaitAfterCR(t *testing.T) {
	pr, pw := io.Pipe()
	defer pr.Close()
	go func() {
		_, _ = pw.Write([]byte("data: a\r\r"))
		// The reader must return the event before this second write is accepted.
	}()
	rd := NewReader(pr, 0)
	e, err := rd.Next()
	if err != nil || string(e.Data) != "a" {
		t.Fatalf("Next = %q, %v", e.Data, err)
	}
	pw.Close()
}

func TestAppendEvent(t *testing.T) {
	tests := []struct {
		event, data, want string
	}{
		{"", `{"a":1}`, "data: {\"a\":1}\n\n"},
		{"message_start", "x", "event: message_start\ndata: x\n\n"},
		{"", "a\nb", "data: a\ndata: b\n\n"},
		{"", "a\r\nb\rc", "data: a\ndata: b\ndata: c\n\n"},
		{"", "", "data: \n\n"},
		{"", "a\n", "data: a\ndata: \n\n"},
	}
	for _, tt := range tests {
		got, err := AppendEvent(nil, tt.event, []byte(tt.data))
		if err != nil || string(got) != tt.want {
			t.Errorf("AppendEvent(%q, %q) = %q, %v; want %q", tt.event, tt.data, got, err, tt.want)
		}
	}
	if _, err := AppendEvent(nil, "a\nb", nil); err == nil {
		t.Error("AppendEvent accepted an event name with a line break")
	}
}

func TestWriterFlushesAndRoundTrips(t *testing.T) {
	rec := httptest.NewRecorder()
	if err := WriteEvent(rec, "", []byte(`{"id":"1"}`)); err != nil {
		t.Fatal(err)
	}
	if !rec.Flushed {
		t.Fatal("WriteEvent did not flush")
	}
	if err := WriteComment(rec, "keep-alive"); err != nil {
		t.Fatal(err)
	}
	if err := WriteDone(rec); err != nil {
		t.Fatal(err)
	}
	got, err := readAll(rec.Body, 0)
	if err != io.EOF {
		t.Fatal(err)
	}
	want := []ev{{Data: `{"id":"1"}`}, {Data: Done}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("read back %q, want %q", got, want)
	}
	if err := WriteComment(rec, "a\nb"); err == nil {
		t.Fatal("WriteComment accepted a line break")
	}
}

func TestFlushPlainWriter(t *testing.T) {
	var b bytes.Buffer
	if err := WriteEvent(&b, "e", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if b.String() != "event: e\ndata: x\n\n" {
		t.Fatalf("wrote %q", b.String())
	}
}

func FuzzReader(f *testing.F) {
	for _, s := range []string{
		"data: hello\n\n",
		"event: content_block_delta\ndata: {\"type\":\"content_block_delta\"}\n\n",
		"id: 1\nretry: 100\ndata: a\ndata: b\n\n: comment\n\n",
		"data: a\r\n\r\ndata: b\r\rdata: c\n",
		"\xEF\xBB\xBFdata:x\n\ndata: [DONE]\n\n",
		"data: " + strings.Repeat("y", 300) + "\n\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		const max = 256
		got, err := readAll(bytes.NewReader(in), max)
		if !errors.Is(err, io.EOF) && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrEventTooLarge) {
			t.Fatalf("unexpected error %v", err)
		}
		for _, e := range got {
			if len(e.Data) > max || strings.ContainsAny(e.Data, "\r") || strings.ContainsAny(e.Type, "\r\n") ||
				strings.ContainsAny(e.ID, "\r\n\x00") || e.Retry < 0 {
				t.Fatalf("event breaks an invariant: %q", e)
			}
		}
		// Reading one byte at a time must give the same events and the same outcome: line endings split across
		// reads (a CR at the end of one read, its LF at the start of the next) are the classic bug.
		got1, err1 := readAll(iotest.OneByteReader(bytes.NewReader(in)), max)
		if fmt.Sprint(got1) != fmt.Sprint(got) || errors.Is(err1, io.EOF) != errors.Is(err, io.EOF) ||
			errors.Is(err1, ErrEventTooLarge) != errors.Is(err, ErrEventTooLarge) {
			t.Fatalf("one-byte reads differ:\n %q %v\n %q %v", got1, err1, got, err)
		}
		// Unless the limit intervened, the incremental reader must agree with a whole-input parser.
		if !errors.Is(err, ErrEventTooLarge) {
			want, complete := reference(in)
			if fmt.Sprint(got) != fmt.Sprint(want) || complete != (err == io.EOF) {
				t.Fatalf("reader %q (%v)\nreference %q (complete %v)", got, err, want, complete)
			}
		}
		// Writing the events back and reading them again must give the same types and data.
		var buf []byte
		for _, e := range got {
			if buf, err = AppendEvent(buf, e.Type, []byte(e.Data)); err != nil {
				t.Fatal(err)
			}
		}
		again, err := readAll(bytes.NewReader(buf), 2*max)
		if err != io.EOF || len(again) != len(got) {
			t.Fatalf("re-read %d events (%v), want %d", len(again), err, len(got))
		}
		for i := range got {
			if again[i].Type != got[i].Type || again[i].Data != got[i].Data {
				t.Fatalf("event %d changed on round trip: %q -> %q", i, got[i], again[i])
			}
		}
	})
}

func BenchmarkReader(b *testing.B) {
	chunk := `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hello"},"finish_reason":null}]}`
	var in []byte
	for range 1000 {
		in, _ = AppendEvent(in, "", []byte(chunk))
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		rd := NewReader(bytes.NewReader(in), 0)
		for {
			if _, err := rd.Next(); err != nil {
				break
			}
		}
	}
}

func BenchmarkAppendEvent(b *testing.B) {
	data := []byte(`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hello"},"finish_reason":null}]}`)
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = AppendEvent(buf[:0], "", data)
	}
}

// reference parses a whole stream in the most direct way the standard describes, as an oracle for the incremental
// reader. complete is false when the stream ends inside an event: in an unterminated line or with data pending.
func reference(in []byte) (events []ev, complete bool) {
	in = bytes.TrimPrefix(in, []byte("\xEF\xBB\xBF"))
	var data []string
	var typ, id string
	var retry time.Duration
	for len(in) > 0 {
		i := bytes.IndexAny(in, "\r\n")
		if i < 0 {
			return events, false
		}
		line := in[:i]
		if in[i] == '\r' && i+1 < len(in) && in[i+1] == '\n' {
			i++
		}
		in = in[i+1:]
		if len(line) == 0 {
			if data != nil {
				events = append(events, ev{typ, strings.Join(data, "\n"), id, retry})
			}
			data, typ = nil, ""
			continue
		}
		if line[0] == ':' {
			continue
		}
		name, value, found := bytes.Cut(line, []byte(":"))
		if found {
			value = bytes.TrimPrefix(value, []byte(" "))
		}
		switch string(name) {
		case "data":
			data = append(data, string(value))
		case "event":
			typ = string(value)
		case "id":
			if bytes.IndexByte(value, 0) < 0 {
				id = string(value)
			}
		case "retry":
			if len(value) > 0 && len(value) <= 12 && len(bytes.Trim(value, "0123456789")) == 0 {
				ms, _ := strconv.ParseInt(string(value), 10, 64)
				retry = time.Duration(ms) * time.Millisecond
			}
		}
	}
	return events, data == nil
}
