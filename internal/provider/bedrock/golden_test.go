package bedrock

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"go.uber.org/goleak"

	"github.com/walens/walens/internal/provider"
	"github.com/walens/walens/internal/provider/providertest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// checkGolden compares v, as indented JSON, with a golden file, or rewrites the file under -update.
func checkGolden(t *testing.T, path string, v any) {
	t.Helper()
	var got []byte
	if raw, ok := v.([]byte); ok {
		var buf bytes.Buffer
		if err := json.Indent(&buf, raw, "", "  "); err != nil {
			t.Fatalf("not JSON: %v: %s", err, raw)
		}
		got = buf.Bytes()
	} else {
		var err error
		if got, err = json.MarshalIndent(v, "", "  "); err != nil {
			t.Fatal(err)
		}
	}
	got = append(got, '\n')
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestChatGolden sends each testdata/converse/*/request.json through Chat to the fake, compares the Converse body
// the fake received with converse.golden.json, serves response.json and compares the translated answer with
// openai.golden.json.
func TestChatGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/converse/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			resp, err := os.ReadFile(filepath.Join(dir, "response.json"))
			if err != nil {
				t.Fatal(err)
			}
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
				writeJSON(w, http.StatusOK, string(resp))
			})
			p := newTestProvider(t, f, nil)
			var req provider.ChatRequest
			readJSON(t, filepath.Join(dir, "request.json"), &req)
			out, err := p.Chat(context.Background(), &req)
			if err != nil {
				t.Fatal(err)
			}
			reqs := f.recorded()
			if len(reqs) != 1 || reqs[0].Op != "converse" {
				t.Fatalf("fake saw %+v, want one converse call", reqs)
			}
			checkGolden(t, filepath.Join(dir, "converse.golden.json"), reqs[0].Body)
			checkGolden(t, filepath.Join(dir, "openai.golden.json"), out)
		})
	}
}

type streamGolden struct {
	Chunks []*provider.Chunk `json:"chunks"`
	Error  *goldenError      `json:"error"`
}

type goldenError struct {
	Code      string `json:"code"`
	Status    int    `json:"status"`
	Message   string `json:"message"`
	Retryable bool   `json:"retryable"`
}

// TestStreamGolden serves testdata/stream/*/events.json as event-stream frames and compares the chunks, and the
// error that ends the stream if any, with chunks.golden.json.
func TestStreamGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/stream/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			var events []streamEvent
			readJSON(t, filepath.Join(dir, "events.json"), &events)
			frames := framesOf(t, events)
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) { writeFrames(w, frames) })
			p := newTestProvider(t, f, nil)
			var req provider.ChatRequest
			readJSON(t, filepath.Join(dir, "request.json"), &req)
			s, err := p.ChatStream(context.Background(), &req)
			if err != nil {
				t.Fatal(err)
			}
			chunks, err := drain(t, s)
			if _, aerr := providertest.Assemble(chunks); aerr != nil {
				t.Errorf("stream breaks an invariant the gateway relies on: %v", aerr)
			}
			g := streamGolden{Chunks: chunks}
			if err != nil {
				pe := asProviderError(t, err)
				g.Error = &goldenError{Code: pe.Code, Status: pe.Status, Message: pe.Message, Retryable: provider.Retryable(err)}
			}
			if reqs := f.recorded(); len(reqs) != 1 || reqs[0].Op != "converse-stream" {
				t.Fatalf("fake saw %+v, want one converse-stream call", reqs)
			}
			checkGolden(t, filepath.Join(dir, "chunks.golden.json"), g)
		})
	}
}
