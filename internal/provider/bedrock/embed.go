package bedrock

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/walens/walens/internal/provider"
)

const (
	// maxEmbeddingInputs matches OpenAI's limit on inputs per request.
	maxEmbeddingInputs = 2048
	// cohereBatch is the most texts Cohere embed models on Bedrock accept in one call.
	cohereBatch = 96
	// titanParallel bounds the concurrent calls made for one request: Titan embeds one text per call.
	titanParallel = 4
)

// Embed calls InvokeModel: once per input for Amazon Titan text embeddings, in batches for Cohere embed. Other
// model families have request formats of their own and are refused.
func (p *Provider) Embed(ctx context.Context, req *provider.EmbeddingRequest) (*provider.EmbeddingResponse, error) {
	modelID, err := p.modelID(req.Model)
	if err != nil {
		return nil, err
	}
	if len(req.Input.Tokens) > 0 {
		return nil, badRequest("input: Bedrock embedding models take text, not token IDs")
	}
	if len(req.Input.Texts) == 0 {
		return nil, badRequest("input must not be empty")
	}
	if len(req.Input.Texts) > maxEmbeddingInputs {
		return nil, badRequest("input: at most %d texts per request", maxEmbeddingInputs)
	}
	if req.Dimensions != nil && *req.Dimensions < 1 {
		return nil, badRequest("dimensions must be positive")
	}
	var vecs [][]float32
	var tokens int
	switch {
	case strings.Contains(modelID, "amazon.titan-embed"):
		vecs, tokens, err = p.embedTitan(ctx, modelID, req)
	case strings.Contains(modelID, "cohere.embed"):
		vecs, tokens, err = p.embedCohere(ctx, modelID, req)
	default:
		return nil, badRequest("model %q: embeddings through Bedrock support Amazon Titan and Cohere embed models only", modelID)
	}
	if err != nil {
		return nil, err
	}
	out := &provider.EmbeddingResponse{
		Object: "list",
		Data:   make([]provider.Embedding, len(vecs)),
		Model:  modelID,
		Usage:  provider.Usage{PromptTokens: tokens, TotalTokens: tokens},
	}
	for i, v := range vecs {
		out.Data[i] = provider.Embedding{Object: "embedding", Index: i, Embedding: v}
	}
	return out, nil
}

// invoke calls InvokeModel and returns the model's JSON body and the response headers.
func (p *Provider) invoke(ctx context.Context, modelID string, body any) ([]byte, http.Header, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, nil, fmt.Errorf("bedrock: encode request: %w", err)
	}
	resp, err := p.do(ctx, p.endpoint(modelID, "invoke"), b, "application/json")
	if err != nil {
		return nil, nil, err
	}
	h := resp.Header
	out, err := p.readBody(ctx, resp)
	return out, h, err
}

type titanRequest struct {
	InputText  string `json:"inputText"`
	Dimensions *int   `json:"dimensions,omitempty"`
	Normalize  *bool  `json:"normalize,omitempty"`
}

type titanResponse struct {
	Embedding           []float32 `json:"embedding"`
	InputTextTokenCount int       `json:"inputTextTokenCount"`
}

func (p *Provider) embedTitan(ctx context.Context, modelID string, req *provider.EmbeddingRequest) ([][]float32, int, error) {
	// Only Titan Text Embeddings V2 takes dimensions and normalize; OpenAI vectors are unit length, so ask V2 for
	// the same.
	v2 := strings.Contains(modelID, "titan-embed-text-v2")
	if req.Dimensions != nil && !v2 {
		return nil, 0, badRequest("dimensions: model %q does not support choosing dimensions", modelID)
	}
	var normalize *bool
	if v2 {
		t := true
		normalize = &t
	}

	texts := req.Input.Texts
	vecs := make([][]float32, len(texts))
	counts := make([]int, len(texts))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	sem := make(chan struct{}, titanParallel)
loop:
	for i, text := range texts {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			break loop
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			b, _, err := p.invoke(ctx, modelID, titanRequest{InputText: text, Dimensions: req.Dimensions, Normalize: normalize})
			var r titanResponse
			if err == nil {
				if jerr := json.Unmarshal(b, &r); jerr != nil || len(r.Embedding) == 0 {
					err = malformed(200, "the Bedrock embedding response was not valid Titan JSON", fmt.Errorf("decode titan response: %v", jerr))
				}
			}
			if err != nil {
				once.Do(func() { firstErr = err; cancel() })
				return
			}
			vecs[i], counts[i] = r.Embedding, r.InputTextTokenCount
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, 0, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, provider.TransportError(ctx, upstreamName, err)
	}
	total := 0
	for _, c := range counts {
		total += c
	}
	return vecs, total, nil
}

type cohereRequest struct {
	Texts           []string `json:"texts"`
	InputType       string   `json:"input_type"`
	EmbeddingTypes  []string `json:"embedding_types,omitempty"`
	OutputDimension *int     `json:"output_dimension,omitempty"`
}

// cohereResponse holds embeddings as an array of vectors (embed v3 by default) or, when embedding types were
// asked for (embed v4), as an object keyed by type.
type cohereResponse struct {
	Embeddings json.RawMessage `json:"embeddings"`
}

func (r cohereResponse) floats() ([][]float32, error) {
	var plain [][]float32
	if err := json.Unmarshal(r.Embeddings, &plain); err == nil {
		return plain, nil
	}
	var byType struct {
		Float [][]float32 `json:"float"`
	}
	if err := json.Unmarshal(r.Embeddings, &byType); err != nil {
		return nil, err
	}
	return byType.Float, nil
}

func (p *Provider) embedCohere(ctx context.Context, modelID string, req *provider.EmbeddingRequest) ([][]float32, int, error) {
	v4 := strings.Contains(modelID, "cohere.embed-v4")
	if req.Dimensions != nil && !v4 {
		return nil, 0, badRequest("dimensions: model %q does not support choosing dimensions", modelID)
	}
	texts := req.Input.Texts
	vecs := make([][]float32, 0, len(texts))
	tokens := 0
	for start := 0; start < len(texts); start += cohereBatch {
		batch := texts[start:min(start+cohereBatch, len(texts))]
		body := cohereRequest{Texts: batch, InputType: "search_document"}
		if v4 {
			body.EmbeddingTypes = []string{"float"}
			body.OutputDimension = req.Dimensions
		}
		b, h, err := p.invoke(ctx, modelID, body)
		if err != nil {
			return nil, 0, err
		}
		var r cohereResponse
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, 0, malformed(200, "the Bedrock embedding response was not valid Cohere JSON", err)
		}
		got, err := r.floats()
		if err != nil || len(got) != len(batch) {
			return nil, 0, malformed(200, "the Bedrock embedding response did not hold one vector per input",
				fmt.Errorf("got %d vectors for %d texts (%v)", len(got), len(batch), err))
		}
		vecs = append(vecs, got...)
		// Cohere's body has no token count; Bedrock reports it in a header.
		if n, err := strconv.Atoi(h.Get("X-Amzn-Bedrock-Input-Token-Count")); err == nil && n > 0 {
			tokens += n
		}
	}
	return vecs, tokens, nil
}
