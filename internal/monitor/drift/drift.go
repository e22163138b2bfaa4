// Package drift compares a current distribution with a baseline one. Numbers are compared through cumulative
// distributions (rebuilt from KLL sketches) with the SageMaker L-infinity distance, the two-sample
// Kolmogorov-Smirnov test, the Wasserstein distance and the population stability index; categories through their
// frequencies with the L-infinity distance, Pearson's chi-squared test, the Jensen-Shannon distance and the PSI.
// Select picks the test that decides a feature's verdict from its type and the baseline's size.
package drift

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"

	"github.com/walens/walens/internal/monitor/sketch"
)

// LInf is the largest gap between two cumulative distributions: the two-sample Kolmogorov-Smirnov statistic,
// and the distance SageMaker Model Monitor (through Deequ) compares with its threshold.
func LInf(a, b sketch.CDF) float64 {
	d := 0.0
	walk(a, b, func(_, fa, fb, _ float64) { d = math.Max(d, math.Abs(fa-fb)) })
	return d
}

// walk visits every value of either distribution in increasing order with both CDFs there and the distance to
// the next value (0 at the last), in one linear pass over the two sorted lists.
func walk(a, b sketch.CDF, visit func(x, fa, fb, gap float64)) {
	i, j := 0, 0
	fa, fb := 0.0, 0.0
	for i < len(a.Values) || j < len(b.Values) {
		var x float64
		switch {
		case j == len(b.Values) || i < len(a.Values) && a.Values[i] < b.Values[j]:
			x = a.Values[i]
		default:
			x = b.Values[j]
		}
		if i < len(a.Values) && a.Values[i] == x {
			fa = a.Cum[i]
			i++
		}
		if j < len(b.Values) && b.Values[j] == x {
			fb = b.Cum[j]
			j++
		}
		next := x
		switch {
		case i < len(a.Values) && (j == len(b.Values) || a.Values[i] < b.Values[j]):
			next = a.Values[i]
		case j < len(b.Values):
			next = b.Values[j]
		}
		visit(x, fa, fb, next-x)
	}
}

// Robust subtracts the sampling noise expected between samples of n and m items, 1.8*sqrt((n+m)/(n*m)), from a
// distance and floors it at zero: SageMaker's "Robust" comparison.
func Robust(d, n, m float64) float64 {
	if n <= 0 || m <= 0 {
		return d
	}
	return math.Max(0, d-1.8*math.Sqrt((n+m)/(n*m)))
}

// KSPValue is the asymptotic p-value of a two-sample Kolmogorov-Smirnov statistic d between samples of n and m
// items: the Kolmogorov distribution's survival function at sqrt(nm/(n+m))*d. It is accurate for samples of a
// few dozen items or more; smaller samples get a somewhat conservative value.
func KSPValue(d, n, m float64) float64 {
	if n <= 0 || m <= 0 {
		return math.NaN()
	}
	return KolmogorovSF(math.Sqrt(n*m/(n+m)) * d)
}

// KolmogorovSF is P(K > x) for the Kolmogorov distribution (scipy's kstwobign.sf).
func KolmogorovSF(x float64) float64 {
	if x <= 0 {
		return 1
	}
	if x < 1 {
		// The alternating series converges slowly for small x; use the Jacobi theta form of the CDF instead.
		s := 0.0
		for k := 1; k <= 20; k++ {
			f := float64(2*k - 1)
			s += math.Exp(-f * f * math.Pi * math.Pi / (8 * x * x))
		}
		return 1 - math.Sqrt(2*math.Pi)/x*s
	}
	s := 0.0
	for k := 1; k <= 100; k++ {
		term := math.Exp(-2 * float64(k*k) * x * x)
		if k%2 == 0 {
			s -= term
		} else {
			s += term
		}
		if term < 1e-17 {
			break
		}
	}
	return math.Min(1, math.Max(0, 2*s))
}

// Wasserstein is the first Wasserstein (earth mover's) distance between two distributions: the area between
// their cumulative distribution functions.
func Wasserstein(a, b sketch.CDF) float64 {
	w := 0.0
	walk(a, b, func(_, fa, fb, gap float64) { w += math.Abs(fa-fb) * gap })
	return w
}

// PSIEpsilon replaces empty proportions in the PSI, whose terms are undefined at zero.
const PSIEpsilon = 1e-4

// PSI is the population stability index between expected and actual proportions over the same bins.
func PSI(expected, actual []float64) float64 {
	s := 0.0
	for i := range expected {
		p := math.Max(expected[i], PSIEpsilon)
		q := math.Max(actual[i], PSIEpsilon)
		s += (q - p) * math.Log(q/p)
	}
	return s
}

