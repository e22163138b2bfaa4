package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/walens/walens/internal/gateway/config"
	"github.com/walens/walens/internal/provider"
)

// The end-to-end test runs the official OpenAI Go SDK against the gateway, and the gateway against fake upstreams
// that speak each real wire protocol: OpenAI chat completions and SSE, Anthropic Messages and its SSE events, and
// Bedrock Converse with ConverseStream's binary event stream (frames from the AWS SDK's encoder). Each fake
// reports fixed usage, so the metered tokens can be compared exactly.

type fakeUsage struct{ prompt, completion int }

var upstreamUsage = map[string]fakeUsage{"gpt": {11, 5}, "claude": {12, 6}, "nova": {13, 7}}

func hasTools(body map[string]any) bool {
	t, ok := body["tools"].([]any)
	if ok && len(t) > 0 {
		return true
	}
	tc, ok := body["toolConfig"].(map[string]any)
	return ok && tc != nil
}

func readJSONBody(t *testing.T, r *http.Request) map[string]any {
	var m map[string]any
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		t.Errorf("upstream got invalid JSON: %v", err)
	}
	return m
}

func writeSSE(w http.ResponseWriter, event string, data any) {
	b, _ := json.Marshal(data)
	if event != "" {
		fmt.Fprintf(w, "event: %s\n", event)
	}
	fmt.Fprintf(w, "data: %s\n\n", b)
	w.(http.Flusher).Flush()
}

func fakeOpenAI(t *testing.T) *httptest.Server {
	u := upstreamUsage["gpt"]
	usage := map[string]any{"prompt_tokens": u.prompt, "completion_tokens": u.completion, "total_tokens": u.prompt + u.completion}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer sk-upstream" {
			w.WriteHeader(401)
			return
		}
		body := readJSONBody(t, r)
		switch r.URL.Path {
		case "/v1/embeddings":
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"object": "list", "model": body["model"], "usage": map[string]any{"prompt_tokens": 2, "total_tokens": 2},
				"data": []any{map[string]any{"object": "embedding", "index": 0, "embedding": []float64{0.25, -0.5}}}})
			return
		case "/v1/chat/completions":
		default:
			w.WriteHeader(404)
			return
		}
		tools := hasTools(body)
		if body["stream"] != true {
			msg := map[string]any{"role": "assistant", "content": "Hello, world."}
			finish := "stop"
			if tools {
				msg = map[string]any{"role": "assistant", "content": nil, "tool_calls": []any{map[string]any{"id": "call_1", "type": "function", "function": map[string]any{"name": "get_weather", "arguments": `{"city":"Paris"}`}}}}
				finish = "tool_calls"
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"id": "chatcmpl-up", "object": "chat.completion", "created": 1, "model": body["model"],
				"choices": []any{map[string]any{"index": 0, "message": msg, "finish_reason": finish}}, "usage": usage})
			return
		}
		so, _ := body["stream_options"].(map[string]any)
		if so["include_usage"] != true {
			t.Error("the openai provider did not ask for usage")
		}
		w.Header().Set("Content-Type", "text/event-stream")
		chunk := func(delta map[string]any, finish any) map[string]any {
			return map[string]any{"id": "chatcmpl-up", "object": "chat.completion.chunk", "created": 1, "model": body["model"],
				"choices": []any{map[string]any{"index": 0, "delta": delta, "finish_reason": finish}}}
		}
		writeSSE(w, "", chunk(map[string]any{"role": "assistant", "content": ""}, nil))
		if tools {
			writeSSE(w, "", chunk(map[string]any{"tool_calls": []any{map[string]any{"index": 0, "id": "call_1", "type": "function", "function": map[string]any{"name": "get_weather", "arguments": ""}}}}, nil))
			writeSSE(w, "", chunk(map[string]any{"tool_calls": []any{map[string]any{"index": 0, "function": map[string]any{"arguments": `{"city":"Paris"}`}}}}, nil))
			writeSSE(w, "", chunk(map[string]any{}, "tool_calls"))
		} else {
			writeSSE(w, "", chunk(map[string]any{"content": "Hello"}, nil))
			writeSSE(w, "", chunk(map[string]any{"content": ", world."}, nil))
			writeSSE(w, "", chunk(map[string]any{}, "stop"))
		}
		writeSSE(w, "", map[string]any{"id": "chatcmpl-up", "object": "chat.completion.chunk", "created": 1, "model": body["model"], "choices": []any{}, "usage": usage})
		fmt.Fprint(w, "data: [DONE]\n\n")
	}))
}

