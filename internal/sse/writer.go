package sse

import (
	"errors"
	"io"
	"net/http"
	"strings"
)

// Done is the data of the sentinel event that ends an OpenAI-style stream.
const Done = "[DONE]"

// AppendEvent appends one event to dst and returns the extended slice. event may be empty (the default type). Data
// containing line breaks is split over several data lines, so that a reader joins it back unchanged. An event
// name containing a line break is an error because it would inject fields.
func AppendEvent(dst []byte, event string, data []byte) ([]byte, error) {
	if strings.ContainsAny(event, "\r\n") {
		return dst, errors.New("sse: event name contains a line break")
	}
	if event != "" {
		dst = append(dst, "event: "...)
		dst = append(dst, event...)
		dst = append(dst, '\n')
	}
	for {
		i := indexEOL(data)
		dst = append(dst, "data: "...)
		if i < 0 {
			dst = append(dst, data...)
			break
		}
		dst = append(dst, data[:i]...)
		dst = append(dst, '\n')
		if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
			i++
		}
		data = data[i+1:]
	}
	return append(dst, '\n', '\n'), nil
}

// WriteEvent writes one event with a single Write call and flushes it to the client, so that a streamed token is
// not held back by a buffering ResponseWriter.
func WriteEvent(w io.Writer, event string, data []byte) error {
	b, err := AppendEvent(make([]byte, 0, len(data)+len(event)+16), event, data)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return err
	}
	return Flush(w)
}

// WriteDone writes the "data: [DONE]" event that ends an OpenAI-style stream, and flushes.
func WriteDone(w io.Writer) error {
	if _, err := io.WriteString(w, "data: [DONE]\n\n"); err != nil {
		return err
	}
	return Flush(w)
}

// WriteComment writes a comment line (a keep-alive that clients ignore), and flushes.
func WriteComment(w io.Writer, text string) error {
	if strings.ContainsAny(text, "\r\n") {
		return errors.New("sse: comment contains a line break")
	}
	if _, err := io.WriteString(w, ": "+text+"\n\n"); err != nil {
		return err
	}
	return Flush(w)
}

// Flush pushes buffered bytes to the client when w can flush: a FlushError method (which reports a gone client), an
// http.Flusher, or an http.ResponseWriter whose wrappers expose one through Unwrap. Other writers are left alone.
func Flush(w io.Writer) error {
	switch f := w.(type) {
	case interface{ FlushError() error }:
		return f.FlushError()
	case http.Flusher:
		f.Flush()
		return nil
	case http.ResponseWriter:
		err := http.NewResponseController(f).Flush()
		if errors.Is(err, http.ErrNotSupported) {
			return nil
		}
		return err
	}
	return nil
}
