package dataset

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

type csvChunker struct {
	src    *Source
	name   string
	closer io.Closer
	br     *bufio.Reader
	carry  []byte // the start of a record cut off at the end of the previous chunk
	line   int    // line number of the first byte of carry
	eof    bool
	width  int   // fields per record
	idx    []int // schema index of each field; nil when it is the identity
}

func (s *Source) newCSV(name string, closer io.Closer, br *bufio.Reader) (chunker, error) {
	c := &csvChunker{src: s, name: name, closer: closer, br: br, line: 1}
	// A UTF-8 byte order mark is not part of the first column's name.
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	first, err := c.record()
	if err != nil {
		closer.Close()
		return nil, err
	}
	if first == nil {
		return c, nil // empty file: no rows, no columns
	}
	fields, err := parseCSVLine(first)
	if err != nil {
		closer.Close()
		return nil, fmt.Errorf("%s:1: %w", name, err)
	}
	header := false
	switch s.opts.Header {
	case HeaderYes:
		header = true
	case HeaderAuto:
		second, _, _ := bytes.Cut(c.carry, []byte("\n"))
		header = looksLikeHeader(fields, second)
	}
	c.width = len(fields)
	var names []string
	if header {
		seen := map[string]int{}
		for i, f := range fields {
			f = strings.TrimSpace(f)
			if f == "" {
				closer.Close()
				return nil, fmt.Errorf("%s:1: column %d of the header has no name", name, i+1)
			}
			if j, dup := seen[f]; dup {
				closer.Close()
				return nil, fmt.Errorf("%s:1: the header names column %q twice (columns %d and %d)", name, f, j+1, i+1)
			}
			seen[f] = i
			names = append(names, f)
		}
	} else {
		for i := range fields {
			if i < len(s.opts.Columns) {
				names = append(names, s.opts.Columns[i])
			} else {
				names = append(names, columnName(i))
			}
		}
		// The first record is data: parse it again as part of the first chunk.
		c.carry = append(first, c.carry...)
		c.line = 1
	}
	identity := true
	c.idx = make([]int, len(names))
	for i, n := range names {
		c.idx[i] = s.schema.IndexAt(n, -1)
		identity = identity && c.idx[i] == i
	}
	if identity {
		c.idx = nil
	}
	return c, nil
}

// looksLikeHeader decides whether a first row names columns: every field is a distinct, non-empty word that is
// not a number, and the second row (if any) has a number somewhere, or the same number of fields.
func looksLikeHeader(first []string, second []byte) bool {
	seen := map[string]bool{}
	for _, f := range first {
		f = strings.TrimSpace(f)
		if f == "" || seen[f] || isNumber(f) {
			return false
		}
		seen[f] = true
	}
	if len(bytes.TrimSpace(second)) == 0 {
		return true
	}
	rec, err := parseCSVLine(second)
	if err != nil {
		return true
	}
	for _, f := range rec {
		if isNumber(strings.TrimSpace(f)) {
			return true
		}
	}
	// Both rows are all words: a header is the likelier reading of a training file, and --header no says otherwise.
	return true
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

func parseCSVLine(b []byte) ([]string, error) {
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	rec, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	return rec, err
}

// fill reads until carry holds at least n bytes or the file ends.
func (c *csvChunker) fill(n int) error {
	for !c.eof && len(c.carry) < n {
		buf := make([]byte, max(n-len(c.carry), 64<<10))
		k, err := io.ReadFull(c.br, buf)
		c.carry = append(c.carry, buf[:k]...)
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			c.eof = true
		} else if err != nil {
			return fmt.Errorf("read %s: %w", c.name, err)
		}
	}
	return nil
}

// record splits the first record (through its newline) off carry; nil at the end of the file.
func (c *csvChunker) record() ([]byte, error) {
	for want := 64 << 10; ; want *= 2 {
		if err := c.fill(want); err != nil {
			return nil, err
		}
		if len(c.carry) == 0 {
			return nil, nil
		}
		if end := boundary(c.carry, true); end >= 0 {
			rec := c.carry[:end+1]
			c.carry = slices.Clone(c.carry[end+1:])
			c.line++
			return rec, nil
		}
		if c.eof {
			rec := c.carry
			c.carry = nil
			return rec, nil
		}
		if len(c.carry) > c.src.opts.MaxLine {
			return nil, fmt.Errorf("%s:1: the first record is longer than %d bytes (is a quote left open?)", c.name, c.src.opts.MaxLine)
		}
	}
}

// boundary finds the newline that ends the first (first=true) or the last complete record in b, skipping
// newlines inside quoted fields; -1 if there is none. A doubled quote inside a quoted field toggles twice, so
// counting quotes is enough.
func boundary(b []byte, first bool) int {
	if bytes.IndexByte(b, '"') < 0 {
		if first {
			return bytes.IndexByte(b, '\n')
		}
		return bytes.LastIndexByte(b, '\n')
	}
	inQuote := false
	last := -1
	for i, ch := range b {
		switch ch {
		case '"':
			inQuote = !inQuote
		case '\n':
			if !inQuote {
				if first {
					return i
				}
				last = i
			}
		}
	}
	return last
}

func (c *csvChunker) next() (*Chunk, error) {
	want := c.src.opts.ChunkBytes
	for {
		if err := c.fill(want); err != nil {
			return nil, err
		}
		if len(c.carry) == 0 {
			return nil, io.EOF
		}
		end := len(c.carry) - 1
		if !c.eof {
			end = boundary(c.carry, false)
		}
		if end < 0 {
			if len(c.carry) > c.src.opts.MaxLine+c.src.opts.ChunkBytes {
				return nil, fmt.Errorf("%s:%d: no record ends within %d bytes (a quote left open, or a record over the %d-byte limit)", c.name, c.line, len(c.carry), c.src.opts.MaxLine)
			}
			want = len(c.carry) * 2
			continue
		}
		piece := c.carry[:end+1]
		c.carry = slices.Clone(c.carry[end+1:])
		start := c.line
		c.line += bytes.Count(piece, []byte("\n"))
		name, width, idx := c.name, c.width, c.idx
		return &Chunk{File: name, parse: func() ([]Row, []Skip, error) {
			return parseCSVChunk(name, piece, start, width, idx)
		}}, nil
	}
}

func (c *csvChunker) close() error { return c.closer.Close() }

func parseCSVChunk(name string, piece []byte, start, width int, idx []int) ([]Row, []Skip, error) {
	r := csv.NewReader(bytes.NewReader(piece))
	r.FieldsPerRecord = -1
	var rows []Row
	var skips []Skip
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, skips, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				skips = append(skips, Skip{name, start + pe.StartLine - 1, "unreadable CSV: " + pe.Err.Error()})
				continue
			}
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		line += start - 1
		if width == 0 {
			width = len(rec) // a file with no header and nothing else to go by
		}
		if len(rec) != width {
			skips = append(skips, Skip{name, line, fmt.Sprintf("has %d fields where the file has %d", len(rec), width)})
			continue
		}
		if idx != nil {
			mapped := make([]string, slices.Max(idx)+1)
			for i, v := range rec {
				mapped[idx[i]] = v
			}
			rec = mapped
		}
		rows = append(rows, Row{Line: line, Values: rec})
	}
}