func fakeAnthropic(t *testing.T) *httptest.Server {
	u := upstreamUsage["claude"]
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/messages" || r.Header.Get("X-Api-Key") != "sk-upstream" {
			w.WriteHeader(404)
			return
		}
		body := readJSONBody(t, r)
		tools := hasTools(body)
		if body["stream"] != true {
			content := []any{map[string]any{"type": "text", "text": "Hello, world."}}
			stop := "end_turn"
			if tools {
				content = []any{map[string]any{"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": map[string]any{"city": "Paris"}}}
				stop = "tool_use"
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"id": "msg_1", "type": "message", "role": "assistant", "model": body["model"], "content": content,
				"stop_reason": stop, "usage": map[string]any{"input_tokens": u.prompt, "output_tokens": u.completion}})
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		writeSSE(w, "message_start", map[string]any{"type": "message_start", "message": map[string]any{"id": "msg_1", "type": "message", "role": "assistant", "model": body["model"], "content": []any{},
			"usage": map[string]any{"input_tokens": u.prompt, "output_tokens": 1}}})
		writeSSE(w, "ping", map[string]any{"type": "ping"})
		stop := "end_turn"
		if tools {
			writeSSE(w, "content_block_start", map[string]any{"type": "content_block_start", "index": 0, "content_block": map[string]any{"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": map[string]any{}}})
			writeSSE(w, "content_block_delta", map[string]any{"type": "content_block_delta", "index": 0, "delta": map[string]any{"type": "input_json_delta", "partial_json": `{"city":"Paris"}`}})
			stop = "tool_use"
		} else {
			writeSSE(w, "content_block_start", map[string]any{"type": "content_block_start", "index": 0, "content_block": map[string]any{"type": "text", "text": ""}})
			writeSSE(w, "content_block_delta", map[string]any{"type": "content_block_delta", "index": 0, "delta": map[string]any{"type": "text_delta", "text": "Hello"}})
			writeSSE(w, "content_block_delta", map[string]any{"type": "content_block_delta", "index": 0, "delta": map[string]any{"type": "text_delta", "text": ", world."}})
		}
		writeSSE(w, "content_block_stop", map[string]any{"type": "content_block_stop", "index": 0})
		writeSSE(w, "message_delta", map[string]any{"type": "message_delta", "delta": map[string]any{"stop_reason": stop}, "usage": map[string]any{"output_tokens": u.completion}})
		writeSSE(w, "message_stop", map[string]any{"type": "message_stop"})
	}))
}

