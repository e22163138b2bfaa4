package mockllm

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// newServer starts the mock behind a real HTTP server.
func newServer(t *testing.T, o Options) (*Handler, *httptest.Server) {
	t.Helper()
	h := New(o)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return h, srv
}

func post(t *testing.T, url, body string, header map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func decodeJSON(t *testing.T, r io.Reader, v any) {
	t.Helper()
	if err := json.NewDecoder(r).Decode(v); err != nil {
		t.Fatalf("decoding response: %v", err)
	}
}

// sseEvent is one Server-Sent Event.
type sseEvent struct{ name, data string }

func readSSE(t *testing.T, r io.Reader) []sseEvent {
	t.Helper()
	var out []sseEvent
	var cur sseEvent
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if cur.data != "" || cur.name != "" {
				out = append(out, cur)
			}
			cur = sseEvent{}
		case strings.HasPrefix(line, "event: "):
			cur.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			cur.data = strings.TrimPrefix(line, "data: ")
		default:
			t.Fatalf("unexpected SSE line %q", line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

const weatherTool = `{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city"]}`

func TestOpenAIChat(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		wantText   string
		wantTool   string
		wantArgs   map[string]any
		wantPrompt int
		wantCompl  int
		wantFinish string
	}{
		{
			name:       "text",
			body:       `{"model":"m","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hello there  mock"}]}`,
			wantText:   "the mock model says hello and answers every question with a steady stream of plain words",
			wantPrompt: 5, wantCompl: 16, wantFinish: "stop",
		},
		{
			name:       "content parts",
			body:       `{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"one two"},{"type":"image_url","image_url":{"url":"x"}}]}]}`,
			wantText:   "the mock model says hello and answers every question with a steady stream of plain words",
			wantPrompt: 2, wantCompl: 16, wantFinish: "stop",
		},
		{
			name: "tool call when the prompt names the tool",
			body: `{"model":"m","messages":[{"role":"user","content":"use get_weather for Paris"}],
				"tools":[{"type":"function","function":{"name":"get_time","parameters":{}}},{"type":"function","function":{"name":"get_weather","parameters":` + weatherTool + `}}]}`,
			wantTool: "get_weather", wantArgs: map[string]any{"city": "mock", "days": 1.0},
			wantPrompt: 4, wantCompl: 3, wantFinish: "tool_calls",
		},
		{
			name:       "tools present but not named",
			body:       `{"model":"m","messages":[{"role":"user","content":"just talk"}],"tools":[{"type":"function","function":{"name":"get_weather","parameters":{}}}]}`,
			wantText:   "the mock model says hello and answers every question with a steady stream of plain words",
			wantPrompt: 2, wantCompl: 16, wantFinish: "stop",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t, Options{})
			resp := post(t, srv.URL+"/v1/chat/completions", tt.body, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			var got struct {
				Object  string `json:"object"`
				Choices []struct {
					Message struct {
						Content   *string `json:"content"`
						ToolCalls []struct {
							ID       string `json:"id"`
							Function struct{ Name, Arguments string }
						} `json:"tool_calls"`
					} `json:"message"`
					FinishReason string `json:"finish_reason"`
				} `json:"choices"`
				Usage openAIUsage `json:"usage"`
			}
			decodeJSON(t, resp.Body, &got)
			if got.Object != "chat.completion" || len(got.Choices) != 1 {
				t.Fatalf("object %q, %d choices", got.Object, len(got.Choices))
			}
			c := got.Choices[0]
			if c.FinishReason != tt.wantFinish {
				t.Errorf("finish_reason %q, want %q", c.FinishReason, tt.wantFinish)
			}
			if tt.wantTool != "" {
				if len(c.Message.ToolCalls) != 1 || c.Message.ToolCalls[0].Function.Name != tt.wantTool {
					t.Fatalf("tool calls %+v, want one call of %s", c.Message.ToolCalls, tt.wantTool)
				}
				var args map[string]any
				if err := json.Unmarshal([]byte(c.Message.ToolCalls[0].Function.Arguments), &args); err != nil {
					t.Fatalf("arguments: %v", err)
				}
				if len(args) != len(tt.wantArgs) || args["city"] != tt.wantArgs["city"] || args["days"] != tt.wantArgs["days"] {
					t.Errorf("arguments %v, want %v", args, tt.wantArgs)
				}
			} else if c.Message.Content == nil || *c.Message.Content != tt.wantText {
				t.Errorf("content %v, want %q", c.Message.Content, tt.wantText)
			}
			want := openAIUsage{tt.wantPrompt, tt.wantCompl, tt.wantPrompt + tt.wantCompl}
			if got.Usage != want {
				t.Errorf("usage %+v, want %+v", got.Usage, want)
			}
			s := h.Stats()
			if s.PromptTokens != int64(tt.wantPrompt) || s.CompletionTokens != int64(tt.wantCompl) || s.OK != 1 {
				t.Errorf("stats %+v do not match the usage reported", s)
			}
		})
	}
}

func TestOpenAIStream(t *testing.T) {
	tests := []struct {
		name         string
		body         string
		includeUsage bool
		tool         bool
	}{
		{"with usage", `{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"a b c"}]}`, true, false},
		{"without usage", `{"model":"m","stream":true,"messages":[{"role":"user","content":"a b c"}]}`, false, false},
		{"tool call", `{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"call get_weather"}],
			"tools":[{"type":"function","function":{"name":"get_weather","parameters":` + weatherTool + `}}]}`, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t, Options{Chunks: 3})
			resp := post(t, srv.URL+"/v1/chat/completions", tt.body, nil)
			if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
				t.Fatalf("content type %q", ct)
			}
			events := readSSE(t, resp.Body)
			if len(events) == 0 || events[len(events)-1].data != "[DONE]" {
				t.Fatalf("stream does not end with [DONE]: %v", events)
			}
			var text, args, finish string
			var usage *openAIUsage
			ids := map[string]bool{}
			for _, e := range events[:len(events)-1] {
				var ch struct {
					ID      string `json:"id"`
					Object  string `json:"object"`
					Choices []struct {
						Delta struct {
							Content   string `json:"content"`
							ToolCalls []struct {
								Index    int `json:"index"`
								Function struct{ Name, Arguments string }
							} `json:"tool_calls"`
						} `json:"delta"`
						FinishReason *string `json:"finish_reason"`
					} `json:"choices"`
					Usage *openAIUsage `json:"usage"`
				}
				if err := json.Unmarshal([]byte(e.data), &ch); err != nil {
					t.Fatalf("chunk %q: %v", e.data, err)
				}
				ids[ch.ID] = true
				if ch.Object != "chat.completion.chunk" {
					t.Errorf("object %q", ch.Object)
				}
				if ch.Usage != nil {
					if len(ch.Choices) != 0 {
						t.Errorf("usage chunk has %d choices, want an empty array", len(ch.Choices))
					}
					usage = ch.Usage
				}
				hasUsageKey := strings.Contains(e.data, `"usage":`)
				if hasUsageKey != tt.includeUsage {
					t.Errorf("chunk %s: usage key present %v, want %v", e.data, hasUsageKey, tt.includeUsage)
				}
				for _, c := range ch.Choices {
					text += c.Delta.Content
					for _, tc := range c.Delta.ToolCalls {
						args += tc.Function.Arguments
					}
					if c.FinishReason != nil {
						finish = *c.FinishReason
					}
				}
			}
			if len(ids) != 1 {
				t.Errorf("chunk ids %v, want one", ids)
			}
			if tt.tool {
				if finish != "tool_calls" || !json.Valid([]byte(args)) || !strings.Contains(args, `"city"`) {
					t.Errorf("finish %q, arguments %q", finish, args)
				}
			} else if text != answer(16) || finish != "stop" {
				t.Errorf("text %q finish %q", text, finish)
			}
			s := h.Stats()
			if !tt.includeUsage {
				if usage != nil || s.PromptTokens != 0 {
					t.Errorf("usage %v reported, stats %+v, but the client did not ask for usage", usage, s)
				}
				return
			}
			if usage == nil {
				t.Fatal("no usage chunk")
			}
			if int64(usage.PromptTokens) != s.PromptTokens || int64(usage.CompletionTokens) != s.CompletionTokens ||
				usage.TotalTokens != usage.PromptTokens+usage.CompletionTokens {
				t.Errorf("usage %+v, stats %+v", usage, s)
			}
		})
	}
}

