package evidence

import (
	"fmt"
	"strings"
)

// Severity ranks how much a failed rule matters.
type Severity string

const (
	SeverityLow      Severity = "LOW"
	SeverityMedium   Severity = "MEDIUM"
	SeverityHigh     Severity = "HIGH"
	SeverityCritical Severity = "CRITICAL"
)

// Severities lists the severities from least to most severe.
var Severities = []Severity{SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}

// Rank orders severities: a larger number is more severe; an unknown severity ranks 0.
func (s Severity) Rank() int {
	for i, x := range Severities {
		if x == s {
			return i + 1
		}
	}
	return 0
}

// ParseSeverity reads a severity name in any case.
func ParseSeverity(s string) (Severity, error) {
	sev := Severity(strings.ToUpper(strings.TrimSpace(s)))
	if sev.Rank() == 0 {
		return "", fmt.Errorf("severity %q must be low, medium, high or critical", s)
	}
	return sev, nil
}

// Practice names a lens best practice (by its AWS ID, such as MLOPS06-BP02) that a rule speaks to.
type Practice struct {
	Ref string `json:"ref"`
	// Sufficient declares that the rule passing everywhere it applies, with nothing refuting the practice, is
	// enough to call the practice in place. Without it a pass is supporting evidence only, and a failure refutes.
	Sufficient bool `json:"sufficient,omitempty"`
}

// Equivalents are the IDs of checks in other scanners that test the same thing, so users can map suppressions
// and policies when they migrate.
type Equivalents struct {
	Checkov []string `json:"checkov,omitempty"`
	KICS    []string `json:"kics,omitempty"`
	Prowler []string `json:"prowler,omitempty"`
}

// Rule is one check of the catalogue.
type Rule struct {
	ID          string      `json:"id"`
	Title       string      `json:"title"`
	Severity    Severity    `json:"severity"`
	Description string      `json:"description"` // why it matters
	Remediation string      `json:"remediation"`
	Types       []string    `json:"resourceTypes"`
	Practices   []Practice  `json:"practices"`
	Equivalents Equivalents `json:"equivalents"`
	// Check examines one resource of one of Types.
	Check func(c *Check, r *Resource) `json:"-"`
	// CheckGraph examines the scan as a whole, for rules about resources that should exist alongside others.
	CheckGraph func(c *Check, g *Graph) `json:"-"`
}

// Supports reports whether the rule speaks to a best practice.
func (r *Rule) Supports(ref string) (Practice, bool) {
	for _, p := range r.Practices {
		if p.Ref == ref {
			return p, true
		}
	}
	return Practice{}, false
}

// Status is the outcome of a rule on one resource.
type Status string

const (
	Pass Status = "PASS"
	Fail Status = "FAIL"
	// Undetermined means the code does not say: a value comes from a variable without a default, or a related
	// resource is not in the scanned files. It is never counted as a pass.
	Undetermined Status = "UNKNOWN"
)

// Finding is one rule's outcome on one resource, located in the code.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Status   Status   `json:"status"`
	Resource string   `json:"resource,omitempty"` // address
	Type     string   `json:"resourceType,omitempty"`
	Unit     string   `json:"-"`
	Pos      Pos      `json:"pos"`
	// ResourcePos is where the resource is declared, used to apply a suppression comment written above it.
	ResourcePos Pos    `json:"-"`
	Message     string `json:"message"`
	// Suppressed says why a failure is not counted, when a suppression applies.
	Suppressed *Suppression `json:"suppressed,omitempty"`
}

// Check collects the findings of one rule. Rules call Pass, Fail and Unknown; the options tell them about the
// scan's settings.
type Check struct {
	Rule     *Rule
	Options  *Options
	Graph    *Graph
	findings []Finding
}

func (c *Check) add(s Status, r *Resource, v *Value, format string, args []any) {
	f := Finding{Rule: c.Rule.ID, Severity: c.Rule.Severity, Status: s, Message: fmt.Sprintf(format, args...)}
	if r != nil {
		f.Resource, f.Type, f.Unit, f.ResourcePos = r.Address, r.Type, r.Unit, r.Pos
		f.Pos = v.Where(r.Pos)
		if r.Note != "" {
			f.Message += " (" + r.Note + ")"
		}
	} else {
		f.Pos = v.Where(Pos{})
	}
	c.findings = append(c.findings, f)
}

// Pass records that the resource meets the rule; v is the attribute that shows it (nil for the resource itself).
func (c *Check) Pass(r *Resource, v *Value, format string, args ...any) {
	c.add(Pass, r, v, format, args)
}

// Fail records that the resource breaks the rule.
func (c *Check) Fail(r *Resource, v *Value, format string, args ...any) {
	c.add(Fail, r, v, format, args)
}

// Unknown records that the code does not say whether the resource meets the rule.
func (c *Check) Unknown(r *Resource, v *Value, format string, args ...any) {
	c.add(Undetermined, r, v, format, args)
}

// Findings returns what the check recorded.
func (c *Check) Findings() []Finding { return c.findings }

// RequireSet passes when attribute path is set (known or a reference), fails when absent, and is unknown when
// only a variable without a default sets it. what names the setting in messages.
func (c *Check) RequireSet(r *Resource, what string, path ...string) {
	v := r.Attr(path...)
	name := strings.Join(path, ".")
	switch {
	case v.IsUnknown() && len(v.Refs) == 0:
		c.Unknown(r, v, "%s: %s is set, but %s", what, name, v.Reason())
	case v.IsSet():
		c.Pass(r, v, "%s: %s is set", what, name)
	default:
		c.Fail(r, v, "%s: %s is not set", what, name)
	}
}

// RequireBool passes when the attribute is the wanted boolean. def is the provider's default when the attribute is
// absent.
func (c *Check) RequireBool(r *Resource, want, def bool, path ...string) {
	v := r.Attr(path...)
	name := strings.Join(path, ".")
	if v.IsUnknown() {
		c.Unknown(r, v, "%s is not known statically: %s", name, v.Reason())
		return
	}
	b, ok := v.Bool()
	switch {
	case v.IsNull():
		if def == want {
			c.Pass(r, v, "%s is not set and defaults to %t", name, def)
		} else {
			c.Fail(r, v, "%s is not set and defaults to %t", name, def)
		}
	case !ok:
		c.Fail(r, v, "%s is %q, not a boolean", name, v.Str())
	case b == want:
		c.Pass(r, v, "%s is %t", name, b)
	default:
		c.Fail(r, v, "%s is %t", name, b)
	}
}

// RequireString passes when the attribute equals want (case-insensitively). def is the provider's default when
// the attribute is absent ("" for none).
func (c *Check) RequireString(r *Resource, want, def string, path ...string) {
	v := r.Attr(path...)
	name := strings.Join(path, ".")
	if v.IsUnknown() {
		c.Unknown(r, v, "%s is not known statically: %s", name, v.Reason())
		return
	}
	got, how := v.Str(), "is"
	if v.IsNull() {
		got, how = def, "is not set and defaults to"
		if def == "" {
			c.Fail(r, v, "%s is not set; it should be %q", name, want)
			return
		}
	}
	if strings.EqualFold(got, want) {
		c.Pass(r, v, "%s %s %q", name, how, got)
	} else {
		c.Fail(r, v, "%s %s %q; it should be %q", name, how, got, want)
	}
}
