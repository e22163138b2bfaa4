package dataset

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// readAll reads every chunk and returns the rows as name->value maps, with the skips.
func readAll(t testing.TB, paths []string, o Options) ([]map[string]string, []Skip, error) {
	t.Helper()
	src, err := Open(paths, o)
	if err != nil {
		return nil, nil, err
	}
	defer src.Close()
	var rows []map[string]string
	var skips []Skip
	for {
		ch, err := src.Next(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		rs, sk, err := ch.Parse()
		if err != nil {
			return nil, nil, err
		}
		skips = append(skips, sk...)
		names := src.Schema().Names()
		for _, r := range rs {
			m := map[string]string{}
			for i, v := range r.Values {
				if v != "" {
					m[names[i]] = v
				}
			}
			if r.EventID != "" {
				m["@event"] = r.EventID
			}
			rows = append(rows, m)
		}
	}
	return rows, skips, nil
}

func write(t testing.TB, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCSV(t *testing.T) {
	cases := []struct {
		name, content string
		opts          Options
		rows          int
		first         map[string]string
		skips         []string
	}{
		{"header", "a,b\n1,x\n2,y\n", Options{}, 2, map[string]string{"a": "1", "b": "x"}, nil},
		{"no header detected", "1,x\n2,y\n", Options{}, 2, map[string]string{"_c0": "1", "_c1": "x"}, nil},
		{"named columns", "1,x\n", Options{Columns: []string{"age", "city"}}, 1, map[string]string{"age": "1", "city": "x"}, nil},
		{"forced header", "1,2\n3,4\n", Options{Header: HeaderYes}, 1, map[string]string{"1": "3", "2": "4"}, nil},
		{"quoted newline and BOM", "\ufeffa,b\n\"multi\nline\",2\n3,4\n", Options{}, 2, map[string]string{"a": "multi\nline", "b": "2"}, nil},
		{"ragged rows", "a,b\n1,2\n3\n4,5,6\n7,8\n", Options{}, 2, map[string]string{"a": "1", "b": "2"},
			[]string{":3: has 1 fields where the file has 2", ":4: has 3 fields where the file has 2"}},
		{"bad quote", "a,b\n1,2\n3,x\"y\n5,6\n", Options{}, 2, map[string]string{"a": "1", "b": "2"}, []string{":3: unreadable CSV"}},
		{"no final newline, CRLF", "a,b\r\n1,2\r\n3,4", Options{}, 2, map[string]string{"a": "1", "b": "2"}, nil},
		{"empty", "", Options{}, 0, nil, nil},
		{"header only", "a,b\n", Options{}, 0, nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Tiny chunks make every record boundary a chunk boundary somewhere.
			for _, chunk := range []int{0, 3} {
				o := c.opts
				o.ChunkBytes = chunk
				path := write(t, "d.csv", c.content)
				rows, skips, err := readAll(t, []string{path}, o)
				if err != nil {
					t.Fatal(err)
				}
				if len(rows) != c.rows {
					t.Fatalf("chunk %d: %d rows, want %d: %v", chunk, len(rows), c.rows, rows)
				}
				if c.first != nil && !equalMaps(rows[0], c.first) {
					t.Errorf("first row %v, want %v", rows[0], c.first)
				}
				if len(skips) != len(c.skips) {
					t.Fatalf("skips %v, want %v", skips, c.skips)
				}
				for i, s := range c.skips {
					if !strings.Contains(skips[i].String(), s) {
						t.Errorf("skip %q lacks %q", skips[i], s)
					}
				}
			}
		})
	}
}

func TestCSVHeaderErrors(t *testing.T) {
	for content, want := range map[string]string{
		"a,a\n1,2\n":                          `names column "a" twice`,
		"a,,c\n":                              "column 2 of the header has no name",
		"\"open\n" + strings.Repeat("x", 200): "d.csv:1: record on line 1; parse error",
	} {
		_, _, err := readAll(t, []string{write(t, "d.csv", content)}, Options{Header: HeaderYes, MaxLine: 100})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", content, err, want)
		}
	}
}

func TestJSONLines(t *testing.T) {
	content := `{"a": 1, "b": "x"}
{"b": "y", "c": 2.50, "a": null}

not json
{"a": [1,2], "d": true}
` + `{"a": "` + strings.Repeat("z", 200) + `"}` + "\n[1,2]\n"
	rows, skips, err := readAll(t, []string{write(t, "d.jsonl", content)}, Options{MaxLine: 100})
	if err != nil {
		t.Fatal(err)
	}
	want := []map[string]string{{"a": "1", "b": "x"}, {"b": "y", "c": "2.50"}, {"a": "[1,2]", "d": "true"}}
	if len(rows) != len(want) {
		t.Fatalf("rows %v", rows)
	}
	for i := range want {
		if !equalMaps(rows[i], want[i]) {
			t.Errorf("row %d = %v, want %v", i, rows[i], want[i])
		}
	}
	var got []string
	for _, s := range skips {
		got = append(got, s.String()[len(s.File):])
	}
	wantSkips := []string{":4: invalid JSON", ":6: line is longer than the 100-byte limit", ":7: expected a JSON object"}
	for i, w := range wantSkips {
		if i >= len(got) || !strings.HasPrefix(got[i], w) {
			t.Errorf("skips %q, want prefixes %q", got, wantSkips)
			break
		}
	}
}

