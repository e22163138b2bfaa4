package cloudformation

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/evidence"
)

// Limits that keep a hostile template from exhausting memory or time. Real templates stay far below them:
// CloudFormation itself accepts template bodies of at most 1 MB.
const (
	maxDepth = 256     // nesting of values, intrinsic functions and the references they follow
	maxNodes = 1 << 20 // YAML nodes converted, counting each use of an alias
	// maxLocateBytes bounds the files whose YAML syntax errors are located by parsing prefixes (locateYAMLError);
	// larger ones get the parser's own line.
	maxLocateBytes = 2 << 20
)

// reporter collects a template's problems, once each: a value reached through several aliases or references would
// otherwise repeat the same warning.
type reporter struct {
	file string
	list diag.List
	seen map[string]bool
}

func newReporter(file string) *reporter { return &reporter{file: file, seen: map[string]bool{}} }

func (r *reporter) add(sev diag.Severity, p evidence.Pos, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	key := fmt.Sprintf("%d:%d:%d:%s", sev, p.Line, p.Col, msg)
	if r.seen[key] {
		return
	}
	r.seen[key] = true
	r.list = append(r.list, diag.Problem{File: r.file, Line: p.Line, Col: p.Col, Message: msg, Severity: sev})
}

func (r *reporter) warn(p evidence.Pos, format string, args ...any) {
	r.add(diag.Warning, p, format, args...)
}
func (r *reporter) fail(p evidence.Pos, format string, args ...any) {
	r.add(diag.Error, p, format, args...)
}

// document is a parsed template: its tree, with every intrinsic function in the long form ({"Ref": ...},
// {"Fn::GetAtt": ...}), and where the logical IDs of its resources are written.
type document struct {
	root   *evidence.Value
	keyPos map[string]evidence.Pos
}

// parseJSON reads a JSON template. A syntax error comes back as a problem with its line and column.
func parseJSON(file string, data []byte) (*document, *diag.Problem) {
	if bom := []byte("\xef\xbb\xbf"); bytes.HasPrefix(data, bom) {
		// Some editors on Windows start JSON with a byte order mark, which the decoder rejects. Blanking it keeps
		// every offset, so positions stay right.
		data = append([]byte("   "), data[len(bom):]...)
	}
	root, p := evidence.DecodeJSON(file, data)
	if p != nil {
		return nil, p
	}
	doc := &document{root: root, keyPos: map[string]evidence.Pos{}}
	res := root.Get("Resources")
	if res.K() != evidence.Object {
		return doc, nil
	}
	lines := diag.NewLineIndex(data)
	for _, id := range res.Keys() {
		doc.keyPos[id] = jsonKeyPos(data, lines, res.Get(id).Pos, id)
	}
	return doc, nil
}

// jsonKeyPos finds where the key of a JSON object member is written, given where its value starts: the decoder
// locates values only. It walks back over the colon to the quoted key and falls back to the value's position when
// the text there is not that key.
func jsonKeyPos(data []byte, lines diag.LineIndex, val evidence.Pos, key string) evidence.Pos {
	if val.Line < 1 || val.Line > len(lines) {
		return val
	}
	off := lines[val.Line-1] + val.Col - 1
	if off < 1 || off > len(data) {
		return val
	}
	i := off - 1
	skip := func() {
		for i >= 0 && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
			i--
		}
	}
	skip()
	if i < 0 || data[i] != ':' {
		return val
	}
	i--
	skip()
	if i < 0 || data[i] != '"' {
		return val
	}
	end := i
	start := bytes.LastIndexByte(data[:end], '"')
	if start < 0 || string(data[start+1:end]) != key {
		return val // an escaped key, or not a key at all
	}
	p := lines.Position(start)
	return evidence.Pos{File: val.File, Line: p.Line, Col: p.Col}
}

// parseYAML reads a YAML template. A syntax error comes back as a problem; an empty file is a document with no root.
func parseYAML(file string, data []byte, rep *reporter) (*document, *diag.Problem) {
	var root yaml.Node
	extra, err := decodeYAML(data, &root)
	if errors.Is(err, io.EOF) {
		return &document{keyPos: map[string]evidence.Pos{}}, nil
	}
	if err != nil {
		return nil, yamlProblem(file, data, err)
	}
	if extra > 0 {
		rep.warn(evidence.Pos{File: file, Line: extra}, "this file holds more than one YAML document; only the first is read as a template")
	}
	body := &root
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return &document{keyPos: map[string]evidence.Pos{}}, nil
		}
		body = root.Content[0]
	}
	c := &yamlConverter{file: file, rep: rep, done: map[*yaml.Node]*evidence.Value{}, busy: map[*yaml.Node]bool{}}
	return &document{root: c.value(body, 0), keyPos: yamlKeyPos(file, body)}, nil
}

// decodeYAML decodes the first document of data and reports the line of a second one, if any.
func decodeYAML(data []byte, n *yaml.Node) (extra int, err error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := decode(dec, n); err != nil {
		return 0, err
	}
	var next yaml.Node
	if decode(dec, &next) == nil && len(next.Content) > 0 && !isNullNode(next.Content[0]) {
		return max(next.Content[0].Line, 1), nil
	}
	return 0, nil
}

