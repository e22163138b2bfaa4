package cloudformation

import (
	"context"
	"fmt"
	"strings"

	"github.com/walens/walens/internal/evidence"
)

// Limits on the work evaluation does, on top of maxDepth. They matter only for hostile templates: a chain of
// Fn::Join over YAML aliases can double a string at every step.
const (
	maxSteps      = 1 << 20  // values evaluated or copied
	maxStringLen  = 1 << 20  // bytes of one string built by Fn::Sub, Fn::Join, Fn::Base64 or Fn::ToJsonString
	maxBuiltBytes = 64 << 20 // bytes of all the strings built for one template
	maxListLen    = 10000    // items of one list built by Fn::Split or a list parameter
)

const stoppedWhy = "walens stopped evaluating this template at its size limit"

// truth is the value of a condition: true, false, or not known without deploying.
type truth int8

const (
	unknownTruth truth = iota
	isFalse
	isTrue
)

func truthOf(b bool) truth {
	if b {
		return isTrue
	}
	return isFalse
}

// param is a declared parameter; its value is resolved on first use.
type param struct {
	name string
	decl *evidence.Value
	val  *evidence.Value
}

// resourceDecl is an entry of the Resources section.
type resourceDecl struct {
	id    string
	typ   string
	pos   evidence.Pos // where the logical ID is written
	body  *evidence.Value
	valid bool // it has a Type and can be turned into a resource
}

// condition is an entry of the Conditions section, evaluated on first use.
type condition struct {
	raw   *evidence.Value
	state int8 // 0: not evaluated, 1: being evaluated, 2: done
	val   truth
	why   string
}

// propMemo holds a resource property that a Ref or Fn::GetAtt elsewhere reads (a name set in the template).
type propMemo struct {
	busy bool
	val  *evidence.Value
}

// evaluator resolves the intrinsic functions of one template, statically: parameters from their defaults, pseudo
// parameters from the options, Mappings, Conditions, and references to resources as unknown values that remember
// what they reference. Nothing is guessed; what cannot be known is an unknown value that says why.
type evaluator struct {
	ctx       context.Context
	file      string
	region    string
	values    map[string]string // parameter values given for the scan, which win over defaults
	rep       *reporter
	params    map[string]*param
	mappings  *evidence.Value
	conds     map[string]*condition
	resources map[string]*resourceDecl
	props     map[string]*propMemo
	steps     int
	built     int
	stopped   bool
}

// limit counts one step of work. It returns nil while evaluation may go on, and the unknown value to use instead
// when a limit is reached.
func (e *evaluator) limit(p evidence.Pos, depth int) *evidence.Value {
	if e.stopped {
		return evidence.NewUnknown(p, stoppedWhy)
	}
	e.steps++
	if e.steps&1023 == 0 && e.ctx.Err() != nil {
		e.stopped = true
		return evidence.NewUnknown(p, "the scan was cancelled")
	}
	if e.steps > maxSteps {
		e.stopped = true
		e.rep.fail(p, "evaluating this template takes more than %d steps; walens stopped, and the values it did not reach are unknown", maxSteps)
		return evidence.NewUnknown(p, stoppedWhy)
	}
	if depth > maxDepth {
		e.rep.fail(p, "values, intrinsic functions and the references they follow nest more than %d levels deep here; the value is unknown", maxDepth)
		return evidence.NewUnknown(p, "it is nested too deeply for walens to evaluate")
	}
	return nil
}

// intrinsic reports whether v is a call of an intrinsic function: an object whose only key is Ref or Fn::Name.
func intrinsic(v *evidence.Value) (fn string, arg *evidence.Value, ok bool) {
	if v.K() != evidence.Object {
		return "", nil, false
	}
	keys := v.Keys()
	if len(keys) != 1 || keys[0] != "Ref" && !strings.HasPrefix(keys[0], "Fn::") {
		return "", nil, false
	}
	return keys[0], v.Get(keys[0]), true
}

// eval evaluates a template value. It returns nil for AWS::NoValue, meaning the property or list item it sets is
// left out.
func (e *evaluator) eval(v *evidence.Value, depth int) *evidence.Value {
	if v == nil {
		return nil
	}
	if u := e.limit(v.Pos, depth); u != nil {
		return u
	}
	switch v.K() {
	case evidence.Object:
		if fn, arg, ok := intrinsic(v); ok {
			return e.call(fn, arg, v.Pos, depth)
		}
		out := evidence.NewObject(v.Pos)
		for _, k := range v.Keys() {
			if x := e.eval(v.Get(k), depth+1); x != nil {
				out.Set(k, x)
			}
		}
		return out
	case evidence.List:
		out := evidence.NewList(v.Pos)
		for _, item := range v.Items() {
			if x := e.eval(item, depth+1); x != nil {
				out.Append(x)
			}
		}
		return out
	}
	return v
}

