// Package audit keeps the gateway's audit log, one JSON line per request, and its payload capture in the
// SageMaker data-capture JSON Lines format that walens monitor (and SageMaker Model Monitor users' tooling) reads.
//
// Both are written by one goroutine to rotating local files under <dir>/yyyy/mm/dd/hh/, the layout SageMaker
// uses: a file ends when it reaches MaxFileBytes or when a record from a later hour arrives. Write and Capture
// never block the request path: they hand the record to a bounded in-memory channel, and when the channel is full
// they append it to a spill file themselves (one cheap write, never waiting for the log files) and count it. The
// writer goroutine copies spilled records into the log when it catches up and at Close, and a spill file left by
// a crash is copied at the next Open. A record is lost only if the spill file itself cannot be written (the disk
// failed or is full): then it is counted in Stats.Dropped and logged.
//
// Records copied from the spill file arrive after records written later, so the log is ordered by write, not by
// time; every record carries its time.
package audit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// Record is one request's audit record.
type Record struct {
	Time             time.Time       `json:"time"`
	RequestID        string          `json:"request_id"`
	KeyID            string          `json:"key_id,omitempty"`
	Model            string          `json:"model,omitempty"`
	Target           string          `json:"target,omitempty"`
	Status           int             `json:"status"`
	ErrorCode        string          `json:"error_code,omitempty"`
	LatencyMS        float64         `json:"latency_ms"`
	TTFTMS           float64         `json:"ttft_ms,omitempty"`
	PromptTokens     int             `json:"prompt_tokens"`
	CompletionTokens int             `json:"completion_tokens"`
	CostUSD          float64         `json:"cost_usd"`
	Fallback         []string        `json:"fallback,omitempty"` // targets tried before Target, in order
	Stream           bool            `json:"stream"`
	Guardrails       json.RawMessage `json:"guardrails,omitempty"`
}

// CaptureEvent is one request and response pair to capture.
type CaptureEvent struct {
	EventID       string    // joins ground truth later; a random ID is made when empty
	InferenceID   string    // optional, as SageMaker's eventMetadata.inferenceId
	InferenceTime time.Time // now when zero
	Input, Output []byte    // the bodies; Output may be empty (a failed request)
	// InputEncoding and OutputEncoding are SageMaker encodings: "JSON", "CSV" or "BASE64". When empty, a body
	// that is valid JSON is written as JSON and anything else as BASE64.
	InputEncoding, OutputEncoding string
	// InputContentType and OutputContentType default to application/json.
	InputContentType, OutputContentType string
}

// Config says where and how to write.
type Config struct {
	// Dir receives the audit log. "-" writes audit records to standard output instead (one JSON line each, no
	// rotation), for containers whose log collector reads stdout. Empty disables the audit log.
	Dir string
	// MaxFileBytes starts a new file when the current one would grow past it. Zero means 64 MiB.
	MaxFileBytes int64
	// MaxFiles keeps at most this many files of each kind (audit, capture), deleting the oldest. Zero keeps all.
	MaxFiles int
	// Buffer is how many records wait in memory before callers spill to disk. Zero means 4096.
	Buffer int
	// CaptureDir receives captured payloads. Empty disables capture.
	CaptureDir string
	// CapturePercent is the share of events captured, 0 to 100. Sampling hashes the event ID, so one event is
	// captured or not the same way everywhere.
	CapturePercent float64
	// SpillDir holds the overflow file. Empty means Dir/.spill, or CaptureDir/.spill when Dir is "-" or empty.
	// Hidden folders are skipped by walens monitor, so the spill file is never read as capture data.
	SpillDir string
	// MaxCaptureBytes bounds an event's input plus output; larger events are counted in Stats.TooLarge and not
	// captured. Zero means 4 MiB.
	MaxCaptureBytes int
}

// Defaults for Config.
const (
	DefaultMaxFileBytes    = 64 << 20
	DefaultBuffer          = 4096
	DefaultMaxCaptureBytes = 4 << 20
	flushInterval          = time.Second
	// drainInterval is how often the writer wakes to take what the buffer holds. Handing each record to a
	// parked writer would wake a thread per request, which cost the gateway more than writing the record; with a
	// 4096-record buffer, records reach the writer within this delay and a wake-up is only needed above
	// 4096/4/drainInterval = 51,200 records a second (see wakeAt).
	drainInterval = 20 * time.Millisecond
)

