// Package interview walks a person through a review's questions in the terminal, one question at a time, and saves
// each answer as soon as it is given. It reads plain lines, so answers can also be piped in.
package interview

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/walens/walens/internal/lens"
	"github.com/walens/walens/internal/report"
	"github.com/walens/walens/internal/review"
)

// Options choose which questions to ask.
type Options struct {
	Lens      string   // only this lens
	Questions []string // only these questions (IDs or aliases); implies asking answered ones again
	All       bool     // ask answered questions too
	Color     bool
	Width     int
	// Echo repeats each input line after the prompt, so a transcript of piped answers reads like a session.
	Echo bool
}

// Saver persists the review after each answer and returns it reloaded.
type Saver func(*review.Review) (*review.Review, error)

// Summary says what happened.
type Summary struct {
	Asked, Answered, Skipped int
	Stopped                  string // why the interview ended early: "quit", "end of input", "interrupted"; "" when done
}

// MaxLine bounds one line of input.
const MaxLine = 64 << 10

type item struct {
	lensID, questionID string
}

// Run asks the selected questions. The review is saved after every answer, so stopping at any point keeps what was
// answered.
func Run(ctx context.Context, in io.Reader, out io.Writer, r *review.Review, save Saver, opts Options) (Summary, error) {
	var sum Summary
	items, err := selectQuestions(r, opts)
	if err != nil {
		return sum, err
	}
	if len(items) == 0 {
		fmt.Fprintln(out, "Every question is answered. Use --all to go through them again, or --question ID for one.")
		return sum, nil
	}
	lines := readLines(ctx, in)
	s := report.Style{Color: opts.Color, Width: opts.Width}
	fmt.Fprintf(out, "%s\n", s.Dim(fmt.Sprintf("%d questions to answer. Each answer is saved to %s as you go.", len(items), r.Path)))
	for i, it := range items {
		l := r.Lens(it.lensID)
		ref := l.Question(it.questionID)
		sum.Asked++
		elsewhere := func(practice string) string { return r.PracticeElsewhere(it.lensID, practice) }
		showQuestion(out, s, l, ref, i+1, len(items), r.AnswerFor(it.lensID, it.questionID), elsewhere)
		for {
			fmt.Fprint(out, s.Bold("> "))
			line, err := next(ctx, lines)
			if err != nil {
				fmt.Fprintln(out)
				sum.Stopped = "end of input"
				if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
					sum.Stopped = "interrupted"
				} else if !errors.Is(err, io.EOF) {
					return sum, err
				}
				return sum, nil
			}
			if opts.Echo {
				fmt.Fprintln(out, line)
			}
			act, answer, err := parse(line, ref.Question)
			if err != nil {
				fmt.Fprintf(out, "%s %v\n", s.Risk(lens.RiskHigh, "?"), err)
				continue
			}
			switch act {
			case actHelp:
				showGuidance(out, s, ref.Question)
				continue
			case actQuit:
				sum.Stopped = "quit"
				return sum, nil
			case actSkip:
				sum.Skipped++
				fmt.Fprintln(out, s.Dim("skipped"))
			case actAnswer:
				if err := r.SetAnswer(it.lensID, ref.Question.ID, answer); err != nil {
					return sum, err
				}
				fresh, err := save(r)
				if err != nil {
					return sum, err
				}
				r = fresh
				sum.Answered++
				res := review.Evaluate(r)
				risk := res.Question(it.lensID, ref.Question.ID).Risk
				fmt.Fprintf(out, "%s %s\n", s.Dim("saved:"), s.Risk(risk, string(risk)+" risk"))
			}
			break
		}
	}
	return sum, nil
}

func selectQuestions(r *review.Review, opts Options) ([]item, error) {
	if opts.Lens != "" && r.Lens(opts.Lens) == nil {
		var ids []string
		for _, l := range r.Lenses {
			ids = append(ids, l.ID)
		}
		return nil, fmt.Errorf("lens %q is not in this review; its lenses are %s", opts.Lens, strings.Join(ids, ", "))
	}
	res := review.Evaluate(r)
	want := map[string]bool{}
	for _, q := range opts.Questions {
		found := false
		for _, l := range r.Lenses {
			if opts.Lens != "" && l.ID != opts.Lens {
				continue
			}
			if ref := l.Question(q); ref.Question != nil {
				want[l.ID+"/"+ref.Question.ID] = true
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("no question %q in the review's lenses", q)
		}
	}
	var items []item
	for _, lr := range res.Lenses {
		if opts.Lens != "" && lr.ID != opts.Lens {
			continue
		}
		for _, q := range lr.Questions {
			switch {
			case len(want) > 0 && !want[lr.ID+"/"+q.ID]:
				continue
			case len(want) == 0 && !opts.All && q.Risk != lens.RiskUnanswered:
				continue
			}
			items = append(items, item{lr.ID, q.ID})
		}
	}
	return items, nil
}

func readLines(ctx context.Context, in io.Reader) <-chan lineOrErr {
	ch := make(chan lineOrErr)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 4096), MaxLine)
		for sc.Scan() {
			select {
			case ch <- lineOrErr{line: sc.Text()}:
			case <-ctx.Done():
				return
			}
		}
		err := sc.Err()
		if err == nil {
			err = io.EOF
		}
		select {
		case ch <- lineOrErr{err: err}:
		case <-ctx.Done():
		}
	}()
	return ch
}

