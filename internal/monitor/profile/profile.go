// Package profile computes the statistics of a dataset in one streaming pass: per column the inferred type,
// completeness, moments, range, a KLL quantile sketch and category counts. Chunks of the input are profiled in
// parallel and merged in input order, so the result is the same whatever the number of workers, and memory is
// bounded by the sketches and the chunks in flight, not by the size of the input.
package profile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/walens/walens/internal/monitor/dataset"
	"github.com/walens/walens/internal/monitor/sketch"
)

// Defaults.
const (
	DefaultMaxCategories = 10_000
	MaxSkipsKept         = 100
)

// Options tune a profiling pass.
type Options struct {
	// Workers parse and profile chunks; 0 means GOMAXPROCS.
	Workers int
	// NAValues are read as missing, in addition to empty values.
	NAValues []string
	// Strings names columns to profile as String whatever they hold (so every value is counted as a category).
	Strings []string
	// MaxCategories bounds the distinct values counted per column (DefaultMaxCategories when 0).
	MaxCategories int
	// SketchK is the KLL sketch size (sketch.DefaultK when 0).
	SketchK int
	// Visit, when set, sees every chunk's rows after they are profiled; it is called from several goroutines.
	Visit func(rows []dataset.Row)
	// Progress, when set, is called after each chunk with the rows profiled so far.
	Progress func(rows int64)
}

func (o *Options) sketchK() int {
	if o.SketchK > 0 {
		return o.SketchK
	}
	return sketch.DefaultK
}

func (o *Options) maxCats() int {
	if o.MaxCategories > 0 {
		return o.MaxCategories
	}
	return DefaultMaxCategories
}

// Profile is the result of a pass.
type Profile struct {
	Rows    int64
	Skipped int64
	Skips   []dataset.Skip // the first MaxSkipsKept
	Files   []string
	names   []string
	order   []int
	cols    []*column
}

type partial struct {
	index int
	rows  int64
	cols  []*column
	skips []dataset.Skip
	err   error
}

