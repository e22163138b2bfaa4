package dataset

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
)

const parquetChunkRows = 8192

type parquetChunker struct {
	name   string
	f      *os.File
	groups []parquet.RowGroup
	rows   parquet.Rows // of the current row group
	idx    []int        // schema index of each leaf column
	row    int
}

func (s *Source) newParquet(name string, f *os.File) (chunker, error) {
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("data %s: %w", name, err)
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("data %s: not a readable Parquet file (truncated or corrupt?): %w", name, err)
	}
	var idx []int
	for _, path := range pf.Schema().Columns() {
		leaf, _ := pf.Schema().Lookup(path...)
		if leaf.MaxRepetitionLevel > 0 {
			f.Close()
			return nil, fmt.Errorf("data %s: column %s is a list; walens reads flat tables", name, strings.Join(path, "."))
		}
		idx = append(idx, s.schema.IndexAt(strings.Join(path, "."), -1))
	}
	return &parquetChunker{name: name, f: f, groups: pf.RowGroups(), idx: idx}, nil
}

func (c *parquetChunker) next() (ch *Chunk, err error) {
	// A corrupt page can make the decoder panic; that is bad input, not a walens bug to crash on.
	defer func() {
		if r := recover(); r != nil {
			ch, err = nil, fmt.Errorf("data %s: corrupt Parquet data after row %d: %v", c.name, c.row, r)
		}
	}()
	buf := make([]parquet.Row, parquetChunkRows)
	var n int
	for n == 0 {
		if c.rows == nil {
			if len(c.groups) == 0 {
				return nil, io.EOF
			}
			c.rows, c.groups = c.groups[0].Rows(), c.groups[1:]
		}
		n, err = c.rows.ReadRows(buf)
		// Values may point into the reader's page buffers, which the next read reuses: copy them now, since
		// the chunk is parsed later on another goroutine.
		for i := range n {
			buf[i] = buf[i].Clone()
		}
		if n == 0 && err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("data %s: row %d: %w", c.name, c.row+1, err)
		}
		if errors.Is(err, io.EOF) || n == 0 {
			c.rows.Close()
			c.rows = nil
		}
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("data %s: row %d: %w", c.name, c.row+n+1, err)
	}
	rows := buf[:n]
	start := c.row
	c.row += n
	idx := c.idx
	width := 0
	if len(idx) > 0 {
		width = slices.Max(idx) + 1
	}
	return &Chunk{File: c.name, parse: func() ([]Row, []Skip, error) {
		out := make([]Row, len(rows))
		for i, r := range rows {
			values := make([]string, width)
			for _, v := range r {
				col := v.Column()
				if col < 0 || col >= len(idx) {
					continue
				}
				values[idx[col]] = parquetText(v)
			}
			// Parquet has no lines; the row number stands in for one.
			out[i] = Row{Line: start + i + 1, Values: values}
		}
		return out, nil, nil
	}}, nil
}

func (c *parquetChunker) close() error {
	if c.rows != nil {
		c.rows.Close()
	}
	return c.f.Close()
}

// parquetText renders a value as walens profiles it. Floating-point values keep a decimal point, so a DOUBLE
// column of whole numbers is still Fractional, as its schema says.
func parquetText(v parquet.Value) string {
	if v.IsNull() {
		return ""
	}
	switch v.Kind() {
	case parquet.Boolean:
		return strconv.FormatBool(v.Boolean())
	case parquet.Int32:
		return strconv.FormatInt(int64(v.Int32()), 10)
	case parquet.Int64:
		return strconv.FormatInt(v.Int64(), 10)
	case parquet.Float:
		return floatText(float64(v.Float()), 32)
	case parquet.Double:
		return floatText(v.Double(), 64)
	case parquet.ByteArray, parquet.FixedLenByteArray:
		return string(v.ByteArray())
	}
	return v.String()
}

func floatText(f float64, bits int) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'g', -1, bits)
	}
	s := strconv.FormatFloat(f, 'g', -1, bits)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}
