package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestQuantiles(t *testing.T) {
	var d []time.Duration
	for i := 100; i >= 1; i-- { // unsorted on purpose
		d = append(d, time.Duration(i)*time.Millisecond)
	}
	got := quantiles(d)
	want := Quantiles{P50: 50, P90: 90, P99: 99, Max: 100}
	if got != want {
		t.Errorf("quantiles = %+v, want %+v", got, want)
	}
	if got := quantiles(nil); got != (Quantiles{}) {
		t.Errorf("quantiles(nil) = %+v", got)
	}
}

func TestMedian(t *testing.T) {
	rs := []Result{{Achieved: 3}, {Achieved: 1}, {Achieved: 2}, {Achieved: 10}}
	if got := median(rs, func(r Result) float64 { return r.Achieved }); got != 2.5 {
		t.Errorf("median = %v, want 2.5", got)
	}
}

func TestMeteredTokens(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`# HELP walens_gateway_tokens_total Tokens.
# TYPE walens_gateway_tokens_total counter
walens_gateway_tokens_total{kind="completion",model="a"} 160
walens_gateway_tokens_total{kind="prompt",model="a"} 110
walens_gateway_tokens_total{kind="prompt",model="b"} 5
walens_gateway_tokens_total{kind="cached_prompt",model="b"} 3
walens_gateway_requests_total{model="a",status="200",target="x"} 10
`))
	}))
	defer srv.Close()
	p, c, err := meteredTokens(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if p != 115 || c != 160 {
		t.Errorf("prompt %v, completion %v; want 115, 160 (cached_prompt is part of prompt)", p, c)
	}
}

func TestJudge(t *testing.T) {
	round := func(p99, success, achieved float64) Result {
		return Result{Latency: Quantiles{P99: p99}, Success: success, Achieved: achieved}
	}
	tests := []struct {
		name             string
		rounds           []Result
		pass, overloaded bool
		medianP99        float64
	}{
		{"all under", []Result{round(1, 1, 5000), round(2, 1, 5000), round(3, 1, 5000)}, true, false, 2},
		{"one noisy round", []Result{round(1, 1, 5000), round(9, 1, 5000), round(3, 1, 5000)}, true, false, 3},
		{"median over", []Result{round(6, 1, 5000), round(9, 1, 5000), round(3, 1, 5000)}, false, false, 6},
		{"lost requests", []Result{round(1, 0.998, 5000), round(1, 1, 5000), round(1, 1, 5000)}, false, false, 1},
		{"driver behind", []Result{round(1, 1, 4800), round(1, 1, 5000), round(1, 1, 5000)}, false, false, 1},
		{"overloaded", []Result{round(100, 0.95, 4000)}, false, true, 100},
		{"no rounds", nil, false, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := judge(5000, tc.rounds, 5*time.Millisecond, 0.999)
			if st.Passed != tc.pass || st.Overloaded != tc.overloaded || st.MedianP99 != tc.medianP99 {
				t.Errorf("judge = passed %v overloaded %v median %v; want %v %v %v",
					st.Passed, st.Overloaded, st.MedianP99, tc.pass, tc.overloaded, tc.medianP99)
			}
		})
	}
}

func TestRotate(t *testing.T) {
	xs := []string{"a", "b", "c"}
	tests := []struct {
		i    int
		want string
	}{{0, "abc"}, {1, "bca"}, {2, "cab"}, {3, "abc"}, {4, "bca"}}
	for _, tt := range tests {
		if got := strings.Join(rotate(xs, tt.i), ""); got != tt.want {
			t.Errorf("rotate(%d) = %s, want %s", tt.i, got, tt.want)
		}
	}
	if strings.Join(xs, "") != "abc" {
		t.Errorf("rotate changed its input: %v", xs)
	}
	if rotate([]string(nil), 3) != nil {
		t.Error("rotate of nothing is not nothing")
	}
}

func TestNamedURLs(t *testing.T) {
	var n namedURLs
	for _, bad := range []string{"x", "=u", "n=", "direct=u", "gateway=u"} {
		if n.Set(bad) == nil {
			t.Errorf("Set(%q) accepted", bad)
		}
	}
	if err := n.Set("proxy=http://h/v1=x"); err != nil || len(n) != 1 || n[0] != [2]string{"proxy", "http://h/v1=x"} {
		t.Errorf("Set: %v %v", n, err)
	}
}
