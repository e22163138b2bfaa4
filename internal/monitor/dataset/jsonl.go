package dataset

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/walens/walens/internal/monitor/sagemaker"
)

// lineChunker cuts JSON Lines files (plain or capture) into chunks of whole lines.
type lineChunker struct {
	src     *Source
	name    string
	closer  io.Closer
	br      *bufio.Reader
	line    int
	capture bool
	done    bool
}

type jsonLine struct {
	line int
	data []byte // nil when the line was too long
}

func (c *lineChunker) next() (*Chunk, error) {
	if c.done {
		return nil, io.EOF
	}
	var lines []jsonLine
	size := 0
	for size < c.src.opts.ChunkBytes {
		data, n, tooLong, err := readLine(c.br, c.src.opts.MaxLine)
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("read %s: %w", c.name, err)
		}
		if n > 0 {
			c.line++
			if tooLong {
				lines = append(lines, jsonLine{line: c.line})
			} else if len(bytes.TrimSpace(data)) > 0 {
				lines = append(lines, jsonLine{c.line, data})
				size += len(data)
			}
		}
		if errors.Is(err, io.EOF) {
			c.done = true
			break
		}
	}
	if len(lines) == 0 {
		return nil, io.EOF
	}
	name, capture, opts, schema := c.name, c.capture, c.src.opts, c.src.schema
	ch := &Chunk{File: name}
	ch.parse = func() ([]Row, []Skip, error) {
		p := lineParser{name: name, opts: opts, schema: schema, base: int64(ch.Index) << 32}
		for _, l := range lines {
			if l.data == nil {
				p.skip(l.line, fmt.Sprintf("line is longer than the %d-byte limit", opts.MaxLine))
				continue
			}
			if capture {
				p.capture(l.line, l.data)
			} else {
				p.plain(l.line, l.data)
			}
		}
		return p.rows, p.skips, nil
	}
	return ch, nil
}

func (c *lineChunker) close() error { return c.closer.Close() }

// readLine reads one line without its newline, and how many bytes it consumed (0 only at the end of the input).
// A line longer than limit is consumed and reported as too long.
func readLine(br *bufio.Reader, limit int) (line []byte, n int, tooLong bool, err error) {
	var buf []byte
	for {
		part, err := br.ReadSlice('\n')
		n += len(part)
		if len(buf)+len(part) > limit+1 {
			tooLong = true
			buf = nil
		} else if !tooLong {
			buf = append(buf, part...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if tooLong {
			return nil, n, true, err
		}
		return bytes.TrimRight(buf, "\r\n"), n, false, err
	}
}

type lineParser struct {
	name   string
	opts   Options
	schema *Schema
	base   int64
	seq    int64
	rows   []Row
	skips  []Skip
}

func (p *lineParser) skip(line int, reason string) {
	p.skips = append(p.skips, Skip{p.name, line, reason})
}

func (p *lineParser) index(name string) int {
	p.seq++
	return p.schema.IndexAt(name, p.base|p.seq)
}

// plain reads a JSON object of column values.
func (p *lineParser) plain(line int, data []byte) {
	values, err := p.object(data)
	if err != nil {
		p.skip(line, err.Error())
		return
	}
	p.rows = append(p.rows, Row{Line: line, Values: values})
}

// object decodes a flat JSON object into values by column index, keeping the keys' order.
func (p *lineParser) object(data []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("invalid JSON: %v", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, errors.New("expected a JSON object")
	}
	var values []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("invalid JSON: %v", err)
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("invalid JSON at key %q: %v", key, err)
		}
		v, err := scalar(raw)
		if err != nil {
			return nil, fmt.Errorf("key %q: %v", key, err)
		}
		i := p.index(key)
		for len(values) <= i {
			values = append(values, "")
		}
		values[i] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("invalid JSON: %v", err)
	}
	if dec.More() {
		return nil, errors.New("invalid JSON: text after the object")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("invalid JSON: text after the object")
	}
	return values, nil
}

// scalar renders a JSON value as the text walens profiles: numbers keep their literal form (so 3.0 stays
// Fractional), null is missing, and nested values are kept as compact JSON text.
func scalar(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", errors.New("no value")
	}
	switch raw[0] {
	case 'n':
		return "", nil
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", err
		}
		return s, nil
	case '{', '[':
		var b bytes.Buffer
		if err := json.Compact(&b, raw); err != nil {
			return "", err
		}
		return b.String(), nil
	}
	return string(raw), nil
}

