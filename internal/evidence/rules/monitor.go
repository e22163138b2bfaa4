package rules

import (
	"strings"

	"github.com/walens/walens/internal/evidence"
	"github.com/walens/walens/internal/evidence/walensconfig"
)

// walens monitor schedules (walens monitor serve --config): evidence from walens' own configuration.
func monitorRules() []*evidence.Rule {
	return []*evidence.Rule{
		{
			ID:       "WL-WAL-001",
			Title:    "walens monitor schedules check drift against a baseline and alert someone",
			Severity: evidence.SeverityMedium,
			Description: "A schedule that compares captured traffic with the training baseline is drift detection; without an " +
				"alert, what it finds waits in a folder until someone happens to look.",
			Remediation: "Give every schedule a baseline, its capture location and at least one alert (a JSON or Slack " +
				"webhook) in monitor.yaml.",
			Types:     []string{walensconfig.ScheduleType},
			Practices: []evidence.Practice{s("MLPERF06-BP03"), p("MLOPS06-BP02"), p("RAIMON01-BP05")},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				base, data, alerts := r.Attr("baseline"), r.Attr("data"), r.Attr("alerts")
				switch {
				case !base.IsSet() || !data.IsSet():
					c.Fail(r, base.Or(r.Attrs), "the schedule has no baseline or no data to compare with it")
				case !alerts.IsSet():
					c.Fail(r, r.Attrs, "the schedule checks drift against %s but alerts nobody when it finds some", base.Str())
				default:
					c.Pass(r, alerts, "the schedule checks drift against %s and alerts %s", base.Str(), strings.Join(strs(alerts), ", "))
				}
			},
		},
		{
			ID:       "WL-WAL-002",
			Title:    "walens monitor schedules trigger retraining on repeated drift or violations",
			Severity: evidence.SeverityLow,
			Description: "Retraining on a calendar wastes compute when nothing changed and is late when something did. A " +
				"policy that retrains after drift or violations on several runs in a row retrains when, and only when, the " +
				"data says so.",
			Remediation: "Add retrain { consecutive_drift_runs (or consecutive_violation_runs), command or webhook } to a " +
				"schedule of each model in monitor.yaml.",
			Types:     []string{walensconfig.ScheduleType},
			Practices: []evidence.Practice{s("MLPERF06-BP05"), p("MLSUS06-BP02")},
			// Per model, not per schedule: a daily quality schedule beside an hourly drift schedule that retrains
			// is a complete setup. Schedules are grouped by the baseline they compare with.
			CheckGraph: func(c *evidence.Check, g *evidence.Graph) {
				byBaseline := map[string][]*evidence.Resource{}
				var order []string
				for _, r := range g.OfType(walensconfig.ScheduleType) {
					b := r.Unit + "\x00" + r.Attr("baseline").Str()
					if byBaseline[b] == nil {
						order = append(order, b)
					}
					byBaseline[b] = append(byBaseline[b], r)
				}
				for _, b := range order {
					checkRetrain(c, byBaseline[b])
				}
			},
		},
		{
			ID:       "WL-WAL-003",
			Title:    "A walens monitor schedule checks model quality against ground truth",
			Severity: evidence.SeverityMedium,
			Description: "Drift says the inputs changed; only a comparison with ground truth says the model got worse. " +
				"Without one, a model can degrade while its inputs look stable.",
			Remediation: "Add a schedule with ground_truth (labels joined by event ID) and problem_type, usually daily or " +
				"weekly as labels arrive.",
			Types:     []string{walensconfig.ScheduleType},
			Practices: []evidence.Practice{s("MLPERF06-BP04"), p("MLOPS06-BP02")},
			CheckGraph: func(c *evidence.Check, g *evidence.Graph) {
				scheds := g.OfType(walensconfig.ScheduleType)
				if len(scheds) == 0 {
					return
				}
				for _, s := range scheds {
					if s.Attr("ground_truth").IsSet() && s.Attr("problem_type").IsSet() {
						c.Pass(s, s.Attr("ground_truth"), "the schedule checks %s quality against ground truth", s.Attr("problem_type").Str())
						return
					}
				}
				c.Fail(scheds[0], scheds[0].Attrs, "no schedule compares predictions with ground truth, so degradation shows only as drift")
			},
		},
	}
}

// checkRetrain passes the schedules of one baseline when one of them has a complete retraining policy.
func checkRetrain(c *evidence.Check, scheds []*evidence.Resource) {
	var incomplete *evidence.Resource
	for _, r := range scheds {
		rt := r.Attr("retrain")
		if !rt.IsSet() {
			continue
		}
		runs := rt.Get("consecutive_drift_runs")
		if !runs.IsSet() {
			runs = rt.Get("consecutive_violation_runs")
		}
		action := rt.Get("command")
		if !action.IsSet() {
			action = rt.Get("webhook")
		}
		if n, _ := runs.Num(); n >= 1 && action.IsSet() {
			c.Pass(r, rt, "retraining runs after %g run(s) in a row with drift or violations", n)
			return
		}
		incomplete = r
	}
	if incomplete != nil {
		c.Fail(incomplete, incomplete.Attr("retrain"), "the retraining policy needs a number of runs and a command or webhook")
		return
	}
	c.Fail(scheds[0], scheds[0].Attrs, "no schedule comparing with %s has a retraining policy", scheds[0].Attr("baseline").Str())
}
