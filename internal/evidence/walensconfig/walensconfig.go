// Package walensconfig reads walens' own configuration files as evidence: the schedules of walens monitor serve
// (drift checks, model-quality checks, alerts and retraining triggers) are exactly what the ML lens asks a team to
// have in place. The inference gateway's configuration will be read here too when it exists.
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

// ScheduleType is the resource type of a walens monitor schedule.
const ScheduleType = "walens_monitor_schedule"

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
)

// Match implements evidence.Source.
func (Source) Match(path string, head []byte) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
	default:
		return false
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
