package evidence

import (
	"strings"
	"testing"
)

func TestDecodeJSONPositions(t *testing.T) {
	src := "{\n  \"a\": 1,\n  \"b\": {\n    \"c\": [true, \"x\"]\n  }\n}\n"
	v := mustJSON(t, src)
	for _, c := range []struct {
		path      []string
		line, col int
	}{
		{[]string{"a"}, 2, 8},
		{[]string{"b"}, 3, 8},
		{[]string{"b", "c"}, 4, 10},
	} {
		got := v.Get(c.path...)
		if got.Pos.Line != c.line || got.Pos.Col != c.col {
			t.Errorf("%v at %d:%d, want %d:%d", c.path, got.Pos.Line, got.Pos.Col, c.line, c.col)
		}
	}
	items := v.Get("b", "c").Items()
	if len(items) != 2 || items[1].Pos.Col != 17 {
		t.Errorf("list items: %+v", items)
	}
	if keys := v.Keys(); strings.Join(keys, ",") != "a,b" {
		t.Errorf("keys in source order: %v", keys)
	}
}

func TestDecodeJSONErrors(t *testing.T) {
	for _, c := range []struct {
		src       string
		line, col int
		want      string
	}{
		{"", 1, 1, "empty"},
		{"{\n  \"a\": 1,\n  \"b\": ]\n}", 3, 8, "invalid character"},
		{"{\"a\": [1, 2", 1, 12, "unexpected end"},
		{"{} {}", 1, 4, "more than one value"},
		{"{\"n\": 1e999}", 1, 7, "out of range"},
		{strings.Repeat("[", 300) + strings.Repeat("]", 300), 1, 257, "nested deeper"},
	} {
		_, p := DecodeJSON("bad.json", []byte(c.src))
		if p == nil {
			t.Errorf("%q: no error", c.src)
			continue
		}
		if p.File != "bad.json" || p.Line != c.line || p.Col != c.col || !strings.Contains(p.Message, c.want) {
			t.Errorf("%q: got %s, want bad.json:%d:%d ... %s", c.src, p, c.line, c.col, c.want)
		}
	}
}

func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a":[1,{"b":null}],"c":"d"}`, `{"a":`, `"x"`, `1e5`, "{\"\\u0000\":true}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, p := DecodeJSON("f.json", data)
		if (v == nil) == (p == nil) {
			t.Fatalf("exactly one of value and problem must be set: %v %v", v, p)
		}
		if p != nil && (p.Line < 1 || p.Col < 1) {
			t.Fatalf("problem without position: %v", p)
		}
		if v != nil {
			v.Walk(func(x *Value) bool {
				if x.Pos.Line < 1 {
					t.Fatalf("value without position")
				}
				return true
			})
		}
	})
}
