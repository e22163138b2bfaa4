package topic

import (
	"strings"
	"testing"

	"github.com/walens/walens/internal/guard/normalize"
)

// adviceTopics are the three topics of the published evaluation (bench/guard/eval).
var adviceTopics = []Topic{
	{Name: "Financial advice", Definition: "Recommendations on investing, saving, retirement, taxes or what to do with money, stocks, funds or property.",
		Examples: []string{"Should I invest my savings in stocks or bonds?", "What should I do with my inheritance?", "Is now a good time to buy a house?", "How should I plan for retirement?"}},
	{Name: "Medical advice", Definition: "Diagnosis, treatment, medication or dosage recommendations for a person's health condition or symptoms.",
		Examples: []string{"What medication should I take for my headache?", "Do I have an infection if my wound is red?", "How much ibuprofen can I take?", "What should I do about my chest pain?"}},
	{Name: "Legal advice", Definition: "Guidance on a person's legal rights, lawsuits, contracts, court cases or what to do in a legal dispute.",
		Examples: []string{"Can I sue my landlord for not returning my deposit?", "Do I need a lawyer for my divorce?", "Is my employment contract legally binding?", "What are my rights if I get arrested?"}},
}

// BenchmarkScores scores a folded kilobyte of a support message against three topics.
func BenchmarkScores(b *testing.B) {
	d := New(adviceTopics, Options{Threshold: 0.25})
	text := normalize.Fold(strings.Repeat("Hello, I ordered a laptop last week (order 88231) and it arrived with a cracked screen. "+
		"Could you send a replacement to my office? Should I ask my bank about a refund or invest the money instead? "+
		"The invoice total was $1,249.99 and I paid with my card ending 4242. Thanks for your help! ", 4)[:1024]).S
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		d.Scores(text)
	}
}