type lineOrErr struct {
	line string
	err  error
}

func next(ctx context.Context, lines <-chan lineOrErr) (string, error) {
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case l, ok := <-lines:
		if !ok {
			return "", io.EOF
		}
		return l.line, l.err
	}
}

type action int

const (
	actAnswer action = iota
	actSkip
	actQuit
	actHelp
)

// parse reads one answer line:
//
//	1,3-4          practices 1, 3 and 4 are in place
//	1 na:2         practice 1 in place, practice 2 not applicable
//	0              none of these
//	n [REASON]     the question does not apply (reason defaults to OUT_OF_SCOPE)
//	s / q / ?      skip, quit, show guidance
//
// Anything after " # " becomes the question's notes.
func parse(line string, q *lens.Question) (action, *review.Answer, error) {
	body, notes, _ := strings.Cut(line, "#")
	body, notes = strings.TrimSpace(body), strings.TrimSpace(notes)
	switch strings.ToLower(body) {
	case "":
		if notes != "" {
			return 0, nil, errors.New("notes need an answer before the #")
		}
		return actSkip, nil, nil
	case "s", "skip":
		return actSkip, nil, nil
	case "q", "quit", "exit":
		return actQuit, nil, nil
	case "?", "h", "help":
		return actHelp, nil, nil
	}
	fields := strings.Fields(strings.ReplaceAll(body, ",", " "))
	if len(fields) == 0 {
		return 0, nil, errors.New("no choice given; answer with numbers such as 1,3-4, or ? for help")
	}
	if f := strings.ToLower(fields[0]); f == "n" || f == "na" {
		if len(fields) > 2 {
			return 0, nil, errors.New(`write "n" or "n REASON" to mark the question not applicable`)
		}
		reason := review.Reason("OUT_OF_SCOPE")
		if len(fields) == 2 {
			reason = review.Reason(strings.ToUpper(fields[1]))
			if !slices.Contains(review.Reasons, reason) {
				return 0, nil, fmt.Errorf("reason must be one of %s", reasonList())
			}
		}
		f := false
		return actAnswer, &review.Answer{Applicable: &f, Reason: reason, Notes: notes}, nil
	}
	practices := practiceChoices(q)
	a := &review.Answer{Notes: notes}
	seen := map[string]bool{}
	for _, f := range fields {
		na := false
		if rest, ok := strings.CutPrefix(strings.ToLower(f), "na:"); ok {
			na, f = true, rest
		}
		if f == "0" {
			none := q.NoneChoice()
			if none == nil || na {
				return 0, nil, errors.New("this question has no \"None of these\" choice")
			}
			if seen[none.ID] {
				return 0, nil, errors.New("0 (none of these) is given twice")
			}
			a.Selected = append(a.Selected, none.ID)
			seen[none.ID] = true
			continue
		}
		lo, hi, err := numberRange(f, len(practices))
		if err != nil {
			return 0, nil, err
		}
		for n := lo; n <= hi; n++ {
			c := practices[n-1]
			if seen[c.ID] {
				return 0, nil, fmt.Errorf("choice %d is given twice", n)
			}
			seen[c.ID] = true
			if na {
				if a.Choices == nil {
					a.Choices = map[string]review.ChoiceAnswer{}
				}
				a.Choices[c.ID] = review.ChoiceAnswer{Status: review.NotApplicable}
			} else {
				a.Selected = append(a.Selected, c.ID)
			}
		}
	}
	if none := q.NoneChoice(); none != nil && seen[none.ID] && len(seen) > 1 {
		return 0, nil, errors.New("0 (none of these) cannot be combined with other choices")
	}
	if len(a.Selected) == 0 && len(a.Choices) == 0 {
		return 0, nil, errors.New("no choice given")
	}
	return actAnswer, a, nil
}

func numberRange(f string, n int) (int, int, error) {
	lo, hi := f, f
	if a, b, ok := strings.Cut(f, "-"); ok {
		lo, hi = a, b
	}
	l, err1 := strconv.Atoi(lo)
	h, err2 := strconv.Atoi(hi)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("%q is not a choice number; answer with numbers such as 1,3-4, or ? for help", f)
	}
	if l < 1 || h > n || l > h {
		return 0, 0, fmt.Errorf("%q is out of range; choices are numbered 1 to %d (0 for none of these)", f, n)
	}
	return l, h, nil
}

func practiceChoices(q *lens.Question) []*lens.Choice {
	var out []*lens.Choice
	for i := range q.Choices {
		if !q.Choices[i].IsNone() {
			out = append(out, &q.Choices[i])
		}
	}
	return out
}

func reasonList() string {
	var s []string
	for _, r := range review.Reasons {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}
