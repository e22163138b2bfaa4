package classify

import (
	"math"
	"math/rand/v2"
	"sort"
)

// Label values of an example for one category.
const (
	Unknown  int8 = -1 // the source says nothing about this category: the example does not train it
	Negative int8 = 0
	Positive int8 = 1
)

// Example is one training or evaluation text.
type Example struct {
	Text   string // folded (see normalize.Fold)
	Source string // the dataset it came from, for per-source calibration and reports
	Labels []int8 // one per category of the model being trained, in order
}

// TrainOptions tune the trainer. The zero value is not useful; see DefaultTrainOptions.
type TrainOptions struct {
	Bits   int     // log2 of the number of hash buckets
	Epochs int     // passes over the data
	Rate   float64 // AdaGrad learning rate
	L2     float64 // weight decay applied to touched weights
	Seed   uint64  // shuffling seed: the same data and seed give the same model
}

// DefaultTrainOptions are the settings the committed model was trained with.
var DefaultTrainOptions = TrainOptions{Bits: 15, Epochs: 8, Rate: 0.3, L2: 1e-5, Seed: 20261130}

// FloatModel is a model being trained, with full-precision weights.
type FloatModel struct {
	Bits       int
	Categories []Category
	Bias       []float64
	W          []float32 // bucket-major, as in Model
}

// Train fits one logistic regression per category by AdaGrad on the hashed features of the examples. Each
// category sees only the examples labelled for it, with positives and negatives weighted to count equally.
func Train(cats []Category, examples []Example, opts TrainOptions) *FloatModel {
	nc := len(cats)
	m := &FloatModel{Bits: opts.Bits, Categories: cats, Bias: make([]float64, nc), W: make([]float32, (1<<opts.Bits)*nc)}
	feats := make([][]uint32, len(examples))
	for i, ex := range examples {
		var f Features
		f.Extract(truncateWords(ex.Text, 4*Window))
		feats[i] = f.Hashes
	}
	// Class weights per category.
	pos, neg := make([]float64, nc), make([]float64, nc)
	for _, ex := range examples {
		for c, l := range ex.Labels {
			switch l {
			case Positive:
				pos[c]++
			case Negative:
				neg[c]++
			}
		}
	}
	wPos, wNeg := make([]float64, nc), make([]float64, nc)
	for c := range cats {
		total := pos[c] + neg[c]
		if pos[c] > 0 {
			wPos[c] = total / (2 * pos[c])
		}
		if neg[c] > 0 {
			wNeg[c] = total / (2 * neg[c])
		}
		// Start from the prior odds, so early updates do not chase the class imbalance.
		if pos[c] > 0 && neg[c] > 0 {
			m.Bias[c] = math.Log(pos[c] / neg[c])
		}
	}
	g2 := make([]float32, len(m.W))
	b2 := make([]float64, nc)
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x5851f42d4c957f2d))
	mask := uint32(1)<<opts.Bits - 1
	grad := make([]float64, nc)
	for epoch := 0; epoch < opts.Epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			hs := feats[i]
			if len(hs) == 0 {
				continue
			}
			norm := (&Features{Hashes: hs}).Norm()
			z := make([]float64, nc)
			copy(z, m.Bias)
			for _, h := range hs {
				base := int(h&mask) * nc
				s := norm
				if h&(1<<31) != 0 {
					s = -norm
				}
				for c := 0; c < nc; c++ {
					z[c] += s * float64(m.W[base+c])
				}
			}
			any := false
			for c, l := range examples[i].Labels {
				grad[c] = 0
				if l == Unknown {
					continue
				}
				y, w := 0.0, wNeg[c]
				if l == Positive {
					y, w = 1, wPos[c]
				}
				grad[c] = (sigmoid(z[c]) - y) * w
				b2[c] += grad[c] * grad[c]
				m.Bias[c] -= opts.Rate * grad[c] / math.Sqrt(b2[c]+1e-8)
				any = true
			}
			if !any {
				continue
			}
			for _, h := range hs {
				base := int(h&mask) * nc
				s := norm
				if h&(1<<31) != 0 {
					s = -norm
				}
				for c := 0; c < nc; c++ {
					if grad[c] == 0 {
						continue
					}
					k := base + c
					g := grad[c]*s + opts.L2*float64(m.W[k])
					g2[k] += float32(g * g)
					m.W[k] -= float32(opts.Rate * g / math.Sqrt(float64(g2[k])+1e-8))
				}
			}
		}
	}
	return m
}

// truncateWords cuts a text to at most n bytes at a space: training looks at the start of very long examples.
func truncateWords(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for i := n; i > n/2; i-- {
		if s[i] == ' ' {
			return s[:i]
		}
	}
	return s[:n]
}

