package drift

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/walens/walens/internal/monitor/sketch"
)

// reference holds values computed by numpy and scipy (testdata/reference/make_reference.py).
type reference struct {
	Numeric []struct {
		Name                          string
		Baseline, Current             []float64
		KSStatistic                   float64 `json:"ks_statistic"`
		KSPValueAsymptotic            float64 `json:"ks_pvalue_asymptotic"`
		RobustDistance                float64 `json:"robust_distance"`
		Wasserstein, BaselineStd, PSI float64 `json:"-"`
		WassersteinJ                  float64 `json:"wasserstein"`
		BaselineStdJ                  float64 `json:"baseline_std"`
		PSIJ                          float64 `json:"psi"`
	}
	Categorical []struct {
		Name              string
		Baseline, Current Counts
		LInf              float64 `json:"linf"`
		Chi2              float64 `json:"chi2"`
		Chi2DOF           int     `json:"chi2_dof"`
		Chi2PValue        float64 `json:"chi2_pvalue"`
		JensenShannon     float64 `json:"jensen_shannon"`
		PSI               float64 `json:"psi"`
	}
	Special struct {
		Chi2SF []struct {
			X, DOF, SF float64
		} `json:"chi2_sf"`
		KolmogorovSF []struct{ X, SF float64 } `json:"kolmogorov_sf"`
	}
}

func loadReference(t *testing.T) reference {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "reference", "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r reference
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func cdfOf(xs []float64) sketch.CDF {
	s := sketch.NewKLL(sketch.DefaultK, sketch.DefaultC, 1)
	for _, x := range xs {
		s.Add(x)
	}
	return s.CDF()
}

// The tolerance for values that walens and scipy compute by the same formula: only rounding differs.
const tol = 1e-9

func close(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func TestNumericMatchesScipy(t *testing.T) {
	for _, c := range loadReference(t).Numeric {
		t.Run(c.Name, func(t *testing.T) {
			// Each sample is smaller than the sketch size, so the sketch is exact and so must be the statistics.
			a, b := cdfOf(c.Baseline), cdfOf(c.Current)
			n, m := float64(len(c.Baseline)), float64(len(c.Current))
			d := LInf(a, b)
			checks := []struct {
				name      string
				got, want float64
			}{
				{"ks statistic", d, c.KSStatistic},
				{"ks p-value (asymptotic)", KSPValue(d, n, m), c.KSPValueAsymptotic},
				{"robust distance", Robust(d, n, m), c.RobustDistance},
				{"wasserstein", Wasserstein(a, b), c.WassersteinJ},
				{"psi", NumericPSI(a, b, 10), c.PSIJ},
			}
			for _, ch := range checks {
				if !close(ch.got, ch.want, tol) {
					t.Errorf("%s = %.12g, scipy says %.12g", ch.name, ch.got, ch.want)
				}
			}
		})
	}
}

func TestCategoricalMatchesScipy(t *testing.T) {
	for _, c := range loadReference(t).Categorical {
		t.Run(c.Name, func(t *testing.T) {
			stat, dof, p := ChiSquared(c.Baseline, c.Current)
			if dof != c.Chi2DOF {
				t.Errorf("chi-squared dof %d, scipy says %d", dof, c.Chi2DOF)
			}
			checks := []struct {
				name      string
				got, want float64
			}{
				{"linf", CategoricalLInf(c.Baseline, c.Current), c.LInf},
				{"chi2", stat, c.Chi2},
				{"chi2 p-value", p, c.Chi2PValue},
				{"jensen-shannon", JensenShannon(c.Baseline, c.Current), c.JensenShannon},
				{"psi", CategoricalPSI(c.Baseline, c.Current), c.PSI},
			}
			for _, ch := range checks {
				if !close(ch.got, ch.want, tol) {
					t.Errorf("%s = %.12g, scipy says %.12g", ch.name, ch.got, ch.want)
				}
			}
		})
	}
}

func TestSurvivalFunctionsMatchScipy(t *testing.T) {
	r := loadReference(t)
	for _, c := range r.Special.Chi2SF {
		if got := ChiSquaredSF(c.X, c.DOF); !close(got, c.SF, 1e-9) {
			t.Errorf("chi2.sf(%v, %v) = %.12g, scipy says %.12g", c.X, c.DOF, got, c.SF)
		}
	}
	for _, c := range r.Special.KolmogorovSF {
		if got := KolmogorovSF(c.X); !close(got, c.SF, 1e-9) {
			t.Errorf("kstwobign.sf(%v) = %.12g, scipy says %.12g", c.X, got, c.SF)
		}
	}
}

func TestSelection(t *testing.T) {
	cfg := DefaultConfig()
	sm := SageMaker{Threshold: 0.1, Robust: true, Enabled: true}
	small := make([]float64, 500)
	large := make([]float64, 5000)
	for i := range small {
		small[i] = float64(i % 97)
	}
	for i := range large {
		large[i] = float64(i % 97)
	}
	if r := Numerical("x", cdfOf(small), cdfOf(small), 28, cfg, sm); r.Method != TestKS || r.Drifted {
		t.Errorf("small identical samples: method %s drifted %v, want ks and no drift", r.Method, r.Drifted)
	}
	if r := Numerical("x", cdfOf(large), cdfOf(large), 28, cfg, sm); r.Method != TestWasserstein {
		t.Errorf("large baseline: method %s, want wasserstein", r.Method)
	}
	shifted := make([]float64, len(large))
	for i, x := range large {
		shifted[i] = x + 20
	}
	r := Numerical("x", cdfOf(large), cdfOf(shifted), 28, cfg, sm)
	if !r.Drifted {
		t.Errorf("a shift of 0.7 standard deviations was not flagged: %+v", r.Tests)
	}
	if sm, _ := r.Get(TestSageMaker); !sm.Drifted {
		t.Errorf("the SageMaker distance did not flag the shift: %+v", sm)
	}
	cfg.Force = TestPSI
	if r := Numerical("x", cdfOf(large), cdfOf(shifted), 28, cfg, sm); r.Method != TestPSI {
		t.Errorf("forced test not used: %s", r.Method)
	}
	if r := Categorical("c", Counts{"a": 50, "b": 50}, Counts{"a": 50, "b": 50}, DefaultConfig(), sm); r.Method != TestChiSquared || r.Drifted {
		t.Errorf("identical categories: %s drifted %v", r.Method, r.Drifted)
	}
	share, drift := Share([]Result{{Drifted: true}, {Drifted: false}}, DefaultConfig())
	if share != 0.5 || !drift {
		t.Errorf("share %v drift %v, want 0.5 and true (half the features is the default threshold)", share, drift)
	}
}
