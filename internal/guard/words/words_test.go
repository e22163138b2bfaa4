package words

import (
	"strings"
	"testing"

	"github.com/walens/walens/internal/guard/normalize"
)

func TestFind(t *testing.T) {
	m := New([]string{"competitor x", "Hate", "secret project", "!!!"})
	tests := []struct {
		text string
		want []string
	}{
		{"We love Competitor   X products", []string{"Competitor   X"}},
		{"I H4TE this", []string{"H4TE"}},
		{"ｈａｔｅ and h a t e", []string{"ｈａｔｅ"}},
		{"whatever, hateful and chateau", nil},
		{"the Secret\u200b Project is on", []string{"Secret\u200b Project"}},
		{"", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, x := range m.Find(normalize.Fold(tt.text), false) {
			got = append(got, tt.text[x.Start:x.End])
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Find(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	if m.Len() != 3 {
		t.Errorf("Len = %d, want 3 (punctuation-only phrases are dropped)", m.Len())
	}
}

func TestProfanity(t *testing.T) {
	list, m := Profanity()
	if len(list) < 1000 {
		t.Fatalf("profanity list has %d terms", len(list))
	}
	if got := m.Find(normalize.Fold("well, sh1t"), false); len(got) != 1 {
		t.Errorf("profanity not found: %v", got)
	}
	for _, ok := range []string{"The class assessment is due", "Please reset my password", "Hoe the garden and watch the crows", "Peter went to Scunthorpe"} {
		if got := m.Find(normalize.Fold(ok), false); len(got) != 0 {
			t.Errorf("%q flagged: %v", ok, got)
		}
	}
}

func BenchmarkProfanity(b *testing.B) {
	_, m := Profanity()
	text := strings.Repeat("Hello, I ordered a laptop last week and it arrived with a cracked screen. Could you send a replacement? ", 10)[:1024]
	f := normalize.Fold(text)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		m.Find(f, false)
	}
}