func TestOpenAIStreamError(t *testing.T) {
	h, srv := newServer(t, Options{})
	resp := post(t, srv.URL+"/v1/chat/completions",
		`{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"x"}]}`,
		map[string]string{HeaderStreamError: "1"})
	events := readSSE(t, resp.Body)
	if len(events) != 2 || !strings.Contains(events[1].data, `"error"`) {
		t.Fatalf("events %v, want a chunk and an error", events)
	}
	if s := h.Stats(); s.StreamErrors != 1 || s.PromptTokens != 0 {
		t.Errorf("stats %+v", s)
	}
}

func TestEmbeddings(t *testing.T) {
	tests := []struct {
		name, input, format string
		wantN, wantTokens   int
	}{
		{"string", `"one two three"`, "", 1, 3},
		{"strings base64", `["one two","three"]`, "base64", 2, 3},
		{"token arrays", `[[1,2,3],[4]]`, "float", 2, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t, Options{})
			body := `{"model":"e","input":` + tt.input + `,"dimensions":4`
			if tt.format != "" {
				body += `,"encoding_format":"` + tt.format + `"`
			}
			resp := post(t, srv.URL+"/v1/embeddings", body+"}", nil)
			var got struct {
				Data []struct {
					Index     int             `json:"index"`
					Embedding json.RawMessage `json:"embedding"`
				} `json:"data"`
				Usage struct {
					PromptTokens int `json:"prompt_tokens"`
				} `json:"usage"`
			}
			decodeJSON(t, resp.Body, &got)
			if len(got.Data) != tt.wantN || got.Usage.PromptTokens != tt.wantTokens {
				t.Fatalf("%d vectors, %d tokens; want %d, %d", len(got.Data), got.Usage.PromptTokens, tt.wantN, tt.wantTokens)
			}
			for i, d := range got.Data {
				var vec []float32
				if tt.format == "base64" {
					var s string
					if err := json.Unmarshal(d.Embedding, &s); err != nil {
						t.Fatalf("base64 embedding is not a string: %s", d.Embedding)
					}
					b, err := base64.StdEncoding.DecodeString(s)
					if err != nil || len(b) != 16 {
						t.Fatalf("base64 embedding %q: %v", s, err)
					}
					for j := 0; j < len(b); j += 4 {
						vec = append(vec, math.Float32frombits(binary.LittleEndian.Uint32(b[j:])))
					}
				} else if err := json.Unmarshal(d.Embedding, &vec); err != nil {
					t.Fatalf("float embedding: %v", err)
				}
				if d.Index != i || len(vec) != 4 {
					t.Errorf("vector %d: index %d, %d dimensions", i, d.Index, len(vec))
				}
			}
			if h.Stats().PromptTokens != int64(tt.wantTokens) {
				t.Errorf("stats %+v", h.Stats())
			}
		})
	}
}

