package audit

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// stream writes JSON lines to rotating files under dir/yyyy/mm/dd/hh/, the layout SageMaker data capture uses,
// or to one io.Writer that never rotates (standard output). Only the writer goroutine touches a stream.
type stream struct {
	dir      string
	name     string // file name prefix: "audit" or "capture"
	run      string // random per Log, so that replicas and restarts never share a file
	maxBytes int64
	maxFiles int
	create   func(path string) (io.WriteCloser, error)

	out   io.Writer // the fixed writer, when not writing files
	f     io.WriteCloser
	bw    *bufio.Writer
	size  int64
	hour  int64 // Unix hour of the open file's folder
	seq   int
	files []string // this stream's files, oldest first, for MaxFiles
}

func newStream(dir, name, run string, maxBytes int64, maxFiles int, create func(string) (io.WriteCloser, error)) (*stream, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("audit: create %s: %w", dir, err)
	}
	s := &stream{dir: dir, name: name, run: run, maxBytes: maxBytes, maxFiles: maxFiles, create: create}
	if maxFiles > 0 {
		s.files = existingFiles(dir, name)
	}
	return s, nil
}

func newWriterStream(w io.Writer) *stream {
	return &stream{out: w, bw: bufio.NewWriterSize(w, 64<<10)}
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

// write appends one line (with its newline) stamped t. A new file starts when the line would pass maxBytes or
// when t is in a later hour than the open file's folder; a record from an earlier hour (they arrive slightly out of
// order) goes to the open file rather than reopening an old folder.
func (s *stream) write(t time.Time, line []byte) error {
	if s.out != nil {
		_, err := s.bw.Write(line)
		return err
	}
	hour := floorDiv(t.Unix(), 3600)
	if s.f == nil || hour > s.hour || (s.size > 0 && s.size+int64(len(line)) > s.maxBytes) {
		if err := s.rotate(max(hour, s.hour)); err != nil {
			return err
		}
	}
	n, err := s.bw.Write(line)
	s.size += int64(n)
	if err != nil {
		// Start afresh on the next write: the disk may have recovered, and a torn line ends this file.
		s.closeFile()
	}
	return err
}

func (s *stream) rotate(hour int64) error {
	if err := s.closeFile(); err != nil {
		return err
	}
	t := time.Unix(hour*3600, 0).UTC()
	folder := filepath.Join(s.dir, t.Format("2006"), t.Format("01"), t.Format("02"), t.Format("15"))
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return fmt.Errorf("audit: create %s: %w", folder, err)
	}
	s.seq++
	path := filepath.Join(folder, fmt.Sprintf("%s-%s-%s-%05d.jsonl", s.name, t.Format("20060102T15"), s.run, s.seq))
	f, err := s.create(path)
	if err != nil {
		return fmt.Errorf("audit: open %s: %w", path, err)
	}
	s.f, s.size, s.hour = f, 0, hour
	if s.bw == nil {
		s.bw = bufio.NewWriterSize(f, 64<<10)
	} else {
		s.bw.Reset(f)
	}
	s.files = append(s.files, path)
	if s.maxFiles > 0 {
		for len(s.files) > s.maxFiles {
			os.Remove(s.files[0])
			s.files = s.files[1:]
		}
	}
	return nil
}

func (s *stream) flush() error {
	if s.bw == nil || (s.out == nil && s.f == nil) {
		return nil
	}
	return s.bw.Flush()
}

func (s *stream) closeFile() error {
	if s.f == nil {
		return nil
	}
	err := s.bw.Flush()
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	s.f = nil
	return err
}

func (s *stream) close() error {
	if s.out != nil {
		return s.bw.Flush()
	}
	return s.closeFile()
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
