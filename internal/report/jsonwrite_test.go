package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestWriteJSONRows(t *testing.T) {
	v := map[string]any{
		"a": []any{map[string]any{"x": 1, "s": "q\"{[,:]}"}, map[string]any{}},
		"b": map[string]any{},
		"c": []any{},
	}
	var b bytes.Buffer
	if err := writeJSONRows(&b, v, 2); err != nil {
		t.Fatal(err)
	}
	want := `{
  "a": [
    {"s":"q\"{[,:]}","x":1},
    {}
  ],
  "b": {},
  "c": []
}
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	var back any
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
}

func FuzzIndentTop(f *testing.F) {
	f.Add(`{"a":[1,{"b":"c\\\"d"}],"e":{}}`, 2)
	f.Fuzz(func(t *testing.T, doc string, depth int) {
		var v any
		if json.Unmarshal([]byte(doc), &v) != nil || depth < 0 || depth > 8 {
			return
		}
		var b bytes.Buffer
		if err := writeJSONRows(&b, v, depth); err != nil {
			t.Fatal(err)
		}
		var back any
		if err := json.Unmarshal(b.Bytes(), &back); err != nil {
			t.Fatalf("indented output is not JSON: %v\n%s", err, b.String())
		}
		a, _ := json.Marshal(v)
		c, _ := json.Marshal(back)
		if !bytes.Equal(a, c) || !strings.HasSuffix(b.String(), "\n") {
			t.Fatalf("indenting changed the document:\n%s\n%s", a, c)
		}
	})
}