// Quantize turns trained weights into the compact model: each category's weights are scaled so the largest
// magnitude maps to 127 and rounded to int8. Thresholds start at 0.5 and are set by Calibrate.
func (fm *FloatModel) Quantize() *Model {
	nc := len(fm.Categories)
	m := &Model{Bits: fm.Bits, Categories: fm.Categories, Bias: make([]float32, nc), Scale: make([]float32, nc),
		Thresholds: make([][3]float32, nc), W: make([]int8, len(fm.W))}
	for c := 0; c < nc; c++ {
		var maxAbs float64
		for k := c; k < len(fm.W); k += nc {
			maxAbs = math.Max(maxAbs, math.Abs(float64(fm.W[k])))
		}
		scale := maxAbs / 127
		if scale == 0 {
			scale = 1
		}
		m.Scale[c] = float32(scale)
		m.Bias[c] = float32(fm.Bias[c])
		for k := c; k < len(fm.W); k += nc {
			m.W[k] = int8(math.Round(float64(fm.W[k]) / scale))
		}
		m.Thresholds[c] = [3]float32{0.5, 0.5, 0.5}
	}
	return m
}

// FPR targets of the confidence levels: on validation data, at most 2% of negatives reach LOW, 1% MEDIUM and
// 0.2% HIGH. A filter of strength HIGH blocks from LOW confidence up, MEDIUM from MEDIUM and LOW only at HIGH.
// The targets are stricter than the validation data alone would suggest because prompts unlike any training
// text score higher than validation negatives do (docs/guardrails.md shows the rates on unseen prompts).
var FPRTargets = [3]float64{0.02, 0.01, 0.002}

// minCalibrationNegatives is the smallest number of a source's negatives whose quantile is trusted on its own.
const minCalibrationNegatives = 100

// Calibrate sets each category's thresholds from validation examples (never the held-out test split): the
// threshold of a level is the smallest probability that keeps every source with enough negatives, and all
// negatives pooled, at or under the level's false-positive target. It returns the validation scores by example.
func (m *Model) Calibrate(val []Example) [][]float64 {
	scores := make([][]float64, len(val))
	for i, ex := range val {
		scores[i] = m.Scores(ex.Text)
	}
	for c := range m.Categories {
		bySource := map[string][]float64{}
		var pooled []float64
		for i, ex := range val {
			if ex.Labels[c] == Negative {
				bySource[ex.Source] = append(bySource[ex.Source], scores[i][c])
				pooled = append(pooled, scores[i][c])
			}
		}
		for level, fpr := range FPRTargets {
			t := ThresholdAtFPR(pooled, fpr)
			for _, neg := range bySource {
				if len(neg) >= minCalibrationNegatives {
					t = math.Max(t, ThresholdAtFPR(neg, fpr))
				}
			}
			m.Thresholds[c][level] = float32(t)
		}
		// Levels must not decrease.
		for l := 1; l < 3; l++ {
			m.Thresholds[c][l] = max(m.Thresholds[c][l], m.Thresholds[c][l-1])
		}
	}
	return scores
}

// ThresholdAtFPR returns the smallest score at which at most fpr of the negative scores are at or above it.
func ThresholdAtFPR(neg []float64, fpr float64) float64 {
	if len(neg) == 0 {
		return 0.5
	}
	s := append([]float64(nil), neg...)
	sort.Float64s(s)
	allowed := int(math.Floor(fpr * float64(len(s))))
	// The threshold sits just above the (allowed+1)-th highest negative.
	k := len(s) - 1 - allowed
	if k < 0 {
		return s[0]
	}
	return math.Nextafter(s[k], math.Inf(1))
}

// AUC is the area under the ROC curve: the probability that a random positive scores above a random negative,
// ties counting half.
func AUC(pos, neg []float64) float64 {
	if len(pos) == 0 || len(neg) == 0 {
		return math.NaN()
	}
	type pt struct {
		s   float64
		pos bool
	}
	all := make([]pt, 0, len(pos)+len(neg))
	for _, s := range pos {
		all = append(all, pt{s, true})
	}
	for _, s := range neg {
		all = append(all, pt{s, false})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].s < all[j].s })
	// Sum of positive ranks, with average ranks for ties.
	var rankSum float64
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].s == all[i].s {
			j++
		}
		avg := float64(i+j+1) / 2
		for k := i; k < j; k++ {
			if all[k].pos {
				rankSum += avg
			}
		}
		i = j
	}
	np, nn := float64(len(pos)), float64(len(neg))
	return (rankSum - np*(np+1)/2) / (np * nn)
}

// TPRAtFPR returns the share of positives at or above the threshold that lets through at most fpr of negatives.
func TPRAtFPR(pos, neg []float64, fpr float64) float64 {
	if len(pos) == 0 {
		return math.NaN()
	}
	t := ThresholdAtFPR(neg, fpr)
	n := 0
	for _, s := range pos {
		if s >= t {
			n++
		}
	}
	return float64(n) / float64(len(pos))
}
