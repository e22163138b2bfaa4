package diag

import "strings"

// Closest returns the candidate nearest to word by edit distance, ignoring case, or "" when none is near enough to
// be a plausible typo. Near enough means at most a third of the word's length, and at least 2 edits allowed; failing
// that, a word of three or more letters that starts exactly one candidate suggests that candidate.
func Closest(word string, candidates []string) string {
	w := strings.ToLower(word)
	best, bestDist := "", -1
	limit := max(2, len(w)/3)
	bestShared := 0
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := distance(w, lc)
		if d > limit {
			continue
		}
		// Between equally distant candidates, prefer the one sharing more characters: "bp4x" is nearer "bp04"
		// than "bp01".
		shared := sharedChars(w, lc)
		if bestDist < 0 || d < bestDist || d == bestDist && shared > bestShared {
			best, bestDist, bestShared = c, d, shared
		}
	}
	if best != "" || len(w) < 3 {
		return best
	}
	// A unique prefix is a plausible abbreviation: "PROD" for "PRODUCTION".
	for _, c := range candidates {
		if strings.HasPrefix(strings.ToLower(c), w) {
			if best != "" {
				return ""
			}
			best = c
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, counted in bytes, which is enough for the ASCII IDs it
// compares.
func distance(a, b string) int {
	if len(a) > 256 || len(b) > 256 {
		// IDs are short; anything this long is not a typo of one and should not cost quadratic time.
		return len(a) + len(b)
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func sharedChars(a, b string) int {
	var counts [256]int
	for i := 0; i < len(a); i++ {
		counts[a[i]]++
	}
	n := 0
	for i := 0; i < len(b); i++ {
		if counts[b[i]] > 0 {
			counts[b[i]]--
			n++
		}
	}
	return n
}
