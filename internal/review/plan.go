package review

import (
	"sort"

	"github.com/walens/walens/internal/lens"
)

// PlanItem is one best practice to put in place.
type PlanItem struct {
	Rank          int       `json:"rank"`
	Level         string    `json:"level"` // HIGH, MEDIUM or LOW: how much risk the missing practice carries
	Lens          string    `json:"lens"`
	Pillar        string    `json:"pillar"`
	PillarName    string    `json:"pillarName"`
	Question      string    `json:"question"`
	QuestionRef   string    `json:"questionRef,omitempty"`
	QuestionTitle string    `json:"questionTitle"`
	QuestionRisk  lens.Risk `json:"questionRisk"`
	Choice        string    `json:"choice"`
	ChoiceRef     string    `json:"choiceRef,omitempty"`
	ChoiceTitle   string    `json:"choiceTitle"`
	Action        string    `json:"action"`
	URL           string    `json:"url,omitempty"`
	// AlsoIn lists other questions (lens/question) that ask for the same best practice, such as an MLSUS
	// practice in both the machine-learning and the sustainability-ai lens. The plan lists it once.
	AlsoIn []string `json:"alsoIn,omitempty"`
}

// QuestionKey names a question for lists such as the unanswered ones.
type QuestionKey struct {
	Lens     string `json:"lens"`
	Pillar   string `json:"pillar"`
	Question string `json:"question"`
	Ref      string `json:"ref,omitempty"`
	Title    string `json:"title"`
}

// Plan is the prioritised list of improvements for a review.
type Plan struct {
	Items      []PlanItem    `json:"items"`
	Unanswered []QuestionKey `json:"unanswered,omitempty"`
}

// BuildPlan lists every best practice not in place in an answered, applicable question, most urgent first:
// by the risk the missing practice carries (HIGH, then MEDIUM, then LOW), then by the workload's pillar priorities
// (listed pillars first, in the order given), then in lens order.
func BuildPlan(res *Result) *Plan {
	prio := map[string]int{}
	for i, id := range res.Workload.PillarPriorities {
		prio[id] = i
	}
	pillarRank := func(id string) int {
		if r, ok := prio[id]; ok {
			return r
		}
		return len(prio)
	}
	type keyed struct {
		item               PlanItem
		level, pillar, seq int
	}
	var all []keyed
	plan := &Plan{}
	seq := 0
	for _, lr := range res.Lenses {
		for _, q := range lr.Questions {
			switch q.Risk {
			case lens.RiskUnanswered:
				plan.Unanswered = append(plan.Unanswered, QuestionKey{Lens: lr.ID, Pillar: q.PillarID, Question: q.ID, Ref: q.Ref, Title: q.Title})
				continue
			case lens.RiskNotApplicable:
				continue
			}
			for _, id := range q.Missing {
				c := q.Question.Choice(id)
				level := itemLevel(c.Risk, q.Risk)
				all = append(all, keyed{
					item: PlanItem{Level: level, Lens: lr.ID, Pillar: q.PillarID, PillarName: q.Pillar.Name,
						Question: q.ID, QuestionRef: q.Ref, QuestionTitle: q.Title, QuestionRisk: q.Risk,
						Choice: c.ID, ChoiceRef: c.Ref, ChoiceTitle: c.Title, Action: c.Action(), URL: c.Link()},
					level: levelRank(level), pillar: pillarRank(q.PillarID), seq: seq,
				})
				seq++
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.level != b.level {
			return a.level < b.level
		}
		if a.pillar != b.pillar {
			return a.pillar < b.pillar
		}
		return a.seq < b.seq
	})
	plan.Items = make([]PlanItem, 0, len(all))
	byRef := map[string]int{}
	for _, k := range all {
		if k.item.ChoiceRef != "" {
			if i, dup := byRef[k.item.ChoiceRef]; dup {
				plan.Items[i].AlsoIn = append(plan.Items[i].AlsoIn, k.item.Lens+"/"+k.item.Question)
				continue
			}
			byRef[k.item.ChoiceRef] = len(plan.Items)
		}
		k.item.Rank = len(plan.Items) + 1
		plan.Items = append(plan.Items, k.item)
	}
	return plan
}

// LevelLabel is how a practice's level reads in reports: AWS pages that state no level are treated, and shown, as
// MEDIUM, the level walens' rules give them.
func LevelLabel(l lens.Level) string {
	switch l {
	case lens.LevelUnstated:
		return "MEDIUM"
	case "":
		return ""
	}
	return string(l)
}

// itemLevel is the stated level of a practice, or for lenses that state none (most custom lenses) the risk of the
// question it belongs to.
func itemLevel(l lens.Level, questionRisk lens.Risk) string {
	switch l {
	case lens.LevelHigh:
		return "HIGH"
	case lens.LevelMedium, lens.LevelUnstated:
		return "MEDIUM"
	case lens.LevelLow:
		return "LOW"
	}
	switch questionRisk {
	case lens.RiskHigh:
		return "HIGH"
	case lens.RiskMedium:
		return "MEDIUM"
	}
	return "LOW"
}

func levelRank(level string) int {
	switch level {
	case "HIGH":
		return 0
	case "MEDIUM":
		return 1
	}
	return 2
}

// Count returns how many items have the given level.
func (p *Plan) Count(level string) int {
	n := 0
	for _, it := range p.Items {
		if it.Level == level {
			n++
		}
	}
	return n
}
