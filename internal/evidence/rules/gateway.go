package rules

import (
	"strings"

	"github.com/walens/walens/internal/evidence"
	"github.com/walens/walens/internal/evidence/walensconfig"
)

// walens gateway configuration (walens gateway --config): the runtime controls the GenAI lens asks for, read from
// the file that enforces them.
func gatewayRules() []*evidence.Rule {
	return []*evidence.Rule{
		{
			ID:       "WL-WAL-004",
			Title:    "Every walens gateway key has request or token limits and a spend budget",
			Severity: evidence.SeverityMedium,
			Description: "A key without limits lets one client, or one leaked secret, take every upstream quota and run up " +
				"an unbounded bill. Rate limits protect the shared capacity; a daily or monthly budget caps the cost.",
			Remediation: "Give each entry under keys an rpm or tpm limit and a daily_budget_usd or monthly_budget_usd.",
			Types:       []string{walensconfig.GatewayKeyType},
			Practices:   []evidence.Practice{p("GENOPS02-BP03"), p("AGENTCOST07-BP01")},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				rate := firstSet(r, "rpm", "tpm")
				budget := firstSet(r, "daily_budget_usd", "monthly_budget_usd")
				switch {
				case rate == "" && budget == "":
					c.Fail(r, r.Attrs, "the key has neither a rate limit nor a spend budget")
				case rate == "":
					c.Fail(r, r.Attr(budget), "the key has a budget (%s) but no rpm or tpm limit", budget)
				case budget == "":
					c.Fail(r, r.Attr(rate), "the key is rate limited (%s) but has no daily or monthly budget", rate)
				default:
					c.Pass(r, r.Attr(budget), "the key is limited by %s and capped by %s", rate, budget)
				}
			},
		},
		{
			ID:       "WL-WAL-005",
			Title:    "Every walens gateway model alias has a fallback target or a degraded answer",
			Severity: evidence.SeverityMedium,
			Description: "An alias with a single upstream fails whenever that upstream throttles or goes down. A second " +
				"target lets the gateway fail over; a degraded answer (a cheaper model or a fixed message) keeps clients " +
				"from receiving a raw upstream error.",
			Remediation: "List a second target (another provider or Region) under the alias, or give it degraded.model or " +
				"degraded.message.",
			Types:     []string{walensconfig.GatewayModelType},
			Practices: []evidence.Practice{p("GENREL03-BP01"), p("AGENTREL04-BP03")},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				targets := r.Attr("targets").Items()
				degraded := r.Attr("degraded")
				switch {
				case len(targets) >= 2:
					c.Pass(r, targets[1], "the alias falls back across %d targets", len(targets))
				case degraded.IsSet():
					c.Pass(r, degraded, "the alias answers with its degraded setting when its target fails")
				default:
					c.Fail(r, r.Attr("targets").Or(r.Attrs), "the alias has one target and no degraded answer, so an upstream outage reaches clients")
				}
			},
		},
		{
			ID:       "WL-WAL-006",
			Title:    "Every walens gateway chat alias applies guardrails to input and output",
			Severity: evidence.SeverityHigh,
			Description: "Prompts can carry injected instructions and personal data, and answers can carry harmful or " +
				"sensitive content. Checking both directions at the gateway covers every application behind it. Aliases " +
				"whose targets are all embedding models are not checked.",
			Remediation: "Set guardrails.input and guardrails.output on the alias to a guardrail policy file or to " +
				"id@version of one listed under guardrails.",
			Types:     []string{walensconfig.GatewayModelType},
			Practices: []evidence.Practice{p("GENSEC02-BP01"), p("GENSEC04-BP02"), p("AGENTSEC08-BP01"), p("AGENTSEC08-BP02")},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				if embeddingOnly(r) {
					return
				}
				g := r.Attr("guardrails")
				in, out := g.Get("input"), g.Get("output")
				switch {
				case !in.IsSet() && !out.IsSet():
					c.Fail(r, r.Attrs, "the alias applies no guardrail to prompts or answers")
				case !in.IsSet():
					c.Fail(r, g, "the alias checks answers (%s) but not prompts", out.Str())
				case !out.IsSet():
					c.Fail(r, g, "the alias checks prompts (%s) but not answers", in.Str())
				default:
					c.Pass(r, g, "the alias checks prompts with %s and answers with %s", in.Str(), out.Str())
				}
			},
		},
		{
			ID:       "WL-WAL-007",
			Title:    "The walens gateway writes an audit record of every request",
			Severity: evidence.SeverityMedium,
			Description: "Knowing who called which model, when, with what outcome and at what cost is the basis of access " +
				"reviews, incident response and chargeback. The gateway writes one record per request when audit.dir is set.",
			Remediation: "Set audit.dir to a directory that is kept and shipped to your log store (or \"-\" for standard " +
				"output when a collector keeps the container's output).",
			Types:     []string{walensconfig.GatewayType},
			Practices: []evidence.Practice{p("GENSEC01-BP04"), p("AGENTOPS05-BP03")},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				dir := r.Attr("audit", "dir")
				switch {
				case !dir.IsSet() || dir.Str() == "":
					c.Fail(r, r.Attr("audit").Or(r.Attrs), "no audit.dir: requests leave no audit record")
				case dir.Str() == "-":
					c.Pass(r, dir, "audit records go to standard output, for the log collector to keep")
				default:
					c.Pass(r, dir, "one audit record per request is written under %s", dir.Str())
				}
			},
		},
	}
}

// firstSet returns the first of the named attributes that is set to a positive number, or "".
func firstSet(r *evidence.Resource, names ...string) string {
	for _, n := range names {
		if v, ok := r.Attr(n).Num(); ok && v > 0 {
			return n
		}
	}
	return ""
}

// embeddingOnly reports whether every target of an alias names an embedding model, which guardrails do not apply to.
func embeddingOnly(r *evidence.Resource) bool {
	targets := r.Attr("targets").Items()
	for _, t := range targets {
		if !strings.Contains(strings.ToLower(t.Get("model").Str()), "embed") {
			return false
		}
	}
	return len(targets) > 0
}
