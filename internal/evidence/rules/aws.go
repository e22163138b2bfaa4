package rules

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/walens/walens/internal/evidence"
)

func awsRules() []*evidence.Rule {
	return []*evidence.Rule{
		{
			ID:       "WL-AWS-001",
			Title:    "Bedrock is reached through VPC interface endpoints",
			Severity: evidence.SeverityMedium,
			Description: "Without interface endpoints, calls to Bedrock leave the VPC for the public Bedrock endpoints, so the " +
				"workload needs internet egress and its prompts cross a network path outside the team's control.",
			Remediation: "Declare aws_vpc_endpoint resources of type Interface for com.amazonaws.<region>.bedrock-runtime (and " +
				"bedrock-agent-runtime when agents or knowledge bases are used), with private DNS enabled.",
			Types:       bedrockTypes,
			Practices:   []evidence.Practice{s("GENSEC01-BP02")},
			Equivalents: evidence.Equivalents{Prowler: []string{"bedrock_vpc_endpoints_configured"}},
			CheckGraph: func(c *evidence.Check, g *evidence.Graph) {
				need := []string{"bedrock-runtime"}
				if len(g.OfType("aws_bedrockagent_agent", "aws_bedrockagent_knowledge_base")) > 0 {
					need = append(need, "bedrock-agent-runtime")
				}
				checkEndpoints(c, g, g.OfType(bedrockTypes...), need)
			},
		},
		{
			ID:       "WL-AWS-002",
			Title:    "SageMaker endpoints are reached through a VPC interface endpoint",
			Severity: evidence.SeverityMedium,
			Description: "Applications that call a SageMaker endpoint without the runtime interface endpoint send inference " +
				"traffic out of the VPC to the public SageMaker runtime endpoint.",
			Remediation: "Declare an aws_vpc_endpoint of type Interface for com.amazonaws.<region>.sagemaker.runtime with " +
				"private DNS enabled, and restrict its policy to the workload's endpoints.",
			Types:     []string{endpoint},
			Practices: []evidence.Practice{p("MLSEC03-BP02"), p("MLSEC06-BP01"), p("GENSEC01-BP02")},
			CheckGraph: func(c *evidence.Check, g *evidence.Graph) {
				checkEndpoints(c, g, g.OfType(endpoint), []string{"sagemaker.runtime"})
			},
		},
		{
			ID:       "WL-AWS-003",
			Title:    "AI resources carry cost-allocation tags",
			Severity: evidence.SeverityLow,
			Description: "Without tags, the bill cannot say which model, team or experiment spent what, and nobody can tell " +
				"whether a model pays for itself.",
			Remediation: "Tag every AI resource with the organisation's cost-allocation keys (for example through the AWS " +
				"provider's default_tags), and activate them as cost allocation tags in the Billing console.",
			Types:     taggable,
			Practices: []evidence.Practice{s("MLCOST04-BP12"), p("MLCOST06-BP01"), p("AGENTCOST05-BP01")},
			Check:     checkTags,
		},
		{
			ID:       "WL-AWS-004",
			Title:    "AI resources run in the preferred Regions",
			Severity: evidence.SeverityMedium,
			Description: "The carbon intensity of electricity differs a lot between Regions. Training and hosting in the " +
				"Regions the organisation prefers for sustainability (and data residency) keeps the footprint where it was " +
				"planned.",
			Remediation: "Deploy the resource in one of the preferred Regions, or add its Region to the list with a reason. " +
				"The list comes from --preferred-region or evidence.preferredRegions in walens.yaml; without it this rule " +
				"does not run.",
			Types:     aiTypes,
			Practices: []evidence.Practice{s("MLSUS02-BP02")},
			Check:     checkRegion,
		},
		{
			ID:       "WL-AWS-005",
			Title:    "Workloads with AI resources have a cost budget",
			Severity: evidence.SeverityLow,
			Description: "GPU instances, endpoints left running and token-priced models can multiply a bill within days. A " +
				"budget with alerts is the cheapest early warning.",
			Remediation: "Declare an aws_budgets_budget (AWS::Budgets::Budget) with notifications, filtered by the workload's " +
				"cost-allocation tags.",
			Types:      aiTypes,
			Practices:  []evidence.Practice{s("MLCOST04-BP12"), p("MLCOST06-BP01")},
			CheckGraph: checkBudget,
		},
	}
}

