package cloudformation

import (
	"strings"

	"github.com/walens/walens/internal/evidence"
)

// converter renames a resource's evaluated properties to the attribute names rules read: snake_case throughout
// (evidence.Snake), Terraform's argument names where they differ (typeInfo.rename), tags as a map, and documents
// with their keys as written (isVerbatim).
type converter struct {
	cfnType string
	info    *typeInfo // nil for types without a Terraform counterpart
}

// convertAttrs converts the evaluated Properties of a resource of a CloudFormation type.
func convertAttrs(cfnType string, props *evidence.Value) *evidence.Value {
	c := converter{cfnType: cfnType}
	if info, ok := types[cfnType]; ok {
		c.info = &info
	}
	return c.object(props, "")
}

// object converts an object found at path, the dot-separated CloudFormation names leading to it.
func (c converter) object(v *evidence.Value, path string) *evidence.Value {
	out := evidence.NewObject(v.Pos)
	out.Refs = v.Refs
	for _, k := range v.Keys() {
		x := v.Get(k)
		full := k
		if path != "" {
			full = path + "." + k
		}
		name := evidence.Snake(k)
		if c.info != nil {
			if r, ok := c.info.rename[full]; ok {
				name = r
			}
		}
		if k == "Tags" || strings.HasSuffix(k, "Tags") {
			if t, ok := pairsObject(x, "Key", "Value"); ok {
				out.Set(name, t)
				continue
			}
		}
		if c.isPairs(full) {
			if t, ok := pairsObject(x, "Name", "Value"); ok {
				out.Set(name, t)
				continue
			}
		}
		if isVerbatim(c.cfnType, c.info, k) {
			out.Set(name, x)
			continue
		}
		out.Set(name, c.value(x, full))
	}
	return out
}

func (c converter) value(v *evidence.Value, path string) *evidence.Value {
	switch v.K() {
	case evidence.Object:
		return c.object(v, path)
	case evidence.List:
		out := evidence.NewList(v.Pos)
		out.Refs = v.Refs
		for _, x := range v.Items() {
			out.Append(c.value(x, path))
		}
		return out
	}
	return v
}

func (c converter) isPairs(path string) bool {
	if c.info == nil {
		return false
	}
	for _, p := range c.info.pairs {
		if p == path {
			return true
		}
	}
	return false
}

// pairsObject turns a list of {Key: k, Value: v} objects (tags) or {Name: n, Value: v} objects (alarm dimensions)
// into the map {k: v} Terraform uses. A map, as some Bedrock types write tags, is kept with its keys as written. ok
// is false when v has neither shape. A key that is not known statically makes the whole map unknown, since any
// key may be the one a rule looks for.
func pairsObject(v *evidence.Value, keyField, valueField string) (*evidence.Value, bool) {
	switch v.K() {
	case evidence.Unknown, evidence.Object:
		return v, true
	case evidence.List:
	default:
		return nil, false
	}
	out := evidence.NewObject(v.Pos)
	out.Refs = v.Refs
	for _, item := range v.Items() {
		if item.IsUnknown() {
			return unknownWith(item.Pos, "an entry is not known statically: "+item.Reason(), allRefs(v)), true
		}
		if item.K() != evidence.Object {
			return nil, false
		}
		k := item.Get(keyField)
		switch k.K() {
		case evidence.Unknown:
			return unknownWith(k.Pos, "a key is not known statically: "+k.Reason(), allRefs(v)), true
		case evidence.String, evidence.Number, evidence.Bool:
		default:
			return nil, false
		}
		val := item.Get(valueField)
		if val == nil {
			val = evidence.NewNull(item.Pos)
		}
		out.Set(k.Str(), val)
	}
	return out, true
}