func (e *evaluator) call(fn string, arg *evidence.Value, p evidence.Pos, depth int) *evidence.Value {
	switch fn {
	case "Ref":
		return e.ref(arg, p, depth)
	case "Fn::GetAtt":
		return e.getAtt(arg, p, depth)
	case "Fn::Sub":
		return e.sub(arg, p, depth)
	case "Fn::Join":
		return e.join(arg, p, depth)
	case "Fn::Select":
		return e.selectFn(arg, p, depth)
	case "Fn::Split":
		return e.split(arg, p, depth)
	case "Fn::FindInMap":
		return e.findInMap(arg, p, depth)
	case "Fn::If":
		return e.ifFn(arg, p, depth)
	case "Fn::Base64":
		return e.base64(arg, p, depth)
	case "Fn::Length":
		return e.length(arg, p, depth)
	case "Fn::ToJsonString":
		return e.toJSON(arg, p, depth)
	case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
		// Condition functions belong in Conditions, but read as booleans wherever they appear.
		t, why := e.condFn(fn, arg, p, depth)
		if t == unknownTruth {
			return evidence.NewUnknown(p, why)
		}
		return evidence.NewBool(p, t == isTrue)
	case "Fn::GetAZs":
		return evidence.NewUnknown(p, "Fn::GetAZs lists the Availability Zones of the Region when the stack is deployed")
	case "Fn::Cidr":
		return evidence.NewUnknown(p, "Fn::Cidr computes address blocks when the stack is deployed")
	case "Fn::ImportValue":
		return evidence.NewUnknown(p, "it is imported from another stack's export (Fn::ImportValue) when the stack is deployed")
	case "Fn::Transform":
		return evidence.NewUnknown(p, "it is produced by a CloudFormation macro (Fn::Transform) when the stack is deployed")
	}
	if strings.HasPrefix(fn, "Fn::ForEach::") {
		e.rep.warn(p, "%s is not expanded; walens does not read what it generates", fn)
		return evidence.NewUnknown(p, "it is generated by Fn::ForEach, which walens does not expand")
	}
	e.rep.warn(p, "%s is not a CloudFormation intrinsic function", fn)
	return evidence.NewUnknown(p, fmt.Sprintf("it calls %s, which is not a CloudFormation intrinsic function", fn))
}

// bad reports a malformed call and returns the unknown value that stands for it.
func (e *evaluator) bad(p evidence.Pos, fn, shape string) *evidence.Value {
	e.rep.warn(p, "%s takes %s", fn, shape)
	return evidence.NewUnknown(p, fmt.Sprintf("it is a malformed %s", fn))
}

func (e *evaluator) ref(arg *evidence.Value, p evidence.Pos, depth int) *evidence.Value {
	if arg.K() != evidence.String {
		return e.bad(p, "Ref", "the name of a parameter or resource")
	}
	name := arg.Str()
	if v, ok := e.name(name, p, depth); ok {
		return v
	}
	e.rep.warn(p, "Ref names %s, which is neither a parameter nor a resource of this template", name)
	return evidence.NewUnknown(p, fmt.Sprintf("it refers to %s, which the template does not declare", name))
}

// name resolves a name as Ref does: a pseudo parameter, a parameter or a resource. ok is false when the template
// declares no such name; a nil value with ok true is AWS::NoValue.
func (e *evaluator) name(name string, p evidence.Pos, depth int) (*evidence.Value, bool) {
	if strings.HasPrefix(name, "AWS::") {
		return e.pseudo(name, p)
	}
	if prm := e.params[name]; prm != nil {
		return e.param(prm, p, depth), true
	}
	if e.resources[name] != nil {
		return e.resourceValue(name, "", p, depth), true
	}
	return nil, false
}