func TestModels(t *testing.T) {
	_, srv := newServer(t, Options{})
	resp, err := http.Get(srv.URL + "/v1/models")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		Object string `json:"object"`
		Data   []struct{ ID string }
	}
	decodeJSON(t, resp.Body, &got)
	if got.Object != "list" || len(got.Data) == 0 {
		t.Errorf("models %+v", got)
	}
}

func TestAnthropic(t *testing.T) {
	h, srv := newServer(t, Options{Chunks: 2})
	resp := post(t, srv.URL+"/v1/messages",
		`{"model":"c","max_tokens":100,"system":"be kind","messages":[{"role":"user","content":[{"type":"text","text":"hi you"}]}]}`, nil)
	var msg struct {
		Type    string `json:"type"`
		Content []struct{ Type, Text string }
		Stop    string         `json:"stop_reason"`
		Usage   map[string]int `json:"usage"`
	}
	decodeJSON(t, resp.Body, &msg)
	if msg.Type != "message" || len(msg.Content) != 1 || msg.Content[0].Text != answer(16) || msg.Stop != "end_turn" {
		t.Errorf("message %+v", msg)
	}
	if msg.Usage["input_tokens"] != 4 || msg.Usage["output_tokens"] != 16 {
		t.Errorf("usage %v", msg.Usage)
	}

	resp = post(t, srv.URL+"/v1/messages",
		`{"model":"c","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"call get_weather"}],"tools":[{"name":"get_weather","input_schema":`+weatherTool+`}]}`, nil)
	events := readSSE(t, resp.Body)
	var names []string
	var partial string
	for _, e := range events {
		names = append(names, e.name)
		var ev struct {
			Type  string `json:"type"`
			Delta struct {
				PartialJSON string `json:"partial_json"`
				StopReason  string `json:"stop_reason"`
			} `json:"delta"`
		}
		if err := json.Unmarshal([]byte(e.data), &ev); err != nil || ev.Type != e.name {
			t.Fatalf("event %q data %q: %v", e.name, e.data, err)
		}
		partial += ev.Delta.PartialJSON
	}
	want := "message_start content_block_start ping content_block_delta content_block_delta content_block_stop message_delta message_stop"
	if strings.Join(names, " ") != want {
		t.Errorf("events %v\nwant %s", names, want)
	}
	if !json.Valid([]byte(partial)) {
		t.Errorf("tool input %q is not JSON", partial)
	}
	if s := h.Stats(); s.PromptTokens != 4+2 || s.CompletionTokens != 16+3 || s.Streams != 1 {
		t.Errorf("stats %+v", s)
	}

	resp = post(t, srv.URL+"/v1/messages", `{"model":"c","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"x"}]}`,
		map[string]string{HeaderStreamError: "1"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: the error must come after 200", resp.StatusCode)
	}
	events = readSSE(t, resp.Body)
	if last := events[len(events)-1]; last.name != "error" || !strings.Contains(last.data, "overloaded_error") {
		t.Errorf("last event %+v, want an error event", last)
	}

	resp = post(t, srv.URL+"/v1/messages", `{"model":"c","messages":[]}`, nil)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("missing max_tokens: status %d", resp.StatusCode)
	}
}