// checkBudget requires a budget that tells someone when it is exceeded: notifications on the budget (Terraform's
// notification blocks, CloudFormation's NotificationsWithSubscribers) or a budget action. A budget nobody hears
// about is only a number in the console.
func checkBudget(c *evidence.Check, g *evidence.Graph) {
	ai := first(g, aiTypes...)
	if ai == nil {
		return
	}
	budgets := g.OfType("aws_budgets_budget")
	if len(budgets) == 0 {
		c.Fail(ai, nil, "no cost budget (aws_budgets_budget) is declared alongside the AI resources")
		return
	}
	var unknown *evidence.Resource
	var why string
	for _, b := range budgets {
		notes := slices.Concat(b.Attr("notification").Items(), b.Attr("notifications_with_subscribers").Items())
		undecided := false
		for _, n := range notes {
			if n.IsUnknown() {
				undecided, why = true, n.Reason()
				continue
			}
			c.Pass(b, n, "budget %s notifies its subscribers", b.Address)
			return
		}
		for _, a := range g.OfType("aws_budgets_budget_action") {
			if linksTo(g, a, a.Attr("budget_name"), b) {
				c.Pass(b, nil, "budget %s has the budget action %s", b.Address, a.Address)
				return
			}
		}
		if undecided && unknown == nil {
			unknown = b
		}
	}
	if unknown != nil {
		c.Unknown(unknown, nil, "whether budget %s notifies anyone is not known statically: %s", unknown.Address, why)
		return
	}
	c.Fail(budgets[0], nil, "budget %s has no notification, so nobody is told when the AI spend passes it", budgets[0].Address)
}

// checkEndpoints requires, for the given users, interface VPC endpoints with private DNS for each service suffix.
// Without private DNS (private_dns_enabled defaults to false in Terraform and CloudFormation) the service's public
// hostname still resolves to the public endpoint, so SDK calls bypass the endpoint.
// checkEndpoints requires, in each Region the users run in, interface VPC endpoints with private DNS for each
// service. Endpoints are per Region, so the finding is per Region too: it is anchored at the first user there and
// names how many more it covers, instead of repeating itself for every resource.
func checkEndpoints(c *evidence.Check, g *evidence.Graph, users []*evidence.Resource, services []string) {
	byRegion := map[string][]*evidence.Resource{}
	var regions []string
	for _, u := range users {
		reg := regionKey(u)
		if byRegion[reg] == nil {
			regions = append(regions, reg)
		}
		byRegion[reg] = append(byRegion[reg], u)
	}
	for _, reg := range regions {
		checkEndpointsIn(c, g, reg, byRegion[reg], services)
	}
}

// regionKey is a resource's Region, or "" when the code does not say.
func regionKey(r *evidence.Resource) string {
	if r.Region.K() == evidence.String {
		return r.Region.Str()
	}
	return ""
}