// pseudo returns the value of a pseudo parameter, or nil for AWS::NoValue. Only the Region can be known, from the
// options; the partition and URL suffix follow from it.
func (e *evaluator) pseudo(name string, p evidence.Pos) (*evidence.Value, bool) {
	switch name {
	case "AWS::NoValue":
		return nil, true
	case "AWS::Region":
		if e.region != "" {
			return evidence.NewString(p, e.region), true
		}
		return evidence.NewUnknown(p, "AWS::Region is the Region the stack is deployed to, which the template does not say; pass --region (or evidence.region in walens.yaml)"), true
	case "AWS::Partition":
		switch {
		case strings.HasPrefix(e.region, "cn-"):
			return evidence.NewString(p, "aws-cn"), true
		case strings.HasPrefix(e.region, "us-gov-"):
			return evidence.NewString(p, "aws-us-gov"), true
		}
		return evidence.NewString(p, "aws"), true
	case "AWS::URLSuffix":
		if strings.HasPrefix(e.region, "cn-") {
			return evidence.NewString(p, "amazonaws.com.cn"), true
		}
		return evidence.NewString(p, "amazonaws.com"), true
	case "AWS::AccountId", "AWS::StackName", "AWS::StackId", "AWS::NotificationARNs":
		return evidence.NewUnknown(p, name+" is known only when the stack is deployed"), true
	}
	e.rep.warn(p, "%s is not a CloudFormation pseudo parameter", name)
	return evidence.NewUnknown(p, fmt.Sprintf("it refers to %s, which is not a pseudo parameter", name)), true
}

// param returns a parameter's value, placed where it is used: findings point at the resource that uses the value.
func (e *evaluator) param(prm *param, p evidence.Pos, depth int) *evidence.Value {
	if prm.val == nil {
		prm.val = e.resolveParam(prm)
	}
	return e.relocate(prm.val, p, depth+1)
}

func (e *evaluator) resolveParam(prm *param) *evidence.Value {
	typ := strings.TrimSpace(prm.decl.Get("Type").Str())
	def := prm.decl.Get("Default")
	if v, ok := e.values[prm.name]; ok {
		def = evidence.NewString(prm.decl.Pos, v) // as the CLI passes it: a string, split below for list types
	}
	if strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<") {
		why := fmt.Sprintf("parameter %s is read from Systems Manager when the stack is deployed", prm.name)
		if def.K() == evidence.String {
			why = fmt.Sprintf("parameter %s is read from Systems Manager parameter %s when the stack is deployed", prm.name, def.Str())
		}
		return evidence.NewUnknown(prm.decl.Pos, why)
	}
	if def.IsNull() {
		return evidence.NewUnknown(prm.decl.Pos, fmt.Sprintf("parameter %s has no default", prm.name))
	}
	if (typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<")) && def.K() != evidence.List {
		return e.splitString(def.Pos, def.Str(), ",", nil)
	}
	return def
}

// relocate copies a value (a parameter default, a mapping entry) to the place it is used.
func (e *evaluator) relocate(v *evidence.Value, p evidence.Pos, depth int) *evidence.Value {
	if u := e.limit(p, depth); u != nil {
		return u
	}
	var out *evidence.Value
	switch v.K() {
	case evidence.Null:
		out = evidence.NewNull(p)
	case evidence.Unknown:
		out = evidence.NewUnknown(p, v.Why)
	case evidence.Bool:
		b, _ := v.Bool()
		out = evidence.NewBool(p, b)
	case evidence.Number:
		n, _ := v.Num()
		out = evidence.NewNumber(p, n)
	case evidence.String:
		out = evidence.NewString(p, v.Str())
	case evidence.List:
		out = evidence.NewList(p)
		for _, x := range v.Items() {
			out.Append(e.relocate(x, p, depth+1))
		}
	case evidence.Object:
		out = evidence.NewObject(p)
		for _, k := range v.Keys() {
			out.Set(k, e.relocate(v.Get(k), p, depth+1))
		}
	}
	out.Refs = v.Refs
	return out
}