// decodeFrames reads event-stream frames with the AWS SDK's decoder.
func decodeFrames(t *testing.T, r io.Reader) []eventstream.Message {
	t.Helper()
	dec := eventstream.NewDecoder()
	var out []eventstream.Message
	for {
		m, err := dec.Decode(r, nil)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("decoding frame %d: %v", len(out), err)
		}
		out = append(out, m)
	}
}

func header(m eventstream.Message, name string) string {
	if v := m.Headers.Get(name); v != nil {
		return v.String()
	}
	return ""
}

func TestBedrockConverse(t *testing.T) {
	h, srv := newServer(t, Options{Chunks: 3})
	resp := post(t, srv.URL+"/model/amazon.nova-lite-v1:0/converse",
		`{"system":[{"text":"be kind"}],"messages":[{"role":"user","content":[{"text":"hello there"}]}],"inferenceConfig":{"maxTokens":10}}`, nil)
	var out struct {
		Output struct {
			Message struct {
				Content []struct{ Text string }
			}
		}
		StopReason string         `json:"stopReason"`
		Usage      map[string]int `json:"usage"`
	}
	decodeJSON(t, resp.Body, &out)
	if len(out.Output.Message.Content) != 1 || out.Output.Message.Content[0].Text != answer(10) || out.StopReason != "end_turn" {
		t.Errorf("output %+v", out)
	}
	if out.Usage["inputTokens"] != 4 || out.Usage["outputTokens"] != 10 || out.Usage["totalTokens"] != 14 {
		t.Errorf("usage %v", out.Usage)
	}

	tests := []struct {
		name, body string
		want       []string
	}{
		{"text", `{"messages":[{"role":"user","content":[{"text":"one two three"}]}]}`,
			[]string{"messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"}},
		{"tool use", `{"messages":[{"role":"user","content":[{"text":"call get_weather"}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","inputSchema":{"json":` + weatherTool + `}}}]}}`,
			[]string{"messageStart", "contentBlockStart", "contentBlockDelta", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.Reset()
			resp := post(t, srv.URL+"/model/m/converse-stream", tt.body, nil)
			if ct := resp.Header.Get("Content-Type"); ct != "application/vnd.amazon.eventstream" {
				t.Fatalf("content type %q", ct)
			}
			frames := decodeFrames(t, resp.Body)
			var types []string
			var text, input string
			for _, f := range frames {
				if header(f, ":message-type") != "event" || header(f, ":content-type") != "application/json" {
					t.Errorf("frame headers %v", f.Headers)
				}
				types = append(types, header(f, ":event-type"))
				var p struct {
					Delta struct {
						Text    string
						ToolUse struct{ Input string }
					}
					Usage map[string]int
				}
				if err := json.Unmarshal(f.Payload, &p); err != nil {
					t.Fatalf("payload %q: %v", f.Payload, err)
				}
				text += p.Delta.Text
				input += p.Delta.ToolUse.Input
				if p.Usage != nil {
					s := h.Stats()
					if int64(p.Usage["inputTokens"]) != s.PromptTokens || int64(p.Usage["outputTokens"]) != s.CompletionTokens {
						t.Errorf("metadata usage %v, stats %+v", p.Usage, s)
					}
				}
			}
			if strings.Join(types, " ") != strings.Join(tt.want, " ") {
				t.Errorf("events %v\nwant %v", types, tt.want)
			}
			if tt.name == "text" && text != answer(16) {
				t.Errorf("text %q", text)
			}
			if tt.name == "tool use" && !json.Valid([]byte(input)) {
				t.Errorf("tool input %q", input)
			}
		})
	}

	resp = post(t, srv.URL+"/model/m/converse-stream", `{"messages":[{"role":"user","content":[{"text":"x"}]}]}`,
		map[string]string{HeaderStreamError: "1"})
	frames := decodeFrames(t, resp.Body)
	if last := frames[len(frames)-1]; header(last, ":message-type") != "exception" || header(last, ":exception-type") != "modelStreamErrorException" {
		t.Errorf("last frame headers %v, want an exception", last.Headers)
	}
}

