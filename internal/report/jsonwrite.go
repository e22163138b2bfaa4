package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
)

// writeJSONRows writes v as JSON indented down to depth levels of nesting, with anything deeper on one line: a scan
// report becomes one line per finding, which reads well in a diff and costs a fraction of full indentation.
// encoding/json's own indenter re-walks and copies the whole document, which for a large scan took longer than
// the scan itself.
func writeJSONRows(w io.Writer, v any, depth int) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	indentTop(bw, bytes.TrimRight(buf.Bytes(), "\n"), depth)
	bw.WriteByte('\n')
	return bw.Flush()
}

// indentTop copies compact JSON from src, breaking lines and indenting by two spaces inside the outermost depth
// levels of objects and arrays. It only inserts whitespace outside strings, so it cannot change the document.
func indentTop(w *bufio.Writer, src []byte, depth int) {
	var open []bool // per open container: whether it is laid out over lines
	inString, escaped := false, false
	newline := func(level int) {
		w.WriteByte('\n')
		for range level {
			w.WriteString("  ")
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if inString {
			w.WriteByte(c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		expanded := len(open) > 0 && open[len(open)-1]
		switch c {
		case '"':
			inString = true
			w.WriteByte(c)
		case '{', '[':
			w.WriteByte(c)
			lay := len(open) < depth
			if lay && i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				lay = false // an empty container stays {} or []
			}
			open = append(open, lay)
			if lay {
				newline(len(open))
			}
		case '}', ']':
			if expanded {
				newline(len(open) - 1)
			}
			open = open[:max(0, len(open)-1)]
			w.WriteByte(c)
		case ',':
			w.WriteByte(c)
			if expanded {
				newline(len(open))
			}
		case ':':
			w.WriteByte(c)
			if expanded {
				w.WriteByte(' ')
			}
		default:
			w.WriteByte(c)
		}
	}
}
