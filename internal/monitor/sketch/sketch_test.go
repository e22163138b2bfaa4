package sketch

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// rankError is the largest gap, over a grid of probe values, between the sketch's CDF and the exact one.
func rankError(t *testing.T, s *KLL, data []float64) float64 {
	t.Helper()
	sorted := slices.Clone(data)
	slices.Sort(sorted)
	cdf := s.CDF()
	n := float64(len(sorted))
	worst := 0.0
	for i := 0; i <= 200; i++ {
		x := sorted[int(float64(len(sorted)-1)*float64(i)/200)]
		exact := float64(upper(sorted, x)) / n
		worst = math.Max(worst, math.Abs(cdf.At(x)-exact))
	}
	return worst
}

func upper(sorted []float64, x float64) int {
	i, _ := slices.BinarySearchFunc(sorted, x, func(a, b float64) int {
		if a <= b {
			return -1
		}
		return 1
	})
	return i
}

func TestKLLRankErrorIsBounded(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	gens := map[string]func() float64{
		"uniform":     r.Float64,
		"normal":      r.NormFloat64,
		"exponential": r.ExpFloat64,
		"few values":  func() float64 { return float64(r.IntN(7)) },
		"sorted":      nil, // filled below: adversarial for naive samplers
	}
	n := 300_000
	if testing.Short() {
		n = 60_000
	}
	for name, gen := range gens {
		t.Run(name, func(t *testing.T) {
			data := make([]float64, n)
			for i := range data {
				if gen == nil {
					data[i] = float64(i)
				} else {
					data[i] = gen()
				}
			}
			s := NewKLL(DefaultK, DefaultC, 7)
			for _, x := range data {
				s.Add(x)
			}
			if w := s.Weight(); w != float64(n) {
				t.Errorf("weight %v, want %d", w, n)
			}
			// KLL with k=2048 has a rank error of about 1/k with high probability; 0.005 leaves a wide margin
			// while still failing for a sketch that, say, drops a level.
			if e := rankError(t, s, data); e > 0.005 {
				t.Errorf("rank error %.5f exceeds 0.005", e)
			}
			if held := s.size; held > 4*DefaultK {
				t.Errorf("sketch holds %d items, more than the bound 4k=%d", held, 4*DefaultK)
			}
		})
	}
}

func TestKLLMergeMatchesOneSketch(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var all []float64
	merged := NewKLL(DefaultK, DefaultC, 1)
	for part := range 8 {
		s := NewKLL(DefaultK, DefaultC, uint64(part+10))
		for range 40_000 {
			x := r.NormFloat64()*float64(part+1) + float64(part)
			all = append(all, x)
			s.Add(x)
		}
		merged.Merge(s)
	}
	if w := merged.Weight(); w != float64(len(all)) {
		t.Fatalf("merged weight %v, want %d", w, len(all))
	}
	if e := rankError(t, merged, all); e > 0.005 {
		t.Errorf("merged rank error %.5f exceeds 0.005", e)
	}
}

func TestKLLSmallInputIsExact(t *testing.T) {
	s := NewKLL(DefaultK, DefaultC, 1)
	data := []float64{3, 1, 2, 3, 3}
	for _, x := range data {
		s.Add(x)
	}
	if len(s.Levels()) != 1 || !slices.Equal(s.Levels()[0], data) {
		t.Fatalf("levels %v, want one level holding the input in order", s.Levels())
	}
	c := s.CDF()
	for _, tc := range []struct{ x, at, below float64 }{{0, 0, 0}, {1, 0.2, 0}, {2, 0.4, 0.2}, {2.5, 0.4, 0.4}, {3, 1, 0.4}, {9, 1, 1}} {
		if got := c.At(tc.x); got != tc.at {
			t.Errorf("At(%v) = %v, want %v", tc.x, got, tc.at)
		}
		if got := c.Below(tc.x); got != tc.below {
			t.Errorf("Below(%v) = %v, want %v", tc.x, got, tc.below)
		}
	}
	if q := c.Quantile(0.5); q != 3 {
		t.Errorf("median %v, want 3", q)
	}
	if q := c.Quantile(0.4); q != 2 {
		t.Errorf("quantile 0.4 = %v, want 2", q)
	}
}

func TestKLLFromLevels(t *testing.T) {
	s, err := FromLevels(2048, 0.64, [][]float64{{1, 2}, {5}})
	if err != nil {
		t.Fatal(err)
	}
	if w := s.Weight(); w != 4 {
		t.Errorf("weight %v, want 4 (two items at level 0, one of weight 2)", w)
	}
	if got := s.CDF().At(2); got != 0.5 {
		t.Errorf("CDF(2) = %v, want 0.5", got)
	}
	if _, err := FromLevels(2048, 0.64, [][]float64{{math.Inf(1)}}); err == nil {
		t.Error("FromLevels accepted an infinite item")
	}
}

func TestKLLIsDeterministic(t *testing.T) {
	build := func() [][]float64 {
		s := NewKLL(64, DefaultC, 5)
		for i := range 10_000 {
			s.Add(float64((i * 7919) % 1000))
		}
		return s.Levels()
	}
	a, b := build(), build()
	if len(a) != len(b) {
		t.Fatal("same input and seed gave different heights")
	}
	for i := range a {
		if !slices.Equal(a[i], b[i]) {
			t.Fatalf("level %d differs between identical runs", i)
		}
	}
}

func TestHLL(t *testing.T) {
	for _, n := range []int{10, 1000, 100_000} {
		var h, a, b HLL
		for i := range n {
			s := "value-" + strconv.Itoa(i)
			h.AddString(s)
			if i%2 == 0 {
				a.AddString(s)
			} else {
				b.Add([]byte(s))
			}
		}
		a.Merge(&b)
		for name, c := range map[string]*HLL{"one": &h, "merged": &a} {
			est := c.Estimate()
			if rel := math.Abs(est-float64(n)) / float64(n); rel > 0.03 {
				t.Errorf("%s: n=%d estimate %.0f (%.1f%% off)", name, n, est, 100*rel)
			}
		}
	}
}

func BenchmarkKLLAdd(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	data := make([]float64, 1<<16)
	for i := range data {
		data[i] = r.NormFloat64()
	}
	s := NewKLL(DefaultK, DefaultC, 1)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		s.Add(data[i&(len(data)-1)])
	}
}
