package sketch

import (
	"math"
	"math/bits"
)

const hllP = 14 // 16,384 registers: about 0.8% standard error in 16 KB

// HLL counts distinct values approximately in fixed memory (HyperLogLog with the small-range correction). Two
// counters merge by taking the larger register, so partial counts from chunks of a file combine exactly.
type HLL struct {
	reg [1 << hllP]uint8
}

// Add records one value.
func (h *HLL) Add(b []byte) { h.AddHash(HashString(string(b))) }

// AddString records one value.
func (h *HLL) AddString(s string) { h.AddHash(HashString(s)) }

// AddHash records a value by its 64-bit hash.
func (h *HLL) AddHash(x uint64) {
	i := x >> (64 - hllP)
	rho := uint8(bits.LeadingZeros64(x<<hllP|1<<(hllP-1)) + 1)
	if rho > h.reg[i] {
		h.reg[i] = rho
	}
}

// Merge folds other into h.
func (h *HLL) Merge(other *HLL) {
	for i, r := range other.reg {
		if r > h.reg[i] {
			h.reg[i] = r
		}
	}
}

// Estimate returns the approximate number of distinct values added.
func (h *HLL) Estimate() float64 {
	const m = float64(1 << hllP)
	var sum float64
	zeros := 0
	for _, r := range h.reg {
		sum += math.Ldexp(1, -int(r))
		if r == 0 {
			zeros++
		}
	}
	alpha := 0.7213 / (1 + 1.079/m)
	e := alpha * m * m / sum
	if e <= 2.5*m && zeros > 0 {
		return m * math.Log(m/float64(zeros))
	}
	return e
}

// HashString hashes a string eight bytes at a time (values are short, and this runs for every value), with the
// same finaliser; deterministic across runs and machines.
func HashString(s string) uint64 {
	x := uint64(14695981039346656037) ^ uint64(len(s))
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		x = (x ^ mix(w)) * 0x9e3779b97f4a7c15
	}
	for ; i < len(s); i++ {
		x = (x ^ uint64(s[i])) * 1099511628211
	}
	return mix(x)
}

func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}