func bedrockFrame(t *testing.T, event string, payload any) []byte {
	p, _ := json.Marshal(payload)
	var hs eventstream.Headers
	hs.Set(":content-type", eventstream.StringValue("application/json"))
	hs.Set(":event-type", eventstream.StringValue(event))
	hs.Set(":message-type", eventstream.StringValue("event"))
	var buf bytes.Buffer
	if err := eventstream.NewEncoder().Encode(&buf, eventstream.Message{Headers: hs, Payload: p}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func fakeBedrock(t *testing.T) *httptest.Server {
	u := upstreamUsage["nova"]
	usage := map[string]any{"inputTokens": u.prompt, "outputTokens": u.completion, "totalTokens": u.prompt + u.completion}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKIDTEST/") {
			w.WriteHeader(403)
			return
		}
		body := readJSONBody(t, r)
		tools := hasTools(body)
		switch {
		case strings.HasSuffix(r.URL.Path, "/invoke"):
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"embedding": []float64{0.25, -0.5}, "inputTextTokenCount": 2})
		case strings.HasSuffix(r.URL.Path, "/converse"):
			content := []any{map[string]any{"text": "Hello, world."}}
			stop := "end_turn"
			if tools {
				content = []any{map[string]any{"toolUse": map[string]any{"toolUseId": "tooluse_1", "name": "get_weather", "input": map[string]any{"city": "Paris"}}}}
				stop = "tool_use"
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]any{"output": map[string]any{"message": map[string]any{"role": "assistant", "content": content}}, "stopReason": stop, "usage": usage})
		case strings.HasSuffix(r.URL.Path, "/converse-stream"):
			w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
			frames := [][]byte{bedrockFrame(t, "messageStart", map[string]any{"role": "assistant"})}
			stop := "end_turn"
			if tools {
				frames = append(frames,
					bedrockFrame(t, "contentBlockStart", map[string]any{"contentBlockIndex": 0, "start": map[string]any{"toolUse": map[string]any{"name": "get_weather", "toolUseId": "tooluse_1"}}}),
					bedrockFrame(t, "contentBlockDelta", map[string]any{"contentBlockIndex": 0, "delta": map[string]any{"toolUse": map[string]any{"input": `{"city":"Paris"}`}}}))
				stop = "tool_use"
			} else {
				frames = append(frames,
					bedrockFrame(t, "contentBlockDelta", map[string]any{"contentBlockIndex": 0, "delta": map[string]any{"text": "Hello"}}),
					bedrockFrame(t, "contentBlockDelta", map[string]any{"contentBlockIndex": 0, "delta": map[string]any{"text": ", world."}}))
			}
			frames = append(frames,
				bedrockFrame(t, "contentBlockStop", map[string]any{"contentBlockIndex": 0}),
				bedrockFrame(t, "messageStop", map[string]any{"stopReason": stop}),
				bedrockFrame(t, "metadata", map[string]any{"usage": usage, "metrics": map[string]any{"latencyMs": 1}}))
			for _, f := range frames {
				w.Write(f)
				w.(http.Flusher).Flush()
			}
		default:
			w.WriteHeader(404)
		}
	}))
}

func e2eGateway(t *testing.T) (*openai.Client, *memAudit) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	oa, an, br := fakeOpenAI(t), fakeAnthropic(t), fakeBedrock(t)
	t.Cleanup(func() { oa.Close(); an.Close(); br.Close() })
	yaml := `format: walens-gateway/v1
providers:
  oa: {kind: openai, base_url: "` + oa.URL + `/v1", api_key: "${UP_KEY}"}
  an: {kind: anthropic, base_url: "` + an.URL + `", api_key: "${UP_KEY}"}
  br: {kind: bedrock, base_url: "` + br.URL + `", region: us-east-1}
models:
  gpt: {targets: [{provider: oa, model: gpt-test}]}
  claude: {targets: [{provider: an, model: claude-test}]}
  nova: {targets: [{provider: br, model: amazon.nova-test}]}
  embed-oa: {targets: [{provider: oa, model: text-embedding-test}]}
  embed-br: {targets: [{provider: br, model: amazon.titan-embed-text-v2:0}]}
keys:
  - {id: a, hash: "` + config.HashKey(keyA) + `"}
`
	cfg, err := config.Parse([]byte(yaml), "gateway.yaml", func(k string) (string, bool) { return "sk-upstream", k == "UP_KEY" })
	if err != nil {
		t.Fatal(err)
	}
	audit := &memAudit{}
	hc := &http.Client{Transport: newTransport()}
	t.Cleanup(hc.CloseIdleConnections)
	g, err := New(cfg, Options{
		NewProvider: func(pc provider.Config, hc *http.Client) (provider.Provider, error) {
			return BuiltinProvider(context.Background(), pc, hc)
		},
		HTTPClient: hc,
		Auditor:    audit,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(audit.track(g.Handler()))
	t.Cleanup(srv.Close)
	sdkHTTP := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(sdkHTTP.CloseIdleConnections)
	c := openai.NewClient(option.WithBaseURL(srv.URL+"/v1"), option.WithAPIKey(keyA), option.WithHTTPClient(sdkHTTP), option.WithMaxRetries(0))
	return &c, audit
}

var weatherTool = openai.ChatCompletionFunctionTool(openai.FunctionDefinitionParam{
	Name:       "get_weather",
	Parameters: openai.FunctionParameters{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}, "required": []string{"city"}},
})

