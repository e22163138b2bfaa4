package audit

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// stream writes JSON lines to rotating files under dir/yyyy/mm/dd/hh/, the layout SageMaker data capture uses,
// or to one io.Writer that never rotates (standard output). Only the writer goroutine touches a stream.
//
// Lines are batched in buf and written with one system call per batch. The records behind the batch are kept
// until the write succeeds, so that when the disk fails they go back to the spill file instead of vanishing
// with a buffer; written counts records only once they reached the file.
type stream struct {
	dir      string
	name     string // file name prefix: "audit" or "capture"
	run      string // random per Log, so that replicas and restarts never share a file
	maxBytes int64
	maxFiles int
	create   func(path string) (io.WriteCloser, error)
	written  *atomic.Int64

	out     io.Writer // the fixed writer, when not writing files
	f       io.WriteCloser
	buf     []byte
	pending []item // the records whose lines are in buf, in order
	size    int64
	hour    int64 // Unix hour of the open file's folder
	seq     int
	files   []string // this stream's files, oldest first, for MaxFiles
}

const batchBytes = 64 << 10

func newStream(dir, name, run string, maxBytes int64, maxFiles int, create func(string) (io.WriteCloser, error), written *atomic.Int64) (*stream, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("audit: create %s: %w", dir, err)
	}
	s := &stream{dir: dir, name: name, run: run, maxBytes: maxBytes, maxFiles: maxFiles, create: create, written: written}
	if maxFiles > 0 {
		s.files = existingFiles(dir, name)
	}
	return s, nil
}

func newWriterStream(w io.Writer, written *atomic.Int64) *stream {
	return &stream{out: w, written: written}
}

// existingFiles lists files an earlier run left, oldest first, so that MaxFiles counts them too.
func existingFiles(dir, name string) []string {
	type file struct {
		path string
		mod  time.Time
	}
	var found []file
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != dir {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasPrefix(d.Name(), name+"-") && strings.HasSuffix(d.Name(), ".jsonl") {
			if info, err := d.Info(); err == nil {
				found = append(found, file{path, info.ModTime()})
			}
		}
		return nil
	})
	slices.SortFunc(found, func(a, b file) int {
		if c := a.mod.Compare(b.mod); c != 0 {
			return c
		}
		return strings.Compare(a.path, b.path)
	})
	out := make([]string, len(found))
	for i, f := range found {
		out[i] = f.path
	}
	return out
}

// write queues one record's line (it ends with a newline). A new file starts when the line would pass maxBytes
// or when the record is from a later hour than the open file's folder; a record from an earlier hour (they arrive
// slightly out of order) goes to the open file rather than reopening an old folder. It returns the records that
// could not be written, for the caller to spill.
func (s *stream) write(it item) ([]item, error) {
	if s.out == nil {
		hour := floorDiv(it.t.Unix(), 3600)
		if s.f == nil || hour > s.hour || (s.size > 0 && s.size+int64(len(it.line)) > s.maxBytes) {
			if failed, err := s.rotate(max(hour, s.hour)); err != nil {
				return append(failed, it), err
			}
		}
		s.size += int64(len(it.line))
	}
	s.buf = append(s.buf, it.line...)
	s.pending = append(s.pending, it)
	if len(s.buf) >= batchBytes {
		return s.flush()
	}
	return nil, nil
}

// flush writes the batch. On failure it closes the file (the next record opens a new one, in case the disk has
// recovered) and returns the records not completely written.
func (s *stream) flush() ([]item, error) {
	if len(s.buf) == 0 {
		return nil, nil
	}
	w := s.out
	if w == nil {
		w = s.f
	}
	n, err := w.Write(s.buf)
	var failed []item
	done := 0
	for i, it := range s.pending {
		if n < len(it.line) {
			if err == nil {
				err = io.ErrShortWrite
			}
			failed = slices.Clone(s.pending[i:])
			break
		}
		n -= len(it.line)
		done++
	}
	s.written.Add(int64(done))
	clear(s.pending) // drop references to the lines
	s.buf, s.pending = s.buf[:0], s.pending[:0]
	if err != nil && s.f != nil {
		s.f.Close()
		s.f = nil
	}
	return failed, err
}

func (s *stream) rotate(hour int64) ([]item, error) {
	failed, err := s.closeFile()
	if err != nil {
		return failed, err
	}
	t := time.Unix(hour*3600, 0).UTC()
	folder := filepath.Join(s.dir, t.Format("2006"), t.Format("01"), t.Format("02"), t.Format("15"))
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return nil, fmt.Errorf("audit: create %s: %w", folder, err)
	}
	s.seq++
	path := filepath.Join(folder, fmt.Sprintf("%s-%s-%s-%05d.jsonl", s.name, t.Format("20060102T15"), s.run, s.seq))
	f, err := s.create(path)
	if err != nil {
		return nil, fmt.Errorf("audit: open %s: %w", path, err)
	}
	s.f, s.size, s.hour = f, 0, hour
	s.files = append(s.files, path)
	if s.maxFiles > 0 {
		for len(s.files) > s.maxFiles {
			os.Remove(s.files[0])
			s.files = s.files[1:]
		}
	}
	return nil, nil
}

// closeFile writes the batch and closes the current file.
func (s *stream) closeFile() ([]item, error) {
	failed, err := s.flush()
	if s.f != nil {
		if cerr := s.f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("audit: close: %w", cerr)
		}
		s.f = nil
	}
	return failed, err
}

func createFile(path string) (io.WriteCloser, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
