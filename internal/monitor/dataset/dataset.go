// Package dataset streams tabular data for walens monitor from CSV, JSON Lines, Parquet and SageMaker data-capture
// files (including the capture files the walens gateway writes), from globs and from folders of hourly capture
// prefixes. Files are cut into chunks by one reader and parsed by the caller's workers, so parsing runs on every
// core while memory stays bounded by the chunks in flight. Rows that cannot be read are skipped and reported with
// their file and line; a file that cannot be read at all is an error.
package dataset

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Format is the layout of an input file.
type Format string

const (
	Auto    Format = ""
	CSV     Format = "csv"
	JSONL   Format = "jsonl"
	Parquet Format = "parquet"
	Capture Format = "capture" // SageMaker data-capture JSON Lines
)

// Formats lists the formats a user may name.
var Formats = []string{string(CSV), string(JSONL), string(Parquet), string(Capture)}

// Header says whether CSV files start with a header row.
type Header string

const (
	HeaderAuto Header = "auto" // a first row of distinct, non-numeric names is a header
	HeaderYes  Header = "yes"
	HeaderNo   Header = "no"
)

// Defaults for Options.
const (
	DefaultChunkBytes = 1 << 20
	DefaultMaxLine    = 1 << 20 // longest JSON Lines record or CSV record accepted
	StdinName         = "-"
)

// Options control how inputs are found and read.
type Options struct {
	Format Format
	Header Header
	// Columns names the columns of headerless CSV and of capture payloads, in order. Unnamed columns are called
	// _c0, _c1, ... as SageMaker does.
	Columns []string
	// Prediction names the column that receives a capture record's endpoint output; empty drops the output.
	Prediction string
	// MaxLine bounds one record's size; longer records are skipped and reported. Zero means DefaultMaxLine.
	MaxLine int
	// ChunkBytes is the size of the pieces handed to workers. Zero means DefaultChunkBytes.
	ChunkBytes int
	// Stdin is read for the path "-".
	Stdin io.Reader
}

// Row is one record: its values by column index (missing columns at the end are absent), where it came from,
// and for capture data the event's IDs.
type Row struct {
	Line        int
	Values      []string
	EventID     string
	InferenceID string
}

// Skip is a record that could not be read.
type Skip struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

func (s Skip) String() string { return fmt.Sprintf("%s:%d: %s", s.File, s.Line, s.Reason) }

// Chunk is a piece of one file, parsed on demand so that parsing can run in parallel.
type Chunk struct {
	File  string
	Index int // position in the stream, from 0
	parse func() ([]Row, []Skip, error)
}

// Parse decodes the chunk. Bad records come back as skips; an error means the file itself is unusable.
func (c *Chunk) Parse() ([]Row, []Skip, error) { return c.parse() }

// Schema is the set of columns seen so far. CSV files fix it from their header; JSON records add columns as they
// appear, so a column first seen late was missing in every earlier row. Safe for concurrent use.
type Schema struct {
	mu    sync.RWMutex
	names []string
	index map[string]int
	first []int64 // where each column was first seen, to order columns the same way however chunks interleave
}

func newSchema() *Schema { return &Schema{index: map[string]int{}} }

// Names returns the columns by index.
func (s *Schema) Names() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.names)
}

// Order returns column indexes in the order the columns first appear in the input, which does not depend on
// which worker parsed what first.
func (s *Schema) Order() []int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	order := make([]int, len(s.names))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case s.first[a] < s.first[b]:
			return -1
		case s.first[a] > s.first[b]:
			return 1
		}
		return 0
	})
	return order
}

// Lookup returns the column's position if the column has been seen.
func (s *Schema) Lookup(name string) (int, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.index[name]
	return i, ok
}

// Index returns the column's position, adding the column if it is new.
func (s *Schema) Index(name string) int { return s.IndexAt(name, -1) }

