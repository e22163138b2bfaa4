package bedrock

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/walens/walens/internal/provider"
)

func userRequest(model string) *provider.ChatRequest {
	return &provider.ChatRequest{Model: model, Messages: []provider.Message{{Role: "user", Content: provider.TextContent("hi")}}}
}

const okConverse = `{"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}}`

func TestTranslateErrors(t *testing.T) {
	tests := []struct {
		name, req, want string
	}{
		{"no messages", `{"messages":[{"role":"system","content":"x"}]}`, "messages must contain"},
		{"unknown role", `{"messages":[{"role":"function","content":"x"}]}`, "messages[0].role"},
		{"n above one", `{"n":2,"messages":[{"role":"user","content":"x"}]}`, "n:"},
		{"tool without id", `{"messages":[{"role":"user","content":"x"},{"role":"tool","content":"r"}]}`, "messages[1].tool_call_id"},
		{"bad arguments", `{"messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"[1]"}}]}]}`, "messages[0].tool_calls[0].function.arguments"},
		{"tool call without name", `{"messages":[{"role":"assistant","tool_calls":[{"id":"a","function":{"arguments":"{}"}}]}]}`, "messages[0].tool_calls[0]"},
		{"remote image", `{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}`, "messages[0].content[0].image_url.url"},
		{"bad base64", `{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,@@@"}}]}]}`, "not valid base64"},
		{"svg image", `{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/svg+xml;base64,AAAA"}}]}]}`, "png, jpeg, gif or webp"},
		{"audio part", `{"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"x","format":"wav"}}]}]}`, `"input_audio"`},
		{"image in system", `{"messages":[{"role":"system","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}}]},{"role":"user","content":"x"}]}`, "messages[0].content[0]"},
		{"zero max tokens", `{"max_tokens":0,"messages":[{"role":"user","content":"x"}]}`, "max_tokens"},
		{"bad tool choice", `{"tool_choice":"sometimes","tools":[{"type":"function","function":{"name":"f"}}],"messages":[{"role":"user","content":"x"}]}`, "tool_choice"},
		{"choice of unknown tool", `{"tool_choice":{"type":"function","function":{"name":"g"}},"tools":[{"type":"function","function":{"name":"f"}}],"messages":[{"role":"user","content":"x"}]}`, "tool_choice.function.name"},
		{"required without tools", `{"tool_choice":"required","messages":[{"role":"user","content":"x"}]}`, "tool_choice requires tools"},
		{"tool without name", `{"tools":[{"type":"function","function":{}}],"messages":[{"role":"user","content":"x"}]}`, "tools[0].function.name"},
		{"non-function tool", `{"tools":[{"type":"code_interpreter","function":{"name":"f"}}],"messages":[{"role":"user","content":"x"}]}`, "tools[0].type"},
		{"schema not object", `{"tools":[{"type":"function","function":{"name":"f","parameters":[1]}}],"messages":[{"role":"user","content":"x"}]}`, "tools[0].function.parameters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req provider.ChatRequest
			if err := json.Unmarshal([]byte(tt.req), &req); err != nil {
				t.Fatal(err)
			}
			_, err := toConverse(&req)
			if err == nil {
				t.Fatal("no error")
			}
			pe := asProviderError(t, err)
			if pe.Code != provider.CodeBadRequest || pe.Status != http.StatusBadRequest || provider.Retryable(err) {
				t.Errorf("got code %q status %d retryable %v", pe.Code, pe.Status, provider.Retryable(err))
			}
			if !strings.Contains(pe.Message, tt.want) {
				t.Errorf("message %q does not name %q", pe.Message, tt.want)
			}
		})
	}
}

