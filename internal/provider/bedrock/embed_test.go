package bedrock

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/walens/walens/internal/provider"
)

// embedFake answers InvokeModel like Titan or Cohere embedding models: the vector of a text is [len(text), i]
// where i is its position in the call, so that the order of the results can be checked.
func embedFake(t *testing.T) *fakeBedrock {
	return newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		path := r.URL.EscapedPath()
		switch {
		case strings.Contains(path, "amazon.titan-embed"):
			var req map[string]any
			if err := json.Unmarshal(body, &req); err != nil {
				writeJSON(w, 400, `{"message":"bad json"}`)
				return
			}
			text, _ := req["inputText"].(string)
			if text == "fail" {
				w.Header().Set("X-Amzn-Errortype", "ThrottlingException")
				writeJSON(w, 429, `{"message":"slow down"}`)
				return
			}
			w.Header().Set("X-Amzn-Bedrock-Input-Token-Count", "999") // must not be used: the body has the count
			writeJSON(w, 200, fmt.Sprintf(`{"embedding":[%d,0.5],"inputTextTokenCount":%d}`, len(text), len(text)))
		case strings.Contains(path, "cohere.embed"):
			var req struct {
				Texts     []string `json:"texts"`
				InputType string   `json:"input_type"`
				Types     []string `json:"embedding_types"`
			}
			if err := json.Unmarshal(body, &req); err != nil || req.InputType != "search_document" || len(req.Texts) > cohereBatch {
				writeJSON(w, 400, `{"message":"bad request"}`)
				return
			}
			vecs := make([]string, len(req.Texts))
			tokens := 0
			for i, s := range req.Texts {
				vecs[i] = fmt.Sprintf("[%d,%d]", len(s), i)
				tokens += len(s)
			}
			w.Header().Set("X-Amzn-Bedrock-Input-Token-Count", strconv.Itoa(tokens))
			arr := "[" + strings.Join(vecs, ",") + "]"
			if len(req.Types) > 0 {
				writeJSON(w, 200, `{"id":"x","response_type":"embeddings_by_type","embeddings":{"float":`+arr+`}}`)
				return
			}
			writeJSON(w, 200, `{"id":"x","response_type":"embeddings_floats","texts":[],"embeddings":`+arr+`}`)
		default:
			writeJSON(w, 400, `{"message":"unexpected model"}`)
		}
	})
}