// IndexAt is Index for a column seen at pos, a number that grows through the input; it keeps the smallest.
func (s *Schema) IndexAt(name string, pos int64) int {
	s.mu.RLock()
	i, ok := s.index[name]
	known := ok && s.first[i] <= pos
	s.mu.RUnlock()
	if known {
		return i
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if i, ok := s.index[name]; ok {
		s.first[i] = min(s.first[i], pos)
		return i
	}
	s.index[name] = len(s.names)
	s.names = append(s.names, name)
	s.first = append(s.first, pos)
	return len(s.names) - 1
}

// Source is a stream of chunks from a list of inputs.
type Source struct {
	opts   Options
	files  []input
	schema *Schema
	bytes  atomic.Int64 // bytes read so far, for progress
	total  int64        // bytes in all regular files, 0 when unknown (stdin)

	next    int
	current chunker
	index   int
}

type input struct {
	path   string
	format Format
}

type chunker interface {
	next() (*Chunk, error) // io.EOF at the end of the file
	close() error
}

// Open expands paths (files, globs, directories searched recursively, or "-" for standard input) and prepares to
// read them in order. It fails when a path matches nothing, so a typo is not read as an empty dataset.
func Open(paths []string, opts Options) (*Source, error) {
	if opts.MaxLine <= 0 {
		opts.MaxLine = DefaultMaxLine
	}
	if opts.ChunkBytes <= 0 {
		opts.ChunkBytes = DefaultChunkBytes
	}
	if opts.Header == "" {
		opts.Header = HeaderAuto
	}
	files, err := Expand(paths)
	if err != nil {
		return nil, err
	}
	s := &Source{opts: opts, schema: newSchema()}
	for _, name := range opts.Columns {
		s.schema.Index(name)
	}
	for _, f := range files {
		format := opts.Format
		if format == Auto {
			if format, err = detect(f, opts.Stdin); err != nil {
				return nil, err
			}
		}
		if format == Parquet && f == StdinName {
			return nil, errors.New("cannot read Parquet from standard input (a Parquet file is read from its end); give a file")
		}
		if st, err := os.Stat(f); err == nil && f != StdinName {
			s.total += st.Size()
		}
		s.files = append(s.files, input{f, format})
	}
	return s, nil
}

// Expand turns paths into a sorted list of files. Directories are walked for files with a data extension
// (.csv, .jsonl, .json, .ndjson, .parquet), which covers the yyyy/mm/dd/hh capture layout; hidden entries are
// ignored. A glob or directory that matches nothing is an error.
func Expand(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		if p == StdinName {
			out = append(out, p)
			continue
		}
		matches := []string{p}
		if strings.ContainsAny(p, "*?[") {
			m, err := filepath.Glob(p)
			if err != nil {
				return nil, fmt.Errorf("bad pattern %q: %w", p, err)
			}
			if len(m) == 0 {
				return nil, fmt.Errorf("%s: no file matches the pattern", p)
			}
			matches = m
		}
		for _, m := range matches {
			st, err := os.Stat(m)
			if err != nil {
				return nil, fmt.Errorf("data %s: %w", m, err)
			}
			if !st.IsDir() {
				out = append(out, m)
				continue
			}
			var found []string
			err = filepath.WalkDir(m, func(path string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if path != m && strings.HasPrefix(d.Name(), ".") {
					if d.IsDir() {
						return filepath.SkipDir
					}
					return nil
				}
				if !d.IsDir() && dataExt(path) {
					found = append(found, path)
				}
				return nil
			})
			if err != nil {
				return nil, fmt.Errorf("data %s: %w", m, err)
			}
			if len(found) == 0 {
				return nil, fmt.Errorf("%s: the folder holds no .csv, .jsonl, .json or .parquet files", m)
			}
			slices.Sort(found)
			out = append(out, found...)
		}
	}
	return out, nil
}

func dataExt(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".jsonl", ".json", ".ndjson", ".parquet":
		return true
	}
	return false
}

// detect picks a format from the extension, and tells capture JSON Lines from plain by the first record.
func detect(path string, stdin io.Reader) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return CSV, nil
	case ".parquet":
		return Parquet, nil
	}
	if path == StdinName {
		return Auto, errors.New("give --format for standard input (csv, jsonl or capture)")
	}
	f, err := os.Open(path)
	if err != nil {
		return Auto, fmt.Errorf("data %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if len(head) >= 4 && string(head[:4]) == "PAR1" {
		return Parquet, nil
	}
	trimmed := strings.TrimLeft(string(head), " \t\r\n\ufeff")
	if !strings.HasPrefix(trimmed, "{") {
		return CSV, nil
	}
	first, _, _ := strings.Cut(trimmed, "\n")
	if strings.Contains(first, `"captureData"`) {
		return Capture, nil
	}
	return JSONL, nil
}

// Schema returns the columns seen so far. After the last chunk is parsed it holds every column.
func (s *Source) Schema() *Schema { return s.schema }

// Files returns the inputs in reading order.
func (s *Source) Files() []string {
	out := make([]string, len(s.files))
	for i, f := range s.files {
		out[i] = f.path
	}
	return out
}

// Progress returns bytes read so far and the total, 0 when unknown.
func (s *Source) Progress() (done, total int64) { return s.bytes.Load(), s.total }

// Next returns the next chunk, or io.EOF after the last one.
func (s *Source) Next(ctx context.Context) (*Chunk, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if s.current == nil {
			if s.next == len(s.files) {
				return nil, io.EOF
			}
			in := s.files[s.next]
			s.next++
			c, err := s.openFile(in)
			if err != nil {
				return nil, err
			}
			s.current = c
		}
		ch, err := s.current.next()
		if errors.Is(err, io.EOF) {
			if err := s.current.close(); err != nil {
				return nil, err
			}
			s.current = nil
			continue
		}
		if err != nil {
			return nil, err
		}
		ch.Index = s.index
		s.index++
		return ch, nil
	}
}

// Close releases the file being read.
func (s *Source) Close() error {
	if s.current != nil {
		err := s.current.close()
		s.current = nil
		return err
	}
	return nil
}

func (s *Source) openFile(in input) (chunker, error) {
	var r io.ReadCloser
	if in.path == StdinName {
		if s.opts.Stdin == nil {
			return nil, errors.New("standard input is not available")
		}
		r = io.NopCloser(s.opts.Stdin)
	} else {
		f, err := os.Open(in.path)
		if err != nil {
			return nil, fmt.Errorf("data %s: %w", in.path, err)
		}
		r = f
	}
	name := in.path
	if name == StdinName {
		name = "stdin"
	}
	counted := &countingReader{r: r, n: &s.bytes}
	switch in.format {
	case CSV:
		return s.newCSV(name, r, bufio.NewReaderSize(counted, 1<<16))
	case JSONL, Capture:
		return &lineChunker{src: s, name: name, closer: r, br: bufio.NewReaderSize(counted, 1<<16), capture: in.format == Capture}, nil
	case Parquet:
		f, ok := r.(*os.File)
		if !ok {
			r.Close()
			return nil, fmt.Errorf("data %s: Parquet needs a file", name)
		}
		return s.newParquet(name, f)
	}
	r.Close()
	return nil, fmt.Errorf("data %s: unknown format %q", name, in.format)
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// columnName is the SageMaker name of an unnamed column.
func columnName(i int) string { return fmt.Sprintf("_c%d", i) }
