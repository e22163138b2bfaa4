package guard

import (
	"context"
	"strings"
	"testing"
)

// benchText is about a kilobyte of an ordinary support message with a few entities.
var benchText = strings.Repeat("Hello, I ordered a laptop last week (order 88231) and it arrived with a cracked screen. "+
	"Could you send a replacement to my office? You can reach me at jane.doe@example.com or on (415) 555-0132 "+
	"between 9 and 5. The invoice total was $1,249.99 and I paid with my card ending 4242. Thanks for your help! ", 4)[:1024]

// BenchmarkApply runs every policy of the support guardrail (six content filters, a topic, words, the
// profanity list, seven PII types and a regex) over a kilobyte.
func BenchmarkApply(b *testing.B) {
	e := testEngine(b)
	content := []Content{{Text: benchText}}
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		if _, err := e.Apply(context.Background(), Input, content, ApplyOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApplyDeterministic runs only the deterministic policies: PII, a regex and word filters.
func BenchmarkApplyDeterministic(b *testing.B) {
	p, err := ParsePolicy([]byte(`
name: deterministic
blockedInputMessaging: no
blockedOutputsMessaging: no
wordPolicyConfig:
  wordsConfig: [{text: Project Nightingale}]
  managedWordListsConfig: [{type: PROFANITY}]
sensitiveInformationPolicyConfig:
  piiEntitiesConfig:
    - {type: EMAIL, action: ANONYMIZE}
    - {type: PHONE, action: ANONYMIZE}
    - {type: CREDIT_DEBIT_CARD_NUMBER, action: BLOCK}
    - {type: US_SOCIAL_SECURITY_NUMBER, action: BLOCK}
  regexesConfig: [{name: ORDER_ID, pattern: 'ORD-[0-9]{6}', action: ANONYMIZE}]
`), "bench.yaml")
	if err != nil {
		b.Fatal(err)
	}
	e, err := New(p, Options{})
	if err != nil {
		b.Fatal(err)
	}
	content := []Content{{Text: benchText}}
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		if _, err := e.Apply(context.Background(), Input, content, ApplyOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStream feeds a kilobyte in 16-byte pieces, as a streamed completion arrives.
func BenchmarkStream(b *testing.B) {
	e := testEngine(b)
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		s := e.NewStream(context.Background(), StreamOptions{})
		for i := 0; i < len(benchText); i += 16 {
			if _, blocked, err := s.Write(benchText[i:min(i+16, len(benchText))]); err != nil || blocked != nil {
				b.Fatal(err, blocked)
			}
		}
		if _, _, err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
