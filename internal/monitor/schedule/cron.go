// Package schedule parses monitoring schedules and finds their next run times. It reads the AWS form used by
// EventBridge and SageMaker monitoring schedules, cron(Minutes Hours Day-of-month Month Day-of-week Year) with
// ?, L, W and #, the standard five-field form (minute hour day-of-month month day-of-week) with @hourly-style
// shorthands, and rate(N unit).
package schedule

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// MaxExpression bounds the length of an expression; real ones are a few dozen characters.
const MaxExpression = 256

// Schedule is a parsed expression.
type Schedule struct {
	expr string
	aws  bool
	// rate schedules: every interval, aligned to the Unix epoch.
	rate time.Duration

	minutes uint64 // bit i: minute i
	hours   uint64
	months  uint64 // bit i: month i (1-12)
	dom     uint64 // bit i: day i (1-31)
	dow     uint64 // bit i: weekday i (0 = Sunday)
	domAny  bool   // * or ?
	dowAny  bool
	domQ    bool // ? (AWS: no value)
	dowQ    bool
	lastDay bool   // L in day-of-month
	lastW   bool   // LW: last weekday of the month
	nearW   uint64 // nW: the weekday nearest day n
	lastDow uint64 // nL in day-of-week: the last such weekday of the month
	nthDow  [7]uint8
	years   map[int]bool // nil: every year
}

// String returns the expression as written.
func (s *Schedule) String() string { return s.expr }

// Error is a problem with an expression, naming the field.
type Error struct {
	Expr  string
	Field string
	Msg   string
}

func (e *Error) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("schedule %q: %s", e.Expr, e.Msg)
	}
	return fmt.Sprintf("schedule %q: %s field: %s", e.Expr, e.Field, e.Msg)
}

var shorthands = map[string]string{
	"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
	"@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
}

var monthNames = map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}
var dayNames = map[string]int{"SUN": 0, "MON": 1, "TUE": 2, "WED": 3, "THU": 4, "FRI": 5, "SAT": 6}

