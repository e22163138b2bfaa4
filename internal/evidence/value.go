package evidence

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Pos is a place in a scanned file. Line and Col are 1-based; zero means unknown.
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"column,omitempty"`
}

func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Kind is the shape of a Value.
type Kind uint8

const (
	Null    Kind = iota // absent or explicitly null
	Unknown             // set, but to something that cannot be read without deploying (a variable without a default, a reference to another resource's attribute)
	Bool
	Number
	String
	List
	Object
)

func (k Kind) String() string {
	return [...]string{"null", "unknown", "bool", "number", "string", "list", "object"}[k]
}

// Ref is a reference from an attribute to another resource of the same unit, such as aws_kms_key.main.arn in
// Terraform or !GetAtt Key.Arn in CloudFormation.
type Ref struct {
	Address string // the referenced resource's address within its unit
	Attr    string // the attribute referenced, if any
}

// Value is an attribute value read from infrastructure code, with where it was set. Values from every source share
// one shape: objects keyed in snake_case, blocks and repeated properties as lists. A nil *Value reads as Null, so
// rules can navigate absent attributes without checks.
type Value struct {
	Kind Kind
	Pos  Pos
	// Refs lists the resources the expression read. A value can be known and still reference resources (a
	// name built from another resource's literal name); an unknown value with references is at least set.
	Refs []Ref
	// Why says what made an Unknown value unknown, for findings.
	Why string

	b    bool
	n    float64
	s    string
	list []*Value
	keys []string // object keys in source order
	obj  map[string]*Value
}

// NewNull, NewBool, ... build values; sources use them.
func NewNull(p Pos) *Value                { return &Value{Kind: Null, Pos: p} }
func NewUnknown(p Pos, why string) *Value { return &Value{Kind: Unknown, Pos: p, Why: why} }
func NewBool(p Pos, b bool) *Value        { return &Value{Kind: Bool, Pos: p, b: b} }
func NewNumber(p Pos, n float64) *Value   { return &Value{Kind: Number, Pos: p, n: n} }
func NewString(p Pos, s string) *Value    { return &Value{Kind: String, Pos: p, s: s} }
func NewList(p Pos, items ...*Value) *Value {
	return &Value{Kind: List, Pos: p, list: items}
}
func NewObject(p Pos) *Value { return &Value{Kind: Object, Pos: p, obj: map[string]*Value{}} }

// Set adds or replaces a key of an object value, keeping the order keys were first set in.
func (v *Value) Set(key string, x *Value) {
	if _, ok := v.obj[key]; !ok {
		v.keys = append(v.keys, key)
	}
	v.obj[key] = x
}

// Append adds an item to a list value.
func (v *Value) Append(x *Value) { v.list = append(v.list, x) }

// K returns the kind of v; a nil Value is Null.
func (v *Value) K() Kind {
	if v == nil {
		return Null
	}
	return v.Kind
}

// IsNull reports whether the value is absent or null.
func (v *Value) IsNull() bool { return v.K() == Null }

// IsUnknown reports whether the value is set to something that cannot be read statically.
func (v *Value) IsUnknown() bool { return v.K() == Unknown }

// IsSet reports whether the attribute is present and not null, known or not. An empty string, list or object
// counts as unset, as AWS treats them for the identifiers rules look at (keys, subnets, roles).
func (v *Value) IsSet() bool {
	switch v.K() {
	case Null:
		return false
	case String:
		return strings.TrimSpace(v.s) != ""
	case List:
		return len(v.list) > 0
	case Object:
		return len(v.keys) > 0
	}
	return true
}

// Get returns the member at a path of keys. Lists of one item are looked through, because Terraform writes
// single nested blocks as lists and CloudFormation writes them as objects. An unknown value on the way yields an
// unknown (keeping the reason); anything else missing yields nil.
func (v *Value) Get(path ...string) *Value {
	cur := v
	for _, k := range path {
		cur = cur.single()
		switch cur.K() {
		case Unknown:
			return cur
		case Object:
			cur = cur.obj[k]
		default:
			return nil
		}
	}
	return cur
}

// single looks through a one-item list.
func (v *Value) single() *Value {
	if v.K() == List && len(v.list) == 1 {
		return v.list[0]
	}
	return v
}

// Items returns the members of a list, or the value itself as the only member when it is an object (a repeated
// block written once in CloudFormation, say). Null gives none.
func (v *Value) Items() []*Value {
	switch v.K() {
	case Null:
		return nil
	case List:
		return v.list[:len(v.list):len(v.list)] // full slice: appending to the result must not write into v
	}
	return []*Value{v}
}

// Keys returns an object's keys in source order.
func (v *Value) Keys() []string {
	if v.K() != Object {
		return nil
	}
	return v.keys
}

// Str returns the value as a string: a string as is, numbers and booleans formatted, anything else "".
func (v *Value) Str() string {
	v = v.single()
	switch v.K() {
	case String:
		return v.s
	case Number:
		return strconv.FormatFloat(v.n, 'f', -1, 64)
	case Bool:
		return strconv.FormatBool(v.b)
	}
	return ""
}

// Bool returns the value as a boolean and whether it is one. Strings "true" and "false" count, since
// CloudFormation templates often quote them.
func (v *Value) Bool() (b, ok bool) {
	v = v.single()
	switch v.K() {
	case Bool:
		return v.b, true
	case String:
		switch strings.ToLower(strings.TrimSpace(v.s)) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// Num returns the value as a number and whether it is one. Numeric strings count.
func (v *Value) Num() (float64, bool) {
	v = v.single()
	switch v.K() {
	case Number:
		return v.n, true
	case String:
		n, err := strconv.ParseFloat(strings.TrimSpace(v.s), 64)
		return n, err == nil
	}
	return 0, false
}

// Where returns the position of v, or fallback when v is absent or has none.
func (v *Value) Where(fallback Pos) Pos {
	if v == nil || v.Pos.File == "" {
		return fallback
	}
	return v.Pos
}

// Reason says why v is unknown, for messages.
func (v *Value) Reason() string {
	if v == nil || v.Why == "" {
		return "its value is not known until deployment"
	}
	return v.Why
}

// Walk calls fn for v and every value inside it, depth first, stopping early when fn returns false.
func (v *Value) Walk(fn func(*Value) bool) bool {
	if v == nil {
		return true
	}
	if !fn(v) {
		return false
	}
	for _, x := range v.list {
		if !x.Walk(fn) {
			return false
		}
	}
	for _, k := range v.keys {
		if !v.obj[k].Walk(fn) {
			return false
		}
	}
	return true
}

// Interface converts the value to plain Go values (nil, bool, float64, string, []any, map[string]any) for JSON
// output and tests; unknown values become the string "(unknown)".
func (v *Value) Interface() any {
	switch v.K() {
	case Unknown:
		return "(unknown)"
	case Bool:
		return v.b
	case Number:
		return v.n
	case String:
		return v.s
	case List:
		out := make([]any, len(v.list))
		for i, x := range v.list {
			out[i] = x.Interface()
		}
		return out
	case Object:
		out := make(map[string]any, len(v.keys))
		for _, k := range v.keys {
			out[k] = v.obj[k].Interface()
		}
		return out
	}
	return nil
}

// Snake turns a CloudFormation or API property name into the snake_case Terraform uses: DataCaptureConfig ->
// data_capture_config, KMSKeyId -> kms_key_id, DestinationS3Uri -> destination_s3_uri.
func Snake(name string) string {
	var b strings.Builder
	b.Grow(len(name) + 4)
	rs := []rune(name)
	for i, r := range rs {
		upper := r >= 'A' && r <= 'Z'
		if upper && i > 0 {
			prev := rs[i-1]
			prevLowerOrDigit := prev >= 'a' && prev <= 'z' || prev >= '0' && prev <= '9'
			nextLower := i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z'
			prevUpper := prev >= 'A' && prev <= 'Z'
			if prevLowerOrDigit || prevUpper && nextLower {
				b.WriteByte('_')
			}
		}
		if upper {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// MarshalJSON renders a value for people reading scan output and for golden tests: known values as plain JSON,
// unknown ones as {"$unknown": reason}, and references as "$refs" beside the value they qualify.
func (v *Value) MarshalJSON() ([]byte, error) {
	return json.Marshal(v.jsonValue())
}

func (v *Value) jsonValue() any {
	var out any
	switch v.K() {
	case Unknown:
		m := map[string]any{"$unknown": v.Reason()}
		if len(v.Refs) > 0 {
			m["$refs"] = refStrings(v.Refs)
		}
		return m
	case List:
		items := make([]any, len(v.list))
		for i, x := range v.list {
			items[i] = x.jsonValue()
		}
		out = items
	case Object:
		m := make(map[string]any, len(v.keys))
		for _, k := range v.keys {
			m[k] = v.obj[k].jsonValue()
		}
		out = m
	default:
		out = v.Interface()
	}
	if len(v.Refs) > 0 {
		return map[string]any{"$value": out, "$refs": refStrings(v.Refs)}
	}
	return out
}

func refStrings(refs []Ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Address
		if r.Attr != "" {
			out[i] += "." + r.Attr
		}
	}
	return out
}

// SnakeKeys returns a copy of v whose object keys are in snake_case (see Snake), for documents that use the AWS
// API's CamelCase names, such as SageMaker pipeline definitions. When at is set, every copied value is placed
// there: a document read out of a string attribute has no useful positions of its own.
func SnakeKeys(v *Value, at Pos) *Value {
	if v == nil {
		return nil
	}
	out := *v
	if at.File != "" {
		out.Pos = at
	}
	out.list, out.keys, out.obj = nil, nil, nil
	switch v.Kind {
	case List:
		for _, x := range v.list {
			out.list = append(out.list, SnakeKeys(x, at))
		}
	case Object:
		out.obj = make(map[string]*Value, len(v.keys))
		for _, k := range v.keys {
			out.Set(Snake(k), SnakeKeys(v.obj[k], at))
		}
	}
	return &out
}

// Or returns v when it is present, else fallback: for locating a finding at an attribute, or at the block that
// should hold it when the attribute is absent.
func (v *Value) Or(fallback *Value) *Value {
	if v == nil || v.Pos.File == "" {
		return fallback
	}
	return v
}

// References returns the resources the value's expression read; nil for an absent value. Use it instead of the
// Refs field on values that may be absent.
func (v *Value) References() []Ref {
	if v == nil {
		return nil
	}
	return v.Refs
}
