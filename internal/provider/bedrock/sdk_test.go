package bedrock

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/walens/walens/internal/provider"
)

// The official SDK serves as the oracle: its requests must pass the fake's signature check and match ours byte
// for byte in meaning, and it must decode the fake's responses and frames. That ties both the fake and the
// provider to the real wire format rather than to each other.

func sdkClient(f *fakeBedrock) *bedrockruntime.Client {
	return bedrockruntime.New(bedrockruntime.Options{
		Region:           testRegion,
		Credentials:      credentials.NewStaticCredentialsProvider(testAKID, testSecret, ""),
		BaseEndpoint:     aws.String(f.srv.URL),
		HTTPClient:       f.srv.Client(),
		RetryMaxAttempts: 1,
	})
}

func normalizedJSON(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return v
}

// TestConverseRequestMatchesSDK sends the same conversation through the SDK and through Chat and compares the
// bodies and paths the fake received.
func TestConverseRequestMatchesSDK(t *testing.T) {
	resp, err := os.ReadFile("testdata/converse/tools/response.json")
	if err != nil {
		t.Fatal(err)
	}
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) { writeJSON(w, 200, string(resp)) })
	const model = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0"
	png, _ := base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
	text := func(s string) types.ContentBlock { return &types.ContentBlockMemberText{Value: s} }

	sdkOut, err := sdkClient(f).Converse(context.Background(), &bedrockruntime.ConverseInput{
		ModelId: aws.String(model),
		System:  []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: "Be brief."}},
		Messages: []types.Message{
			{Role: types.ConversationRoleUser, Content: []types.ContentBlock{
				text("Weather here?"),
				&types.ContentBlockMemberImage{Value: types.ImageBlock{Format: types.ImageFormatPng, Source: &types.ImageSourceMemberBytes{Value: png}}},
			}},
			{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{
				text("Checking."),
				&types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{ToolUseId: aws.String("t1"), Name: aws.String("get_weather"),
					Input: document.NewLazyDocument(map[string]any{"city": "Paris"})}},
			}},
			{Role: types.ConversationRoleUser, Content: []types.ContentBlock{
				&types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{ToolUseId: aws.String("t1"), Content: []types.ToolResultContentBlock{
					&types.ToolResultContentBlockMemberText{Value: `{"temp_c":12}`},
				}}},
				&types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{ToolUseId: aws.String("t2"), Content: []types.ToolResultContentBlock{
					&types.ToolResultContentBlockMemberText{Value: "sunny"},
				}}},
			}},
		},
		InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(100), Temperature: aws.Float32(0.5), StopSequences: []string{"END"}},
		ToolConfig: &types.ToolConfiguration{
			Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{
				Name: aws.String("get_weather"), Description: aws.String("Weather."),
				InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{
					"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}},
				})},
			}}},
			ToolChoice: &types.ToolChoiceMemberTool{Value: types.SpecificToolChoice{Name: aws.String("get_weather")}},
		},
	})
	if err != nil {
		t.Fatalf("SDK Converse against the fake: %v", err)
	}

	temp := 0.5
	maxTokens := 100
	req := &provider.ChatRequest{
		Model: model,
		Messages: []provider.Message{
			{Role: "system", Content: provider.TextContent("Be brief.")},
			{Role: "user", Content: provider.Content{IsParts: true, Parts: []provider.Part{
				{Type: "text", Text: "Weather here?"},
				{Type: "image_url", ImageURL: &provider.ImageURL{URL: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)}},
			}}},
			{Role: "assistant", Content: provider.TextContent("Checking."), ToolCalls: []provider.ToolCall{
				{ID: "t1", Type: "function", Function: provider.FunctionCall{Name: "get_weather", Arguments: `{"city":"Paris"}`}},
			}},
			{Role: "tool", ToolCallID: "t1", Content: provider.TextContent(`{"temp_c":12}`)},
			{Role: "tool", ToolCallID: "t2", Content: provider.TextContent("sunny")},
		},
		MaxTokens: &maxTokens, Temperature: &temp, Stop: provider.StringList{"END"},
		Tools: []provider.Tool{{Type: "function", Function: provider.FunctionDef{Name: "get_weather", Description: "Weather.",
			Parameters: json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"}}}`)}}},
		ToolChoice: json.RawMessage(`{"type":"function","function":{"name":"get_weather"}}`),
	}
	p := newTestProvider(t, f, nil)
	ours, err := p.Chat(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}

	reqs := f.recorded()
	if len(reqs) != 2 {
		t.Fatalf("fake saw %d requests", len(reqs))
	}
	if reqs[0].EscapedPath != reqs[1].EscapedPath {
		t.Errorf("paths differ:\n sdk  %s\n ours %s", reqs[0].EscapedPath, reqs[1].EscapedPath)
	}
	if a, b := normalizedJSON(t, reqs[0].Body), normalizedJSON(t, reqs[1].Body); !reflect.DeepEqual(a, b) {
		t.Errorf("bodies differ:\n sdk  %s\n ours %s", reqs[0].Body, reqs[1].Body)
	}

	// Both read the same response the same way.
	if sdkOut.StopReason != types.StopReasonToolUse || ours.Choices[0].FinishReason != "tool_calls" {
		t.Errorf("stop: sdk %s, ours %s", sdkOut.StopReason, ours.Choices[0].FinishReason)
	}
	msg := sdkOut.Output.(*types.ConverseOutputMemberMessage).Value
	for i, b := range msg.Content {
		tu := b.(*types.ContentBlockMemberToolUse).Value
		raw, _ := tu.Input.MarshalSmithyDocument()
		call := ours.Choices[0].Message.ToolCalls[i]
		if call.ID != *tu.ToolUseId || call.Function.Name != *tu.Name || !reflect.DeepEqual(normalizedJSON(t, raw), normalizedJSON(t, []byte(call.Function.Arguments))) {
			t.Errorf("tool call %d: sdk %s %s %s, ours %+v", i, *tu.ToolUseId, *tu.Name, raw, call)
		}
	}
	if int(*sdkOut.Usage.InputTokens) != ours.Usage.PromptTokens || int(*sdkOut.Usage.OutputTokens) != ours.Usage.CompletionTokens {
		t.Errorf("usage: sdk %+v, ours %+v", sdkOut.Usage, ours.Usage)
	}
}

// TestSDKDecodesFakeStream checks that the frames the fake sends (and the stream tests rely on) are what the SDK
// reads as a ConverseStream, and that our stream yields the same text, tool input, stop reason and usage.
func TestSDKDecodesFakeStream(t *testing.T) {
	dir := "testdata/stream/tools"
	var events []streamEvent
	readJSON(t, filepath.Join(dir, "events.json"), &events)
	frames := framesOf(t, events)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) { writeFrames(w, frames) })

	out, err := sdkClient(f).ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{
		ModelId:  aws.String(testModel),
		Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "x"}}}},
	})
	if err != nil {
		t.Fatalf("SDK ConverseStream against the fake: %v", err)
	}
	es := out.GetStream()
	var sdkText, sdkArgs strings.Builder
	var sdkStop types.StopReason
	var sdkUsage *types.TokenUsage
	var sdkTools []string
	for ev := range es.Events() {
		switch v := ev.(type) {
		case *types.ConverseStreamOutputMemberContentBlockStart:
			if tu, ok := v.Value.Start.(*types.ContentBlockStartMemberToolUse); ok {
				sdkTools = append(sdkTools, *tu.Value.ToolUseId)
			}
		case *types.ConverseStreamOutputMemberContentBlockDelta:
			switch d := v.Value.Delta.(type) {
			case *types.ContentBlockDeltaMemberText:
				sdkText.WriteString(d.Value)
			case *types.ContentBlockDeltaMemberToolUse:
				sdkArgs.WriteString(*d.Value.Input)
			}
		case *types.ConverseStreamOutputMemberMessageStop:
			sdkStop = v.Value.StopReason
		case *types.ConverseStreamOutputMemberMetadata:
			sdkUsage = v.Value.Usage
		}
	}
	if err := es.Err(); err != nil {
		t.Fatalf("SDK stream error: %v", err)
	}
	es.Close()

	p := newTestProvider(t, f, nil)
	s, err := p.ChatStream(context.Background(), userRequest(""))
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := drain(t, s)
	if err != nil {
		t.Fatal(err)
	}
	var text, args strings.Builder
	var tools []string
	var finish string
	var u *provider.Usage
	for _, c := range chunks {
		if c.Usage != nil {
			u = c.Usage
		}
		for _, ch := range c.Choices {
			if ch.Delta.Content != nil {
				text.WriteString(*ch.Delta.Content)
			}
			for _, tc := range ch.Delta.ToolCalls {
				if tc.ID != "" {
					tools = append(tools, tc.ID)
				}
				args.WriteString(tc.Function.Arguments)
			}
			if ch.FinishReason != nil {
				finish = *ch.FinishReason
			}
		}
	}
	if text.String() != sdkText.String() || args.String() != sdkArgs.String() || !reflect.DeepEqual(tools, sdkTools) {
		t.Errorf("content differs:\n sdk  %q %q %v\n ours %q %q %v", sdkText.String(), sdkArgs.String(), sdkTools, text.String(), args.String(), tools)
	}
	if sdkStop != types.StopReasonToolUse || finish != "tool_calls" {
		t.Errorf("stop: sdk %s, ours %s", sdkStop, finish)
	}
	if sdkUsage == nil || u == nil || u.CompletionTokens != int(*sdkUsage.OutputTokens) ||
		u.PromptTokens != int(*sdkUsage.InputTokens)+int(*sdkUsage.CacheReadInputTokens) || u.PromptTokensDetails.CachedTokens != int(*sdkUsage.CacheReadInputTokens) {
		t.Errorf("usage: sdk %+v, ours %+v", sdkUsage, u)
	}
}

// TestSDKReadsFakeException checks that the fake's exception frames are what the SDK reports as a throttling
// error, so the exception tests exercise the real encoding.
func TestSDKReadsFakeException(t *testing.T) {
	frames := [][]byte{eventFrame(t, "messageStart", `{"role":"assistant"}`), exceptionFrame(t, "throttlingException", "slow down")}
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, body []byte) { writeFrames(w, frames) })
	out, err := sdkClient(f).ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{
		ModelId:  aws.String(testModel),
		Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "x"}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	es := out.GetStream()
	for range es.Events() {
	}
	var te *types.ThrottlingException
	if err := es.Err(); !errors.As(err, &te) {
		t.Fatalf("SDK stream error %v (%T), want a ThrottlingException", err, err)
	}
	es.Close()
}