// Parse reads an expression.
func Parse(expr string) (*Schedule, error) {
	orig := expr
	fail := func(field, format string, args ...any) (*Schedule, error) {
		return nil, &Error{Expr: orig, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	if len(expr) > MaxExpression {
		return fail("", "longer than %d characters", MaxExpression)
	}
	expr = strings.TrimSpace(expr)
	s := &Schedule{expr: orig}
	lower := strings.ToLower(expr)
	switch {
	case strings.HasPrefix(lower, "rate(") && strings.HasSuffix(expr, ")"):
		return parseRate(s, expr[5:len(expr)-1])
	case strings.HasPrefix(lower, "cron(") && strings.HasSuffix(expr, ")"):
		s.aws = true
		expr = expr[5 : len(expr)-1]
	case strings.HasPrefix(expr, "@"):
		std, ok := shorthands[lower]
		if !ok {
			return fail("", "unknown shorthand (use @yearly, @monthly, @weekly, @daily or @hourly)")
		}
		expr = std
	}
	fields := strings.Fields(expr)
	if s.aws && len(fields) != 6 {
		return fail("", "cron() takes 6 fields (minutes hours day-of-month month day-of-week year), found %d", len(fields))
	}
	if !s.aws && len(fields) != 5 {
		return fail("", "expected 5 fields (minute hour day-of-month month day-of-week) or cron(...) with 6, found %d", len(fields))
	}
	var err error
	if s.minutes, err = parseField(fields[0], 0, 59, nil); err != nil {
		return fail("minutes", "%v", err)
	}
	if s.hours, err = parseField(fields[1], 0, 23, nil); err != nil {
		return fail("hours", "%v", err)
	}
	if s.months, err = parseField(fields[3], 1, 12, monthNames); err != nil {
		return fail("month", "%v", err)
	}
	if msg := s.parseDOM(fields[2]); msg != "" {
		return fail("day-of-month", "%s", msg)
	}
	if msg := s.parseDOW(fields[4]); msg != "" {
		return fail("day-of-week", "%s", msg)
	}
	if s.aws {
		if s.domQ == s.dowQ {
			return fail("", "cron() needs ? in exactly one of day-of-month and day-of-week")
		}
		if fields[5] != "*" {
			ys, err := parseValues(fields[5], 1970, 2199, nil)
			if err != nil {
				return fail("year", "%v", err)
			}
			s.years = map[int]bool{}
			for _, y := range ys {
				s.years[y] = true
			}
		}
	} else if s.domQ || s.dowQ {
		return fail("", "? is only meaningful in cron(); use *")
	}
	return s, nil
}

func parseRate(s *Schedule, body string) (*Schedule, error) {
	f := strings.Fields(body)
	fail := func(msg string) (*Schedule, error) { return nil, &Error{Expr: s.expr, Msg: msg} }
	if len(f) != 2 {
		return fail("rate() takes a number and a unit, as in rate(1 hour)")
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n <= 0 || n > 100000 {
		return fail("rate() needs a whole number of units from 1 to 100000")
	}
	unit := map[string]time.Duration{"minute": time.Minute, "minutes": time.Minute, "hour": time.Hour, "hours": time.Hour, "day": 24 * time.Hour, "days": 24 * time.Hour}[strings.ToLower(f[1])]
	if unit == 0 {
		return fail("rate() units are minute(s), hour(s) or day(s)")
	}
	s.rate = time.Duration(n) * unit
	return s, nil
}

// parseField reads a comma-separated list of *, values, ranges a-b and steps x/n over [lo, hi] as a bit set.
func parseField(f string, lo, hi int, names map[string]int) (uint64, error) {
	vals, err := parseValues(f, lo, hi, names)
	var set uint64
	for _, v := range vals {
		set |= 1 << uint(v)
	}
	return set, err
}

// parseValues is parseField's list form, for fields wider than 64 values (years).
func parseValues(f string, lo, hi int, names map[string]int) ([]int, error) {
	value := func(v string) (int, error) {
		if n, ok := names[strings.ToUpper(v)]; ok {
			return n, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || len(v) > 4 {
			return 0, fmt.Errorf("%q is not a number", v)
		}
		if n < lo || n > hi {
			return 0, fmt.Errorf("%d is out of range %d-%d", n, lo, hi)
		}
		return n, nil
	}
	var out []int
	for _, part := range strings.Split(f, ",") {
		if part == "" {
			return nil, fmt.Errorf("empty list item in %q", f)
		}
		rng, step, hasStep := strings.Cut(part, "/")
		inc := 1
		if hasStep {
			n, err := strconv.Atoi(step)
			if err != nil || n <= 0 || n > hi-lo+1 {
				return nil, fmt.Errorf("step %q must be a number from 1 to %d", step, hi-lo+1)
			}
			inc = n
		}
		start, end := lo, hi
		switch {
		case rng == "*":
		case strings.Contains(rng, "-"):
			a, b, _ := strings.Cut(rng, "-")
			var err error
			if start, err = value(a); err != nil {
				return nil, err
			}
			if end, err = value(b); err != nil {
				return nil, err
			}
			if end < start {
				return nil, fmt.Errorf("range %q runs backwards", rng)
			}
		default:
			v, err := value(rng)
			if err != nil {
				return nil, err
			}
			start = v
			if !hasStep {
				end = v
			}
		}
		for i := start; i <= end; i += inc {
			out = append(out, i)
		}
	}
	return out, nil
}

func (s *Schedule) parseDOM(f string) string {
	switch f {
	case "?":
		s.domQ, s.domAny = true, true
		return ""
	case "*":
		s.domAny = true
		return ""
	case "L":
		s.lastDay = true
		return ""
	case "LW":
		s.lastW = true
		return ""
	}
	if strings.HasSuffix(f, "W") {
		n, err := strconv.Atoi(strings.TrimSuffix(f, "W"))
		if err != nil || n < 1 || n > 31 {
			return fmt.Sprintf("%q: W needs a day from 1 to 31, as in 15W", f)
		}
		s.nearW = 1 << uint(n)
		return ""
	}
	set, err := parseField(f, 1, 31, nil)
	if err != nil {
		return err.Error()
	}
	s.dom = set
	return ""
}

func (s *Schedule) parseDOW(f string) string {
	switch f {
	case "?":
		s.dowQ, s.dowAny = true, true
		return ""
	case "*":
		s.dowAny = true
		return ""
	}
	// AWS numbers weekdays 1-7 from Sunday; standard cron 0-7 with both 0 and 7 for Sunday.
	lo, hi, shift := 0, 7, 0
	if s.aws {
		lo, hi, shift = 1, 7, 1
	}
	day := func(v string) (int, bool) {
		if n, ok := dayNames[strings.ToUpper(v)]; ok {
			return n, true
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return 0, false
		}
		return (n - shift) % 7, true
	}
	if strings.HasSuffix(f, "L") && len(f) > 1 {
		d, ok := day(strings.TrimSuffix(f, "L"))
		if !ok {
			return fmt.Sprintf("%q: L needs a weekday, as in 6L", f)
		}
		s.lastDow = 1 << uint(d)
		return ""
	}
	if a, b, ok := strings.Cut(f, "#"); ok {
		d, ok1 := day(a)
		n, err := strconv.Atoi(b)
		if !ok1 || err != nil || n < 1 || n > 5 {
			return fmt.Sprintf("%q: # needs a weekday and a week from 1 to 5, as in 2#1", f)
		}
		s.nthDow[d] |= 1 << uint(n)
		return ""
	}
	names := map[string]int{}
	for k, v := range dayNames {
		names[k] = v + shift
	}
	set, err := parseField(f, lo, hi, names)
	if err != nil {
		return err.Error()
	}
	set >>= uint(shift)
	if set&(1<<7) != 0 { // standard cron's 7 is Sunday
		set = set&^(1<<7) | 1
	}
	s.dow = set
	return ""
}

// Next returns the first run time strictly after t, in t's location; the zero time if there is none (a
// date that never comes, such as 30 February, or years that have passed).
func (s *Schedule) Next(t time.Time) time.Time {
	if s.rate > 0 {
		return t.Truncate(s.rate).Add(s.rate)
	}
	loc := t.Location()
	t = t.Truncate(time.Minute).Add(time.Minute)
	// Four years cover every day-of-month and weekday combination, except an explicit list of years.
	limit := t.Year() + 5
	if s.years != nil {
		limit = 2200
	}
	// Each step moves forward; advance keeps that true across daylight-saving changes, where a wall-clock time
	// built with time.Date can land before the one it came from.
	advance := func(next time.Time) {
		if !next.After(t) {
			next = t.Add(time.Minute)
		}
		t = next
	}
	for steps := 0; t.Year() <= limit && steps < 100_000; steps++ {
		if s.years != nil && !s.years[t.Year()] {
			advance(time.Date(t.Year()+1, 1, 1, 0, 0, 0, 0, loc))
			continue
		}
		if s.months&(1<<uint(t.Month())) == 0 {
			advance(time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, loc))
			continue
		}
		if !s.dayMatches(t) {
			advance(time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, loc))
			continue
		}
		if s.hours&(1<<uint(t.Hour())) == 0 {
			advance(time.Date(t.Year(), t.Month(), t.Day(), t.Hour()+1, 0, 0, 0, loc))
			continue
		}
		if s.minutes&(1<<uint(t.Minute())) == 0 {
			if next := nextBit(s.minutes, t.Minute()); next < 0 {
				advance(time.Date(t.Year(), t.Month(), t.Day(), t.Hour()+1, 0, 0, 0, loc))
			} else {
				advance(time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), next, 0, 0, loc))
			}
			continue
		}
		return t
	}
	return time.Time{}
}