// resourceValue is what Ref (attr "") or Fn::GetAtt returns for a resource: unknown, since CloudFormation assigns
// identifiers at deployment, but carrying a reference to the resource. For the types whose Ref or attribute returns
// a name the template sets (an S3 bucket's BucketName, an endpoint's EndpointName), it is that name, still with the
// reference.
func (e *evaluator) resourceValue(id, attr string, p evidence.Pos, depth int) *evidence.Value {
	ref := evidence.Ref{Address: id, Attr: attr}
	what := id
	if attr != "" {
		what += "." + attr
	}
	why := fmt.Sprintf("it comes from %s, known only once the stack is deployed", what)
	decl := e.resources[id]
	info := types[decl.typ]
	prop := info.ref
	if attr != "" {
		prop = info.getAtt[attr]
	}
	if prop != "" {
		v := e.resourceProp(decl, prop, p, depth)
		switch v.K() {
		case evidence.String, evidence.Number:
			out := evidence.NewString(p, v.Str())
			out.Refs = []evidence.Ref{ref}
			return out
		case evidence.Unknown:
			why = v.Reason()
		}
	}
	out := evidence.NewUnknown(p, why)
	out.Refs = []evidence.Ref{ref}
	return out
}

// resourceProp evaluates one property of a resource for a reference to it, once.
func (e *evaluator) resourceProp(decl *resourceDecl, prop string, p evidence.Pos, depth int) *evidence.Value {
	key := decl.id + "\x00" + prop
	if m := e.props[key]; m != nil {
		if m.busy {
			e.rep.warn(p, "%s of resource %s depends on itself", prop, decl.id)
			return evidence.NewUnknown(p, fmt.Sprintf("%s of %s depends on itself", prop, decl.id))
		}
		return m.val
	}
	m := &propMemo{busy: true}
	e.props[key] = m
	if props := decl.body.Get("Properties"); props.K() == evidence.Object {
		m.val = e.eval(props.Get(prop), depth+1)
	}
	m.busy = false
	return m.val
}

func (e *evaluator) getAtt(arg *evidence.Value, p evidence.Pos, depth int) *evidence.Value {
	const shape = "LogicalID.Attribute or [LogicalID, Attribute]"
	var id, attr string
	switch arg.K() {
	case evidence.String:
		var ok bool
		id, attr, ok = strings.Cut(arg.Str(), ".")
		if !ok || id == "" || attr == "" {
			return e.bad(p, "Fn::GetAtt", shape)
		}
	case evidence.List:
		items := arg.Items()
		if len(items) != 2 || items[0].K() != evidence.String {
			return e.bad(p, "Fn::GetAtt", shape)
		}
		id = items[0].Str()
		a := e.eval(items[1], depth+1)
		if a.IsUnknown() && e.resources[id] != nil {
			u := evidence.NewUnknown(p, fmt.Sprintf("it reads an attribute of %s whose name is not known statically", id))
			u.Refs = []evidence.Ref{{Address: id}}
			return u
		}
		if a.K() != evidence.String || a.Str() == "" {
			return e.bad(p, "Fn::GetAtt", shape)
		}
		attr = a.Str()
	default:
		return e.bad(p, "Fn::GetAtt", shape)
	}
	if e.resources[id] == nil {
		e.rep.warn(p, "Fn::GetAtt reads %s.%s, but %s is not a resource of this template", id, attr, id)
		return evidence.NewUnknown(p, fmt.Sprintf("it reads an attribute of %s, which the template does not declare", id))
	}
	return e.resourceValue(id, attr, p, depth)
}

// condition returns the value of a named condition, evaluating it on first use. A condition that depends on itself
// is unknown.
func (e *evaluator) condition(name string, p evidence.Pos, depth int) (truth, string) {
	c := e.conds[name]
	if c == nil {
		e.rep.warn(p, "condition %s is not defined in Conditions", name)
		return unknownTruth, fmt.Sprintf("condition %s is not defined", name)
	}
	switch c.state {
	case 2:
		return c.val, c.why
	case 1:
		e.rep.warn(p, "condition %s depends on itself", name)
		return unknownTruth, fmt.Sprintf("condition %s depends on itself", name)
	}
	c.state = 1
	c.val, c.why = e.condValue(c.raw, depth+1)
	c.state = 2
	return c.val, c.why
}

// condValue evaluates a condition expression: a condition function, a reference to another condition, or a value
// that reads as a boolean.
func (e *evaluator) condValue(v *evidence.Value, depth int) (truth, string) {
	if u := e.limit(v.Pos, depth); u != nil {
		return unknownTruth, u.Why
	}
	if keys := v.Keys(); len(keys) == 1 && keys[0] == "Condition" {
		name := v.Get("Condition")
		if name.K() != evidence.String {
			e.rep.warn(v.Pos, "Condition takes the name of a condition")
			return unknownTruth, "it is a malformed Condition"
		}
		return e.condition(name.Str(), name.Pos, depth+1)
	}
	if fn, arg, ok := intrinsic(v); ok {
		switch fn {
		case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
			return e.condFn(fn, arg, v.Pos, depth)
		}
	}
	x := e.eval(v, depth+1)
	if x.IsUnknown() {
		return unknownTruth, x.Reason()
	}
	if b, ok := x.Bool(); ok {
		return truthOf(b), ""
	}
	e.rep.warn(v.Pos, "a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition or a boolean")
	return unknownTruth, "it is a malformed condition"
}

