package rules

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/walens/walens/internal/evidence"
)

// statement is an IAM policy statement reduced to what least-privilege rules look at.
type statement struct {
	allow     bool
	actions   []string
	resources []string
	// notActions lists a NotAction statement's exceptions: it applies to every action but these.
	notActions []string
	// notResources is set for a NotResource statement, which applies to every resource but some.
	notResources bool
}

// permissions is what walens could learn about the policies attached to a role.
type permissions struct {
	statements []statement
	managed    []string // ARNs of attached managed policies not declared in the code (AWS managed, say)
	unknown    []string // why some policy could not be read
	pos        evidence.Pos
}

// grants reports whether any statement allows an action matching one of actions on every resource ("*").
func (p *permissions) grants(actions ...string) (*statement, bool) {
	for i := range p.statements {
		st := &p.statements[i]
		if !st.allow || !containsFold(st.resources, "*") {
			continue
		}
		for _, a := range st.actions {
			for _, want := range actions {
				if strings.EqualFold(a, want) {
					return st, true
				}
			}
		}
	}
	return nil, false
}

// grantsService reports whether a statement allows every action of a service (bedrock) on every resource, or on
// every resource of that service (arn:aws:bedrock:*:*:*). Besides what grants finds, it counts a NotAction
// statement that does not except the whole service, and a NotResource statement, since "all but a few" is as broad
// as all. The string says what made the statement match, for messages.
func (p *permissions) grantsService(service string) (*statement, string, bool) {
	for i := range p.statements {
		st := &p.statements[i]
		if !st.allow {
			continue
		}
		scope := ""
		switch {
		case st.notResources:
			scope = "every resource but a few (NotResource)"
		case containsFold(st.resources, "*"):
			scope = "every resource"
		default:
			for _, r := range st.resources {
				if serviceWide(service, r) {
					scope = r
					break
				}
			}
		}
		if scope == "" {
			continue
		}
		for _, a := range st.actions {
			if a == "*" || a == "*:*" || strings.EqualFold(a, service+":*") {
				return st, a + " on " + scope, true
			}
		}
		if len(st.notActions) > 0 && !excepts(st.notActions, service) {
			return st, "every action but " + strings.Join(st.notActions, ", ") + " (NotAction) on " + scope, true
		}
	}
	return nil, "", false
}

// serviceWide reports whether a resource ARN pattern covers every resource of a service: arn:aws:bedrock:*:*:*,
// arn:aws:bedrock:eu-west-1:123456789012:*.
func serviceWide(service, arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && strings.EqualFold(parts[0], "arn") && strings.EqualFold(parts[2], service) && parts[5] == "*"
}