func checkEndpointsIn(c *evidence.Check, g *evidence.Graph, region string, users []*evidence.Resource, services []string) {
	type found struct {
		ep  *evidence.Resource
		dns evidence.Status // Pass: private DNS on; Fail: off; Undetermined: not known statically
	}
	rank := map[evidence.Status]int{evidence.Fail: 1, evidence.Undetermined: 2, evidence.Pass: 3}
	best := map[string]found{}
	unknown := ""
	for _, ep := range g.OfType("aws_vpc_endpoint") {
		// An endpoint in another known Region does not serve these users; one whose Region is unknown might.
		if er := regionKey(ep); region != "" && er != "" && er != region {
			continue
		}
		name := ep.Attr("service_name")
		if name.IsUnknown() {
			if unknown == "" {
				unknown = ep.Address
			}
			continue
		}
		for _, svc := range services {
			if !endpointFor(name.Str(), svc) {
				continue
			}
			// Terraform and CloudFormation both default vpc_endpoint_type to Gateway, which these services lack.
			if t := ep.Attr("vpc_endpoint_type"); !strings.EqualFold(t.Str(), "Interface") {
				if t.IsUnknown() && unknown == "" {
					unknown = ep.Address
				}
				continue
			}
			dns := evidence.Fail
			switch v := ep.Attr("private_dns_enabled"); {
			case v.IsUnknown():
				dns = evidence.Undetermined
			default:
				if b, ok := v.Bool(); ok && b {
					dns = evidence.Pass
				}
			}
			if cur, ok := best[svc]; !ok || rank[dns] > rank[cur.dns] {
				best[svc] = found{ep, dns}
			}
		}
	}
	var missing, noDNS, unknownDNS []string
	for _, svc := range services {
		f, ok := best[svc]
		switch {
		case !ok:
			missing = append(missing, svc)
		case f.dns == evidence.Fail:
			noDNS = append(noDNS, f.ep.Address+" ("+svc+")")
		case f.dns == evidence.Undetermined:
			unknownDNS = append(unknownDNS, f.ep.Address+" ("+svc+")")
		}
	}
	u := users[0]
	where := ""
	if region != "" {
		where = " in " + region
	}
	if n := len(users) - 1; n > 0 {
		where += fmt.Sprintf(" (for this and %d more resources there)", n)
	}
	switch {
	case len(missing) > 0 && unknown != "":
		c.Unknown(u, nil, "no interface endpoint is known for %s%s, and the service or type of %s is not known statically", strings.Join(missing, ", "), where, unknown)
	case len(missing) > 0:
		c.Fail(u, nil, "no interface VPC endpoint for %s is declared%s", strings.Join(missing, ", "), where)
	case len(noDNS) > 0:
		c.Fail(u, nil, "%s private DNS disabled, so SDK calls still resolve to the public endpoint%s", plural(noDNS, "interface endpoint %s has", "interface endpoints %s have"), where)
	case len(unknownDNS) > 0:
		c.Unknown(u, nil, "whether %s private DNS is not known statically%s", plural(unknownDNS, "interface endpoint %s has", "interface endpoints %s have"), where)
	default:
		c.Pass(u, nil, "interface endpoints with private DNS exist for %s%s", strings.Join(services, " and "), where)
	}
}

func plural(list []string, one, many string) string {
	if len(list) == 1 {
		return fmt.Sprintf(one, list[0])
	}
	return fmt.Sprintf(many, strings.Join(list, ", "))
}

// endpointFor reports whether a VPC endpoint service name (com.amazonaws.eu-west-1.bedrock-runtime) is for a
// service, or for its FIPS variant (bedrock-runtime-fips).
func endpointFor(name, svc string) bool {
	return strings.HasSuffix(name, "."+svc) || strings.HasSuffix(name, "."+svc+"-fips")
}

func checkTags(c *evidence.Check, r *evidence.Resource) {
	tags, known := r.Tags()
	required := c.Options.RequiredTags
	if len(required) == 0 {
		switch {
		case len(tags) > 0:
			c.Pass(r, r.Attr("tags"), "the resource carries %d tags", len(tags))
		case !known:
			c.Unknown(r, r.Attr("tags"), "the resource's tags are not known statically")
		default:
			c.Fail(r, r.Attr("tags").Or(nil), "the resource has no tags")
		}
		return
	}
	var missing []string
	for _, k := range required {
		if _, ok := tags[k]; !ok {
			missing = append(missing, k)
		}
	}
	switch {
	case len(missing) == 0:
		c.Pass(r, r.Attr("tags"), "the resource carries the cost-allocation tags %s", strings.Join(required, ", "))
	case !known:
		c.Unknown(r, r.Attr("tags"), "the resource's tags are not known statically; %s may be missing", strings.Join(missing, ", "))
	default:
		c.Fail(r, r.Attr("tags").Or(nil), "the resource lacks the cost-allocation tags %s", strings.Join(missing, ", "))
	}
}

func checkRegion(c *evidence.Check, r *evidence.Resource) {
	preferred := c.Options.PreferredRegions
	if len(preferred) == 0 || r.Region == nil {
		return
	}
	reg := r.Region
	switch {
	case reg.IsUnknown():
		c.Unknown(r, nil, "the resource's Region is not known statically: %s", reg.Reason())
	case slices.Contains(preferred, reg.Str()):
		c.Pass(r, nil, "the resource runs in %s, a preferred Region", reg.Str())
	default:
		sorted := slices.Clone(preferred)
		sort.Strings(sorted)
		c.Fail(r, nil, "the resource runs in %s, outside the preferred Regions (%s)", reg.Str(), strings.Join(sorted, ", "))
	}
}
