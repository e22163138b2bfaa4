package profile

import (
	"math"
	"strconv"
	"strings"
)

// kind is what a single value looks like, by Deequ's rules: integral and fractional numbers, text, or nothing.
type kind uint8

const (
	missing kind = iota
	integral
	fractional
	nonFinite // NaN or an infinity: not a usable number, counted as missing and reported
	text
)

// classify decides a value's kind and, for numbers, its value. Leading and trailing blanks are ignored, as Spark's
// CSV reader does for numbers.
func classify(s string) (kind, float64) {
	if s == "" {
		return missing, 0
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' || s[0] == '\t' || s[len(s)-1] == '\t' {
		s = strings.TrimSpace(s)
		if s == "" {
			return missing, 0
		}
	}
	if v, ok := parseInt(s); ok {
		return integral, v
	}
	if !numberLike(s) {
		return text, 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange && math.IsInf(f, 0) {
			return nonFinite, 0
		}
		return text, 0
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nonFinite, 0
	}
	return fractional, f
}

// parseInt is the fast path for the commonest value: an optionally signed run of up to 18 digits.
func parseInt(s string) (float64, bool) {
	i := 0
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		i = 1
	}
	if i == len(s) || len(s)-i > 18 {
		if len(s)-i > 18 {
			return parseLongInt(s)
		}
		return 0, false
	}
	var n int64
	for ; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return float64(n), true
}

func parseLongInt(s string) (float64, bool) {
	start := 0
	if s[0] == '-' || s[0] == '+' {
		start = 1
	}
	for i := start; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// numberLike rejects most text before ParseFloat sees it: a decimal number has only digits, a point, signs and an
// exponent; the other spellings ParseFloat accepts are NaN and the infinities. Go's hexadecimal floats and digit
// separators are not numbers in a dataset.
func numberLike(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E') {
			t := strings.ToLower(strings.TrimLeft(s, "+-"))
			return t == "nan" || t == "inf" || t == "infinity"
		}
	}
	return true
}