// excepts reports whether a NotAction list leaves out every action of a service.
func excepts(notActions []string, service string) bool {
	for _, a := range notActions {
		if a == "*" || a == "*:*" || strings.EqualFold(a, service+":*") {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// rolePermissions gathers every policy attached to a role in the scanned code: inline policies on the role,
// aws_iam_role_policy resources, policy attachments, policies that list the role, and managed policy ARNs.
func rolePermissions(g *evidence.Graph, role *evidence.Resource) *permissions {
	p := &permissions{pos: role.Pos}
	// Inline policies on the role itself: Terraform's inline_policy blocks, CloudFormation's Policies.
	for _, ip := range role.Attr("inline_policy").Items() {
		p.addDocument(g, role, ip.Get("policy"))
	}
	for _, ip := range role.Attr("policies").Items() {
		p.addDocument(g, role, ip.Get("policy_document"))
	}
	for _, arn := range role.Attr("managed_policy_arns").Items() {
		p.addManaged(g, role, arn)
	}
	// Separate resources that attach policies to the role.
	for _, rp := range g.OfType("aws_iam_role_policy") {
		if linksTo(g, rp, rp.Attr("role"), role) {
			p.addDocument(g, rp, rp.Attr("policy"))
		}
	}
	for _, att := range g.OfType("aws_iam_role_policy_attachment") {
		if linksTo(g, att, att.Attr("role"), role) {
			p.addManaged(g, att, att.Attr("policy_arn"))
		}
	}
	// Policies that name the roles they attach to: CloudFormation's AWS::IAM::ManagedPolicy and AWS::IAM::Policy
	// (Roles), which the CloudFormation source reads as aws_iam_policy.
	for _, pol := range g.OfType("aws_iam_policy") {
		for _, r := range pol.Attr("roles").Items() {
			if linksTo(g, pol, r, role) {
				doc := pol.Attr("policy")
				if doc.IsNull() {
					doc = pol.Attr("policy_document")
				}
				p.addDocument(g, pol, doc)
				break
			}
		}
	}
	for _, att := range g.OfType("aws_iam_policy_attachment") {
		for _, r := range att.Attr("roles").Items() {
			if linksTo(g, att, r, role) {
				p.addManaged(g, att, att.Attr("policy_arn"))
			}
		}
	}
	return p
}

// linksTo reports whether attribute v of resource from names the resource target.
func linksTo(g *evidence.Graph, from *evidence.Resource, v *evidence.Value, target *evidence.Resource) bool {
	for _, t := range g.Follow(from, v, target.Type).Targets {
		if t == target {
			return true
		}
	}
	return false
}

// addManaged records an attached policy: a customer managed policy declared in the code is read like an inline
// one; any other ARN is kept for name checks.
func (p *permissions) addManaged(g *evidence.Graph, from *evidence.Resource, arn *evidence.Value) {
	if targets := g.Follow(from, arn, "aws_iam_policy").Targets; len(targets) > 0 {
		for _, t := range targets {
			if t.Data {
				// data "aws_iam_policy" looks up an existing policy, usually an AWS managed one, by name or ARN.
				if name, ok := dataPolicyName(t); ok {
					p.managed = append(p.managed, name)
				} else {
					p.unknown = append(p.unknown, fmt.Sprintf("the policy %s looks up is not known statically", t.Address))
				}
				continue
			}
			doc := t.Attr("policy")
			if doc.IsNull() {
				doc = t.Attr("policy_document")
			}
			p.addDocument(g, t, doc)
		}
		return
	}
	if arn.K() == evidence.String {
		p.managed = append(p.managed, arn.Str())
		return
	}
	p.unknown = append(p.unknown, fmt.Sprintf("an attached policy ARN is not known statically (%s)", arn.Reason()))
}

// dataPolicyName returns what a data "aws_iam_policy" looks up, as an ARN or a name (both end in the policy's
// name, which managedPolicyName reads).
func dataPolicyName(t *evidence.Resource) (string, bool) {
	for _, attr := range []string{"arn", "name"} {
		if v := t.Attr(attr); v.K() == evidence.String && v.Str() != "" {
			return v.Str(), true
		}
	}
	return "", false
}

// maxDocumentDepth bounds how deep policy documents that include others (source_policy_documents) are followed.
const maxDocumentDepth = 8

// addDocument reads a policy document given as JSON text (Terraform's jsonencode or heredoc), as an object
// (CloudFormation), or as a reference to an aws_iam_policy_document data source.
func (p *permissions) addDocument(g *evidence.Graph, from *evidence.Resource, doc *evidence.Value) {
	switch doc.K() {
	case evidence.Null:
		return
	case evidence.String:
		var raw any
		if err := json.Unmarshal([]byte(doc.Str()), &raw); err != nil {
			p.unknown = append(p.unknown, "a policy is not valid JSON")
			return
		}
		p.statements = append(p.statements, statementsFromJSON(raw)...)
		return
	case evidence.Object:
		// A jsonencode()d document or a CloudFormation one: read it as values, so that unknown parts are seen.
		sts, unknown := statementsFromValue(doc)
		p.statements = append(p.statements, sts...)
		p.unknown = append(p.unknown, unknown...)
		return
	}
	// A reference to an aws_iam_policy_document data source: read its statement blocks.
	if docs := g.Follow(from, doc, "aws_iam_policy_document").Targets; len(docs) > 0 {
		for _, d := range docs {
			p.addPolicyDocument(g, d, 0)
		}
		return
	}
	p.unknown = append(p.unknown, "a policy document is not known statically ("+doc.Reason()+")")
}

// addPolicyDocument reads an aws_iam_policy_document data source: its statement blocks and the documents it
// merges in (source_policy_documents, override_policy_documents). Overrides replace statements by Sid; walens keeps
// both, which can only add permissions to what it examines.
func (p *permissions) addPolicyDocument(g *evidence.Graph, d *evidence.Resource, depth int) {
	for _, st := range d.Attr("statement").Items() {
		if st.IsUnknown() {
			p.unknown = append(p.unknown, fmt.Sprintf("a statement of %s is not known statically (%s)", d.Address, st.Reason()))
			continue
		}
		effect := st.Get("effect").Str()
		s := statement{
			allow:        effect == "" || strings.EqualFold(effect, "Allow"),
			actions:      strs(st.Get("actions")),
			notActions:   strs(st.Get("not_actions")),
			resources:    strs(st.Get("resources")),
			notResources: st.Get("not_resources").IsSet(),
		}
		// An action list that cannot be read may hold anything; so may resources, which matters for broad actions.
		for _, key := range []string{"actions", "not_actions", "effect"} {
			if v := st.Get(key); v.IsUnknown() || hasUnknown(v) {
				p.unknown = append(p.unknown, fmt.Sprintf("the %s argument of a statement of %s is not known statically", key, d.Address))
			}
		}
		if v := st.Get("resources"); (v.IsUnknown() || hasUnknown(v)) && broadActions(s) {
			p.unknown = append(p.unknown, fmt.Sprintf("a statement of %s allows %s on resources that are not known statically", d.Address, strings.Join(s.actions, ", ")))
		}
		p.statements = append(p.statements, s)
	}
	for _, key := range []string{"source_policy_documents", "override_policy_documents"} {
		for _, inc := range d.Attr(key).Items() {
			if depth >= maxDocumentDepth {
				p.unknown = append(p.unknown, "policy documents include each other too deeply")
				return
			}
			if inc.K() == evidence.String {
				p.addDocument(g, d, inc)
				continue
			}
			if subs := g.Follow(d, inc, "aws_iam_policy_document").Targets; len(subs) > 0 {
				for _, sub := range subs {
					if sub != d {
						p.addPolicyDocument(g, sub, depth+1)
					}
				}
				continue
			}
			p.unknown = append(p.unknown, fmt.Sprintf("a document %s merges in is not known statically (%s)", d.Address, inc.Reason()))
		}
	}
}

// statementsFromValue reads the Statement of a policy document held as a value (Action and Resource a string or a
// list). Besides the statements it returns why some could not be read: an unknown effect or action list, or a broad
// action on resources that are not known statically (they may be "*").
func statementsFromValue(doc *evidence.Value) ([]statement, []string) {
	list := doc.Get("Statement")
	if list.IsUnknown() {
		return nil, []string{"the statements of a policy are not known statically (" + list.Reason() + ")"}
	}
	var out []statement
	var unknown []string
	for _, st := range list.Items() {
		if st.IsUnknown() {
			unknown = append(unknown, "a policy statement is not known statically ("+st.Reason()+")")
			continue
		}
		s := statement{
			allow:        strings.EqualFold(st.Get("Effect").Str(), "Allow"),
			actions:      strs(st.Get("Action")),
			notActions:   strs(st.Get("NotAction")),
			resources:    strs(st.Get("Resource")),
			notResources: st.Get("NotResource").IsSet(),
		}
		for _, key := range []string{"Effect", "Action", "NotAction"} {
			if v := st.Get(key); v.IsUnknown() || hasUnknown(v) {
				unknown = append(unknown, fmt.Sprintf("the %s of a policy statement is not known statically (%s)", key, firstUnknown(v).Reason()))
			}
		}
		if v := st.Get("Resource"); (v.IsUnknown() || hasUnknown(v)) && broadActions(s) {
			unknown = append(unknown, fmt.Sprintf("a policy statement allows %s on resources that are not known statically", strings.Join(s.actions, ", ")))
		}
		out = append(out, s)
	}
	return out, unknown
}

// broadActions reports whether a statement allows a whole service or more: *, *:*, svc:*, or a NotAction list.
func broadActions(s statement) bool {
	if len(s.notActions) > 0 {
		return true
	}
	for _, a := range s.actions {
		if a == "*" || strings.HasSuffix(a, ":*") {
			return true
		}
	}
	return false
}

func firstUnknown(v *evidence.Value) *evidence.Value {
	if v.IsUnknown() {
		return v
	}
	for _, x := range v.Items() {
		if x.IsUnknown() {
			return x
		}
	}
	return v
}

func hasUnknown(v *evidence.Value) bool {
	for _, x := range v.Items() {
		if x.IsUnknown() {
			return true
		}
	}
	return false
}

func strs(v *evidence.Value) []string {
	var out []string
	for _, x := range v.Items() {
		if x.K() == evidence.String {
			out = append(out, x.Str())
		}
	}
	return out
}

// statementsFromJSON reads the Statement of a decoded policy document, where Action and Resource may be a string
// or a list.
func statementsFromJSON(doc any) []statement {
	m, ok := doc.(map[string]any)
	if !ok {
		return nil
	}
	var raw []any
	switch st := m["Statement"].(type) {
	case []any:
		raw = st
	case map[string]any:
		raw = []any{st}
	}
	var out []statement
	for _, x := range raw {
		sm, ok := x.(map[string]any)
		if !ok {
			continue
		}
		effect, _ := sm["Effect"].(string)
		_, notResources := sm["NotResource"]
		out = append(out, statement{
			allow:        strings.EqualFold(effect, "Allow"),
			actions:      stringList(sm["Action"]),
			notActions:   stringList(sm["NotAction"]),
			resources:    stringList(sm["Resource"]),
			notResources: notResources,
		})
	}
	return out
}

func stringList(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// managedPolicyName returns the name of an AWS managed policy ARN: arn:aws:iam::aws:policy/AdministratorAccess ->
// AdministratorAccess.
func managedPolicyName(arn string) string {
	if i := strings.LastIndexByte(arn, '/'); i >= 0 {
		return arn[i+1:]
	}
	return arn
}
