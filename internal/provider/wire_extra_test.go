package provider

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// oldUnmarshalChatRequest is ChatRequest.UnmarshalJSON as it was before the top-level scanner: it decodes b a
// second time into a map to find the unmodelled fields. It is the reference the tests and the fuzzer compare with,
// and the "old" side of the benchmark. Keep it as it is.
func oldUnmarshalChatRequest(b []byte, r *ChatRequest) error {
	type plain ChatRequest
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	known := knownChatFields()
	for k, v := range all {
		if !known[k] {
			if p.Extra == nil {
				p.Extra = map[string]json.RawMessage{}
			}
			p.Extra[k] = v
		}
	}
	*r = ChatRequest(p)
	return nil
}

// extraCases are valid requests with the Extra each must give (nil: no Extra at all). They also seed the fuzzer.
var extraCases = []struct {
	name  string
	in    string
	extra map[string]string
}{
	{"null body", `null`, nil},
	{"null body with whitespace", " \n\tnull\r\n ", nil},
	{"empty object", `{}`, nil},
	{"empty object with whitespace", " {\n\t} ", nil},
	{"known fields only", `{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":5,"stop":["a"]}`, nil},
	{"string with escapes and unicode", `{"model":"m","x":"a\"b\\c\/\u00e9\ud83d\ude00\n ünï 😀 {[}]"}`,
		map[string]string{"x": `"a\"b\\c\/\u00e9\ud83d\ude00\n ünï 😀 {[}]"`}},
	{"numbers", `{"i":0,"f":-12.5e+3,"g":1E-2}`, map[string]string{"i": `0`, "f": `-12.5e+3`, "g": `1E-2`}},
	{"literals", `{"t":true,"f":false,"z":null,"n":null}`, map[string]string{"t": `true`, "f": `false`, "z": `null`}},
	{"nested object with tricky strings", `{"o":{"a":"}{][","b":[1,{"c":"\"}\\"}],"d":{},"e":"\\\""}}`,
		map[string]string{"o": `{"a":"}{][","b":[1,{"c":"\"}\\"}],"d":{},"e":"\\\""}`}},
	{"nested array with tricky strings", `{"a":[ "]", "[", {"k":"\\"}, [], [[ ]] ,"\"]"]}`,
		map[string]string{"a": `[ "]", "[", {"k":"\\"}, [], [[ ]] ,"\"]"]`}},
	{"whitespace everywhere", "\n\t { \r\n \"model\" : \"m\" ,  \"x\" :\t[ 1 , 2 ]\n , \"y\" : { } \n,\"z\"\n:\n7\n} \n",
		map[string]string{"x": `[ 1 , 2 ]`, "y": `{ }`, "z": `7`}},
	// encoding/json unescapes names before matching them, so an escaped spelling of a modelled field is that field.
	{"escaped known name", `{"\u0074ools":[],"model":"m"}`, nil},
	{"escaped unknown name", `{"\u0078":1,"a\"b":2,"c\\d":3}`, map[string]string{"x": `1`, `a"b`: `2`, `c\d`: `3`}},
	// The struct decode matches names case-insensitively and so sets Model, but Extra matches exactly: "Model" is
	// kept (and later forwarded) too. That was the behaviour before the scanner and is kept.
	{"case differs from a known name", `{"Model":"m","MESSAGES":[]}`, map[string]string{"Model": `"m"`, "MESSAGES": `[]`}},
	{"Extra is not a wire name", `{"Extra":{"a":1},"-":2}`, map[string]string{"Extra": `{"a":1}`, "-": `2`}},
	{"empty name", `{"":1}`, map[string]string{"": `1`}},
	{"non-ASCII name", `{"é":1,"ключ":"v"}`, map[string]string{"é": `1`, "ключ": `"v"`}},
	{"duplicate unknown name, last wins", `{"x":1,"model":"m","x":{"a":2}}`, map[string]string{"x": `{"a":2}`}},
	{"duplicate known name", `{"model":"a","model":"b"}`, nil},
	// Invalid UTF-8 in a name becomes U+FFFD, so these two names are the same and the last one wins.
	{"invalid UTF-8 names collide", "{\"k\xff\":1,\"k\xfe\":2}", map[string]string{"k\uFFFD": `2`}},
	{"invalid UTF-8 in a value is kept", "{\"v\":\"a\xffb\"}", map[string]string{"v": "\"a\xffb\""}},
}

func TestChatRequestExtra(t *testing.T) {
	for _, tt := range extraCases {
		t.Run(tt.name, func(t *testing.T) {
			in := []byte(tt.in)
			var got ChatRequest
			if err := got.UnmarshalJSON(in); err != nil {
				t.Fatal(err)
			}
			// Extra must be a copy: scribbling over the input must not change it.
			for i := range in {
				in[i] = 'X'
			}
			if tt.extra == nil && got.Extra != nil {
				t.Fatalf("Extra = %q, want nil", got.Extra)
			}
			if len(got.Extra) != len(tt.extra) {
				t.Fatalf("Extra = %q, want %q", got.Extra, tt.extra)
			}
			for k, v := range tt.extra {
				if g, ok := got.Extra[k]; !ok || string(g) != v {
					t.Fatalf("Extra[%q] = %q (present %v), want %q", k, g, ok, v)
				}
			}
			var want ChatRequest
			if err := oldUnmarshalChatRequest([]byte(tt.in), &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("decoded differently from the map-decoding reference:\n got  %#v\n want %#v", got, want)
			}
			if _, ok := scanExtraFields([]byte(tt.in), knownChatFields()); !ok {
				t.Fatal("scanner fell back to the map decode on valid input")
			}
			// The fallback cannot be reached from valid input through UnmarshalJSON, so check it here.
			fallback, err := extraFieldsByMap([]byte(tt.in), knownChatFields())
			if err != nil || !reflect.DeepEqual(fallback, want.Extra) {
				t.Fatalf("fallback gave %q, %v; want %q", fallback, err, want.Extra)
			}
		})
	}
}

