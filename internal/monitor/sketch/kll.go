// Package sketch provides the mergeable summaries behind walens monitor's one-pass statistics: a KLL quantile
// sketch that reads and writes the layout Deequ (and so SageMaker Model Monitor) stores in statistics.json, and a
// HyperLogLog counter for distinct values.
package sketch

import (
	"fmt"
	"math"
	"slices"
)

// level0Min is the smallest capacity of level 0 (see totalCapacity).
const level0Min = 256

// Defaults used by Deequ and the SageMaker Model Monitor container.
const (
	DefaultK = 2048
	DefaultC = 0.64
)

// KLL is a quantile sketch in the Deequ layout: levels of retained items, where an item at level i stands for 2^i
// items of the input. Memory is bounded by about k/(1-c) items whatever the input size, and the rank error is of
// the order of 1/k. Levels above 0 are kept sorted, so compacting them is a merge rather than a sort. The zero
// value is not usable; call NewKLL.
type KLL struct {
	k      int
	c      float64
	levels [][]float64
	size   int   // items held across levels
	limit  int   // size at which the sketch compacts
	caps   []int // capacity of each level, recomputed when the height changes
	rng    uint64
}

// NewKLL returns an empty sketch. seed makes compaction choices reproducible: the same input in the same order
// with the same seed gives the same sketch.
func NewKLL(k int, c float64, seed uint64) *KLL {
	if k < 8 {
		k = 8
	}
	if !(c > 0 && c <= 1) {
		c = DefaultC
	}
	s := &KLL{k: k, c: c, levels: [][]float64{nil}, rng: seed | 1}
	s.limit = s.totalCapacity()
	return s
}

// FromLevels rebuilds a sketch from stored levels (statistics.json "data"). It fails on non-finite items, which
// no sketch produces.
func FromLevels(k int, c float64, levels [][]float64) (*KLL, error) {
	s := NewKLL(k, c, 1)
	s.levels = make([][]float64, max(1, len(levels)))
	for i, l := range levels {
		for j, x := range l {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("level %d item %d is not a finite number", i, j)
			}
		}
		s.levels[i] = slices.Clone(l)
		if i > 0 {
			slices.Sort(s.levels[i])
		}
		s.size += len(l)
	}
	s.limit = s.totalCapacity()
	return s, nil
}

// K and C return the sketch parameters.
func (s *KLL) K() int     { return s.k }
func (s *KLL) C() float64 { return s.c }

// Levels returns the retained items, level 0 first. The slices are the sketch's own; do not modify them.
func (s *KLL) Levels() [][]float64 { return s.levels }

// Weight returns the number of input items the sketch stands for.
func (s *KLL) Weight() float64 {
	var w float64
	for i, l := range s.levels {
		w += float64(len(l)) * math.Ldexp(1, i)
	}
	return w
}

// capacity is the size of level h at which it is compacted: the top level holds k items and each level below
// holds c times the one above, but never fewer than two.
func (s *KLL) capacity(h int) int {
	if len(s.caps) != len(s.levels) {
		s.totalCapacity()
	}
	return s.caps[h]
}

// totalCapacity recomputes the level capacities (they depend only on the height) and returns their sum.
func (s *KLL) totalCapacity() int {
	if len(s.caps) != len(s.levels) {
		s.caps = s.caps[:0]
		for h := range s.levels {
			depth := len(s.levels) - 1 - h
			c := max(2, int(math.Ceil(float64(s.k)*math.Pow(s.c, float64(depth)))))
			if h == 0 {
				// Level 0 holds exact items, so a larger level 0 only makes the sketch more accurate; it also
				// means compactions (a sort and a merge up the levels) happen every few hundred items, not every
				// few, which is most of the cost of adding.
				c = max(c, min(s.k/8, level0Min))
			}
			s.caps = append(s.caps, c)
		}
	}
	total := 0
	for _, c := range s.caps {
		total += c
	}
	return total
}

// Add inserts one value. NaN is ignored: callers count it separately.
func (s *KLL) Add(x float64) {
	if x != x {
		return
	}
	s.levels[0] = append(s.levels[0], x)
	s.size++
	if s.size >= s.limit {
		s.compress()
	}
}

// Merge adds everything other stands for. other is left unchanged.
func (s *KLL) Merge(other *KLL) {
	for len(s.levels) < len(other.levels) {
		s.levels = append(s.levels, nil)
	}
	for h, l := range other.levels {
		if h == 0 {
			s.levels[0] = append(s.levels[0], l...)
		} else {
			s.levels[h] = mergeSorted(s.levels[h], l)
		}
		s.size += len(l)
	}
	s.limit = s.totalCapacity()
	if s.size >= s.limit {
		s.compress()
	}
}

