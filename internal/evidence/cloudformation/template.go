package cloudformation

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/evidence"
)

// regionWhy is why a resource's Region is unknown when the options do not give one.
const regionWhy = "CloudFormation templates do not say which Region they deploy to; pass --region (or evidence.region in walens.yaml)"

// loadTemplate parses and evaluates one template, adding its resources, suppression comments and problems to out.
// Invalid syntax is an error problem; a document that is not a template (not a mapping, or without Resources)
// yields nothing, silently.
func loadTemplate(ctx context.Context, path string, data []byte, opts *evidence.Options, out *evidence.Loaded) {
	rep := newReporter(path)
	var doc *document
	var p *diag.Problem
	if isJSON(path, data) {
		doc, p = parseJSON(path, data)
	} else {
		// JSON has no comments, so only YAML templates can carry suppression comments.
		dirs, problems := evidence.ScanDirectives(path, data)
		out.Directives = append(out.Directives, dirs...)
		out.Problems = append(out.Problems, problems...)
		doc, p = parseYAML(path, data, rep)
	}
	if p != nil {
		out.Problems = append(out.Problems, *p)
	} else {
		out.Resources = append(out.Resources, evaluate(ctx, path, doc, opts, rep)...)
	}
	out.Problems = append(out.Problems, rep.list...)
}

// isJSON decides which parser reads a file: .json files are JSON, .template files are JSON when they start with a
// brace, and everything else is YAML.
func isJSON(path string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return true
	case ".template":
		trimmed := strings.TrimLeft(string(data[:min(len(data), 512)]), " \t\r\n\ufeff")
		return strings.HasPrefix(trimmed, "{")
	}
	return false
}

// evaluate turns a parsed template into resources.
func evaluate(ctx context.Context, file string, doc *document, opts *evidence.Options, rep *reporter) []*evidence.Resource {
	root := doc.root
	if root.K() != evidence.Object {
		return nil
	}
	res := root.Get("Resources")
	if res == nil || res.IsNull() {
		return nil
	}
	if res.K() != evidence.Object {
		rep.fail(res.Pos, "Resources must be a mapping of logical IDs to resource declarations; no resource is read from this template")
		return nil
	}
	e := &evaluator{
		ctx: ctx, file: file, rep: rep,
		params: map[string]*param{}, conds: map[string]*condition{},
		resources: map[string]*resourceDecl{}, props: map[string]*propMemo{},
	}
	if opts != nil {
		e.region, e.values = opts.Region, opts.Parameters
	}
	section := func(name string) *evidence.Value {
		v := root.Get(name)
		if v == nil || v.IsNull() {
			return nil
		}
		if v.K() != evidence.Object {
			rep.warn(v.Pos, "%s must be a mapping; it is ignored", name)
			return nil
		}
		return v
	}
	if ps := section("Parameters"); ps != nil {
		for _, name := range ps.Keys() {
			decl := ps.Get(name)
			if decl.K() != evidence.Object {
				rep.warn(decl.Pos, "parameter %s must be a mapping with a Type", name)
			}
			e.params[name] = &param{name: name, decl: decl}
		}
	}
	e.mappings = section("Mappings")
	if cs := section("Conditions"); cs != nil {
		for _, name := range cs.Keys() {
			e.conds[name] = &condition{raw: cs.Get(name)}
		}
	}

	order := res.Keys()
	for _, id := range order {
		body := res.Get(id)
		pos, ok := doc.keyPos[id]
		if !ok {
			pos = body.Pos
		}
		if strings.TrimSpace(id) == "" {
			rep.fail(pos, "a resource has an empty logical ID; it is not read")
			continue
		}
		if strings.HasPrefix(id, "Fn::ForEach::") {
			rep.warn(pos, "%s is not expanded; the resources it would create are not scanned", id)
			continue
		}
		decl := &resourceDecl{id: id, pos: pos, body: body}
		e.resources[id] = decl
		if body.K() != evidence.Object {
			rep.fail(pos, "resource %s must be a mapping with a Type and Properties", id)
			continue
		}
		t := body.Get("Type")
		if t == nil {
			rep.fail(pos, "resource %s has no Type", id)
			continue
		}
		if t.K() != evidence.String || strings.TrimSpace(t.Str()) == "" {
			rep.fail(t.Pos, "the Type of resource %s must be a name like AWS::S3::Bucket", id)
			continue
		}
		decl.typ, decl.valid = strings.TrimSpace(t.Str()), true
	}

	var out []*evidence.Resource
	for _, id := range order {
		decl := e.resources[id]
		if decl == nil || !decl.valid {
			continue
		}
		note := ""
		if c := decl.body.Get("Condition"); c != nil {
			if c.K() != evidence.String {
				rep.warn(c.Pos, "the Condition of resource %s must be the name of a condition", id)
				note = "it has a malformed Condition, so whether it exists is not known"
			} else {
				switch t, why := e.condition(c.Str(), c.Pos, 0); t {
				case isFalse:
					continue // CloudFormation does not create it
				case unknownTruth:
					note = fmt.Sprintf("exists only when condition %s holds, which is not known statically (%s)", c.Str(), why)
				}
			}
		}
		region := evidence.NewUnknown(decl.pos, regionWhy)
		if e.region != "" {
			region = evidence.NewString(decl.pos, e.region)
		}
		out = append(out, &evidence.Resource{
			Type:       canonicalType(decl.typ),
			SourceType: decl.typ,
			Address:    id,
			Unit:       file,
			Source:     "cloudformation",
			Pos:        decl.pos,
			Attrs:      e.properties(decl),
			Region:     region,
			Note:       note,
		})
	}
	return out
}

// properties evaluates a resource's Properties into its attributes. Properties chosen by an Fn::If whose condition
// is not known statically give an unknown value rather than an object: rules reading any attribute of it then see
// an unknown, with the reason.
func (e *evaluator) properties(decl *resourceDecl) *evidence.Value {
	raw := decl.body.Get("Properties")
	if raw == nil || raw.IsNull() {
		return evidence.NewObject(decl.pos)
	}
	v := e.eval(raw, 1)
	switch {
	case v == nil:
		return evidence.NewObject(decl.pos)
	case v.IsUnknown():
		return v
	case v.K() != evidence.Object:
		e.rep.fail(raw.Pos, "the Properties of resource %s must be a mapping", decl.id)
		return evidence.NewObject(raw.Pos)
	}
	if decl.typ == "AWS::CloudFormation::Stack" {
		e.nestedStack(decl, v.Get("TemplateURL"))
	}
	return convertAttrs(decl.typ, v)
}

// nestedStack warns that a nested stack's local template is not followed: its resources would need the parameters
// the parent passes, and the file is scanned on its own when it is under a scan root.
func (e *evaluator) nestedStack(decl *resourceDecl, url *evidence.Value) {
	if url.K() != evidence.String {
		return
	}
	u := url.Str()
	if strings.Contains(u, "://") {
		return
	}
	e.rep.warn(url.Pos, "nested stack %s: its template %s is not followed; walens scans that file as a template of its own when it is under a scan root, with the parameters this stack passes unknown", decl.id, u)
}