// Compute reads every chunk of src and profiles it.
func Compute(ctx context.Context, src *dataset.Source, o Options) (*Profile, error) {
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	na := map[string]bool{}
	for _, v := range o.NAValues {
		na[v] = true
	}
	if len(na) == 0 {
		na = nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Columns whose numbers are no longer worth counting as categories; read by new chunks to skip that work.
	var droppedMu sync.RWMutex
	dropped := map[int]bool{}

	chunks := make(chan *dataset.Chunk)
	results := make(chan partial, workers)
	slots := make(chan struct{}, 2*workers) // chunks read but not yet merged
	var readErr error
	go func() {
		defer close(chunks)
		for {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			ch, err := src.Next(ctx)
			if err != nil {
				if !errors.Is(err, io.EOF) {
					readErr = err
				}
				<-slots
				return
			}
			select {
			case chunks <- ch:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ch := range chunks {
				p := profileChunk(ch, &o, na, src.Schema(), func(i int) bool {
					droppedMu.RLock()
					defer droppedMu.RUnlock()
					return dropped[i]
				})
				select {
				case results <- p:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	// Numbers go to the KLL sketches through a fixed number of lanes: chunk i feeds lane i%sketchLanes, in chunk
	// order, and the lanes merge in lane order at the end. The sketch work runs in parallel, and the result does
	// not depend on the number of workers or on timing.
	lanes := newLanes(&o)
	defer lanes.stop()

	p := &Profile{Files: src.Files()}
	var total []*column
	pending := map[int]partial{}
	next := 0
	var rows atomic.Int64
	var firstErr error
	for r := range results {
		if firstErr != nil {
			continue
		}
		pending[r.index] = r
		for {
			cur, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			<-slots
			if cur.err != nil {
				firstErr = cur.err
				cancel()
				break
			}
			lanes.feed(cur.index, cur.cols)
			total = mergeColumns(total, cur.cols, o.maxCats())
			p.Rows += cur.rows
			p.Skipped += int64(len(cur.skips))
			for _, s := range cur.skips {
				if len(p.Skips) < MaxSkipsKept {
					p.Skips = append(p.Skips, s)
				}
			}
			droppedMu.Lock()
			for i, c := range total {
				if c != nil && !c.numbersKept && !c.forceStrings {
					dropped[i] = true
				}
			}
			droppedMu.Unlock()
			if o.Progress != nil {
				o.Progress(rows.Add(cur.rows))
			}
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if readErr != nil {
		return nil, readErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	schema := src.Schema()
	p.names = schema.Names()
	p.order = schema.Order()
	for len(total) < len(p.names) {
		total = append(total, nil)
	}
	sketches := lanes.finish(len(total))
	for i, c := range total {
		if c == nil {
			total[i] = newColumn(false, false)
		}
		total[i].moments()
		total[i].kll = sketches[i]
	}
	p.cols = total
	// A column that appeared late was missing in every row before it: count those rows now.
	for _, c := range p.cols {
		c.missing = p.Rows - c.present() - c.nonFinite
	}
	return p, nil
}

func profileChunk(ch *dataset.Chunk, o *Options, na map[string]bool, schema *dataset.Schema, dropped func(int) bool) partial {
	rows, skips, err := ch.Parse()
	if err != nil {
		return partial{index: ch.Index, err: err}
	}
	strs := map[int]bool{}
	for _, name := range o.Strings {
		// Lookup, not Index: a named column the data lacks must stay missing, not appear empty.
		if i, ok := schema.Lookup(name); ok {
			strs[i] = true
		}
	}
	var cols []*column
	maxCats := o.maxCats()
	seqBase := int64(ch.Index) << 32
	for r, row := range rows {
		for len(cols) < len(row.Values) {
			i := len(cols)
			c := newColumn(strs[i], !dropped(i))
			c.vals = make([]float64, 0, len(rows))
			cols = append(cols, c)
		}
		for i, v := range row.Values {
			cols[i].add(v, na, maxCats, ch.File, row.Line, seqBase|int64(r))
		}
	}
	for _, c := range cols {
		c.moments()
	}
	if o.Visit != nil && len(rows) > 0 {
		o.Visit(rows)
	}
	return partial{index: ch.Index, rows: int64(len(rows)), cols: cols, skips: skips}
}

func mergeColumns(total, part []*column, maxCats int) []*column {
	for i, c := range part {
		for len(total) <= i {
			total = append(total, nil)
		}
		if total[i] == nil {
			total[i] = c
			continue
		}
		total[i].merge(c, maxCats)
	}
	return total
}

// Columns returns the column names in input order.
func (p *Profile) Columns() []string {
	out := make([]string, len(p.order))
	for k, i := range p.order {
		out[k] = p.names[i]
	}
	return out
}

// Column returns a column's summary by name.
func (p *Profile) Column(name string) (*Column, bool) {
	i := slices.Index(p.names, name)
	if i < 0 {
		return nil, false
	}
	return &Column{Name: name, c: p.cols[i], rows: p.Rows}, true
}

// Err reports a profile that cannot stand for the input: more skipped records than allowed.
func (p *Profile) Err(maxSkipped int64) error {
	if p.Skipped <= maxSkipped {
		return nil
	}
	first := ""
	if len(p.Skips) > 0 {
		first = fmt.Sprintf(" (first: %s)", p.Skips[0])
	}
	return fmt.Errorf("%d records could not be read%s; at most %d may be skipped", p.Skipped, first, maxSkipped)
}

// sketchLanes is the number of sketch lanes. It is fixed, not the number of CPUs, so that the sketches, and the
// statistics files written from them, are the same on every machine.
const sketchLanes = 4

type laneWork struct {
	cols []*column
}

type lanes struct {
	o    *Options
	in   []chan laneWork
	out  [][]*sketch.KLL
	wg   sync.WaitGroup
	done bool
}

func newLanes(o *Options) *lanes {
	l := &lanes{o: o, in: make([]chan laneWork, sketchLanes), out: make([][]*sketch.KLL, sketchLanes)}
	for i := range sketchLanes {
		l.in[i] = make(chan laneWork, 2)
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for w := range l.in[i] {
				for c, col := range w.cols {
					if len(col.vals) == 0 {
						continue
					}
					for len(l.out[i]) <= c {
						l.out[i] = append(l.out[i], sketch.NewKLL(o.sketchK(), sketch.DefaultC, uint64(i)<<32|uint64(len(l.out[i]))))
					}
					s := l.out[i][c]
					for _, x := range col.vals {
						s.Add(x)
					}
					col.vals = nil
				}
			}
		}()
	}
	return l
}

// feed hands chunk index's numbers to its lane. The columns are not touched again by the caller except through
// merge, which does not read vals.
func (l *lanes) feed(index int, cols []*column) {
	vals := make([]*column, len(cols))
	for i, c := range cols {
		// A copy holding only the numbers, so the lane and the merge never share a column.
		vals[i] = &column{vals: c.vals}
		c.vals = nil
	}
	l.in[index%sketchLanes] <- laneWork{vals}
}

func (l *lanes) stop() {
	if l.done {
		return
	}
	l.done = true
	for _, ch := range l.in {
		close(ch)
	}
	l.wg.Wait()
}

// finish waits for the lanes and merges their sketches, in lane order, into one per column.
func (l *lanes) finish(columns int) []*sketch.KLL {
	l.stop()
	out := make([]*sketch.KLL, columns)
	for c := range out {
		out[c] = sketch.NewKLL(l.o.sketchK(), sketch.DefaultC, uint64(c)+1)
		for _, lane := range l.out {
			if c < len(lane) {
				out[c].Merge(lane[c])
			}
		}
	}
	return out
}
