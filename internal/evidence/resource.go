package evidence

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
)

// Resource is one piece of infrastructure declared in code: a Terraform resource or data source instance, or a
// CloudFormation resource.
type Resource struct {
	// Type is the Terraform resource type, which walens uses as the common name across sources
	// (aws_sagemaker_endpoint_configuration); CloudFormation types are mapped to it where a mapping exists and kept
	// as written (AWS::Service::Thing) where not.
	Type string `json:"type"`
	// SourceType is the type as written in the source (AWS::SageMaker::EndpointConfig).
	SourceType string `json:"sourceType,omitempty"`
	// Address identifies the resource within its unit: module.a.aws_x.name["key"], or a CloudFormation logical ID.
	Address string `json:"address"`
	// Unit is the unit of work the resource came from (a Terraform root module directory, a template file); references
	// resolve within it.
	Unit   string `json:"unit"`
	Source string `json:"source"` // terraform, terraform-plan, cloudformation
	Pos    Pos    `json:"pos"`
	// Data marks a Terraform data source, which reads existing infrastructure instead of declaring it.
	Data bool `json:"data,omitempty"`
	// Attrs holds the resource's arguments (an Object value).
	Attrs *Value `json:"-"`
	// Region is where the resource is deployed, when the code says so; Unknown when it does not.
	Region *Value `json:"-"`
	// DefaultTags are tags applied by the provider (Terraform's default_tags) on top of the resource's own.
	DefaultTags map[string]string `json:"-"`
	// Note qualifies the whole resource, e.g. "count is not known statically".
	Note string `json:"note,omitempty"`
}

// MarshalJSON renders the resource with its attributes and region, for --format resources output and tests.
func (r *Resource) MarshalJSON() ([]byte, error) {
	type plain Resource // without this method
	return json.Marshal(struct {
		*plain
		Region      *Value            `json:"region,omitempty"`
		DefaultTags map[string]string `json:"defaultTags,omitempty"`
		Attributes  *Value            `json:"attributes"`
	}{(*plain)(r), r.Region, r.DefaultTags, r.Attrs})
}

// Attr returns an attribute at a path (see Value.Get).
func (r *Resource) Attr(path ...string) *Value { return r.Attrs.Get(path...) }

// Graph indexes the resources of a scan for rules that relate resources to each other.
type Graph struct {
	resources []*Resource
	byType    map[string][]*Resource
	byAddr    map[string]*Resource // unit + "\x00" + address
	byBase    map[string]*Resource // the same, without the instance key: the first instance
	// byName indexes resources by the lower-cased values of their identifying attributes, per type, so that
	// following a literal name does not scan every resource of the type.
	byName map[string]map[string][]*Resource
}

// NewGraph indexes resources. The order of resources is kept as given.
func NewGraph(resources []*Resource) *Graph {
	g := &Graph{resources: resources, byType: map[string][]*Resource{}, byAddr: map[string]*Resource{}, byBase: map[string]*Resource{},
		byName: map[string]map[string][]*Resource{}}
	for _, r := range resources {
		g.byType[r.Type] = append(g.byType[r.Type], r)
		for _, a := range identities(r.Type) {
			if v := r.Attr(a); v.K() == String && v.Str() != "" {
				names := g.byName[r.Type]
				if names == nil {
					names = map[string][]*Resource{}
					g.byName[r.Type] = names
				}
				key := strings.ToLower(v.Str())
				if !slices.Contains(names[key], r) {
					names[key] = append(names[key], r)
				}
			}
		}
		g.byAddr[r.Unit+"\x00"+r.Address] = r
		if base := trimInstanceKey(r.Address); base != r.Address {
			if _, seen := g.byBase[r.Unit+"\x00"+base]; !seen {
				g.byBase[r.Unit+"\x00"+base] = r
			}
		}
	}
	return g
}

// Resources returns every resource in scan order.
func (g *Graph) Resources() []*Resource { return g.resources }

// OfType returns the managed resources (not data sources) of the given types, in scan order.
func (g *Graph) OfType(types ...string) []*Resource {
	var out []*Resource
	for _, t := range types {
		for _, r := range g.byType[t] {
			if !r.Data {
				out = append(out, r)
			}
		}
	}
	if len(types) > 1 {
		sort.SliceStable(out, func(i, j int) bool { return less(out[i], out[j]) })
	}
	return out
}

// Lookup finds a resource by unit and address. A Terraform address without an instance key also finds instance
// [0] or the first instance, since a reference to a counted resource names the resource, not the instance.
func (g *Graph) Lookup(unit, address string) *Resource {
	if r := g.byAddr[unit+"\x00"+address]; r != nil {
		return r
	}
	return g.byBase[unit+"\x00"+address]
}

