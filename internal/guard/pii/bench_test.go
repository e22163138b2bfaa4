package pii

import (
	"strings"
	"testing"
)

// benchText is about a kilobyte of an ordinary support conversation with a few entities in it.
var benchText = strings.Repeat("Hello, I ordered a laptop last week (order 88231) and it arrived with a cracked screen. "+
	"Could you send a replacement to my office? You can reach me at jane.doe@example.com or on (415) 555-0132 "+
	"between 9 and 5. The invoice total was $1,249.99 and I paid with my card ending 4242. Thanks for your help! ", 4)[:1024]

func BenchmarkScan(b *testing.B) {
	sc := New()
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		sc.Scan(benchText)
	}
}
