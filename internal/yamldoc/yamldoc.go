// Package yamldoc decodes YAML documents strictly (unknown fields and duplicate keys are errors) and reports every
// problem with its line and the path of the field, so configuration mistakes are found in one pass.
package yamldoc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/walens/walens/internal/diag"
)

// Doc is a parsed document: its node tree, kept so that edits can preserve comments, and where each path starts.
type Doc struct {
	Root *yaml.Node // the document node
	Pos  diag.Positions
}

// Parse parses exactly one YAML document. Problems carry lines but no file name; the caller adds it.
func Parse(data []byte) (*Doc, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, diag.List{{Line: 1, Message: "the document is empty"}}
		}
		return nil, syntaxProblems(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, diag.List{{Line: extra.Line, Message: "found a second YAML document; this file must hold exactly one"}}
	} else if !errors.Is(err, io.EOF) {
		return nil, syntaxProblems(err)
	}
	if len(root.Content) == 0 || root.Content[0].Kind == yaml.ScalarNode && root.Content[0].Tag == "!!null" {
		return nil, diag.List{{Line: 1, Message: "the document is empty"}}
	}
	pos := diag.Positions{}
	positions(root.Content[0], "", pos)
	return &Doc{Root: &root, Pos: pos}, nil
}

// Decode parses data and decodes it into v, a pointer to a struct. Every key must match a field of the struct
// (by its yaml tag); a key that does not is reported with the closest field name as a suggestion.
func Decode(data []byte, v any) (*Doc, error) {
	doc, err := Parse(data)
	if err != nil {
		return nil, err
	}
	if err := doc.Decode(v); err != nil {
		return doc, err
	}
	return doc, nil
}

// DecodeFile is Decode for the content of a named file: problems carry the file name, and lines and columns where
// the document has them.
func DecodeFile(data []byte, name string, v any) (*Doc, error) {
	doc, err := Decode(data, v)
	if list, ok := err.(diag.List); ok {
		var pos diag.Positions
		if doc != nil {
			pos = doc.Pos
		}
		list.Locate(name, pos)
	}
	return doc, err
}

// Decode decodes the document into v, rejecting unknown fields.
func (d *Doc) Decode(v any) error {
	var c diag.Collector
	body := d.Root.Content[0]
	checkKnown(&c, body, reflect.TypeOf(v), "")
	if len(c.List) > 0 {
		c.List.Locate("", d.Pos)
		return c.List
	}
	if err := body.Decode(v); err != nil {
		return typeProblems(err)
	}
	return nil
}

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

// checkKnown walks the node tree alongside the Go type and records keys that the type has no field for.
func checkKnown(c *diag.Collector, n *yaml.Node, t reflect.Type, path string) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	for t.Kind() == reflect.Pointer {
		if t.Implements(unmarshalerType) {
			return
		}
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return // the decoder reports the type mismatch
		}
		fields := structFields(t)
		names := make([]string, 0, len(fields))
		for name := range fields {
			names = append(names, name)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" {
				continue
			}
			ft, ok := fields[k.Value]
			if !ok {
				p := c.Errorf(diag.Key(path, k.Value), "unknown field %q", k.Value)
				p.Suggest(k.Value, names)
				continue
			}
			checkKnown(c, val, ft, diag.Key(path, k.Value))
		}
	case reflect.Slice, reflect.Array:
		if n.Kind != yaml.SequenceNode {
			return
		}
		for i, item := range n.Content {
			checkKnown(c, item, t.Elem(), diag.Index(path, i))
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			checkKnown(c, n.Content[i+1], t.Elem(), diag.Key(path, n.Content[i].Value))
		}
	}
}

// structFields maps yaml key names to field types, following the yaml package's naming rules.
func structFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if strings.Contains(opts, "inline") {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			for k, v := range structFields(ft) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

// positions records the line and column of every node under n.
func positions(n *yaml.Node, path string, pos diag.Positions) {
	pos[path] = diag.Position{Line: n.Line, Col: n.Column}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			p := diag.Key(path, k.Value)
			positions(n.Content[i+1], p, pos)
			// Point at the key rather than the value: "unknown field" and "missing value" both read better there.
			pos[p] = diag.Position{Line: k.Line, Col: k.Column}
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			positions(item, diag.Index(path, i), pos)
		}
	}
}

var lineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

func syntaxProblems(err error) diag.List {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return diag.List{{Line: line, Message: "invalid YAML: " + m[2]}}
	}
	return diag.List{{Message: "invalid YAML: " + msg}}
}

func typeProblems(err error) diag.List {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return diag.List{{Message: err.Error()}}
	}
	var out diag.List
	for _, e := range te.Errors {
		if m := lineRE.FindStringSubmatch(e); m != nil {
			line, _ := strconv.Atoi(m[1])
			out = append(out, diag.Problem{Line: line, Message: friendlyTypeError(m[2])})
			continue
		}
		out = append(out, diag.Problem{Message: e})
	}
	return out
}

var cannotRE = regexp.MustCompile("^cannot unmarshal !!(\\w+) (`[^`]*` )?into (.+)$")

// friendlyTypeError rewrites the decoder's Go-flavoured message in terms a YAML author knows.
func friendlyTypeError(msg string) string {
	m := cannotRE.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	kinds := map[string]string{"seq": "a list", "map": "a mapping", "str": "a string", "int": "a number", "float": "a number", "bool": "true or false", "null": "nothing"}
	found := kinds[m[1]]
	if found == "" {
		found = m[1]
	}
	want := m[3]
	switch {
	case strings.HasPrefix(want, "[]"):
		want = "a list"
	case strings.HasPrefix(want, "map["):
		want = "a mapping"
	case want == "string" || strings.HasSuffix(want, ".Level") || strings.HasSuffix(want, "Status") || strings.HasSuffix(want, "Reason"):
		want = "a string"
	case want == "int" || want == "float64":
		want = "a number"
	case want == "bool":
		want = "true or false"
	default:
		want = "a mapping"
	}
	value := strings.Trim(strings.TrimSpace(m[2]), "`")
	if value != "" {
		return fmt.Sprintf("expected %s but found %s (%s)", want, found, value)
	}
	return fmt.Sprintf("expected %s but found %s", want, found)
}