// NumericPSI bins both distributions at the baseline's deciles (bins of equal baseline mass, merged where the
// baseline has ties) and returns the PSI over those bins.
func NumericPSI(base, cur sketch.CDF, bins int) float64 {
	var edges []float64
	for i := 1; i < bins; i++ {
		e := base.Quantile(float64(i) / float64(bins))
		if len(edges) == 0 || e > edges[len(edges)-1] {
			edges = append(edges, e)
		}
	}
	var p, q []float64
	prevP, prevQ := 0.0, 0.0
	for _, e := range edges {
		fp, fq := base.At(e), cur.At(e)
		p = append(p, fp-prevP)
		q = append(q, fq-prevQ)
		prevP, prevQ = fp, fq
	}
	p = append(p, 1-prevP)
	q = append(q, 1-prevQ)
	return PSI(p, q)
}

// Counts are category frequencies.
type Counts map[string]float64

func (c Counts) total() float64 {
	t := 0.0
	for _, n := range c {
		t += n
	}
	return t
}

// keys returns the union of categories, sorted, so sums are taken in the same order every time.
func keys(a, b Counts) []string {
	var out []string
	for k := range a {
		out = append(out, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// Proportions returns both distributions' frequencies over the union of their categories.
func Proportions(a, b Counts) (cats []string, p, q []float64) {
	cats = keys(a, b)
	ta, tb := a.total(), b.total()
	p = make([]float64, len(cats))
	q = make([]float64, len(cats))
	for i, k := range cats {
		if ta > 0 {
			p[i] = a[k] / ta
		}
		if tb > 0 {
			q[i] = b[k] / tb
		}
	}
	return cats, p, q
}

// CategoricalLInf is the largest difference in any category's frequency.
func CategoricalLInf(a, b Counts) float64 {
	_, p, q := Proportions(a, b)
	d := 0.0
	for i := range p {
		d = math.Max(d, math.Abs(p[i]-q[i]))
	}
	return d
}

// JensenShannon is the Jensen-Shannon distance (the square root of the divergence, natural logarithm) between
// two categorical distributions, as scipy.spatial.distance.jensenshannon computes it; it lies in [0, sqrt(ln 2)].
func JensenShannon(a, b Counts) float64 {
	_, p, q := Proportions(a, b)
	div := 0.0
	for i := range p {
		m := (p[i] + q[i]) / 2
		if p[i] > 0 {
			div += p[i] * math.Log(p[i]/m)
		}
		if q[i] > 0 {
			div += q[i] * math.Log(q[i]/m)
		}
	}
	return math.Sqrt(math.Max(0, div/2))
}

// CategoricalPSI is the PSI over the union of categories.
func CategoricalPSI(a, b Counts) float64 {
	_, p, q := Proportions(a, b)
	return PSI(p, q)
}

// ChiSquared is Pearson's chi-squared test of homogeneity on the 2 x k table of baseline and current counts
// (scipy's chi2_contingency without Yates's correction). Categories expected fewer than 5 times in either row
// are pooled into one, the usual condition for the test's approximation; dof is k-1 after pooling. With fewer
// than two categories left there is nothing to test: p is 1.
func ChiSquared(a, b Counts) (stat float64, dof int, p float64) {
	cats := keys(a, b)
	ta, tb := a.total(), b.total()
	n := ta + tb
	if ta == 0 || tb == 0 {
		return 0, 0, 1
	}
	type cell struct{ x, y float64 }
	var cells []cell
	var pool cell
	for _, k := range cats {
		col := a[k] + b[k]
		if col*ta/n < 5 || col*tb/n < 5 {
			pool.x += a[k]
			pool.y += b[k]
			continue
		}
		cells = append(cells, cell{a[k], b[k]})
	}
	if pool.x+pool.y > 0 {
		cells = append(cells, pool)
	}
	if len(cells) < 2 {
		return 0, 0, 1
	}
	for _, c := range cells {
		col := c.x + c.y
		ea, eb := col*ta/n, col*tb/n
		stat += (c.x-ea)*(c.x-ea)/ea + (c.y-eb)*(c.y-eb)/eb
	}
	dof = len(cells) - 1
	return stat, dof, ChiSquaredSF(stat, float64(dof))
}

// ChiSquaredSF is P(X > x) for a chi-squared variable with dof degrees of freedom.
func ChiSquaredSF(x, dof float64) float64 {
	if x <= 0 {
		return 1
	}
	return mathext.GammaIncRegComp(dof/2, x/2)
}

// CountsFromCDF turns a (sketch) distribution of a few distinct numbers into category counts, for numeric
// features that are really categories (a 0/1 flag, a rating from 1 to 5).
func CountsFromCDF(c sketch.CDF, format func(float64) string) Counts {
	out := Counts{}
	prev := 0.0
	for i, x := range c.Values {
		out[format(x)] += (c.Cum[i] - prev) * c.Total
		prev = c.Cum[i]
	}
	return out
}
