package evidence

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"

	"github.com/walens/walens/internal/diag"
)

// maxJSONDepth bounds nesting so that hostile input cannot make the tree unreasonably deep.
const maxJSONDepth = 256

// DecodeJSON parses a JSON document into a Value tree whose every member carries its line and column. Keys are
// kept as written. A syntax error comes back as a problem located at the offending line and column.
func DecodeJSON(file string, data []byte) (*Value, *diag.Problem) {
	lines := diag.NewLineIndex(data)
	at := func(off int) Pos {
		p := lines.Position(off)
		return Pos{File: file, Line: p.Line, Col: p.Col}
	}
	fail := func(off int, msg string) *diag.Problem {
		p := at(off)
		return &diag.Problem{File: file, Line: p.Line, Col: p.Col, Message: msg, Severity: diag.Error}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		v   *Value
		key string
		has bool // key read, waiting for its value
	}
	var stack []*frame
	var root *Value
	for {
		off := skipJSONSpace(data, int(dec.InputOffset()))
		tok, err := dec.Token()
		if err == io.EOF {
			if root == nil {
				return nil, fail(0, "invalid JSON: the document is empty")
			}
			if len(stack) > 0 {
				return nil, fail(len(data), "invalid JSON: unexpected end of input")
			}
			return root, nil
		}
		if err != nil {
			var syn *json.SyntaxError
			if errors.As(err, &syn) {
				return nil, fail(int(syn.Offset), "invalid JSON: "+syn.Error())
			}
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, fail(len(data), "invalid JSON: unexpected end of input")
			}
			return nil, fail(off, "invalid JSON: "+err.Error())
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			continue
		}
		if top != nil && top.v.Kind == Object && !top.has {
			top.key, top.has = tok.(string), true
			continue
		}
		var v *Value
		p := at(off)
		switch t := tok.(type) {
		case json.Delim:
			if len(stack) >= maxJSONDepth {
				return nil, fail(off, "invalid JSON: nested deeper than the limit")
			}
			if t == '{' {
				v = NewObject(p)
			} else {
				v = NewList(p)
			}
		case string:
			v = NewString(p, t)
		case json.Number:
			n, err := strconv.ParseFloat(string(t), 64)
			if err != nil {
				return nil, fail(off, "invalid JSON: number "+string(t)+" is out of range")
			}
			v = NewNumber(p, n)
		case bool:
			v = NewBool(p, t)
		case nil:
			v = NewNull(p)
		}
		switch {
		case top == nil:
			if root != nil {
				return nil, fail(off, "invalid JSON: more than one value at the top level")
			}
			root = v
		case top.v.Kind == Object:
			top.v.Set(top.key, v)
			top.has = false
		default:
			top.v.Append(v)
		}
		if v.Kind == Object || v.Kind == List {
			stack = append(stack, &frame{v: v})
		}
	}
}

func skipJSONSpace(data []byte, off int) int {
	for off < len(data) {
		switch data[off] {
		case ' ', '\t', '\n', '\r', ':', ',':
			off++
		default:
			return off
		}
	}
	return off
}
