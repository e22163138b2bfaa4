package guard

import (
	"context"
	"strings"
	"testing"
)

// feed writes text in pieces of n bytes and returns what the stream released, the blocking response if any, and
// the final response.
func feed(t *testing.T, e *Engine, text string, n int) (string, *Response, *Response) {
	t.Helper()
	s := e.NewStream(context.Background(), StreamOptions{HoldBack: 48, CheckEvery: 16, Window: 256})
	var out strings.Builder
	for i := 0; i < len(text); i += n {
		rel, blocked, err := s.Write(text[i:min(i+n, len(text))])
		if err != nil {
			t.Fatal(err)
		}
		out.WriteString(rel)
		if blocked != nil {
			return out.String(), blocked, nil
		}
		if len(text)-i > 48+n && out.Len() == 0 && i > 48+3*n+64 {
			t.Fatalf("nothing released after %d bytes", i)
		}
	}
	rel, final, err := s.Close()
	if err != nil {
		t.Fatal(err)
	}
	out.WriteString(rel)
	return out.String(), nil, final
}

func TestStream(t *testing.T) {
	e := testEngine(t)
	answer := "Thanks for waiting. I have updated your profile: the new contact address is jane.doe@example.com " +
		"and we will call you on (415) 555-0132 if anything changes. Your order ORD-123456 ships tomorrow. " +
		"Is there anything else I can help you with today?"
	want := strings.NewReplacer("jane.doe@example.com", "{EMAIL}", "(415) 555-0132", "{PHONE}", "ORD-123456", "{ORDER_ID}").Replace(answer)
	for _, n := range []int{1, 3, 7, 16, 64, 1000} {
		got, blocked, final := feed(t, e, answer, n)
		if blocked != nil {
			t.Fatalf("pieces of %d: blocked: %+v", n, blocked.Assessments[0])
		}
		if got != want {
			t.Errorf("pieces of %d released\n%q\nwant\n%q", n, got, want)
		}
		if final == nil || final.Action != ActionIntervened || final.Blocked {
			t.Errorf("pieces of %d: final %+v", n, final)
		}
	}
	// A card number split across pieces is caught before any of it is released.
	leak := "Sure, I found the card on file. It is 4111 1111 1111 1111, expiring soon. Anything else?"
	for _, n := range []int{1, 5, 13} {
		got, blocked, _ := feed(t, e, leak, n)
		if blocked == nil || !blocked.Blocked || blocked.Outputs[0].Text != "Sorry, I can't share that answer." {
			t.Fatalf("pieces of %d: not blocked (released %q)", n, got)
		}
		if strings.Contains(got, "4111") {
			t.Errorf("pieces of %d: released part of the card number: %q", n, got)
		}
	}
}

func TestStreamLimits(t *testing.T) {
	e := testEngine(t)
	s := e.NewStream(context.Background(), StreamOptions{})
	if _, _, err := s.Write(strings.Repeat("x", e.MaxTextBytes()+1)); err == nil {
		t.Error("oversized stream accepted")
	}
	// A long run without spaces still moves, in bounded pieces.
	p := &Policy{Name: "pii", BlockedInputMessaging: "no", BlockedOutputsMessaging: "no",
		SensitiveInformationPolicyConfig: &SensitivePolicy{PiiEntitiesConfig: []PIIEntity{{Type: "EMAIL", Action: "ANONYMIZE"}}}}
	e, err := New(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s = e.NewStream(context.Background(), StreamOptions{HoldBack: 32, CheckEvery: 16})
	var out strings.Builder
	for range 100 {
		rel, _, err := s.Write(strings.Repeat("y", 50))
		if err != nil {
			t.Fatal(err)
		}
		out.WriteString(rel)
	}
	if out.Len() < 4000 {
		t.Errorf("released %d of 5000 bytes of a run without spaces", out.Len())
	}
	rel, _, err := s.Close()
	if err != nil || out.Len()+len(rel) != 5000 {
		t.Errorf("close: %v, %d bytes in all", err, out.Len()+len(rel))
	}
	if _, _, err := s.Write("more"); err == nil {
		t.Error("write after close accepted")
	}
}