// Stats counts what happened to records. Written+Captured end equal to the records handed in (minus those
// NotSampled and TooLarge) once Close returns, unless Dropped is non-zero.
type Stats struct {
	Written    int64 // audit records written to the log file (counted when their batch reaches the file)
	Captured   int64 // capture events written to a capture file
	Sampled    int64 // capture events selected by sampling
	NotSampled int64 // capture events left out by sampling
	TooLarge   int64 // capture events over MaxCaptureBytes, not captured
	Spilled    int64 // records that went through the spill file (buffer full, or a log write failed)
	Dropped    int64 // records lost: the spill file could not be written, or Write after Close
}

const (
	kindAudit   = 'a'
	kindCapture = 'c'
)

type item struct {
	kind byte
	t    time.Time
	line []byte // JSON with a trailing newline
}

// Log is an open audit log. Its methods are safe for concurrent use.
type Log struct {
	cfg    Config
	log    *slog.Logger
	ch     chan item
	wake   chan struct{} // a signal to drain ch before the next tick, sent when it is a quarter full
	wakeAt int
	spill  *spill
	done   chan struct{}
	abort  atomic.Bool

	mu     sync.RWMutex // held for reading while handing records in, for writing to close ch
	closed bool

	audit, capture *stream
	leftovers      []string
	closeErr       error

	written, captured, sampled, notSampled, tooLarge, spilled, dropped atomic.Int64
}

// hooks let tests slow down or break file creation and capture standard output.
type hooks struct {
	create    func(path string) (io.WriteCloser, error)
	openSpill func(path string) (*os.File, error)
	stdout    io.Writer
}

// Open validates cfg, recovers spill files an earlier process left, and starts the writer goroutine.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*Log, error) {
	return open(ctx, cfg, log, hooks{})
}

func open(ctx context.Context, cfg Config, log *slog.Logger, h hooks) (*Log, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	switch {
	case cfg.Dir == "" && cfg.CaptureDir == "":
		return nil, errors.New("audit: Dir and CaptureDir are both empty; set at least one")
	case cfg.MaxFileBytes < 0:
		return nil, fmt.Errorf("audit: MaxFileBytes is negative (%d)", cfg.MaxFileBytes)
	case cfg.MaxFiles < 0:
		return nil, fmt.Errorf("audit: MaxFiles is negative (%d)", cfg.MaxFiles)
	case cfg.Buffer < 0:
		return nil, fmt.Errorf("audit: Buffer is negative (%d)", cfg.Buffer)
	case cfg.MaxCaptureBytes < 0:
		return nil, fmt.Errorf("audit: MaxCaptureBytes is negative (%d)", cfg.MaxCaptureBytes)
	case math.IsNaN(cfg.CapturePercent) || cfg.CapturePercent < 0 || cfg.CapturePercent > 100:
		return nil, fmt.Errorf("audit: CapturePercent must be between 0 and 100, got %v", cfg.CapturePercent)
	}
	if cfg.MaxFileBytes == 0 {
		cfg.MaxFileBytes = DefaultMaxFileBytes
	}
	if cfg.Buffer == 0 {
		cfg.Buffer = DefaultBuffer
	}
	if cfg.MaxCaptureBytes == 0 {
		cfg.MaxCaptureBytes = DefaultMaxCaptureBytes
	}
	if cfg.SpillDir == "" {
		switch {
		case cfg.Dir != "" && cfg.Dir != "-":
			cfg.SpillDir = filepath.Join(cfg.Dir, ".spill")
		case cfg.CaptureDir != "":
			cfg.SpillDir = filepath.Join(cfg.CaptureDir, ".spill")
		default:
			cfg.SpillDir = filepath.Join(os.TempDir(), "walens-audit-spill")
		}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if h.create == nil {
		h.create = createFile
	}
	if h.openSpill == nil {
		h.openSpill = openSpill
	}
	if h.stdout == nil {
		h.stdout = os.Stdout
	}
	run := make([]byte, 4)
	rand.Read(run)
	runID := hex.EncodeToString(run)

	l := &Log{
		cfg:    cfg,
		log:    log,
		ch:     make(chan item, cfg.Buffer),
		wake:   make(chan struct{}, 1),
		wakeAt: max(1, cfg.Buffer/4),
		spill:  &spill{dir: cfg.SpillDir, open: h.openSpill},
		done:   make(chan struct{}),
	}
	var err error
	switch cfg.Dir {
	case "":
	case "-":
		l.audit = newWriterStream(h.stdout, &l.written)
	default:
		if l.audit, err = newStream(cfg.Dir, "audit", runID, cfg.MaxFileBytes, cfg.MaxFiles, h.create, &l.written); err != nil {
			return nil, err
		}
	}
	if cfg.CaptureDir != "" {
		if l.capture, err = newStream(cfg.CaptureDir, "capture", runID, cfg.MaxFileBytes, cfg.MaxFiles, h.create, &l.captured); err != nil {
			return nil, err
		}
	}
	// Set leftovers aside before anything can spill again, so new spills start a new file.
	for _, p := range l.spill.leftovers() {
		if filepath.Base(p) == spillName {
			aside := filepath.Join(cfg.SpillDir, fmt.Sprintf("draining-%d-0.jsonl", time.Now().UnixNano()))
			if err := os.Rename(p, aside); err != nil {
				return nil, fmt.Errorf("audit: recover spill file %s: %w", p, err)
			}
			p = aside
		}
		l.leftovers = append(l.leftovers, p)
	}
	if len(l.leftovers) > 0 {
		log.Info("audit: copying spill files left by an earlier run into the log", "files", len(l.leftovers))
	}
	go l.run()
	return l, nil
}

// Write queues an audit record. It never blocks on I/O: when the buffer is full the record is appended to the
// spill file. With Dir empty it does nothing.
func (l *Log) Write(r Record) {
	if l.audit == nil {
		return
	}
	if r.Time.IsZero() {
		r.Time = time.Now()
	}
	line, ok := appendRecord(make([]byte, 0, 320), &r)
	if !ok {
		l.log.Warn("audit: guardrails field is not valid JSON; writing the record without it", "request_id", r.RequestID)
	}
	l.enqueue(item{kind: kindAudit, t: r.Time, line: line})
}

// Capture queues a payload capture if the event is sampled. It never blocks on I/O.
func (l *Log) Capture(c CaptureEvent) {
	if l.capture == nil {
		return
	}
	if c.EventID == "" {
		c.EventID = newEventID()
	}
	if !Sampled(c.EventID, l.cfg.CapturePercent) {
		l.notSampled.Add(1)
		return
	}
	l.sampled.Add(1)
	if len(c.Input)+len(c.Output) > l.cfg.MaxCaptureBytes {
		l.tooLarge.Add(1)
		l.log.Debug("audit: capture event too large, not captured", "event_id", c.EventID, "bytes", len(c.Input)+len(c.Output))
		return
	}
	if c.InferenceTime.IsZero() {
		c.InferenceTime = time.Now()
	}
	line := appendCapture(make([]byte, 0, 256+len(c.Input)+len(c.Output)), &c)
	l.enqueue(item{kind: kindCapture, t: c.InferenceTime, line: line})
}

// Sampled reports whether an event is in the captured percentage. It hashes the event ID (FNV-1a), so the
// answer is the same in every replica and every run; resolution is 0.0001 percent.
func Sampled(eventID string, percent float64) bool {
	if percent >= 100 {
		return true
	}
	if percent <= 0 {
		return false
	}
	h := fnv.New64a()
	h.Write([]byte(eventID))
	return h.Sum64()%1_000_000 < uint64(percent*10_000)
}

func newEventID() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	s := hex.EncodeToString(b)
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}