// decodeFirst decodes the first document of data only.
func decodeFirst(data []byte, n *yaml.Node) error {
	return decode(yaml.NewDecoder(bytes.NewReader(data)), n)
}

// decode reads the next document. The YAML package signals errors with panics that it recovers itself; the recover
// here only turns a bug of its own into an error instead of taking the scan down, since templates are untrusted
// input.
func decode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the YAML parser failed: %v", r)
		}
	}()
	return dec.Decode(n)
}

func isNullNode(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlProblem locates a YAML syntax error. The YAML package often reports the line where the enclosing mapping or
// list starts rather than the line at fault, and never a column; so the line is found again by parsing ever longer
// prefixes of the file (see locateYAMLError), and the column given is that of the line's first character, which is
// where editors should jump.
func yamlProblem(file string, data []byte, err error) *diag.Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	if l := locateYAMLError(data, line, msg); l > 0 {
		line = l
	}
	p := &diag.Problem{File: file, Line: line, Message: "invalid YAML: " + msg, Severity: diag.Error}
	if line > 0 {
		p.Col = firstColumn(data, line)
	}
	return p
}

// locateYAMLError returns the first line such that the file up to and including it fails to parse with the same
// complaint as the whole file, or 0. Adding lines to a broken prefix rarely repairs it, so the line can be searched
// for: from the line the parser reported, which is never after the one at fault, in growing steps and then by
// halves, so that an error close to its report costs a few parses of a prefix of the file.
func locateYAMLError(data []byte, reported int, msg string) int {
	if len(data) > maxLocateBytes {
		return 0
	}
	starts := diag.NewLineIndex(data)
	fails := func(lines int) bool {
		end := len(data)
		if lines < len(starts) {
			end = starts[lines]
		}
		var n yaml.Node
		err := decodeFirst(data[:end], &n)
		if err == nil || errors.Is(err, io.EOF) {
			return false
		}
		got := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLineRE.FindStringSubmatch(got); m != nil {
			got = m[2]
		}
		return got == msg
	}
	last := len(starts)
	lo := min(max(reported, 1), last)
	hi := last
	for step := 0; ; step = max(1, step*2) {
		k := lo + step
		if k >= last {
			if !fails(last) {
				return 0
			}
			break
		}
		if fails(k) {
			hi = k
			break
		}
		lo = k + 1
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// firstColumn returns the 1-based column of the first non-blank byte of a 1-based line, or 1.
func firstColumn(data []byte, line int) int {
	lines := bytes.SplitN(data, []byte("\n"), line+1)
	if line < 1 || line > len(lines) {
		return 1
	}
	l := lines[line-1]
	for i, c := range l {
		if c != ' ' && c != '\t' {
			return i + 1
		}
	}
	return 1
}

// yamlKeyPos records where each logical ID under Resources is written.
func yamlKeyPos(file string, body *yaml.Node) map[string]evidence.Pos {
	out := map[string]evidence.Pos{}
	if body.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(body.Content); i += 2 {
		if body.Content[i].Value != "Resources" {
			continue
		}
		res := body.Content[i+1]
		if res.Kind == yaml.AliasNode && res.Alias != nil {
			res = res.Alias
		}
		if res.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(res.Content); j += 2 {
			k := res.Content[j]
			out[k.Value] = evidence.Pos{File: file, Line: k.Line, Col: k.Column}
		}
	}
	return out
}

// shortTags maps YAML's short forms of the intrinsic functions to the keys of their long forms. The converter
// rewrites !Ref X as {Ref: X}, so that the evaluator has one form to read whatever the template's syntax.
var shortTags = map[string]string{
	"!Ref":          "Ref",
	"!Condition":    "Condition",
	"!And":          "Fn::And",
	"!Base64":       "Fn::Base64",
	"!Cidr":         "Fn::Cidr",
	"!Equals":       "Fn::Equals",
	"!FindInMap":    "Fn::FindInMap",
	"!GetAZs":       "Fn::GetAZs",
	"!GetAtt":       "Fn::GetAtt",
	"!If":           "Fn::If",
	"!ImportValue":  "Fn::ImportValue",
	"!Join":         "Fn::Join",
	"!Length":       "Fn::Length",
	"!Not":          "Fn::Not",
	"!Or":           "Fn::Or",
	"!Select":       "Fn::Select",
	"!Split":        "Fn::Split",
	"!Sub":          "Fn::Sub",
	"!ToJsonString": "Fn::ToJsonString",
	"!Transform":    "Fn::Transform",
}

// yamlConverter turns YAML nodes into values. An anchored node is converted once and shared by its aliases, which
// keeps "billion laughs" documents small; the node budget still bounds what evaluation will walk.
type yamlConverter struct {
	file    string
	rep     *reporter
	done    map[*yaml.Node]*evidence.Value
	busy    map[*yaml.Node]bool
	nodes   int
	stopped bool
}

func (c *yamlConverter) pos(n *yaml.Node) evidence.Pos {
	return evidence.Pos{File: c.file, Line: n.Line, Col: n.Column}
}

func (c *yamlConverter) value(n *yaml.Node, depth int) *evidence.Value {
	p := c.pos(n)
	if c.stopped {
		return evidence.NewUnknown(p, "walens stopped reading this template at its size limit")
	}
	c.nodes++
	switch {
	case c.nodes > maxNodes:
		c.stopped = true
		c.rep.fail(p, "the template has more than %d YAML nodes (counting each use of an alias); the rest is not read", maxNodes)
		return evidence.NewUnknown(p, "walens stopped reading this template at its size limit")
	case depth > maxDepth:
		c.rep.fail(p, "values are nested more than %d levels deep; deeper ones are not read", maxDepth)
		return evidence.NewUnknown(p, "it is nested too deeply for walens to read")
	}
	if n.Kind == yaml.AliasNode {
		target := n.Alias
		if target == nil {
			return evidence.NewNull(p)
		}
		if c.busy[target] {
			c.rep.warn(p, "alias *%s refers to a value that contains it", n.Value)
			return evidence.NewUnknown(p, "it is an alias that refers to itself")
		}
		if v, ok := c.done[target]; ok {
			return v
		}
		return c.value(target, depth+1)
	}
	if n.Anchor == "" {
		return c.tagged(n, depth)
	}
	// Only anchored nodes can be the target of an alias, so only they are tracked.
	c.busy[n] = true
	v := c.tagged(n, depth)
	delete(c.busy, n)
	c.done[n] = v
	return v
}

// tagged converts a node, turning the short form of an intrinsic function into its long form.
func (c *yamlConverter) tagged(n *yaml.Node, depth int) *evidence.Value {
	p := c.pos(n)
	tag := n.Tag
	// Standard tags (!!str) and the non-specific tag "!" (a plain string) are no intrinsic functions.
	if tag == "!" || !strings.HasPrefix(tag, "!") || strings.HasPrefix(tag, "!!") {
		return c.plain(n, depth)
	}
	fn, ok := shortTags[tag]
	if !ok {
		c.rep.warn(p, "unknown YAML tag %s: CloudFormation defines no such function", tag)
		return evidence.NewUnknown(p, fmt.Sprintf("it uses the YAML tag %s, which CloudFormation does not define", tag))
	}
	var arg *evidence.Value
	if n.Kind == yaml.ScalarNode {
		// Arguments of short forms are read as written: !Ref 123 names "123".
		arg = evidence.NewString(p, n.Value)
	} else {
		arg = c.plain(n, depth)
	}
	out := evidence.NewObject(p)
	out.Set(fn, arg)
	return out
}

// plain converts a node by its kind, ignoring any tag of its own.
func (c *yamlConverter) plain(n *yaml.Node, depth int) *evidence.Value {
	p := c.pos(n)
	switch n.Kind {
	case yaml.MappingNode:
		return c.mapping(n, depth)
	case yaml.SequenceNode:
		out := evidence.NewList(p)
		for _, item := range n.Content {
			out.Append(c.value(item, depth+1))
		}
		return out
	case yaml.ScalarNode:
		return scalar(n, p)
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			return c.value(n.Content[0], depth+1)
		}
	}
	return evidence.NewNull(p)
}

func (c *yamlConverter) mapping(n *yaml.Node, depth int) *evidence.Value {
	out := evidence.NewObject(c.pos(n))
	var merges []*evidence.Value
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			c.rep.warn(c.pos(k), "a mapping key must be a plain value; this entry is ignored")
			continue
		}
		if k.ShortTag() == "!!merge" {
			merges = append(merges, c.value(v, depth+1))
			continue
		}
		if out.Get(k.Value) != nil {
			c.rep.warn(c.pos(k), "duplicate key %q; the last one is used", k.Value)
		}
		out.Set(k.Value, c.value(v, depth+1))
	}
	// YAML merge keys (<<: *base) add the keys of other mappings that the mapping does not set itself.
	for _, m := range merges {
		for _, src := range m.Items() {
			for _, key := range src.Keys() {
				if out.Get(key) == nil {
					out.Set(key, src.Get(key))
				}
			}
		}
	}
	return out
}

// scalar converts a scalar node by its resolved type. Numbers outside what JSON can carry (.inf, .nan) and forms
// the float parser does not read stay strings, as CloudFormation reads most scalars as strings anyway.
func scalar(n *yaml.Node, p evidence.Pos) *evidence.Value {
	switch n.ShortTag() {
	case "!!null":
		return evidence.NewNull(p)
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return evidence.NewBool(p, b)
		}
	case "!!int", "!!float":
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil {
			if n.Decode(&f) != nil {
				return evidence.NewString(p, n.Value)
			}
		}
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return evidence.NewString(p, n.Value)
		}
		return evidence.NewNumber(p, f)
	}
	return evidence.NewString(p, n.Value)
}
