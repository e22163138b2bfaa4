package audit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/walens/walens/internal/monitor/dataset"
	"github.com/walens/walens/internal/monitor/sagemaker"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var hour0 = time.Date(2026, 2, 3, 10, 15, 0, 0, time.UTC)

// files returns the log files named prefix-*.jsonl under dir, sorted, outside hidden folders.
func files(t *testing.T, dir, prefix string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != dir {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasPrefix(d.Name(), prefix+"-") && strings.HasSuffix(d.Name(), ".jsonl") {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// auditRecords reads every audit record under dir.
func auditRecords(t *testing.T, dir string) []Record {
	t.Helper()
	var out []Record
	for _, p := range files(t, dir, "audit") {
		out = append(out, readRecords(t, p)...)
	}
	return out
}

func readRecords(t *testing.T, path string) []Record {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Record
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s: bad line %q: %v", path, sc.Text(), err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func record(i int, at time.Time) Record {
	return Record{Time: at, RequestID: fmt.Sprintf("req-%06d", i), KeyID: "key-1", Model: "gpt-4o", Target: "openai-primary",
		Status: 200, LatencyMS: 12.5, PromptTokens: 100, CompletionTokens: 20, CostUSD: 0.00045, Fallback: []string{"bedrock"}}
}

func closeLog(t *testing.T, l *Log) {
	t.Helper()
	if err := l.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// checkAll asserts that every request ID from 0 to n-1 was written exactly once.
func checkAll(t *testing.T, recs []Record, n int) {
	t.Helper()
	seen := make(map[string]int, len(recs))
	for _, r := range recs {
		seen[r.RequestID]++
	}
	for i := range n {
		id := fmt.Sprintf("req-%06d", i)
		if seen[id] != 1 {
			t.Fatalf("%s written %d times (%d records for %d requests)", id, seen[id], len(recs), n)
		}
	}
	if len(recs) != n {
		t.Fatalf("%d records for %d requests", len(recs), n)
	}
}

func TestRotation(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(context.Background(), Config{Dir: dir, MaxFileBytes: 2000}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		l.Write(record(i, hour0.Add(time.Duration(i)*time.Second)))
	}
	for i := 50; i < 60; i++ {
		l.Write(record(i, hour0.Add(time.Hour)))
	}
	// Late records from the earlier hour go to the open file rather than reopening the old folder.
	for i := 60; i < 65; i++ {
		l.Write(record(i, hour0))
	}
	closeLog(t, l)
	if s := l.Stats(); s.Written != 65 || s.Dropped != 0 {
		t.Errorf("stats %+v", s)
	}
	checkAll(t, auditRecords(t, dir), 65)

	first := files(t, filepath.Join(dir, "2026", "02", "03", "10"), "audit")
	second := files(t, filepath.Join(dir, "2026", "02", "03", "11"), "audit")
	if len(first) < 5 || len(second) < 1 {
		t.Fatalf("files per hour: %d and %d, want several (by size) and some", len(first), len(second))
	}
	for _, p := range first {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() > 2000 {
			t.Errorf("%s is %d bytes, over MaxFileBytes", p, st.Size())
		}
	}
	n := 0
	for _, p := range second {
		n += len(readRecords(t, p))
	}
	if n != 15 {
		t.Errorf("second hour's files hold %d records, want 15 (10 of its own and 5 late ones)", n)
	}
}

func TestMaxFiles(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(context.Background(), Config{Dir: dir, MaxFileBytes: 500, MaxFiles: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		l.Write(record(i, hour0))
	}
	closeLog(t, l)
	got := files(t, dir, "audit")
	if len(got) != 3 {
		t.Fatalf("%d files kept, want 3", len(got))
	}
	// The newest records are the ones kept.
	recs := auditRecords(t, dir)
	if !slices.ContainsFunc(recs, func(r Record) bool { return r.RequestID == "req-000039" }) {
		t.Error("the newest record was deleted")
	}
}

func TestSampling(t *testing.T) {
	for _, pct := range []float64{0, 10, 37.5, 100} {
		t.Run(fmt.Sprint(pct), func(t *testing.T) {
			dir := t.TempDir()
			l, err := Open(context.Background(), Config{CaptureDir: dir, CapturePercent: pct}, nil)
			if err != nil {
				t.Fatal(err)
			}
			const n = 10_000
			for i := range n {
				l.Capture(CaptureEvent{EventID: fmt.Sprintf("event-%05d", i), InferenceTime: hour0, Input: []byte(`{"a":1}`), Output: []byte(`{"b":2}`)})
			}
			closeLog(t, l)
			s := l.Stats()
			if s.Sampled+s.NotSampled != n || s.Captured != s.Sampled || s.Dropped != 0 {
				t.Fatalf("stats %+v", s)
			}
			want := pct / 100 * n
			if got := float64(s.Sampled); got < want-0.01*n || got > want+0.01*n {
				t.Errorf("captured %v of %d at %v%%, want within 1 point of %v", got, n, pct, want)
			}
			// The choice depends on the event ID alone.
			again := 0
			for i := range n {
				if Sampled(fmt.Sprintf("event-%05d", i), pct) {
					again++
				}
			}
			if int64(again) != s.Sampled {
				t.Errorf("Sampled is not deterministic: %d then %d", s.Sampled, again)
			}
		})
	}
}

// gate is a file system hook whose file creation waits until the gate opens: a disk that has stalled.
type gate struct {
	once    sync.Once
	open    chan struct{}
	waiting chan struct{}
	wonce   sync.Once
}

func newGate() *gate { return &gate{open: make(chan struct{}), waiting: make(chan struct{})} }

func (g *gate) create(path string) (io.WriteCloser, error) {
	g.wonce.Do(func() { close(g.waiting) })
	<-g.open
	return createFile(path)
}

func (g *gate) release() { g.once.Do(func() { close(g.open) }) }

// TestOverload stalls the log's disk with a one-record buffer: every record must still be written, through the
// spill file, once the disk recovers.
func TestOverload(t *testing.T) {
	dir := t.TempDir()
	g := newGate()
	defer g.release()
	l, err := open(context.Background(), Config{Dir: dir, Buffer: 1}, nil, hooks{create: g.create})
	if err != nil {
		t.Fatal(err)
	}
	const goroutines, each = 4, 500
	var wg sync.WaitGroup
	for w := range goroutines {
		wg.Go(func() {
			for i := range each {
				l.Write(record(w*each+i, hour0))
			}
		})
	}
	wg.Wait() // every Write returned while the disk was stalled: none blocked
	<-g.waiting
	if s := l.Stats(); s.Spilled < goroutines*each-2 || s.Written != 0 {
		t.Fatalf("while stalled: %+v, want all but two records spilled", s)
	}
	g.release()
	closeLog(t, l)
	s := l.Stats()
	if s.Written != goroutines*each || s.Dropped != 0 {
		t.Errorf("after Close: %+v", s)
	}
	checkAll(t, auditRecords(t, dir), goroutines*each)
	if left, _ := os.ReadDir(filepath.Join(dir, ".spill")); len(left) != 0 {
		t.Errorf("spill files left after Close: %v", left)
	}
}

// TestSpillFails stalls the log and breaks the spill file: lost records are counted and logged.
func TestSpillFails(t *testing.T) {
	dir := t.TempDir()
	g := newGate()
	defer g.release()
	var logs bytes.Buffer
	var logMu sync.Mutex
	log := slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &logMu}, nil))
	broken := func(string) (*os.File, error) { return nil, errors.New("disk on fire") }
	l, err := open(context.Background(), Config{Dir: dir, Buffer: 1}, log, hooks{create: g.create, openSpill: broken})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		l.Write(record(i, hour0))
	}
	<-g.waiting
	g.release()
	closeLog(t, l)
	s := l.Stats()
	if s.Dropped < 8 || s.Written+s.Dropped != 10 || s.Spilled != 0 {
		t.Errorf("stats %+v, want the spilled records counted as dropped", s)
	}
	logMu.Lock()
	defer logMu.Unlock()
	if !strings.Contains(logs.String(), "disk on fire") {
		t.Errorf("the loss was not logged: %s", logs.String())
	}
}

// failingDisk fails every write to the first bad files it creates, as a full or broken disk would, then recovers.
type failingDisk struct {
	mu  sync.Mutex
	bad int
}

type failingFile struct{ io.WriteCloser }

func (failingFile) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

func (d *failingDisk) create(path string) (io.WriteCloser, error) {
	f, err := createFile(path)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.bad > 0 {
		d.bad--
		return failingFile{f}, nil
	}
	return f, nil
}

// TestLogDiskFails breaks the log files' writes: the records of a failed batch go to the spill file and are
// written once the disk recovers, none lost.
func TestLogDiskFails(t *testing.T) {
	dir := t.TempDir()
	disk := &failingDisk{bad: 3}
	l, err := open(context.Background(), Config{Dir: dir}, nil, hooks{create: disk.create})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		l.Write(record(i, hour0))
	}
	closeLog(t, l)
	s := l.Stats()
	if s.Written != 20 || s.Dropped != 0 || s.Spilled < 20 {
		t.Errorf("stats %+v, want every record spilled at least once and written", s)
	}
	checkAll(t, auditRecords(t, dir), 20)

	// A disk that stays broken through Close: Close says so, and the next Open writes the records.
	dir = t.TempDir()
	disk = &failingDisk{bad: 100}
	l, err = open(context.Background(), Config{Dir: dir}, nil, hooks{create: disk.create})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		l.Write(record(i, hour0))
	}
	if err := l.Close(context.Background()); err == nil || !strings.Contains(err.Error(), "spill") {
		t.Fatalf("Close = %v, want an error about records left in the spill file", err)
	}
	if s := l.Stats(); s.Written != 0 || s.Dropped != 0 {
		t.Errorf("stats %+v", s)
	}
	l, err = Open(context.Background(), Config{Dir: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	closeLog(t, l)
	checkAll(t, auditRecords(t, dir), 5)
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

// TestCloseDeadline gives up on a stalled disk at Close: the records not written stay in the spill file and the
// next Open writes them.
func TestCloseDeadline(t *testing.T) {
	dir := t.TempDir()
	g := newGate()
	defer g.release()
	l, err := open(context.Background(), Config{Dir: dir, Buffer: 1}, nil, hooks{create: g.create})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		l.Write(record(i, hour0))
	}
	<-g.waiting
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	go func() {
		for !l.abort.Load() {
			time.Sleep(time.Millisecond)
		}
		g.release()
	}()
	if err := l.Close(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Close = %v, want context.Canceled", err)
	}
	if s := l.Stats(); s.Written+s.Spilled < 5 || s.Dropped != 0 {
		t.Fatalf("stats %+v", s)
	}
	l2, err := Open(context.Background(), Config{Dir: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	closeLog(t, l2)
	checkAll(t, auditRecords(t, dir), 5)
}

// TestLeftoverSpill recovers a spill file a crashed process left, including a torn last line.
func TestLeftoverSpill(t *testing.T) {
	dir := t.TempDir()
	spillDir := filepath.Join(dir, ".spill")
	if err := os.MkdirAll(spillDir, 0o755); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for i := range 2 {
		line, _ := json.Marshal(record(i, hour0))
		fmt.Fprintf(&b, "a%d %s\n", hour0.UnixNano(), line)
	}
	b.WriteString(`a123 {"request_id":"torn`)
	if err := os.WriteFile(filepath.Join(spillDir, spillName), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Open(context.Background(), Config{Dir: dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	closeLog(t, l)
	checkAll(t, auditRecords(t, dir), 2)
	if s := l.Stats(); s.Dropped != 1 {
		t.Errorf("stats %+v, want the torn line counted", s)
	}
}

func TestConcurrentWriters(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(context.Background(), Config{Dir: dir, Buffer: 16, MaxFileBytes: 64 << 10, CaptureDir: filepath.Join(dir, "capture"), CapturePercent: 50}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const goroutines, each = 8, 1000
	var wg sync.WaitGroup
	for w := range goroutines {
		wg.Go(func() {
			for i := range each {
				n := w*each + i
				l.Write(record(n, hour0))
				l.Capture(CaptureEvent{EventID: fmt.Sprintf("e-%d", n), InferenceTime: hour0, Input: []byte(`{"x":1}`)})
			}
		})
	}
	wg.Wait()
	closeLog(t, l)
	s := l.Stats()
	if s.Written != goroutines*each || s.Dropped != 0 || s.Captured != s.Sampled {
		t.Errorf("stats %+v", s)
	}
	checkAll(t, auditRecords(t, dir), goroutines*each)
}

func TestStdout(t *testing.T) {
	var out bytes.Buffer
	l, err := open(context.Background(), Config{Dir: "-", SpillDir: t.TempDir()}, nil, hooks{stdout: &out})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		l.Write(record(i, hour0))
	}
	closeLog(t, l)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], `"request_id":"req-000000"`) {
		t.Errorf("stdout: %q", out.String())
	}
}

// TestCaptureReadBack writes capture files and reads them with walens monitor's dataset reader.
func TestCaptureReadBack(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(context.Background(), Config{CaptureDir: dir, CapturePercent: 100}, nil)
	if err != nil {
		t.Fatal(err)
	}
	events := []CaptureEvent{
		{EventID: "ev-1", InferenceID: "inf-1", InferenceTime: hour0,
			Input:  []byte(`{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}`),
			Output: []byte(`{"id":"chatcmpl-1","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"}}],"prediction":"Hello"}`)},
		{EventID: "ev-2", InferenceTime: hour0.Add(time.Minute),
			Input:  []byte(`{"model":"gpt-4o-mini","messages":[]}`),
			Output: []byte(`{"prediction":"ok"}`)},
		{EventID: "ev-3", InferenceTime: hour0.Add(time.Hour), Input: []byte("5,7"), InputEncoding: "CSV", InputContentType: "text/csv",
			Output: []byte("0.9"), OutputEncoding: "CSV", OutputContentType: "text/csv"},
	}
	for _, e := range events {
		l.Capture(e)
	}
	closeLog(t, l)

	paths := files(t, dir, "capture")
	if len(paths) != 2 || !strings.Contains(paths[0], filepath.Join("2026", "02", "03", "10")) || !strings.Contains(paths[1], filepath.Join("2026", "02", "03", "11")) {
		t.Fatalf("capture files %v, want one in each of the hours 10 and 11", paths)
	}
	// The raw record has the SageMaker shape.
	raw, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	var rec sagemaker.CaptureRecord
	if err := json.Unmarshal(bytes.SplitN(raw, []byte("\n"), 2)[0], &rec); err != nil {
		t.Fatal(err)
	}
	in, out := rec.CaptureData.EndpointInput, rec.CaptureData.EndpointOutput
	if rec.EventVersion != "0" || rec.EventMetadata.EventID != "ev-1" || rec.EventMetadata.InferenceID != "inf-1" ||
		rec.EventMetadata.InferenceTime != "2026-02-03T10:15:00Z" || in == nil || out == nil ||
		in.Mode != "INPUT" || in.Encoding != "JSON" || in.ObservedContentType != "application/json" ||
		out.Mode != "OUTPUT" || out.Encoding != "JSON" || in.Data != string(events[0].Input) {
		t.Errorf("record %+v input %+v output %+v", rec, in, out)
	}

	src, err := dataset.Open([]string{dir}, dataset.Options{Prediction: "prediction", Columns: []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var got []string
	for {
		ch, err := src.Next(context.Background())
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows, skips, err := ch.Parse()
		if err != nil || len(skips) != 0 {
			t.Fatalf("parse: %v %v", err, skips)
		}
		names := src.Schema().Names()
		for _, r := range rows {
			m := map[string]string{}
			for i, v := range r.Values {
				if v != "" {
					m[names[i]] = v
				}
			}
			got = append(got, fmt.Sprintf("%s model=%s prediction=%s a=%s b=%s", r.EventID, m["model"], m["prediction"], m["a"], m["b"]))
		}
	}
	want := []string{
		"ev-1 model=gpt-4o prediction=Hello a= b=",
		"ev-2 model=gpt-4o-mini prediction=ok a= b=",
		"ev-3 model= prediction=0.9 a=5 b=7",
	}
	if !slices.Equal(got, want) {
		t.Errorf("dataset read\n got %q\nwant %q", got, want)
	}
}

func TestCaptureLimits(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(context.Background(), Config{CaptureDir: dir, CapturePercent: 100, MaxCaptureBytes: 100}, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.Capture(CaptureEvent{Input: bytes.Repeat([]byte("x"), 101)})
	l.Capture(CaptureEvent{Input: []byte("not json"), InferenceTime: hour0})
	l.Write(record(0, hour0)) // no audit Dir: ignored
	closeLog(t, l)
	if s := l.Stats(); s.TooLarge != 1 || s.Captured != 1 || s.Written != 0 {
		t.Errorf("stats %+v", s)
	}
	raw, err := os.ReadFile(files(t, dir, "capture")[0])
	if err != nil {
		t.Fatal(err)
	}
	var rec sagemaker.CaptureRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	// A body that is not JSON is kept exactly, as BASE64; a missing event ID gets a UUID.
	if rec.CaptureData.EndpointInput.Encoding != "BASE64" || rec.CaptureData.EndpointInput.Data != "bm90IGpzb24=" ||
		len(rec.EventMetadata.EventID) != 36 || rec.CaptureData.EndpointOutput != nil {
		t.Errorf("record %+v", rec)
	}
	// Records after Close are counted, not written.
	l.Capture(CaptureEvent{Input: []byte(`{}`)})
	if s := l.Stats(); s.Dropped != 1 {
		t.Errorf("after Close: %+v", s)
	}
	if err := l.Close(context.Background()); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{}, "both empty"},
		{Config{Dir: "x", MaxFileBytes: -1}, "MaxFileBytes"},
		{Config{Dir: "x", MaxFiles: -1}, "MaxFiles"},
		{Config{Dir: "x", Buffer: -1}, "Buffer"},
		{Config{Dir: "x", MaxCaptureBytes: -1}, "MaxCaptureBytes"},
		{Config{CaptureDir: "x", CapturePercent: 101}, "CapturePercent"},
		{Config{CaptureDir: "x", CapturePercent: -1}, "CapturePercent"},
	}
	for _, tt := range tests {
		_, err := Open(context.Background(), tt.cfg, nil)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Open(%+v) = %v, want an error naming %s", tt.cfg, err, tt.want)
		}
	}
}

func FuzzSpillLine(f *testing.F) {
	f.Add([]byte("a1700000000000000000 {\"x\":1}\n"))
	f.Add([]byte("c-5 {}\n"))
	f.Add([]byte("a {}\n"))
	f.Fuzz(func(t *testing.T, line []byte) {
		it, ok := parseSpillLine(line)
		if ok && (len(it.line) == 0 || it.line[len(it.line)-1] != '\n') {
			t.Fatalf("accepted %q without its newline", line)
		}
	})
}

func BenchmarkWrite(b *testing.B) {
	dir := b.TempDir()
	l, err := Open(context.Background(), Config{Dir: dir}, nil)
	if err != nil {
		b.Fatal(err)
	}
	r := record(1, time.Now())
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			l.Write(r)
		}
	})
	b.StopTimer()
	if err := l.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
	s := l.Stats()
	b.ReportMetric(float64(s.Spilled)/float64(b.N), "spilled/op")
	if s.Dropped != 0 {
		b.Fatalf("dropped %d", s.Dropped)
	}
}

// BenchmarkWriteSerial measures one caller's cost per record: encoding plus the hand-off to the writer.
func BenchmarkWriteSerial(b *testing.B) {
	l, err := Open(context.Background(), Config{Dir: b.TempDir()}, nil)
	if err != nil {
		b.Fatal(err)
	}
	r := record(1, time.Now())
	b.ReportAllocs()
	for b.Loop() {
		l.Write(r)
	}
	b.StopTimer()
	if err := l.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(l.Stats().Spilled)/float64(b.N), "spilled/op")
}

func BenchmarkCapture(b *testing.B) {
	l, err := Open(context.Background(), Config{CaptureDir: b.TempDir(), CapturePercent: 100}, nil)
	if err != nil {
		b.Fatal(err)
	}
	in := []byte(`{"model":"gpt-4o","messages":[{"role":"user","content":"` + strings.Repeat("lorem ipsum ", 80) + `"}]}`)
	out := []byte(`{"id":"chatcmpl-1","choices":[{"index":0,"message":{"role":"assistant","content":"` + strings.Repeat("dolor sit ", 40) + `"}}]}`)
	b.ReportAllocs()
	b.SetBytes(int64(len(in) + len(out)))
	for b.Loop() {
		l.Capture(CaptureEvent{EventID: "e", InferenceTime: time.Now(), Input: in, Output: out})
	}
	b.StopTimer()
	if err := l.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
}