func TestBedrockTitanEmbeddings(t *testing.T) {
	_, srv := newServer(t, Options{})
	resp := post(t, srv.URL+"/model/amazon.titan-embed-text-v2:0/invoke", `{"inputText":"a b","dimensions":256}`, nil)
	var out struct {
		Embedding []float32 `json:"embedding"`
		Count     int       `json:"inputTextTokenCount"`
	}
	decodeJSON(t, resp.Body, &out)
	if len(out.Embedding) != 256 || out.Count != 2 {
		t.Errorf("%d dimensions, %d tokens", len(out.Embedding), out.Count)
	}
}

func TestInjectedErrors(t *testing.T) {
	tests := []struct {
		name, path, body string
		header           map[string]string
		wantStatus       int
		wantBody         string
		wantHeader       [2]string
	}{
		{"openai 500", "/v1/chat/completions", `{"messages":[]}`, map[string]string{HeaderFail: "1"}, 500, `"server_error"`, [2]string{}},
		{"openai 429", "/v1/chat/completions", `{"messages":[]}`, map[string]string{HeaderStatus: "429"}, 429, `"rate_limit_exceeded"`, [2]string{"Retry-After", "1"}},
		{"openai bad json", "/v1/chat/completions", `{`, nil, 400, `"invalid_request_error"`, [2]string{}},
		{"anthropic 529", "/v1/messages", `{"max_tokens":1,"messages":[]}`, map[string]string{HeaderStatus: "529"}, 529, `"overloaded_error"`, [2]string{}},
		{"bedrock 429", "/model/m/converse", `{"messages":[{"role":"user","content":[]}]}`, map[string]string{HeaderStatus: "429"}, 429, `"message"`, [2]string{"X-Amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/"}},
		{"bedrock titan without inputText", "/model/m/invoke", `{"texts":["x"]}`, nil, 400, "inputText", [2]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, srv := newServer(t, Options{})
			resp := post(t, srv.URL+tt.path, tt.body, tt.header)
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.wantStatus || !bytes.Contains(b, []byte(tt.wantBody)) {
				t.Errorf("status %d body %s; want %d containing %s", resp.StatusCode, b, tt.wantStatus, tt.wantBody)
			}
			if tt.wantHeader[0] != "" && resp.Header.Get(tt.wantHeader[0]) != tt.wantHeader[1] {
				t.Errorf("%s: %q, want %q", tt.wantHeader[0], resp.Header.Get(tt.wantHeader[0]), tt.wantHeader[1])
			}
			if s := h.Stats(); s.OK != 0 || s.PromptTokens != 0 {
				t.Errorf("stats %+v after an error", s)
			}
		})
	}
}

func TestFailPercentIsExact(t *testing.T) {
	h := New(Options{FailPercent: 25})
	body := `{"messages":[{"role":"user","content":"x"}]}`
	failed := 0
	for range 200 {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/v1/chat/completions", strings.NewReader(body)))
		if w.Code == http.StatusInternalServerError {
			failed++
		}
	}
	if failed != 50 {
		t.Errorf("%d of 200 failed, want 50", failed)
	}
	if s := h.Stats(); s.Failed != 50 || s.OK != 150 || s.Requests != 200 {
		t.Errorf("stats %+v", s)
	}
}