// enqueue hands a record to the writer, or spills it when the buffer is full.
func (l *Log) enqueue(it item) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.closed {
		if n := l.dropped.Add(1); n == 1 || n%1000 == 0 {
			l.log.Error("audit: record written after Close; it is lost", "kind", string(it.kind), "dropped", n)
		}
		return
	}
	select {
	case l.ch <- it:
		if len(l.ch) >= l.wakeAt {
			select {
			case l.wake <- struct{}{}:
			default: // a signal is already pending
			}
		}
	default:
		l.toSpill(it)
	}
}

// toSpill appends a record to the spill file, counting it, or counts it dropped if the disk refuses.
func (l *Log) toSpill(it item) {
	if err := l.spill.add(it); err != nil {
		if n := l.dropped.Add(1); n == 1 || n%1000 == 0 {
			l.log.Error("audit: record lost: the spill file cannot be written", "err", err, "dropped", n)
		}
		return
	}
	l.spilled.Add(1)
}

// run is the writer goroutine. It takes records in batches, on a short tick or when signalled, rather than one
// receive per record, so that the request path does not wake it for every record.
func (l *Log) run() {
	defer close(l.done)
	for _, p := range l.leftovers {
		l.drain(p)
	}
	tick := time.NewTicker(flushInterval)
	defer tick.Stop()
	take := time.NewTicker(drainInterval)
	defer take.Stop()
	for {
		select {
		case <-l.wake:
		case <-take.C:
		case <-tick.C:
			l.flush()
			if l.spill.pending() && len(l.ch) == 0 {
				l.drainSpill()
			}
		}
		if !l.takeAll() {
			l.finish()
			return
		}
	}
}

