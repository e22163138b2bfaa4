// Package walensconfig reads walens' own configuration files as evidence: the schedules of walens monitor serve
// (drift checks, model-quality checks, alerts and retraining triggers) and the inference gateway's routes, keys,
// guardrails and audit log are exactly the controls the ML and GenAI lenses ask a team to have in place.
package walensconfig

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/evidence"
	"github.com/walens/walens/internal/yamldoc"
)

// Resource types produced from walens' configuration files.
const (
	// ScheduleType is a schedule of walens monitor serve.
	ScheduleType = "walens_monitor_schedule"
	// GatewayType is a whole walens gateway configuration (audit, capture, Redis, ...).
	GatewayType = "walens_gateway"
	// GatewayModelType is one model alias (route) of a gateway.
	GatewayModelType = "walens_gateway_model"
	// GatewayKeyType is one virtual API key of a gateway.
	GatewayKeyType = "walens_gateway_key"
	// GatewayProviderType is one upstream provider of a gateway.
	GatewayProviderType = "walens_gateway_provider"
)

// Source is the walens-configuration source of the evidence scanner.
type Source struct{}

// Name implements evidence.Source.
func (Source) Name() string { return "walens-config" }

// monitorKeys recognise a walens monitor configuration: a top-level schedules list whose entries have a cron and a
// baseline.
var (
	topSchedules = regexp.MustCompile(`(?m)^schedules:\s*$`)
	cronKey      = regexp.MustCompile(`(?m)^\s*-?\s*cron:`)
	baselineKey  = regexp.MustCompile(`(?m)^\s*-?\s*baseline:`)
	// gatewayFormat is the gateway's format line, which its loader requires.
	gatewayFormat = regexp.MustCompile(`(?m)^format:\s*["']?walens-gateway/v1["']?\s*(#.*)?$`)
)

// Match implements evidence.Source.
func (Source) Match(path string, head []byte) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
	default:
		return false
	}
	if gatewayFormat.Match(head) {
		return true
	}
	return topSchedules.Match(head) && cronKey.Match(head) && baselineKey.Match(head) &&
		!bytes.Contains(head, []byte("AWSTemplateFormatVersion"))
}

// Units implements evidence.Source: one unit per file.
func (Source) Units(paths []string, opts *evidence.Options) []evidence.Unit {
	units := make([]evidence.Unit, 0, len(paths))
	for _, p := range paths {
		units = append(units, evidence.Unit{ID: p, Load: func(context.Context) *evidence.Loaded { return load(p, opts) }})
	}
	return units
}

func load(path string, opts *evidence.Options) *evidence.Loaded {
	out := &evidence.Loaded{}
	data, p := evidence.ReadFile(path, opts)
	if p != nil {
		out.Problems = append(out.Problems, *p)
		return out
	}
	out.Files = []string{path}
	ds, problems := evidence.ScanDirectives(path, data)
	out.Directives, out.Problems = ds, problems
	doc, err := yamldoc.Parse(data)
	if err != nil {
		list, _ := err.(diag.List)
		if list == nil {
			list = diag.List{{Message: err.Error()}}
		}
		for _, p := range list {
			p.File, p.Severity = path, diag.Error
			p.Message = "invalid YAML: " + p.Message
			out.Problems = append(out.Problems, p)
		}
		return out
	}
	root := convert(path, doc.Root.Content[0], 0)
	if root.Get("format").Str() == "walens-gateway/v1" {
		out.Resources = gatewayResources(path, root)
		return out
	}
	for _, s := range root.Get("schedules").Items() {
		if s.K() != evidence.Object {
			continue
		}
		name := s.Get("name").Str()
		if name == "" {
			name = "(unnamed)"
		}
		out.Resources = append(out.Resources, &evidence.Resource{
			Type: ScheduleType, Address: "schedules." + name, Unit: path, Source: "walens-config", Pos: s.Pos, Attrs: s,
		})
	}
	return out
}

// maxDepth bounds nesting, against hostile documents; configuration files are shallow.
const maxDepth = 64

// convert turns a YAML node into a value. Keys are kept as written: the configuration is already snake_case.
func convert(file string, n *yaml.Node, depth int) *evidence.Value {
	p := evidence.Pos{File: file, Line: n.Line, Col: n.Column}
	if depth > maxDepth {
		return evidence.NewUnknown(p, "nested too deeply")
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias != nil {
			return convert(file, n.Alias, depth+1)
		}
	case yaml.MappingNode:
		obj := evidence.NewObject(p)
		for i := 0; i+1 < len(n.Content); i += 2 {
			obj.Set(n.Content[i].Value, convert(file, n.Content[i+1], depth+1))
		}
		return obj
	case yaml.SequenceNode:
		list := evidence.NewList(p)
		for _, c := range n.Content {
			list.Append(convert(file, c, depth+1))
		}
		return list
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return evidence.NewNull(p)
		case "!!bool":
			b, _ := strconv.ParseBool(n.Value)
			return evidence.NewBool(p, b)
		case "!!int", "!!float":
			if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
				return evidence.NewNumber(p, f)
			}
		}
		return evidence.NewString(p, n.Value)
	}
	return evidence.NewNull(p)
}

// gatewayResources turns a gateway configuration into resources: the gateway itself, and each provider, model alias
// and key, so that findings point at the line of the alias or key at fault. Maps keep their order of appearance.
func gatewayResources(path string, root *evidence.Value) []*evidence.Resource {
	res := []*evidence.Resource{{
		Type: GatewayType, Address: "gateway", Unit: path, Source: "walens-config", Pos: root.Pos, Attrs: root,
	}}
	named := func(typ, prefix string, m *evidence.Value) {
		for _, name := range m.Keys() {
			v := m.Get(name)
			if v.K() != evidence.Object {
				continue // the gateway's own loader reports it; there is nothing to check here
			}
			res = append(res, &evidence.Resource{
				Type: typ, Address: prefix + "." + name, Unit: path, Source: "walens-config", Pos: v.Pos, Attrs: v,
			})
		}
	}
	named(GatewayProviderType, "providers", root.Get("providers"))
	named(GatewayModelType, "models", root.Get("models"))
	for i, k := range root.Get("keys").Items() {
		if k.K() != evidence.Object {
			continue
		}
		id := k.Get("id").Str()
		if id == "" {
			id = "[" + strconv.Itoa(i) + "]"
		}
		res = append(res, &evidence.Resource{
			Type: GatewayKeyType, Address: "keys." + id, Unit: path, Source: "walens-config", Pos: k.Pos, Attrs: k,
		})
	}
	return res
}
