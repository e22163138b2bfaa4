package diag

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
)

// JSONPositions walks a JSON document and records where each value starts, keyed by its path. It stops quietly at
// the first syntax error; use JSONError to describe that error.
func JSONPositions(data []byte) Positions {
	lines := NewLineIndex(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	pos := Positions{}
	type frame struct {
		path      string
		object    bool
		expectKey bool
		key       string
		index     int
	}
	var stack []*frame
	valueDone := func() {
		if len(stack) == 0 {
			return
		}
		top := stack[len(stack)-1]
		if top.object {
			top.expectKey = true
		} else {
			top.index++
		}
	}
	for {
		off := skipSeparators(data, int(dec.InputOffset()))
		tok, err := dec.Token()
		if err != nil {
			return pos
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		delim, isDelim := tok.(json.Delim)
		if isDelim && (delim == '}' || delim == ']') {
			stack = stack[:len(stack)-1]
			valueDone()
			continue
		}
		if top != nil && top.object && top.expectKey {
			top.key, _ = tok.(string)
			top.expectKey = false
			continue
		}
		path := ""
		switch {
		case top == nil:
		case top.object:
			path = Key(top.path, top.key)
		default:
			path = Index(top.path, top.index)
		}
		pos[path] = lines.Position(off)
		if isDelim {
			stack = append(stack, &frame{path: path, object: delim == '{', expectKey: delim == '{'})
			continue
		}
		valueDone()
	}
}

// JSONError turns an encoding/json error into a problem with a line and column where the error carries an offset.
func JSONError(data []byte, err error) Problem {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	lines := NewLineIndex(data)
	switch {
	case errors.As(err, &syn):
		p := lines.Position(int(syn.Offset))
		return Problem{Line: p.Line, Col: p.Col, Message: "invalid JSON: " + syn.Error()}
	case errors.As(err, &typ):
		p := lines.Position(int(typ.Offset))
		return Problem{Line: p.Line, Col: p.Col, Path: typ.Field, Message: fmt.Sprintf("expected %s but found a JSON %s", typ.Type, typ.Value)}
	default:
		return Problem{Message: err.Error()}
	}
}

func skipSeparators(data []byte, off int) int {
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

// LineIndex finds the line and column of byte offsets in a document.
type LineIndex []int

// NewLineIndex records where each line of data starts.
func NewLineIndex(data []byte) LineIndex {
	starts := LineIndex{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// Position returns the 1-based line and column of a byte offset.
func (starts LineIndex) Position(off int) Position {
	line := sort.Search(len(starts), func(i int) bool { return starts[i] > off })
	if line == 0 {
		return Position{Line: 1, Col: off + 1}
	}
	return Position{Line: line, Col: off - starts[line-1] + 1}
}