// TestChatRequestExtraErrors checks that inputs the struct decode rejects fail with the same error as before.
func TestChatRequestExtraErrors(t *testing.T) {
	for _, in := range []string{``, ` `, `{`, `{"a":1,}`, `{"a" 1}`, `[]`, `"s"`, `1`, `true`, `nul`, `{} {}`, `{"model":1}`,
		`{"messages":{}}`, `{"x":1} x`} {
		var got, want ChatRequest
		err := got.UnmarshalJSON([]byte(in))
		wantErr := oldUnmarshalChatRequest([]byte(in), &want)
		if err == nil || wantErr == nil || err.Error() != wantErr.Error() {
			t.Errorf("%q: err = %v, want %v", in, err, wantErr)
		}
	}
}

// TestScanExtraFieldsUnexpected checks that the scanner gives up, rather than guessing or panicking, on input it
// does not expect. UnmarshalJSON never passes it such input, since the struct decode rejects it first.
func TestScanExtraFieldsUnexpected(t *testing.T) {
	for _, in := range []string{``, ` `, `n`, `nul`, `null x`, `[]`, `{`, `{"`, `{"a`, `{"a\`, `{"a"`, `{"a":`, `{"a":"`,
		`{"a":[`, `{"a":{"b":"}`, `{"a":1`, `{"a":1,`, `{"a":1 x}`, `{"a":1}x`, `{} x`, `{"a":x}`, `{a:1}`, `{"a" 1}`,
		`{"a":}`, `{,}`, `{"\u00":1}`} {
		if extra, ok := scanExtraFields([]byte(in), knownChatFields()); ok {
			t.Errorf("%q: scanner accepted it, Extra = %q", in, extra)
		}
	}
}

// FuzzChatRequestExtra checks that, for any input the struct decode accepts, UnmarshalJSON gives exactly what the
// map-decoding reference gives, without falling back and without aliasing the input; for any other input, the
// same error. Writing the result back must not panic.
func FuzzChatRequestExtra(f *testing.F) {
	for _, tt := range extraCases {
		f.Add([]byte(tt.in))
	}
	for _, s := range []string{`{"model":"m","messages":[{"role":"user","content":"hi"}],"vendor":{"a":[1,"}"]}}`,
		`[]`, `{"model":1}`, `{"a":1}x`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var want ChatRequest
		wantErr := oldUnmarshalChatRequest(b, &want)

		// Decode a copy and scribble over it afterwards, to catch Extra aliasing the input.
		in := bytes.Clone(b)
		var got ChatRequest
		err := got.UnmarshalJSON(in)
		for i := range in {
			in[i] = 0
		}
		if (err != nil) != (wantErr != nil) || (err != nil && err.Error() != wantErr.Error()) {
			t.Fatalf("err = %v, want %v", err, wantErr)
		}
		if err != nil {
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("decoded differently from the map-decoding reference:\n got  %#v\n want %#v", got, want)
		}
		if _, ok := scanExtraFields(b, knownChatFields()); !ok {
			t.Fatal("scanner fell back to the map decode on input the struct decode accepted")
		}
		_, _ = json.Marshal(got)
	})
}

// BenchmarkChatRequestUnmarshal compares UnmarshalJSON with the map-decoding reference on typical requests.
func BenchmarkChatRequestUnmarshal(b *testing.B) {
	const messages = `"messages":[` +
		`{"role":"system","content":"You are a helpful assistant for a cloud operations team. Answer briefly."},` +
		`{"role":"user","content":"Our API runs in two regions behind a global load balancer. Latency doubled in ` +
		`one region only since this morning. What should we check first?"}]`
	bodies := []struct{ name, body string }{
		{"one_unknown", `{"model":"gpt-4o-mini",` + messages + `,"max_tokens":512,"temperature":0.2,` +
			`"chat_template_kwargs":{"enable_thinking":false}}`},
		{"no_unknown", `{"model":"gpt-4o-mini",` + messages + `,"max_tokens":512,"temperature":0.2,` +
			`"user":"ops-team-7","seed":42}`},
	}
	decoders := []struct {
		name   string
		decode func([]byte, *ChatRequest) error
	}{
		{"old", oldUnmarshalChatRequest},
		{"new", func(b []byte, r *ChatRequest) error { return r.UnmarshalJSON(b) }},
	}
	for _, body := range bodies {
		for _, d := range decoders {
			b.Run(body.name+"/"+d.name, func(b *testing.B) {
				in := []byte(body.body)
				b.SetBytes(int64(len(in)))
				b.ReportAllocs()
				for b.Loop() {
					var r ChatRequest
					if err := d.decode(in, &r); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