func TestWindows(t *testing.T) {
	body := `{"messages":[{"role":"user","content":"x"}]}`
	do := func(h *Handler) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/v1/chat/completions", strings.NewReader(body)))
		return w
	}
	// A 429 window as long as its period covers every request.
	h := New(Options{RateLimitEvery: time.Hour, RateLimitFor: time.Hour})
	if w := do(h); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Errorf("in a 429 window: status %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	// An outage window starting at creation.
	h = New(Options{FailAfter: 0, FailFor: time.Hour})
	if w := do(h); w.Code != http.StatusInternalServerError {
		t.Errorf("in an outage: status %d", w.Code)
	}
	// An outage window that starts later has not begun.
	h = New(Options{FailAfter: time.Hour, FailFor: time.Hour})
	if w := do(h); w.Code != http.StatusOK {
		t.Errorf("before an outage: status %d", w.Code)
	}
	// POST /mock/fail opens one now; for=0s closes it.
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/mock/fail?for=1h", nil))
	if w.Code != http.StatusNoContent {
		t.Fatalf("POST /mock/fail: %d", w.Code)
	}
	if w := do(h); w.Code != http.StatusInternalServerError {
		t.Errorf("after POST /mock/fail: status %d", w.Code)
	}
	h.FailFor(0)
	if w := do(h); w.Code != http.StatusOK {
		t.Errorf("after closing the outage: status %d", w.Code)
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/mock/fail?for=soon", nil))
	if w.Code != http.StatusBadRequest {
		t.Errorf("bad duration: %d", w.Code)
	}
}

func TestStatsEndpointAndReset(t *testing.T) {
	h, srv := newServer(t, Options{Words: 3})
	post(t, srv.URL+"/v1/chat/completions", `{"messages":[{"role":"user","content":"a b"}]}`, nil)
	resp, err := http.Get(srv.URL + "/mock/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s Stats
	decodeJSON(t, resp.Body, &s)
	want := Stats{Requests: 1, OK: 1, PromptTokens: 2, CompletionTokens: 3, TotalTokens: 5}
	if s != want {
		t.Errorf("stats %+v, want %+v", s, want)
	}
	post(t, srv.URL+"/mock/reset", "", nil)
	if got := h.Stats(); got != (Stats{}) {
		t.Errorf("after reset %+v", got)
	}
}

func TestPacedStreamStopsWhenClientLeaves(t *testing.T) {
	h, srv := newServer(t, Options{Chunks: 4, ChunkDelay: time.Hour})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/chat/completions",
		strings.NewReader(`{"stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"x"}]}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(resp.Body)
	if _, err := br.ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	// Closing the body mid-stream must end the handler (goleak checks) and report no usage.
	resp.Body.Close()
	srv.Close()
	if s := h.Stats(); s.PromptTokens != 0 {
		t.Errorf("usage reported for an abandoned stream: %+v", s)
	}
}

func TestSplit(t *testing.T) {
	for _, n := range []int{1, 2, 5, 16, 17} {
		text := answer(n)
		for k := 1; k <= 20; k++ {
			parts := split(text, k)
			if strings.Join(parts, "") != text || len(parts) != min(k, n) {
				t.Fatalf("split(%d words, %d) = %q", n, k, parts)
			}
		}
	}
}

func FuzzRequests(f *testing.F) {
	f.Add("/v1/chat/completions", `{"messages":[{"role":"user","content":"hi"}],"stream":true}`)
	f.Add("/v1/embeddings", `{"input":[[1,2]]}`)
	f.Add("/v1/messages", `{"max_tokens":3,"messages":[{"role":"user","content":[{"type":"tool_result","content":"x"}]}]}`)
	f.Add("/model/m/converse-stream", `{"messages":[{"role":"user","content":[{"text":"x"}]}]}`)
	f.Add("/model/m/invoke", `{"inputText":"x"}`)
	h := New(Options{})
	f.Fuzz(func(t *testing.T, path, body string) {
		if !strings.HasPrefix(path, "/") {
			return
		}
		req, err := http.NewRequest(http.MethodPost, path, strings.NewReader(body))
		if err != nil {
			return
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code == 0 {
			t.Fatal("no status")
		}
	})
}