func TestSDKEndToEnd(t *testing.T) {
	client, audit := e2eGateway(t)
	ctx := context.Background()
	for _, model := range []string{"gpt", "claude", "nova"} {
		want := upstreamUsage[model]
		t.Run(model+"/chat", func(t *testing.T) {
			resp, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: model, Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Say hello")}})
			if err != nil {
				t.Fatal(err)
			}
			if resp.Choices[0].Message.Content != "Hello, world." || resp.Usage.PromptTokens != int64(want.prompt) || resp.Usage.CompletionTokens != int64(want.completion) {
				t.Errorf("%+v usage %+v", resp.Choices[0].Message, resp.Usage)
			}
		})
		t.Run(model+"/tools", func(t *testing.T) {
			resp, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: model, Tools: []openai.ChatCompletionToolUnionParam{weatherTool},
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Weather in Paris?")}})
			if err != nil {
				t.Fatal(err)
			}
			tc := resp.Choices[0].Message.ToolCalls
			if len(tc) != 1 || tc[0].Function.Name != "get_weather" || !strings.Contains(tc[0].Function.Arguments, "Paris") || resp.Choices[0].FinishReason != "tool_calls" {
				t.Errorf("tool calls %+v finish %q", tc, resp.Choices[0].FinishReason)
			}
		})
		for _, includeUsage := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/stream-usage-%v", model, includeUsage), func(t *testing.T) {
				params := openai.ChatCompletionNewParams{Model: model, Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Say hello")}}
				if includeUsage {
					params.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
				}
				s := client.Chat.Completions.NewStreaming(ctx, params)
				var acc openai.ChatCompletionAccumulator
				sawUsage := false
				for s.Next() {
					c := s.Current()
					acc.AddChunk(c)
					if c.Usage.TotalTokens > 0 {
						sawUsage = true
						if c.Usage.PromptTokens != int64(want.prompt) || c.Usage.CompletionTokens != int64(want.completion) {
							t.Errorf("usage %+v", c.Usage)
						}
					}
				}
				if err := s.Err(); err != nil {
					t.Fatal(err)
				}
				s.Close()
				if got := acc.Choices[0].Message.Content; got != "Hello, world." || sawUsage != includeUsage {
					t.Errorf("content %q usage chunk %v, want %v", got, sawUsage, includeUsage)
				}
			})
		}
		t.Run(model+"/stream-tools", func(t *testing.T) {
			s := client.Chat.Completions.NewStreaming(ctx, openai.ChatCompletionNewParams{Model: model, Tools: []openai.ChatCompletionToolUnionParam{weatherTool},
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Weather in Paris?")}})
			var acc openai.ChatCompletionAccumulator
			for s.Next() {
				acc.AddChunk(s.Current())
			}
			if err := s.Err(); err != nil {
				t.Fatal(err)
			}
			s.Close()
			tc := acc.Choices[0].Message.ToolCalls
			if len(tc) != 1 || tc[0].Function.Name != "get_weather" || !strings.Contains(tc[0].Function.Arguments, "Paris") {
				t.Errorf("tool calls %+v", tc)
			}
		})
	}
	for _, model := range []string{"embed-oa", "embed-br"} {
		t.Run(model, func(t *testing.T) {
			resp, err := client.Embeddings.New(ctx, openai.EmbeddingNewParams{Model: model, Input: openai.EmbeddingNewParamsInputUnion{OfArrayOfStrings: []string{"hello"}}})
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Data) != 1 || len(resp.Data[0].Embedding) != 2 || resp.Data[0].Embedding[0] != 0.25 || resp.Usage.PromptTokens != 2 {
				t.Errorf("%+v", resp)
			}
		})
	}
	t.Run("models", func(t *testing.T) {
		page, err := client.Models.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Data) != 5 {
			t.Errorf("%d models", len(page.Data))
		}
	})
	t.Run("errors", func(t *testing.T) {
		_, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: "nope", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("x")}})
		var apiErr *openai.Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Code != "model_not_found" {
			t.Errorf("unknown model: %v", err)
		}
	})
	// Metering is exact: every chat request was audited with the upstream's own usage.
	for _, rec := range audit.Records() {
		want, ok := upstreamUsage[rec.Model]
		if !ok || rec.Status != 200 {
			continue
		}
		if rec.PromptTokens != want.prompt || rec.CompletionTokens != want.completion {
			t.Errorf("audit %s stream=%v: %d+%d tokens, want %d+%d", rec.Model, rec.Stream, rec.PromptTokens, rec.CompletionTokens, want.prompt, want.completion)
		}
	}
}

