package profile

import (
	"cmp"
	"math"
	"slices"

	"github.com/walens/walens/internal/monitor/sketch"
)

// numericCategoryLimit is how many distinct numbers a column's category counts follow before giving up on them.
// They are only needed if the column later turns out to hold text (and so is a String feature); a column of
// measurements would otherwise fill memory with one entry per distinct number.
const numericCategoryLimit = 1000

// location is where a noteworthy value was first seen.
type location struct {
	File  string
	Line  int
	Value string
	seq   int64 // order in the input, to keep the first across chunks
}

// column accumulates everything statistics.json needs about one column in a single pass. Two columns merge into
// one that describes both inputs, which is what lets chunks be profiled in parallel.
type column struct {
	integral, fractional, text, nonFinite, missing int64
	negative                                       int64

	// numbers: count, shifted sums for the variance, exact sum, range and sketch
	n          int64
	shift      float64
	sum        float64
	sd, sd2    float64 // sums of (x-shift) and (x-shift)^2 within a chunk
	mean, m2   float64 // merged moments
	merged     bool    // mean and m2 hold the moments (after finish or merge)
	minV, maxV float64
	// vals holds a chunk's numbers until they reach the sketch; kll is set on the merged column only.
	vals []float64
	kll  *sketch.KLL

	// categories: exact counts until maxCategories distinct values, then only the ones already seen
	cats         map[string]int64
	overflow     bool // some values were not counted because the map was full
	numbersKept  bool // numbers are still counted as categories
	forceStrings bool // every value is a category, numbers included (a String feature)
	hll          *sketch.HLL

	firstText, firstNonFinite location
}

func newColumn(forceString, numbersKept bool) *column {
	return &column{
		minV: math.Inf(1), maxV: math.Inf(-1),
		cats:         map[string]int64{},
		numbersKept:  numbersKept || forceString,
		forceStrings: forceString,
		hll:          &sketch.HLL{},
	}
}

func (c *column) note(loc *location, file string, line int, v string, seq int64) {
	if loc.File == "" || seq < loc.seq {
		if len(v) > 80 {
			v = v[:80] + "…"
		}
		*loc = location{file, line, v, seq}
	}
}

// add records one raw value.
func (c *column) add(v string, na map[string]bool, maxCats int, file string, line int, seq int64) {
	if na != nil && na[v] {
		c.missing++
		return
	}
	k, f := classify(v)
	switch k {
	case missing:
		c.missing++
		return
	case nonFinite:
		c.nonFinite++
		c.note(&c.firstNonFinite, file, line, v, seq)
		return
	case integral, fractional:
		if k == integral {
			c.integral++
		} else {
			c.fractional++
		}
		if c.n == 0 {
			c.shift = f
		}
		c.n++
		c.sum += f
		if f < 0 {
			c.negative++
		}
		d := f - c.shift
		c.sd += d
		c.sd2 += d * d
		c.minV = math.Min(c.minV, f)
		c.maxV = math.Max(c.maxV, f)
		c.vals = append(c.vals, f)
		if c.numbersKept {
			c.count(v, maxCats)
			if !c.forceStrings && len(c.cats) > numericCategoryLimit && c.text == 0 {
				c.dropNumbers()
			}
		}
	case text:
		c.text++
		c.note(&c.firstText, file, line, v, seq)
		c.count(v, maxCats)
	}
	c.hll.AddString(v)
}

func (c *column) count(v string, maxCats int) {
	if n, ok := c.cats[v]; ok {
		c.cats[v] = n + 1
		return
	}
	if len(c.cats) >= maxCats {
		c.overflow = true
		return
	}
	c.cats[v] = 1
}

// dropNumbers stops counting numbers as categories and forgets those counted.
func (c *column) dropNumbers() {
	c.numbersKept = false
	for v := range c.cats {
		if k, _ := classify(v); k == integral || k == fractional {
			delete(c.cats, v)
		}
	}
}

// moments turns the chunk's shifted sums into a mean and a sum of squared deviations.
func (c *column) moments() {
	if c.merged || c.n == 0 {
		c.merged = true
		return
	}
	n := float64(c.n)
	mu := c.sd / n
	c.mean = c.shift + mu
	c.m2 = math.Max(0, c.sd2-n*mu*mu)
	c.merged = true
}

// merge folds o, which covers input after c's, into c.
func (c *column) merge(o *column, maxCats int) {
	c.moments()
	o.moments()
	if o.n > 0 {
		if c.n == 0 {
			c.mean, c.m2 = o.mean, o.m2
		} else {
			// Chan et al.'s pairwise update: exact for the combined sample, and stable.
			na, nb := float64(c.n), float64(o.n)
			d := o.mean - c.mean
			c.mean += d * nb / (na + nb)
			c.m2 += o.m2 + d*d*na*nb/(na+nb)
		}
	}
	c.integral += o.integral
	c.fractional += o.fractional
	c.text += o.text
	c.nonFinite += o.nonFinite
	c.missing += o.missing
	c.negative += o.negative
	c.n += o.n
	c.sum += o.sum
	c.minV = math.Min(c.minV, o.minV)
	c.maxV = math.Max(c.maxV, o.maxV)
	c.hll.Merge(o.hll)
	if o.firstText.File != "" {
		c.note(&c.firstText, o.firstText.File, o.firstText.Line, o.firstText.Value, o.firstText.seq)
	}
	if o.firstNonFinite.File != "" {
		c.note(&c.firstNonFinite, o.firstNonFinite.File, o.firstNonFinite.Line, o.firstNonFinite.Value, o.firstNonFinite.seq)
	}
	if !o.numbersKept && c.numbersKept {
		c.dropNumbers()
	}
	for v, n := range o.cats {
		if !c.numbersKept && !c.forceStrings {
			if k, _ := classify(v); k == integral || k == fractional {
				continue
			}
		}
		c.cats[v] += n
	}
	c.overflow = c.overflow || o.overflow
	if c.numbersKept && !c.forceStrings && c.text == 0 && len(c.cats) > numericCategoryLimit {
		c.dropNumbers()
	}
	if len(c.cats) > maxCats {
		c.trim(maxCats)
	}
}

// trim keeps the maxCats most frequent categories.
func (c *column) trim(maxCats int) {
	type kv struct {
		v string
		n int64
	}
	all := make([]kv, 0, len(c.cats))
	for v, n := range c.cats {
		all = append(all, kv{v, n})
	}
	slices.SortFunc(all, func(a, b kv) int {
		if a.n != b.n {
			return cmp.Compare(b.n, a.n)
		}
		return cmp.Compare(a.v, b.v)
	})
	for _, x := range all[maxCats:] {
		delete(c.cats, x.v)
	}
	c.overflow = true
}

// present is the number of usable values.
func (c *column) present() int64 { return c.integral + c.fractional + c.text }