// nextBit returns the first set bit after i, or -1.
func nextBit(set uint64, i int) int {
	rest := set >> uint(i+1)
	if rest == 0 {
		return -1
	}
	return i + 1 + bits.TrailingZeros64(rest)
}

func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }

func (s *Schedule) dayMatches(t time.Time) bool {
	dom := s.domMatches(t)
	dow := s.dowMatches(t)
	if s.aws || s.domAny || s.dowAny {
		return dom && dow
	}
	// Standard cron: when both fields are restricted, either may match.
	return dom || dow
}

func (s *Schedule) domMatches(t time.Time) bool {
	d, last := t.Day(), daysIn(t.Year(), t.Month())
	switch {
	case s.domAny:
		return true
	case s.lastDay:
		return d == last
	case s.lastW:
		return d == nearestWeekday(t.Year(), t.Month(), last)
	case s.nearW != 0:
		return d == nearestWeekday(t.Year(), t.Month(), bits.TrailingZeros64(s.nearW))
	}
	return s.dom&(1<<uint(d)) != 0
}

// nearestWeekday is the Monday-to-Friday day nearest day n of the month, without leaving the month.
func nearestWeekday(y int, m time.Month, n int) int {
	last := daysIn(y, m)
	if n > last {
		n = last
	}
	switch time.Date(y, m, n, 0, 0, 0, 0, time.UTC).Weekday() {
	case time.Saturday:
		if n == 1 {
			return 3
		}
		return n - 1
	case time.Sunday:
		if n == last {
			return n - 2
		}
		return n + 1
	}
	return n
}

func (s *Schedule) dowMatches(t time.Time) bool {
	wd := int(t.Weekday())
	switch {
	case s.dowAny:
		return true
	case s.lastDow != 0:
		return s.lastDow&(1<<uint(wd)) != 0 && t.Day()+7 > daysIn(t.Year(), t.Month())
	case s.nthDow != [7]uint8{}:
		return s.nthDow[wd]&(1<<uint((t.Day()-1)/7+1)) != 0
	}
	return s.dow&(1<<uint(wd)) != 0
}
