// Package providertest holds checks shared by the provider packages' tests: golden JSON files, draining a stream
// and folding its chunks into the message a client would assemble, with the stream invariants the gateway relies on.
package providertest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/walens/walens/internal/provider"
)

// GoldenJSON compares got with the JSON file at path after normalising both (sorted keys, indented), so that map
// order does not matter. With update set it rewrites the file instead.
func GoldenJSON(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	norm, err := Normalize(got)
	if err != nil {
		t.Fatalf("%s: got invalid JSON: %v\n%s", path, err, got)
	}
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, norm, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	wantNorm, err := Normalize(want)
	if err != nil {
		t.Fatalf("%s: invalid JSON: %v", path, err)
	}
	if !bytes.Equal(norm, wantNorm) {
		t.Fatalf("%s differs (run with -update if the change is intended)\n got:\n%s\nwant:\n%s", path, norm, wantNorm)
	}
}

// Normalize re-encodes a JSON document with sorted keys and indentation.
func Normalize(b []byte) ([]byte, error) {
	var v any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// Collect reads a stream to its end and returns the chunks and the terminal error (nil after io.EOF). A failure
// that wraps io.EOF is reported as a failure of its own: it would look like a clean end to errors.Is.
func Collect(s provider.Stream) ([]*provider.Chunk, error) {
	defer s.Close()
	var out []*provider.Chunk
	for {
		c, err := s.Recv()
		if err == io.EOF {
			return out, nil
		}
		if errors.Is(err, io.EOF) {
			return out, fmt.Errorf("stream failure %q wraps io.EOF, so callers would take it for the normal end", err)
		}
		if err != nil {
			return out, err
		}
		out = append(out, c)
	}
}

// Message is what a client assembles from a stream.
type Message struct {
	Role, Content string
	ToolCalls     []provider.ToolCall
	FinishReason  string
	Usage         *provider.Usage
}

// Assemble folds chunks into a Message and checks the invariants the gateway relies on: every chunk has the same
// id, a tool call's argument fragments follow a first fragment carrying its id and name, a finish reason comes at
// most once, and a usage chunk, if any, is the last chunk and has no choices.
func Assemble(chunks []*provider.Chunk) (Message, error) {
	var m Message
	byIndex := map[int]int{}
	for i, c := range chunks {
		if c.ID != chunks[0].ID {
			return m, fmt.Errorf("chunk %d has id %q, the first had %q", i, c.ID, chunks[0].ID)
		}
		if c.Object != "chat.completion.chunk" {
			return m, fmt.Errorf("chunk %d has object %q", i, c.Object)
		}
		if c.Usage != nil {
			if i != len(chunks)-1 || len(c.Choices) != 0 {
				return m, fmt.Errorf("usage in chunk %d of %d with %d choices; want it alone in the last", i, len(chunks), len(c.Choices))
			}
			m.Usage = c.Usage
		}
		for _, ch := range c.Choices {
			d := ch.Delta
			if d.Role != "" {
				m.Role = d.Role
			}
			if d.Content != nil {
				m.Content += *d.Content
			}
			for _, tc := range d.ToolCalls {
				if tc.Index == nil {
					return m, fmt.Errorf("chunk %d: tool call delta without index", i)
				}
				pos, ok := byIndex[*tc.Index]
				if !ok {
					if tc.ID == "" || tc.Function.Name == "" {
						return m, fmt.Errorf("chunk %d: tool call %d starts without id or name", i, *tc.Index)
					}
					byIndex[*tc.Index] = len(m.ToolCalls)
					m.ToolCalls = append(m.ToolCalls, provider.ToolCall{ID: tc.ID, Type: "function",
						Function: provider.FunctionCall{Name: tc.Function.Name}})
					pos = len(m.ToolCalls) - 1
				}
				m.ToolCalls[pos].Function.Arguments += tc.Function.Arguments
			}
			if ch.FinishReason != nil {
				if m.FinishReason != "" {
					return m, fmt.Errorf("chunk %d: a second finish reason %q", i, *ch.FinishReason)
				}
				m.FinishReason = *ch.FinishReason
			}
		}
	}
	return m, nil
}

// Client returns an HTTP client with a transport of its own whose idle connections are closed when the test ends,
// so that a goroutine leak check sees only what the code under test left behind.
func Client(t testing.TB) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}