func TestEmbedTitan(t *testing.T) {
	f := embedFake(t)
	p := newTestProvider(t, f, nil)
	dims := 256
	texts := []string{"a", "bb", "ccc", "dddd", "eeeee", "ffffff"}
	out, err := p.Embed(context.Background(), &provider.EmbeddingRequest{
		Model: "amazon.titan-embed-text-v2:0", Input: provider.EmbeddingInput{Texts: texts}, Dimensions: &dims,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Data) != len(texts) || out.Object != "list" || out.Model != "amazon.titan-embed-text-v2:0" {
		t.Fatalf("got %+v", out)
	}
	for i, d := range out.Data {
		if d.Index != i || d.Object != "embedding" || d.Embedding[0] != float32(len(texts[i])) {
			t.Errorf("data[%d] = %+v", i, d)
		}
	}
	if out.Usage.PromptTokens != 21 || out.Usage.TotalTokens != 21 {
		t.Errorf("usage %+v, want the sum of inputTextTokenCount (21)", out.Usage)
	}
	reqs := f.recorded()
	if len(reqs) != len(texts) {
		t.Fatalf("%d calls, want one per input", len(reqs))
	}
	for _, r := range reqs {
		if r.Op != "invoke" || r.EscapedPath != "/model/amazon.titan-embed-text-v2%3A0/invoke" {
			t.Errorf("call to %s", r.EscapedPath)
		}
		var body map[string]any
		_ = json.Unmarshal(r.Body, &body)
		if body["dimensions"] != float64(256) || body["normalize"] != true {
			t.Errorf("titan v2 body %s", r.Body)
		}
	}
}

func TestEmbedTitanV1(t *testing.T) {
	f := embedFake(t)
	p := newTestProvider(t, f, nil)
	out, err := p.Embed(context.Background(), &provider.EmbeddingRequest{
		Model: "amazon.titan-embed-text-v1", Input: provider.EmbeddingInput{Texts: []string{"hello"}, Single: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.Usage.PromptTokens != 5 {
		t.Errorf("usage %+v", out.Usage)
	}
	if body := string(f.recorded()[0].Body); body != `{"inputText":"hello"}` {
		t.Errorf("titan v1 body %s: v1 takes neither dimensions nor normalize", body)
	}
}

func TestEmbedCohereBatches(t *testing.T) {
	f := embedFake(t)
	p := newTestProvider(t, f, nil)
	texts := make([]string, 100)
	want := 0
	for i := range texts {
		texts[i] = strings.Repeat("x", i%7+1)
		want += len(texts[i])
	}
	for _, model := range []string{"cohere.embed-english-v3", "us.cohere.embed-v4:0"} {
		before := len(f.recorded())
		out, err := p.Embed(context.Background(), &provider.EmbeddingRequest{Model: model, Input: provider.EmbeddingInput{Texts: texts}})
		if err != nil {
			t.Fatalf("%s: %v", model, err)
		}
		if calls := len(f.recorded()) - before; calls != 2 {
			t.Errorf("%s: %d calls for 100 texts, want 2 batches", model, calls)
		}
		if len(out.Data) != 100 || out.Usage.PromptTokens != want {
			t.Fatalf("%s: %d vectors, usage %+v, want 100 and %d tokens from the header", model, len(out.Data), out.Usage, want)
		}
		for i, d := range out.Data {
			if d.Index != i || d.Embedding[0] != float32(len(texts[i])) || d.Embedding[1] != float32(i%cohereBatch) {
				t.Fatalf("%s: data[%d] = %+v is out of order", model, i, d)
			}
		}
	}
}

func TestEmbedErrors(t *testing.T) {
	dims := 8
	tests := []struct {
		name string
		req  provider.EmbeddingRequest
		code string
		has  string
	}{
		{"unsupported family", provider.EmbeddingRequest{Model: "mistral.mistral-embed", Input: provider.EmbeddingInput{Texts: []string{"a"}}}, provider.CodeBadRequest, "mistral.mistral-embed"},
		{"tokens", provider.EmbeddingRequest{Model: "amazon.titan-embed-text-v2:0", Input: provider.EmbeddingInput{Tokens: [][]int{{1, 2}}}}, provider.CodeBadRequest, "token"},
		{"dimensions on v1", provider.EmbeddingRequest{Model: "amazon.titan-embed-text-v1", Input: provider.EmbeddingInput{Texts: []string{"a"}}, Dimensions: &dims}, provider.CodeBadRequest, "dimensions"},
		{"dimensions on cohere v3", provider.EmbeddingRequest{Model: "cohere.embed-multilingual-v3", Input: provider.EmbeddingInput{Texts: []string{"a"}}, Dimensions: &dims}, provider.CodeBadRequest, "dimensions"},
		{"too many inputs", provider.EmbeddingRequest{Model: "cohere.embed-english-v3", Input: provider.EmbeddingInput{Texts: make([]string, maxEmbeddingInputs+1)}}, provider.CodeBadRequest, "at most"},
		{"upstream throttles one of several", provider.EmbeddingRequest{Model: "amazon.titan-embed-text-v2:0", Input: provider.EmbeddingInput{Texts: []string{"a", "fail", "b", "c", "d", "e", "f"}}}, provider.CodeRateLimited, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := embedFake(t)
			p := newTestProvider(t, f, nil)
			_, err := p.Embed(context.Background(), &tt.req)
			pe := asProviderError(t, err)
			if pe.Code != tt.code || !strings.Contains(pe.Message, tt.has) {
				t.Errorf("got %q %q, want %q naming %q", pe.Code, pe.Message, tt.code, tt.has)
			}
		})
	}
}
