package audit

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// spill is the overflow file: when the in-memory buffer is full, callers append their record here themselves,
// under a mutex of its own, so that they never wait for the writer goroutine or its (possibly slow) log files.
// Appending a line to a file is a single write system call into the page cache, cheap next to a model call.
//
// Each line is a kind byte ('a' audit, 'c' capture), the record's Unix time in nanoseconds, a space and the JSON
// record. The writer goroutine renames the file aside and copies its lines into the log when it has time, at
// Close, or, for files a crashed process left, at the next Open. Delivery from the spill file is at least once:
// a crash while copying can repeat records.
type spill struct {
	dir  string
	mu   sync.Mutex
	f    *os.File
	n    int64 // lines in the current file
	seq  int
	buf  []byte
	open func(path string) (*os.File, error)
}

const spillName = "spill.jsonl"

func (sp *spill) path() string { return filepath.Join(sp.dir, spillName) }

// add appends one record.
func (sp *spill) add(it item) error {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.f == nil {
		if err := os.MkdirAll(sp.dir, 0o755); err != nil {
			return fmt.Errorf("audit: create spill folder: %w", err)
		}
		f, err := sp.open(sp.path())
		if err != nil {
			return fmt.Errorf("audit: open spill file: %w", err)
		}
		sp.f = f
	}
	sp.buf = append(sp.buf[:0], it.kind)
	sp.buf = strconv.AppendInt(sp.buf, it.t.UnixNano(), 10)
	sp.buf = append(sp.buf, ' ')
	sp.buf = append(sp.buf, it.line...) // ends with a newline
	if _, err := sp.f.Write(sp.buf); err != nil {
		return fmt.Errorf("audit: write spill file: %w", err)
	}
	sp.n++
	return nil
}

// pending reports whether the current spill file holds records.
func (sp *spill) pending() bool {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return sp.n > 0
}

// take closes the current spill file and renames it aside, returning its new name, or "" when it is empty.
// Later records start a new spill file.
func (sp *spill) take() (string, error) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.f == nil || sp.n == 0 {
		return "", nil
	}
	err := sp.f.Close()
	sp.f, sp.n = nil, 0
	sp.seq++
	aside := filepath.Join(sp.dir, fmt.Sprintf("draining-%d-%d.jsonl", time.Now().UnixNano(), sp.seq))
	if rerr := os.Rename(sp.path(), aside); rerr != nil {
		return "", errors.Join(err, fmt.Errorf("audit: set spill file aside: %w", rerr))
	}
	return aside, err
}

// close closes the current spill file, leaving any records in it for the next Open.
func (sp *spill) close() error {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.f == nil {
		return nil
	}
	err := sp.f.Close()
	sp.f = nil
	return err
}

// leftovers lists spill files an earlier process left behind, to copy into the log at start.
func (sp *spill) leftovers() []string {
	entries, err := os.ReadDir(sp.dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.Name() == spillName || (strings.HasPrefix(e.Name(), "draining-") && strings.HasSuffix(e.Name(), ".jsonl")) {
			out = append(out, filepath.Join(sp.dir, e.Name()))
		}
	}
	return out
}

// readSpill calls fn for each complete record of a spill file. A torn last line (the process died mid-write) is
// reported through torn.
func readSpill(path string, fn func(item) error, torn func(line []byte)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			it, ok := parseSpillLine(line)
			if !ok {
				torn(line)
			} else if ferr := fn(it); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func parseSpillLine(line []byte) (item, bool) {
	if len(line) < 3 || line[len(line)-1] != '\n' || (line[0] != kindAudit && line[0] != kindCapture) {
		return item{}, false
	}
	sp := bytes.IndexByte(line, ' ')
	if sp < 2 {
		return item{}, false
	}
	ns, err := strconv.ParseInt(string(line[1:sp]), 10, 64)
	if err != nil {
		return item{}, false
	}
	return item{kind: line[0], t: time.Unix(0, ns), line: line[sp+1:]}, true
}

func openSpill(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
}