// compress compacts the lowest full level into the one above until the sketch is within its limit.
func (s *KLL) compress() {
	for s.size >= s.limit {
		h := 0
		for h < len(s.levels) && len(s.levels[h]) < s.capacity(h) {
			h++
		}
		if h == len(s.levels) {
			// Nothing is over capacity (possible right after a merge changed the height): compact the fullest.
			h = 0
			for i := range s.levels {
				if len(s.levels[i]) > len(s.levels[h]) {
					h = i
				}
			}
			if len(s.levels[h]) < 2 {
				return
			}
		}
		if h+1 == len(s.levels) {
			s.levels = append(s.levels, nil)
		}
		s.compact(h)
		s.limit = s.totalCapacity()
	}
}

// compact sorts level h (levels above 0 already are), promotes every other item to level h+1 (starting at a
// random offset, which keeps the estimate unbiased) and keeps the odd one out, if any, at level h.
func (s *KLL) compact(h int) {
	l := s.levels[h]
	if h == 0 {
		slices.Sort(l)
	}
	var keep float64
	odd := len(l)%2 == 1
	if odd {
		keep = l[len(l)-1]
		l = l[:len(l)-1]
	}
	off := int(s.next() & 1)
	promoted := make([]float64, 0, len(l)/2)
	for i := off; i < len(l); i += 2 {
		promoted = append(promoted, l[i])
	}
	s.levels[h+1] = s.mergeInto(s.levels[h+1], promoted)
	s.size -= len(l) - len(l)/2
	s.levels[h] = l[:0]
	if odd {
		s.levels[h] = append(s.levels[h], keep)
	}
}

// mergeInto merges sorted b into sorted a, reusing a's storage when it has room: it merges from the back.
func (s *KLL) mergeInto(a, b []float64) []float64 {
	if cap(a) < len(a)+len(b) {
		return mergeSorted(a, b)
	}
	i, j := len(a)-1, len(b)-1
	a = a[:len(a)+len(b)]
	for k := len(a) - 1; j >= 0; k-- {
		if i >= 0 && a[i] > b[j] {
			a[k] = a[i]
			i--
		} else {
			a[k] = b[j]
			j--
		}
	}
	return a
}

// mergeSorted merges two sorted slices into a new sorted slice, with room to grow.
func mergeSorted(a, b []float64) []float64 {
	if len(a) == 0 {
		return append(make([]float64, 0, 2*len(b)), b...)
	}
	if len(b) == 0 {
		return a
	}
	out := make([]float64, 0, 2*(len(a)+len(b)))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if b[j] < a[i] {
			out = append(out, b[j])
			j++
		} else {
			out = append(out, a[i])
			i++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// next is xorshift64*: fast, and deterministic for a given seed.
func (s *KLL) next() uint64 {
	s.rng ^= s.rng >> 12
	s.rng ^= s.rng << 25
	s.rng ^= s.rng >> 27
	return s.rng * 2685821657736338717
}

// CDF is a step function rebuilt from a sketch: sorted distinct values and the fraction of weight at or below each.
type CDF struct {
	Values []float64
	Cum    []float64 // Cum[i] = P(X <= Values[i]); the last is 1
	Total  float64   // weight the sketch stands for
}

// CDF builds the cumulative distribution the sketch describes.
func (s *KLL) CDF() CDF {
	type item struct{ x, w float64 }
	items := make([]item, 0, s.size)
	for h, l := range s.levels {
		w := math.Ldexp(1, h)
		for _, x := range l {
			items = append(items, item{x, w})
		}
	}
	slices.SortFunc(items, func(a, b item) int {
		switch {
		case a.x < b.x:
			return -1
		case a.x > b.x:
			return 1
		}
		return 0
	})
	var c CDF
	var run float64
	for _, it := range items {
		run += it.w
		if n := len(c.Values); n > 0 && c.Values[n-1] == it.x {
			c.Cum[n-1] = run
			continue
		}
		c.Values = append(c.Values, it.x)
		c.Cum = append(c.Cum, run)
	}
	c.Total = run
	if run > 0 {
		for i := range c.Cum {
			c.Cum[i] /= run
		}
	}
	return c
}

// At returns P(X <= x).
func (c CDF) At(x float64) float64 {
	i, found := slices.BinarySearch(c.Values, x)
	if found {
		return c.Cum[i]
	}
	if i == 0 {
		return 0
	}
	return c.Cum[i-1]
}

// Below returns P(X < x).
func (c CDF) Below(x float64) float64 {
	i, _ := slices.BinarySearch(c.Values, x)
	if i == 0 {
		return 0
	}
	return c.Cum[i-1]
}

// Quantile returns the smallest value v with P(X <= v) >= q.
func (c CDF) Quantile(q float64) float64 {
	if len(c.Values) == 0 {
		return math.NaN()
	}
	i, _ := slices.BinarySearchFunc(c.Cum, q, func(a, b float64) int {
		if a < b {
			return -1
		}
		return 1
	})
	// BinarySearchFunc with a comparator that never returns 0 yields the first index with Cum >= q, except
	// that floating-point rounding may leave the last Cum a hair under 1.
	return c.Values[min(i, len(c.Values)-1)]
}
