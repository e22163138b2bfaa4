package api

import (
	"testing"
)

// FuzzChatRequest checks that decoding untrusted chat requests never panics and fails only with a 4xx.
func FuzzChatRequest(f *testing.F) {
	for _, s := range []string{
		`{"model":"chat","messages":[{"role":"user","content":"hi"}]}`,
		`{"model":"chat","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":[{"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"data:x"}}]}]}`,
		`{"model":"chat","messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"1","type":"function","function":{"name":"f","arguments":"{}"}}]}],"tools":[{"type":"function","function":{"name":"f","parameters":{}}}]}`,
		`{"model":"x","messages":[{"role":"user","content":"a"}],"stop":"s","max_tokens":-1,"vendor_ext":{"a":1}}`,
		`{"model":1}`, `[]`, `null`, `{"messages":{}}`, "",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		req, e := DecodeChat(b)
		if e != nil {
			if e.Status < 400 || e.Status > 499 || e.Message == "" {
				t.Fatalf("error %+v", e)
			}
			return
		}
		if req.Model == "" || len(req.Messages) == 0 {
			t.Fatal("accepted a request without model or messages")
		}
	})
}

// FuzzEmbeddingsRequest does the same for embeddings requests.
func FuzzEmbeddingsRequest(f *testing.F) {
	for _, s := range []string{`{"model":"e","input":"a"}`, `{"model":"e","input":[[1,2],[3]],"encoding_format":"base64"}`, `{"model":"e","input":[]}`, `{"model":"e","input":[1,"a"]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, e := DecodeEmbeddings(b); e != nil && (e.Status < 400 || e.Status > 499) {
			t.Fatalf("error %+v", e)
		}
	})
}