// capture reads one data-capture record: the request becomes one or more rows and the response, if asked for,
// fills the prediction column.
func (p *lineParser) capture(line int, data []byte) {
	var rec sagemaker.CaptureRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		p.skip(line, "invalid capture record: "+err.Error())
		return
	}
	in := rec.CaptureData.EndpointInput
	if in == nil {
		p.skip(line, "capture record has no captureData.endpointInput")
		return
	}
	inputs, err := p.payload(in, "endpointInput")
	if err != nil {
		p.skip(line, err.Error())
		return
	}
	var outputs [][]field
	if out := rec.CaptureData.EndpointOutput; out != nil && p.opts.Prediction != "" {
		outputs, err = p.payload(out, "endpointOutput")
		if err != nil {
			p.skip(line, err.Error())
			return
		}
		if len(outputs) != len(inputs) {
			p.skip(line, fmt.Sprintf("endpointOutput has %d predictions for %d input records", len(outputs), len(inputs)))
			return
		}
	}
	for r, fields := range inputs {
		var values []string
		set := func(i int, v string) {
			for len(values) <= i {
				values = append(values, "")
			}
			values[i] = v
		}
		for k, f := range fields {
			name := f.name
			if name == "" {
				if k < len(p.opts.Columns) {
					name = p.opts.Columns[k]
				} else {
					name = columnName(k)
				}
			}
			set(p.index(name), f.value)
		}
		if outputs != nil && len(outputs[r]) > 0 {
			set(p.index(p.opts.Prediction), prediction(outputs[r]))
		}
		p.rows = append(p.rows, Row{Line: line, Values: values, EventID: rec.EventMetadata.EventID, InferenceID: rec.EventMetadata.InferenceID})
	}
}

type field struct{ name, value string }

// payload decodes a captured body into records of fields.
func (p *lineParser) payload(pl *sagemaker.CapturePayload, where string) ([][]field, error) {
	body := []byte(pl.Data)
	kind := strings.ToUpper(pl.Encoding)
	if kind == sagemaker.EncodingBase64 {
		b, err := base64.StdEncoding.DecodeString(pl.Data)
		if err != nil {
			return nil, fmt.Errorf("%s: data is not valid BASE64: %v", where, err)
		}
		body = b
		ct := strings.ToLower(pl.ObservedContentType)
		switch {
		case strings.Contains(ct, "json"):
			kind = sagemaker.EncodingJSON
		case strings.Contains(ct, "csv"):
			kind = sagemaker.EncodingCSV
		default:
			return nil, fmt.Errorf("%s: cannot read content type %q (walens reads CSV and JSON bodies)", where, pl.ObservedContentType)
		}
	}
	switch kind {
	case sagemaker.EncodingCSV:
		return csvRecords(body, where)
	case sagemaker.EncodingJSON:
		return jsonRecords(body, where)
	}
	return nil, fmt.Errorf("%s: unknown encoding %q (expected CSV, JSON or BASE64)", where, pl.Encoding)
}

func csvRecords(body []byte, where string) ([][]field, error) {
	r := csv.NewReader(bytes.NewReader(body))
	r.FieldsPerRecord = -1
	var out [][]field
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: unreadable CSV: %v", where, err)
		}
		fields := make([]field, len(rec))
		for i, v := range rec {
			fields[i] = field{value: v}
		}
		out = append(out, fields)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: data is empty", where)
	}
	return out, nil
}

// jsonRecords understands the common JSON bodies: {"instances": [...]}, {"features": [...]}, {"predictions": [...]},
// a list of records, one record as a list or an object, or one scalar. JSON Lines bodies give one record a line.
func jsonRecords(body []byte, where string) ([][]field, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var out [][]field
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: data is not valid JSON: %v", where, err)
		}
		out = append(out, records(v)...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: data is empty", where)
	}
	return out, nil
}

func records(v any) [][]field {
	if m, ok := v.(map[string]any); ok {
		for _, key := range []string{"instances", "predictions", "inputs", "outputs"} {
			if list, ok := m[key].([]any); ok {
				return listRecords(list)
			}
		}
		if list, ok := m["features"].([]any); ok {
			return [][]field{record(list)}
		}
		return [][]field{record(m)}
	}
	if list, ok := v.([]any); ok {
		return listRecords(list)
	}
	return [][]field{record(v)}
}

// listRecords reads a list as records, unless every item is a scalar: then it is one record of several values.
func listRecords(list []any) [][]field {
	nested := false
	for _, item := range list {
		switch item.(type) {
		case []any, map[string]any:
			nested = true
		}
	}
	if !nested {
		// The TensorFlow Serving convention: a list of scalars is a batch of one-value instances.
		out := make([][]field, len(list))
		for i, item := range list {
			out[i] = record(item)
		}
		return out
	}
	out := make([][]field, 0, len(list))
	for _, item := range list {
		out = append(out, record(item))
	}
	return out
}

func record(v any) []field {
	switch x := v.(type) {
	case []any:
		fields := make([]field, len(x))
		for i, item := range x {
			fields[i] = field{value: text(item)}
		}
		return fields
	case map[string]any:
		// Map order is random; sort keys so positional fallbacks are stable.
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sortStrings(keys)
		fields := make([]field, len(keys))
		for i, k := range keys {
			fields[i] = field{name: k, value: text(x[k])}
		}
		return fields
	}
	return []field{{value: text(v)}}
}

// prediction picks the predicted value from an output record: a label or score field by name, else the first.
func prediction(fields []field) string {
	for _, name := range []string{"predicted_label", "label", "prediction", "score"} {
		for _, f := range fields {
			if f.name == name {
				return f.value
			}
		}
	}
	return fields[0].value
}

func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func sortStrings(s []string) { slices.Sort(s) }
