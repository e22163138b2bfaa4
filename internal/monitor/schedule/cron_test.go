package schedule

import (
	"strings"
	"testing"
	"time"
)

func TestNext(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse("2006-01-02 15:04", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		expr, from string
		want       []string
	}{
		{"cron(0 12 * * ? *)", "2026-11-30 11:00", []string{"2026-11-30 12:00", "2026-12-01 12:00"}},
		{"cron(0 * ? * * *)", "2026-11-30 11:59", []string{"2026-11-30 12:00", "2026-11-30 13:00"}},
		{"cron(15 10 ? * 6L 2026-2027)", "2026-11-01 00:00", []string{"2026-11-27 10:15", "2026-12-25 10:15"}}, // last Friday
		{"cron(0 9 ? * 2#1 *)", "2026-11-01 00:00", []string{"2026-11-02 09:00", "2026-12-07 09:00"}},          // first Monday
		{"cron(0 0 L * ? *)", "2026-02-01 00:00", []string{"2026-02-28 00:00", "2026-03-31 00:00"}},
		{"cron(0 0 15W * ? *)", "2026-11-01 00:00", []string{"2026-11-16 00:00", "2026-12-15 00:00"}}, // 15 Nov 2026 is a Sunday
		{"cron(0/20 8-9 ? * MON-FRI *)", "2026-11-27 09:50", []string{"2026-11-30 08:00", "2026-11-30 08:20"}},
		{"cron(0 0 1 1 ? 2027)", "2026-06-01 00:00", []string{"2027-01-01 00:00", ""}},
		{"*/15 * * * *", "2026-11-30 11:07", []string{"2026-11-30 11:15", "2026-11-30 11:30"}},
		{"0 12 * * 1-5", "2026-11-28 13:00", []string{"2026-11-30 12:00", "2026-12-01 12:00"}},
		{"0 0 1,15 * 0", "2026-11-30 00:00", []string{"2026-12-01 00:00", "2026-12-06 00:00"}}, // standard cron: day-of-month OR weekday
		{"0 0 * * 7", "2026-11-30 00:00", []string{"2026-12-06 00:00"}},                        // 7 is Sunday too
		{"@hourly", "2026-11-30 11:30", []string{"2026-11-30 12:00"}},
		{"0 0 30 2 *", "2026-01-01 00:00", []string{""}},
		{"rate(6 hours)", "2026-11-30 11:30", []string{"2026-11-30 12:00", "2026-11-30 18:00"}},
	}
	for _, c := range cases {
		s, err := Parse(c.expr)
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		at := utc(c.from)
		for _, w := range c.want {
			got := s.Next(at)
			if w == "" {
				if !got.IsZero() {
					t.Errorf("%s after %s: %s, want none", c.expr, at.Format(time.DateTime), got.Format(time.DateTime))
				}
				break
			}
			if !got.Equal(utc(w)) {
				t.Errorf("%s after %s: %s, want %s", c.expr, at.Format(time.DateTime), got.Format(time.DateTime), w)
				break
			}
			at = got
		}
	}
}

func TestNextAcrossDaylightSaving(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	s, _ := Parse("30 * * * *")
	// 2026-11-01 01:30 happens twice in New York; every step must move forward.
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, ny)
	for range 6 {
		next := s.Next(at)
		if !next.After(at) || next.Sub(at) > 2*time.Hour {
			t.Fatalf("after %s came %s", at, next)
		}
		at = next
	}
}

func TestParseErrors(t *testing.T) {
	cases := map[string]string{
		"cron(0 12 * * * *)":   "needs ? in exactly one",
		"cron(0 25 * * ? *)":   "hours field: 25 is out of range 0-23",
		"cron(0 12 * * ?)":     "takes 6 fields",
		"0 12 * *":             "expected 5 fields",
		"61 * * * *":           "minutes field: 61 is out of range",
		"0 0 ? * *":            "only meaningful in cron()",
		"*/0 * * * *":          "step",
		"5-1 * * * *":          "runs backwards",
		"0 0 * FOO *":          `"FOO" is not a number`,
		"cron(0 0 ? * 9 *)":    "day-of-week field",
		"rate(0 minutes)":      "whole number",
		"rate(5 weeks)":        "units",
		"@often":               "unknown shorthand",
		"cron(0 0 1 1 ? 1800)": "out of range 1970-2199",
	}
	for expr, want := range cases {
		_, err := Parse(expr)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error containing %q", expr, err, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"cron(0 12 * * ? *)", "*/5 * * * *", "cron(15 10 ? * 6L 2026-2027)", "0 0 15W * ?", "rate(1 hour)", "@daily", "cron(0 9 ? * 2#1 *)", "0 0 1,15 * 0"} {
		f.Add(s)
	}
	from := time.Date(2026, 11, 30, 11, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, expr string) {
		s, err := Parse(expr)
		if err != nil {
			return
		}
		next := s.Next(from)
		if !next.IsZero() && !next.After(from) {
			t.Fatalf("%q: next run %s is not after %s", expr, next, from)
		}
	})
}