// trimInstanceKey removes a trailing [0] or ["key"] from an address.
func trimInstanceKey(addr string) string {
	if !strings.HasSuffix(addr, "]") {
		return addr
	}
	if i := strings.LastIndexByte(addr, '['); i > 0 {
		return addr[:i]
	}
	return addr
}

// Link is the outcome of following an attribute to the resources it names.
type Link struct {
	Targets []*Resource
	// Known is false when the attribute could not be followed: it is unknown and references nothing in the scan,
	// or names something that is not declared in the scanned code.
	Known bool
	// External is set when the attribute names something by a literal value that matches no scanned resource:
	// it may be managed elsewhere.
	External bool
}

// Follow resolves an attribute value of resource from to the resources of the given types it points at: through
// references first, then by matching a literal name or ARN against the resources' identifying attributes.
func (g *Graph) Follow(from *Resource, v *Value, types ...string) Link {
	if !v.IsSet() {
		return Link{Known: true}
	}
	var out []*Resource
	for _, ref := range v.References() {
		if r := g.Lookup(from.Unit, ref.Address); r != nil && slices.Contains(types, r.Type) {
			out = append(out, r)
		}
	}
	if len(out) > 0 {
		return Link{Targets: out, Known: true}
	}
	if v.K() != String {
		// Lists of names (security groups, say) are not links; unknowns that reference nothing we can see
		// cannot be followed.
		return Link{}
	}
	name := v.Str()
	short := strings.ToLower(arnName(name))
	for _, t := range types {
		for _, r := range g.byName[t][short] {
			if r != from && r.Identifies(name) {
				out = append(out, r)
			}
		}
	}
	if len(out) == 0 {
		return Link{External: true}
	}
	return Link{Targets: out, Known: true}
}

// arnName returns the resource name at the end of an ARN (type/name or type:name), or s itself.
func arnName(s string) string {
	if strings.HasPrefix(s, "arn:") {
		if i := strings.LastIndexAny(s, "/:"); i >= 0 {
			return s[i+1:]
		}
	}
	return s
}

func identities(typ string) []string {
	if a := identityAttrs[typ]; a != nil {
		return a
	}
	return []string{"name"}
}

// identityAttrs lists, per type, the attributes that hold a resource's name as other resources refer to it.
var identityAttrs = map[string][]string{
	"aws_sagemaker_endpoint_configuration":                    {"name", "endpoint_config_name"},
	"aws_sagemaker_endpoint":                                  {"name", "endpoint_name"},
	"aws_sagemaker_model":                                     {"name", "model_name"},
	"aws_sagemaker_notebook_instance":                         {"name", "notebook_instance_name"},
	"aws_sagemaker_data_quality_job_definition":               {"name", "job_definition_name"},
	"aws_sagemaker_monitoring_schedule":                       {"name", "monitoring_schedule_name"},
	"aws_sagemaker_notebook_instance_lifecycle_configuration": {"name", "notebook_instance_lifecycle_config_name"},
	"aws_bedrock_guardrail":                                   {"name", "guardrail_id", "guardrail_arn"},
	"aws_iam_role":                                            {"name", "role_name"},
	"aws_iam_policy":                                          {"name", "policy_name"},
	"aws_cloudwatch_log_group":                                {"name", "log_group_name"},
	"aws_s3_bucket":                                           {"bucket", "bucket_name"},
	"aws_kms_key":                                             {"key_id"},
}

// Identifies reports whether a literal name or ARN names this resource.
func (r *Resource) Identifies(name string) bool {
	if name == "" {
		return false
	}
	// ARNs end in type/name (or type:name); compare the last part, case-insensitively because SageMaker lower-cases
	// names in its ARNs.
	short := arnName(name)
	for _, a := range identities(r.Type) {
		v := r.Attr(a)
		if v.K() == String && (v.Str() == name || strings.EqualFold(v.Str(), short)) {
			return true
		}
	}
	return false
}

// Tags returns the resource's effective tags: provider default tags overlaid with its own. The second result is false
// when the tags cannot be read statically.
func (r *Resource) Tags() (map[string]string, bool) {
	out := map[string]string{}
	for k, v := range r.DefaultTags {
		out[k] = v
	}
	known := true
	for _, attr := range []string{"tags", "tags_all"} {
		t := r.Attr(attr)
		switch t.K() {
		case Unknown:
			known = false
		case Object:
			for _, k := range t.Keys() {
				out[k] = t.Get(k).Str()
			}
		}
	}
	return out, known
}

func less(a, b *Resource) bool {
	if a.Pos.File != b.Pos.File {
		return a.Pos.File < b.Pos.File
	}
	if a.Pos.Line != b.Pos.Line {
		return a.Pos.Line < b.Pos.Line
	}
	return a.Address < b.Address
}