func (e *evaluator) condFn(fn string, arg *evidence.Value, p evidence.Pos, depth int) (truth, string) {
	items := arg.Items()
	if arg.K() != evidence.List {
		items = nil
	}
	switch fn {
	case "Fn::Equals":
		if len(items) != 2 {
			e.bad(p, fn, "a list of two values")
			return unknownTruth, "it is a malformed Fn::Equals"
		}
		a, b := e.eval(items[0], depth+1), e.eval(items[1], depth+1)
		if why, ok := fullyKnown(a); !ok {
			return unknownTruth, why
		}
		if why, ok := fullyKnown(b); !ok {
			return unknownTruth, why
		}
		return truthOf(sameValue(a, b)), ""
	case "Fn::Not":
		if len(items) != 1 {
			e.bad(p, fn, "a list of one condition")
			return unknownTruth, "it is a malformed Fn::Not"
		}
		t, why := e.condValue(items[0], depth+1)
		switch t {
		case isTrue:
			return isFalse, ""
		case isFalse:
			return isTrue, ""
		}
		return unknownTruth, why
	}
	// Fn::And and Fn::Or: a false (true) member decides, whatever the unknown ones are.
	if len(items) == 0 {
		e.bad(p, fn, "a list of conditions")
		return unknownTruth, "it is a malformed " + fn
	}
	decisive := isFalse
	if fn == "Fn::Or" {
		decisive = isTrue
	}
	result, why := truthOf(decisive == isFalse), ""
	for _, item := range items {
		t, w := e.condValue(item, depth+1)
		switch {
		case t == decisive:
			return decisive, ""
		case t == unknownTruth && result != unknownTruth:
			result, why = unknownTruth, w
		}
	}
	return result, why
}

// fullyKnown reports whether a value has no unknown part, and why when it has one.
func fullyKnown(v *evidence.Value) (string, bool) {
	why, ok := "", true
	v.Walk(func(x *evidence.Value) bool {
		if x.IsUnknown() {
			why, ok = x.Reason(), false
			return false
		}
		return true
	})
	return why, ok
}

// sameValue compares two fully known values as CloudFormation does: scalars by their string form, so that 1 and
// "1" are equal.
func sameValue(a, b *evidence.Value) bool {
	scalar := func(v *evidence.Value) bool {
		switch v.K() {
		case evidence.List, evidence.Object:
			return false
		}
		return true
	}
	if scalar(a) && scalar(b) {
		return a.Str() == b.Str() && a.IsNull() == b.IsNull()
	}
	if a.K() != b.K() {
		return false
	}
	if a.K() == evidence.List {
		ai, bi := a.Items(), b.Items()
		if len(ai) != len(bi) {
			return false
		}
		for i := range ai {
			if !sameValue(ai[i], bi[i]) {
				return false
			}
		}
		return true
	}
	ak, bk := a.Keys(), b.Keys()
	if len(ak) != len(bk) {
		return false
	}
	for _, k := range ak {
		x, y := a.Get(k), b.Get(k)
		if y == nil || !sameValue(x, y) {
			return false
		}
	}
	return true
}

// appendRefs adds references not already listed.
func appendRefs(refs []evidence.Ref, more ...evidence.Ref) []evidence.Ref {
	for _, r := range more {
		seen := false
		for _, x := range refs {
			if x == r {
				seen = true
				break
			}
		}
		if !seen {
			refs = append(refs, r)
		}
	}
	return refs
}

// allRefs gathers the references anywhere in a value.
func allRefs(v *evidence.Value) []evidence.Ref {
	var refs []evidence.Ref
	v.Walk(func(x *evidence.Value) bool {
		refs = appendRefs(refs, x.Refs...)
		return true
	})
	return refs
}

// unknownWith is an unknown value that keeps the references of what it was built from.
func unknownWith(p evidence.Pos, why string, refs []evidence.Ref) *evidence.Value {
	u := evidence.NewUnknown(p, why)
	u.Refs = refs
	return u
}
