package provider

import (
	"encoding/json"
	"testing"
)

func TestChatRequestRoundTrip(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"plain", `{"model":"m","messages":[{"role":"user","content":"hi"}]}`},
		{"parts and extra", `{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"input_audio","input_audio":{"data":"x","format":"wav"}}]}],"logit_bias":{"1":2}}`},
		{"tool call with null content", `{"model":"m","messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]}]}`},
		{"stop string", `{"model":"m","messages":[],"stop":"END"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r ChatRequest
			if err := json.Unmarshal([]byte(tt.in), &r); err != nil {
				t.Fatal(err)
			}
			out, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			var a, b any
			_ = json.Unmarshal([]byte(tt.in), &a)
			_ = json.Unmarshal(out, &b)
			ja, _ := json.Marshal(a)
			jb, _ := json.Marshal(b)
			if tt.name == "stop string" {
				// A single stop string is written back as a one-element array, which every server accepts.
				if r.Stop[0] != "END" {
					t.Fatalf("stop = %v", r.Stop)
				}
				return
			}
			if string(ja) != string(jb) {
				t.Fatalf("round trip changed the request:\n in  %s\n out %s", ja, jb)
			}
		})
	}
}

func TestEmbeddingInput(t *testing.T) {
	tests := []struct {
		in      string
		texts   int
		tokens  int
		single  bool
		wantErr bool
	}{
		{`"a"`, 1, 0, true, false},
		{`["a","b"]`, 2, 0, false, false},
		{`[1,2,3]`, 0, 1, true, false},
		{`[[1],[2]]`, 0, 2, false, false},
		{`[]`, 0, 0, false, true},
		{`null`, 0, 0, false, true},
		{`["a",1]`, 0, 0, false, true},
		{`{}`, 0, 0, false, true},
	}
	for _, tt := range tests {
		var in EmbeddingInput
		err := json.Unmarshal([]byte(tt.in), &in)
		if (err != nil) != tt.wantErr {
			t.Fatalf("%s: err = %v", tt.in, err)
		}
		if err != nil {
			continue
		}
		if len(in.Texts) != tt.texts || len(in.Tokens) != tt.tokens || in.Single != tt.single {
			t.Fatalf("%s: got %+v", tt.in, in)
		}
		out, _ := json.Marshal(in)
		if string(out) != tt.in {
			t.Fatalf("%s: marshalled back as %s", tt.in, out)
		}
	}
}

func TestRetryable(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{&Error{Status: 429, Code: CodeRateLimited}, true},
		{&Error{Status: 503, Code: CodeUpstream}, true},
		{&Error{Status: 400, Code: CodeContextLength}, true},
		{&Error{Status: 400, Code: CodeBadRequest}, false},
		{&Error{Status: 401, Code: CodeAuth}, false},
		{&Error{Code: CodeConnection}, true},
	}
	for _, tt := range tests {
		if got := Retryable(tt.err); got != tt.want {
			t.Errorf("Retryable(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