func TestCapture(t *testing.T) {
	dir := filepath.Join("..", "testdata", "sagemaker")
	rows, skips, err := readAll(t, []string{filepath.Join(dir, "capture.jsonl")}, Options{Prediction: "score"})
	if err != nil || len(skips) != 0 {
		t.Fatal(err, skips)
	}
	if len(rows) == 0 || !equalMaps(rows[0], map[string]string{"_c0": "9", "_c1": "45", "_c2": "45", "_c3": "42", "_c4": "7", "_c5": "5", "_c6": "0",
		"score": "0.302709460258", "@event": "74b0dd56-e7c8-368e-94b1-14a138a96000"}) {
		t.Errorf("first capture row %v", rows[0])
	}
	rows, _, err = readAll(t, []string{filepath.Join(dir, "captured-data-json.jsonl")}, Options{Columns: []string{"x"}, Prediction: "y"})
	if err != nil {
		t.Fatal(err)
	}
	// {"instances": [1.0, 2.0, 5.0]} is three one-value instances, matched to three predictions.
	if len(rows) != 6 || !equalMaps(rows[2], map[string]string{"x": "5.0", "y": "5.5", "@event": "12b73486-e916-45de-9d82-7fa23d4a39a6"}) {
		t.Errorf("JSON capture rows %v", rows)
	}
	// BASE64, batch CSV, mismatched predictions and bad encodings.
	content := `{"captureData":{"endpointInput":{"observedContentType":"text/csv","mode":"INPUT","data":"MSwyCjMsNA==","encoding":"BASE64"},"endpointOutput":{"observedContentType":"text/csv","mode":"OUTPUT","data":"0.1\n0.9","encoding":"CSV"}},"eventMetadata":{"eventId":"b64"},"eventVersion":"0"}
{"captureData":{"endpointInput":{"observedContentType":"text/csv","mode":"INPUT","data":"1,2","encoding":"CSV"},"endpointOutput":{"observedContentType":"text/csv","mode":"OUTPUT","data":"0.1\n0.9","encoding":"CSV"}},"eventMetadata":{"eventId":"mismatch"},"eventVersion":"0"}
{"captureData":{"endpointInput":{"observedContentType":"text/csv","mode":"INPUT","data":"1,2","encoding":"GZIP"}},"eventMetadata":{"eventId":"bad"},"eventVersion":"0"}
{"captureData":{"endpointInput":{"observedContentType":"application/json","mode":"INPUT","data":"{\"features\": [3, \"b\"]}","encoding":"JSON"}},"eventMetadata":{"eventId":"features"},"eventVersion":"0"}
{"eventMetadata":{"eventId":"no-input"}}
`
	rows, skips, err = readAll(t, []string{write(t, "c.jsonl", content)}, Options{Prediction: "p"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || !equalMaps(rows[1], map[string]string{"_c0": "3", "_c1": "4", "p": "0.9", "@event": "b64"}) ||
		!equalMaps(rows[2], map[string]string{"_c0": "3", "_c1": "b", "@event": "features"}) {
		t.Errorf("rows %v", rows)
	}
	var reasons []string
	for _, s := range skips {
		reasons = append(reasons, s.Reason)
	}
	for i, want := range []string{"endpointOutput has 2 predictions for 1 input records", `unknown encoding "GZIP"`, "no captureData.endpointInput"} {
		if i >= len(reasons) || !strings.Contains(reasons[i], want) {
			t.Errorf("skips %q, want %q at %d", reasons, want, i)
		}
	}
}

func TestGroundTruth(t *testing.T) {
	labels, skips, err := ReadGroundTruth(context.Background(), []string{filepath.Join("..", "testdata", "sagemaker", "ground_truth.jsonl")}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(skips) != 0 || labels["74b0dd56-e7c8-368e-94b1-14a138a96005"] != "0" || labels["79f96714-0136-39c8-a200-38faf8a5f96f"] != "1" {
		t.Errorf("labels %d, skips %v", len(labels), skips)
	}
}

type parquetRow struct {
	Age    int64   `parquet:"age"`
	Income float64 `parquet:"income"`
	City   string  `parquet:"city,optional"`
}

func TestParquet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.parquet")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[parquetRow](f)
	in := []parquetRow{{30, 1000, "Lyon"}, {41, 2500.5, ""}, {25, 3, "Oslo"}}
	if _, err := w.Write(in); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	rows, _, err := readAll(t, []string{path}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || !equalMaps(rows[0], map[string]string{"age": "30", "income": "1000.0", "city": "Lyon"}) || rows[1]["city"] != "" {
		t.Errorf("rows %v", rows)
	}
	// A truncated file is an error naming the file, not a panic or an empty dataset.
	data, _ := os.ReadFile(path)
	for _, cut := range []int{len(data) / 2, len(data) - 5, 10} {
		bad := write(t, "cut.parquet", string(data[:cut]))
		if _, _, err := readAll(t, []string{bad}, Options{}); err == nil || !strings.Contains(err.Error(), "cut.parquet") {
			t.Errorf("truncated at %d: %v", cut, err)
		}
	}
}

func TestExpandAndDetect(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"2026/11/30/12/b.jsonl", "2026/11/30/11/a.jsonl", ".hidden/x.jsonl", "notes.txt"} {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		os.WriteFile(full, []byte(`{"captureData":{}}`+"\n"), 0o644)
	}
	os.MkdirAll(filepath.Join(dir, "2026", "11", "30", "10"), 0o755)
	files, err := Expand([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "2026/11/30/11/a.jsonl"), filepath.Join(dir, "2026/11/30/12/b.jsonl")}
	if !slices.Equal(files, want) {
		t.Errorf("files %v, want %v", files, want)
	}
	if f, _ := detect(files[0], nil); f != Capture {
		t.Errorf("detected %q, want capture", f)
	}
	for _, p := range []string{filepath.Join(dir, "*.csv"), filepath.Join(dir, "missing.csv"), filepath.Join(dir, "2026", "11", "30", "10")} {
		if _, err := Expand([]string{p}); err == nil {
			t.Errorf("Expand(%s) found something", p)
		}
	}
}

func TestStdin(t *testing.T) {
	rows, _, err := readAll(t, []string{"-"}, Options{Format: CSV, Stdin: strings.NewReader("a,b\n1,2\n")})
	if err != nil || len(rows) != 1 {
		t.Fatalf("rows %v err %v", rows, err)
	}
	if _, err := Open([]string{"-"}, Options{Stdin: strings.NewReader("")}); err == nil {
		t.Error("standard input without --format was accepted")
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// The fuzz targets check that no input makes a reader panic, loop or lose track of lines: every row and skip
// points at a line that exists.

func fuzzRead(t *testing.T, data []byte, o Options) {
	// Standard input rather than a file: the same readers, without a file system round trip per input.
	o.MaxLine, o.ChunkBytes, o.Stdin = 256, 64, bytes.NewReader(data)
	src, err := Open([]string{StdinName}, o)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	lines := strings.Count(string(data), "\n") + 1
	for {
		ch, err := src.Next(context.Background())
		if err != nil {
			return
		}
		rows, skips, err := ch.Parse()
		if err != nil {
			return
		}
		for _, r := range rows {
			if r.Line < 1 || r.Line > lines {
				t.Fatalf("row at line %d of a %d-line file", r.Line, lines)
			}
		}
		for _, s := range skips {
			if s.Line < 1 || s.Line > lines {
				t.Fatalf("skip at line %d of a %d-line file: %s", s.Line, lines, s.Reason)
			}
		}
	}
}

func FuzzCSV(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "\"x\ny\",2\n3,4", "a,b\n1\n1,2,3\n", "1,\"\"\"\",3\n", "\ufeffa\n\"", "a,b\r\n1,2\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, data, Options{Format: CSV}) })
}

func FuzzJSONL(f *testing.F) {
	for _, s := range []string{`{"a":1}` + "\n" + `{"b":"x"}`, "{\n}", `{"a":{"b":[1,2]}}`, "[1]\n{}\n\n", `{"a":1}{"b":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, data, Options{Format: JSONL}) })
}

func FuzzCapture(f *testing.F) {
	seeds, _ := os.ReadFile(filepath.Join("..", "testdata", "sagemaker", "captured-data-json.jsonl"))
	f.Add(seeds)
	f.Add([]byte(`{"captureData":{"endpointInput":{"observedContentType":"text/csv","data":"MSwy","encoding":"BASE64"},"endpointOutput":{"data":"1","encoding":"CSV"}},"eventMetadata":{"eventId":"x"}}`))
	f.Add([]byte(`{"captureData":{"endpointInput":{"data":"[[1,2],{\"a\":3}]","encoding":"JSON"},"endpointOutput":{"data":"{\"predictions\":[{\"score\":1},2]}","encoding":"JSON"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, Options{Format: Capture, Prediction: "p", Columns: []string{"a"}})
	})
}

// TestParquetManyRowGroups reads more rows than one chunk holds, across row groups, and checks every string:
// values must not be overwritten when the reader reuses its buffers.
func TestParquetManyRowGroups(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.parquet")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[parquetRow](f, parquet.MaxRowsPerRowGroup(7000))
	var in []parquetRow
	for i := range 20_000 {
		in = append(in, parquetRow{Age: int64(i), Income: float64(i) / 2, City: "city-" + strings.Repeat("x", i%7) + string(rune('a'+i%26))})
	}
	if _, err := w.Write(in); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	rows, _, err := readAll(t, []string{path}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(in) {
		t.Fatalf("%d rows, want %d", len(rows), len(in))
	}
	for i, r := range rows {
		if r["city"] != in[i].City || r["age"] != strconv.Itoa(i) {
			t.Fatalf("row %d = %v, want city %s", i, r, in[i].City)
		}
	}
}