// takeAll writes what the buffer holds now, at most a buffer's worth so that flushing on the tick is not put off
// under sustained load. It returns false once the buffer is closed and empty.
func (l *Log) takeAll() bool {
	for range cap(l.ch) {
		select {
		case it, ok := <-l.ch:
			if !ok {
				return false
			}
			if l.abort.Load() {
				l.toSpill(it)
				continue
			}
			l.put(it)
		default:
			return true
		}
	}
	return true
}

// finish runs after the channel is closed and empty: it copies the spill file into the log, unless Close gave
// up waiting, and closes everything. Records whose final write fails stay in the spill file for the next Open.
func (l *Log) finish() {
	l.flush()
	if !l.abort.Load() {
		l.drainSpill()
	}
	var errs []error
	for _, s := range []*stream{l.audit, l.capture} {
		if s == nil {
			continue
		}
		failed, err := s.closeFile()
		if err != nil {
			errs = append(errs, err)
			l.requeue(failed, err)
		}
	}
	if l.spill.pending() {
		errs = append(errs, fmt.Errorf("audit: the log could not be written; records remain in the spill file in %s and are written at the next start", l.cfg.SpillDir))
	}
	if err := l.spill.close(); err != nil {
		errs = append(errs, fmt.Errorf("audit: close spill file: %w", err))
	}
	l.closeErr = errors.Join(errs...)
}

// drainSpill copies the spill file into the log. A record whose write fails goes back to a new spill file, so a
// failing disk costs retries, not records; the loop stops after a few rounds so that Close ends.
func (l *Log) drainSpill() {
	for range 3 {
		path, err := l.spill.take()
		if err != nil {
			l.log.Error("audit: cannot set the spill file aside; it stays for the next run", "err", err)
			return
		}
		if path == "" {
			return
		}
		l.drain(path)
		l.flush() // a failing disk shows here, and its records are back in the spill file for the next round
		if l.abort.Load() {
			return
		}
	}
}

// drain copies one set-aside spill file into the log and removes it.
func (l *Log) drain(path string) {
	err := readSpill(path, func(it item) error {
		if l.abort.Load() {
			return errAborted
		}
		l.put(it)
		return nil
	}, func(line []byte) {
		l.dropped.Add(1)
		l.log.Error("audit: torn record in spill file (the process stopped mid-write); it is lost", "file", path, "bytes", len(line))
	})
	if errors.Is(err, errAborted) {
		return // the file stays for the next Open; records already copied will be copied again
	}
	if err != nil {
		l.log.Error("audit: cannot read spill file; it stays for the next run", "file", path, "err", err)
		return
	}
	if err := os.Remove(path); err != nil {
		l.log.Error("audit: cannot remove drained spill file", "file", path, "err", err)
	}
}

var errAborted = errors.New("audit: close gave up waiting")

// put hands one record to its stream, spilling whatever the stream could not write.
func (l *Log) put(it item) {
	s := l.audit
	if it.kind == kindCapture {
		s = l.capture
	}
	if s == nil {
		return
	}
	failed, err := s.write(it)
	l.requeue(failed, err)
}

// requeue sends records a failed write left behind to the spill file, so that a failing log disk costs retries,
// not records.
func (l *Log) requeue(failed []item, err error) {
	if err == nil {
		return
	}
	l.log.Error("audit: write failed; the records go to the spill file", "err", err, "records", len(failed))
	for _, it := range failed {
		l.toSpill(it)
	}
}

func (l *Log) flush() {
	for _, s := range []*stream{l.audit, l.capture} {
		if s != nil {
			l.requeue(s.flush())
		}
	}
}

// Close stops accepting records, writes everything still buffered or spilled, and closes the files. If ctx ends
// first, records not yet written stay in the spill file, to be copied at the next Open, and Close returns an
// error saying so. Close is safe to call more than once.
func (l *Log) Close(ctx context.Context) error {
	l.mu.Lock()
	if !l.closed {
		l.closed = true
		close(l.ch)
		select {
		case l.wake <- struct{}{}: // finish now rather than at the next tick
		default:
		}
	}
	l.mu.Unlock()
	select {
	case <-l.done:
		return l.closeErr
	case <-ctx.Done():
		l.abort.Store(true)
		<-l.done
		return fmt.Errorf("audit: close: %w; records not yet written stay in %s for the next start", ctx.Err(), l.cfg.SpillDir)
	}
}

// Stats returns the counters.
func (l *Log) Stats() Stats {
	return Stats{
		Written:    l.written.Load(),
		Captured:   l.captured.Load(),
		Sampled:    l.sampled.Load(),
		NotSampled: l.notSampled.Load(),
		TooLarge:   l.tooLarge.Load(),
		Spilled:    l.spilled.Load(),
		Dropped:    l.dropped.Load(),
	}
}