func TestToolChoice(t *testing.T) {
	tool := `"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]`
	history := `{"role":"user","content":"x"},{"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":""}}]},{"role":"tool","tool_call_id":"a","content":"r"}`
	tests := []struct {
		name, req, want string
	}{
		{"absent", `{` + tool + `,"messages":[{"role":"user","content":"x"}]}`, `{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}]}`},
		{"auto", `{` + tool + `,"tool_choice":"auto","messages":[{"role":"user","content":"x"}]}`, `{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}]}`},
		{"required", `{` + tool + `,"tool_choice":"required","messages":[{"role":"user","content":"x"}]}`, `{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}],"toolChoice":{"any":{}}}`},
		{"function", `{` + tool + `,"tool_choice":{"type":"function","function":{"name":"f"}},"messages":[{"role":"user","content":"x"}]}`, `{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}],"toolChoice":{"tool":{"name":"f"}}}`},
		{"none drops the tools", `{` + tool + `,"tool_choice":"none","messages":[{"role":"user","content":"x"}]}`, `null`},
		{"none keeps tools a history needs", `{` + tool + `,"tool_choice":"none","messages":[` + history + `]}`, `{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":{"type":"object"}}}}]}`},
		{"no tools", `{"tool_choice":"none","messages":[{"role":"user","content":"x"}]}`, `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req provider.ChatRequest
			if err := json.Unmarshal([]byte(tt.req), &req); err != nil {
				t.Fatal(err)
			}
			cr, err := toConverse(&req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := json.Marshal(cr.ToolConfig)
			if string(got) != tt.want {
				t.Errorf("toolConfig\n got  %s\n want %s", got, tt.want)
			}
		})
	}
}

func TestFinishReason(t *testing.T) {
	tests := map[string]string{
		"end_turn": "stop", "stop_sequence": "stop", "max_tokens": "length", "tool_use": "tool_calls",
		"guardrail_intervened": "content_filter", "content_filtered": "content_filter",
		"model_context_window_exceeded": "length", "": "stop", "something_new": "stop",
	}
	for in, want := range tests {
		if got := finishReason(in); got != want {
			t.Errorf("finishReason(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHTTPErrors(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		errType    string
		body       string
		code       string
		wantStatus int
		retryable  bool
		msgHas     string
	}{
		{"throttling", 429, "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/", `{"message":"Too many requests, please wait before trying again."}`, provider.CodeRateLimited, 429, true, ""},
		{"input too long", 400, "ValidationException", `{"message":"Input is too long for requested model."}`, provider.CodeContextLength, 400, true, ""},
		{"too many input tokens in __type", 400, "", `{"__type":"com.amazon.coral.validate#ValidationException","message":"The model returned the following errors: too many input tokens"}`, provider.CodeContextLength, 400, true, ""},
		{"validation", 400, "ValidationException", `{"message":"A conversation must start with a user message. Try again with a conversation that starts with a user message."}`, provider.CodeBadRequest, 400, false, "A conversation must start with a user message"},
		{"validation naming an ARN", 400, "ValidationException", `{"message":"The provided model identifier arn:aws:bedrock:us-east-1:123456789012:x is invalid."}`, provider.CodeBadRequest, 400, false, ""},
		{"access denied", 403, "AccessDeniedException", `{"Message":"User: arn:aws:sts::123456789012:assumed-role/r/s is not authorized to perform: bedrock:InvokeModel"}`, provider.CodeAuth, 403, false, ""},
		{"unrecognized client", 403, "UnrecognizedClientException", `{"message":"The security token included in the request is invalid."}`, provider.CodeAuth, 403, false, ""},
		{"expired token", 403, "ExpiredTokenException", `{"message":"The security token included in the request is expired"}`, provider.CodeAuth, 403, false, ""},
		{"model not ready", 429, "ModelNotReadyException", `{"message":"Model is not ready for inference."}`, provider.CodeUpstream, 429, true, ""},
		{"service unavailable", 503, "ServiceUnavailableException", `{"message":"Bedrock is unable to process your request."}`, provider.CodeUpstream, 503, true, ""},
		{"internal", 500, "InternalServerException", `{"message":"internal"}`, provider.CodeUpstream, 500, true, ""},
		{"model error", 424, "ModelErrorException", `{"message":"The model failed: stack trace at host ip-10-0-0-1"}`, provider.CodeUpstream, 503, true, ""},
		{"model timeout", 408, "ModelTimeoutException", `{"message":"Model has timed out in processing the request."}`, provider.CodeTimeout, 408, true, ""},
		{"not found", 404, "ResourceNotFoundException", `{"message":"Could not resolve the foundation model from the provided model identifier."}`, provider.CodeBadRequest, 404, false, ""},
		{"bare 502", 502, "", `<html>bad gateway</html>`, provider.CodeUpstream, 502, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
				if tt.errType != "" {
					w.Header().Set("X-Amzn-Errortype", tt.errType)
				}
				w.Header().Set("Retry-After", "3")
				writeJSON(w, tt.status, tt.body)
			})
			p := newTestProvider(t, f, nil)
			for _, call := range []string{"chat", "stream"} {
				var err error
				if call == "chat" {
					_, err = p.Chat(context.Background(), userRequest(""))
				} else {
					_, err = p.ChatStream(context.Background(), userRequest(""))
				}
				pe := asProviderError(t, err)
				if pe.Code != tt.code || pe.Status != tt.wantStatus || provider.Retryable(err) != tt.retryable {
					t.Errorf("%s: got code %q status %d retryable %v, want %q %d %v", call, pe.Code, pe.Status, provider.Retryable(err), tt.code, tt.wantStatus, tt.retryable)
				}
				if pe.RetryAfter != 3*time.Second {
					t.Errorf("%s: RetryAfter = %v", call, pe.RetryAfter)
				}
				for _, leak := range []string{"123456789012", "arn:", "ip-10-0-0-1", "html"} {
					if strings.Contains(pe.Message, leak) {
						t.Errorf("%s: client message %q leaks %q", call, pe.Message, leak)
					}
				}
				if tt.msgHas != "" && !strings.Contains(pe.Message, tt.msgHas) {
					t.Errorf("%s: message %q lacks %q", call, pe.Message, tt.msgHas)
				}
				if pe.Err == nil {
					t.Errorf("%s: no underlying error for the logs", call)
				}
			}
		})
	}
}

func TestModelIDIsEscapedAndSigned(t *testing.T) {
	tests := []struct{ model, path string }{
		{"anthropic.claude-3-haiku-20240307-v1:0", "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse"},
		{"us.anthropic.claude-3-5-sonnet-20240620-v1:0", "/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse"},
		{"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.meta.llama3-2-1b-instruct-v1:0",
			"/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.meta.llama3-2-1b-instruct-v1%3A0/converse"},
		{"arn:aws:bedrock:us-east-1:123456789012:provisioned-model/a b+c", "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Aprovisioned-model%2Fa%20b%2Bc/converse"},
	}
	for _, tt := range tests {
		f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) { writeJSON(w, 200, okConverse) })
		p := newTestProvider(t, f, nil)
		if _, err := p.Chat(context.Background(), userRequest(tt.model)); err != nil {
			t.Fatalf("%s: %v", tt.model, err)
		}
		if got := f.recorded()[0].EscapedPath; got != tt.path {
			t.Errorf("%s: path %s, want %s", tt.model, got, tt.path)
		}
	}
}

func TestBaseURLPrefixAndHeaders(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) { writeJSON(w, 200, okConverse) })
	p := newTestProvider(t, f, func(c *provider.Config, _ *Options) {
		c.BaseURL = f.srv.URL + "/proxy/"
		c.Headers = map[string]string{"X-Team": "search"}
	})
	if _, err := p.Chat(context.Background(), userRequest("")); err != nil {
		// The fake answers 404 for paths outside /model/, which is what a prefix would hit.
		pe := asProviderError(t, err)
		if pe.Status != http.StatusNotFound {
			t.Fatal(err)
		}
	}
	r := f.recorded()[0]
	if r.EscapedPath != "/proxy/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse" {
		t.Errorf("path %s", r.EscapedPath)
	}
	if r.Header.Get("X-Team") != "search" || !strings.Contains(r.Header.Get("Authorization"), "x-team") {
		t.Errorf("configured header not sent and signed: %v", r.Header)
	}
}

func TestWrongSecretIsRejected(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) { writeJSON(w, 200, okConverse) })
	p := newTestProvider(t, f, func(_ *provider.Config, o *Options) {
		o.Credentials = credentials.NewStaticCredentialsProvider(testAKID, "not-the-secret", "")
	})
	_, err := p.Chat(context.Background(), userRequest(""))
	pe := asProviderError(t, err)
	if pe.Code != provider.CodeAuth || pe.Status != http.StatusForbidden {
		t.Fatalf("got %v", err)
	}
}

// rotatingCreds hands out a new key pair on every retrieval, each already expired so that the cache asks again.
type rotatingCreds struct{ n atomic.Int32 }

func (r *rotatingCreds) Retrieve(context.Context) (aws.Credentials, error) {
	n := r.n.Add(1)
	return aws.Credentials{
		AccessKeyID: "AKIDROTATED" + string(rune('0'+n)), SecretAccessKey: "secret-" + string(rune('0'+n)),
		SessionToken: "token-" + string(rune('0'+n)), CanExpire: true, Expires: time.Now().Add(-time.Minute),
	}, nil
}

func TestCredentialsRotate(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) { writeJSON(w, 200, okConverse) })
	f.secrets = map[string]string{"AKIDROTATED1": "secret-1", "AKIDROTATED2": "secret-2"}
	p := newTestProvider(t, f, func(_ *provider.Config, o *Options) { o.Credentials = &rotatingCreds{} })
	for range 2 {
		if _, err := p.Chat(context.Background(), userRequest("")); err != nil {
			t.Fatal(err)
		}
	}
	reqs := f.recorded()
	if reqs[0].AccessKey != "AKIDROTATED1" || reqs[1].AccessKey != "AKIDROTATED2" {
		t.Fatalf("keys used: %s, %s", reqs[0].AccessKey, reqs[1].AccessKey)
	}
	if reqs[1].Header.Get("X-Amz-Security-Token") != "token-2" {
		t.Errorf("session token not sent: %v", reqs[1].Header)
	}
}

type failingCreds struct{}

func (failingCreds) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{}, errors.New("no EC2 IMDS role found")
}

func TestCredentialsFailure(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) { writeJSON(w, 200, okConverse) })
	p := newTestProvider(t, f, func(_ *provider.Config, o *Options) { o.Credentials = failingCreds{} })
	_, err := p.Chat(context.Background(), userRequest(""))
	if pe := asProviderError(t, err); pe.Code != provider.CodeAuth {
		t.Fatalf("got %v", err)
	}
	if len(f.recorded()) != 0 {
		t.Error("an unsigned request was sent")
	}
}

// TestNewUsesDefaultChain builds the provider the way the gateway does, with credentials from the environment.
func TestNewUsesDefaultChain(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", dir+"/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/credentials")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_ACCESS_KEY_ID", testAKID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", testSecret)
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_REGION", "eu-west-3")

	f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) { writeJSON(w, 200, okConverse) })
	p, err := New(context.Background(), provider.Config{Kind: "bedrock", BaseURL: f.srv.URL, Region: testRegion, Model: testModel}, f.srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	if p.Region() != testRegion {
		t.Errorf("region %s: the target's region must win over AWS_REGION", p.Region())
	}
	out, err := p.Chat(context.Background(), userRequest(""))
	if err != nil {
		t.Fatal(err)
	}
	if out.Choices[0].Message.Content.String() != "ok" {
		t.Errorf("got %+v", out)
	}

	// Without a region on the target, the chain's region applies.
	p, err = New(context.Background(), provider.Config{Kind: "bedrock"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Region() != "eu-west-3" || p.base.String() != "https://bedrock-runtime.eu-west-3.amazonaws.com" {
		t.Errorf("region %s, endpoint %s", p.Region(), p.base)
	}
}

func TestNewValidation(t *testing.T) {
	static := Options{Credentials: credentials.NewStaticCredentialsProvider(testAKID, testSecret, "")}
	tests := []struct {
		name string
		cfg  provider.Config
		want string
	}{
		{"no region", provider.Config{}, "region is required"},
		{"bad region", provider.Config{Region: "us-east-1.evil.com/"}, "not a valid AWS region"},
		{"bad scheme", provider.Config{Region: testRegion, BaseURL: "ftp://x"}, "base_url"},
		{"query", provider.Config{Region: testRegion, BaseURL: "https://x/?a=b"}, "base_url"},
	}
	for _, tt := range tests {
		_, err := NewWithOptions(context.Background(), tt.cfg, nil, static)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
	for region, host := range map[string]string{
		"ap-southeast-2": "bedrock-runtime.ap-southeast-2.amazonaws.com",
		"us-gov-west-1":  "bedrock-runtime.us-gov-west-1.amazonaws.com",
		"cn-north-1":     "bedrock-runtime.cn-north-1.amazonaws.com.cn",
	} {
		p, err := NewWithOptions(context.Background(), provider.Config{Region: region}, nil, static)
		if err != nil {
			t.Fatalf("%s: %v", region, err)
		}
		if p.base.Scheme != "https" || p.base.Host != host {
			t.Errorf("default endpoint of %s: %v", region, p.base)
		}
	}
}

func TestChatTransportErrors(t *testing.T) {
	t.Run("connection refused", func(t *testing.T) {
		f := newFake(t, nil)
		p := newTestProvider(t, f, nil)
		f.srv.Close()
		_, err := p.Chat(context.Background(), userRequest(""))
		if pe := asProviderError(t, err); pe.Code != provider.CodeConnection || !provider.Retryable(err) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("deadline", func(t *testing.T) {
		f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) { <-r.Context().Done() })
		p := newTestProvider(t, f, nil)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		_, err := p.Chat(ctx, userRequest(""))
		if pe := asProviderError(t, err); pe.Code != provider.CodeTimeout || !provider.Retryable(err) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		started := make(chan struct{})
		f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) { close(started); <-r.Context().Done() })
		p := newTestProvider(t, f, nil)
		ctx, cancel := context.WithCancel(context.Background())
		go func() { <-started; cancel() }()
		_, err := p.Chat(ctx, userRequest(""))
		if !errors.Is(err, context.Canceled) || provider.Retryable(err) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("body too large", func(t *testing.T) {
		f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) { writeJSON(w, 200, okConverse) })
		p := newTestProvider(t, f, func(c *provider.Config, _ *Options) { c.MaxResponseBytes = 20 })
		_, err := p.Chat(context.Background(), userRequest(""))
		if pe := asProviderError(t, err); pe.Code != provider.CodeMalformed {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("not JSON", func(t *testing.T) {
		f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) { writeJSON(w, 200, `{"output":`) })
		p := newTestProvider(t, f, nil)
		_, err := p.Chat(context.Background(), userRequest(""))
		if pe := asProviderError(t, err); pe.Code != provider.CodeMalformed {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("no output message", func(t *testing.T) {
		f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
			writeJSON(w, 200, `{"stopReason":"end_turn"}`)
		})
		p := newTestProvider(t, f, nil)
		_, err := p.Chat(context.Background(), userRequest(""))
		if pe := asProviderError(t, err); pe.Code != provider.CodeMalformed {
			t.Fatalf("got %v", err)
		}
	})
}

func TestSafeSentence(t *testing.T) {
	tests := map[string]string{
		"":                                  "",
		"Malformed input request. Details":  ": Malformed input request",
		"temperature: must be <= 1.0\nmore": ": temperature: must be <= 1.0",
		"see https://internal/x":            "",
		"account 123456789012 is closed":    "",
		"A conversation must alternate between user and assistant roles. Ensure": ": A conversation must alternate between user and assistant roles",
		"User: arn:aws:sts::1:assumed-role/x":                                    "",
		"key AKIAIOSFODNN7EXAMPLE is bad":                                        "",
		strings.Repeat("a", 300):                                                 "",
	}
	for in, want := range tests {
		if got := safeSentence(in); got != want {
			t.Errorf("safeSentence(%q) = %q, want %q", in, got, want)
		}
	}
}
