package bedrock

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/walens/walens/internal/provider"
)

// FuzzStream feeds arbitrary bytes to the ConverseStream reader as if they were a response body. It must never
// panic, never loop, and end every stream with io.EOF or a *provider.Error.
func FuzzStream(f *testing.F) {
	dirs, _ := filepath.Glob("testdata/stream/*")
	for _, dir := range dirs {
		var events []streamEvent
		b, err := os.ReadFile(filepath.Join(dir, "events.json"))
		if err != nil || json.Unmarshal(b, &events) != nil {
			f.Fatalf("seed %s: %v", dir, err)
		}
		f.Add(bytes.Join(framesOf(f, events), nil))
	}
	start := eventFrame(f, "messageStart", `{"role":"assistant"}`)
	f.Add(start[:len(start)-3])
	f.Add(append(bytes.Clone(start), exceptionFrame(f, "validationException", "Input is too long")...))
	f.Add(encodeFrame(f, map[string]string{":message-type": "error", ":error-code": "X"}, nil))
	f.Add([]byte{0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{})

	f.Fuzz(func(t *testing.T, data []byte) {
		s := newStream(context.Background(), io.NopCloser(bytes.NewReader(data)), "id", "model", 0, 1<<16)
		defer s.Close()
		// Each Recv consumes at least one frame of 16 bytes or ends the stream.
		for range len(data)/frameMinLen + 2 {
			c, err := s.Recv()
			if err == io.EOF {
				return
			}
			if err != nil {
				var pe *provider.Error
				if !errors.As(err, &pe) || pe.Code == "" || pe.Message == "" {
					t.Fatalf("error %v (%T) is not a classified *provider.Error", err, err)
				}
				return
			}
			if c == nil || c.Object != "chat.completion.chunk" {
				t.Fatalf("bad chunk %+v", c)
			}
		}
		t.Fatal("stream did not end")
	})
}

// FuzzTranslate feeds arbitrary chat requests to the OpenAI → Converse translation and arbitrary Converse bodies
// to the reverse translation. Neither may panic; a translated request must encode to valid JSON.
func FuzzTranslate(f *testing.F) {
	for _, pattern := range []string{"testdata/converse/*/request.json", "testdata/stream/*/request.json", "testdata/converse/*/response.json"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Add([]byte(`{"messages":[{"role":"tool","tool_call_id":"x","content":"{\"a\":"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var req provider.ChatRequest
		if json.Unmarshal(data, &req) == nil {
			if cr, err := toConverse(&req); err == nil {
				if _, err := json.Marshal(cr); err != nil {
					t.Fatalf("translated request does not encode: %v", err)
				}
			} else if pe := (*provider.Error)(nil); !errors.As(err, &pe) || pe.Code != provider.CodeBadRequest {
				t.Fatalf("translation error %v is not a bad request", err)
			}
		}
		var resp converseResponse
		if json.Unmarshal(data, &resp) == nil {
			if out, err := fromConverse(&resp, "m", "id", 0); err == nil {
				if _, err := json.Marshal(out); err != nil {
					t.Fatalf("translated response does not encode: %v", err)
				}
			}
		}
	})
}