// TestUpstreamReset uses the real OpenAI provider against an upstream that cuts the connection mid-response.
func TestUpstreamReset(t *testing.T) {
	reset := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"id\":")
		buf.Flush()
		conn.Close()
	}))
	good := fakeOpenAI(t)
	t.Cleanup(func() { reset.Close(); good.Close() })
	yaml := `format: walens-gateway/v1
providers:
  bad: {kind: openai, base_url: "` + reset.URL + `/v1", api_key: sk-upstream}
  good: {kind: openai, base_url: "` + good.URL + `/v1", api_key: sk-upstream}
models:
  chat: {targets: [{provider: bad, model: gpt-test}, {provider: good, model: gpt-test}]}
  only-bad: {targets: [{provider: bad, model: gpt-test}]}
retries: {max_attempts: 1}
keys:
  - {id: a, hash: "` + config.HashKey(keyA) + `"}
`
	cfg, err := config.Parse([]byte(yaml), "gateway.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	hc := &http.Client{Transport: newTransport()}
	t.Cleanup(hc.CloseIdleConnections)
	audit := &memAudit{}
	g, err := New(cfg, Options{NewProvider: func(pc provider.Config, hc *http.Client) (provider.Provider, error) {
		return BuiltinProvider(context.Background(), pc, hc)
	}, HTTPClient: hc, Auditor: audit})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(audit.track(g.Handler()))
	t.Cleanup(srv.Close)
	post := func(model string, stream bool) (int, string) {
		body := fmt.Sprintf(`{"model":%q,"stream":%v,"messages":[{"role":"user","content":"hi"}]}`, model, stream)
		req, _ := http.NewRequest("POST", srv.URL+"/v1/chat/completions", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+keyA)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, stream := range []bool{false, true} {
		if code, body := post("chat", stream); code != 200 || !strings.Contains(body, "Hello") {
			t.Errorf("stream=%v with a fallback: %d %s", stream, code, body)
		}
		code, body := post("only-bad", stream)
		if code != 502 || strings.Contains(body, "127.0.0.1") || strings.Contains(body, "EOF") {
			t.Errorf("stream=%v without a fallback: %d %s", stream, code, body)
		}
	}
	recs := audit.Records()
	if len(recs) != 4 || len(recs[0].Fallback) != 1 || recs[0].Target != "good/gpt-test" {
		t.Errorf("audit %+v", recs)
	}
}
