package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/walens/walens/internal/evidence"
)

const (
	endpointConfig = "aws_sagemaker_endpoint_configuration"
	endpoint       = "aws_sagemaker_endpoint"
)

func endpointRules() []*evidence.Rule {
	return []*evidence.Rule{
		{
			ID:       "WL-SM-014",
			Title:    "SageMaker endpoint configurations encrypt instance storage with a KMS key",
			Severity: evidence.SeverityMedium,
			Description: "Endpoint instances keep the model and request payloads on their storage volumes. A customer managed " +
				"key puts that data under the team's key policy.",
			Remediation: "Set kms_key_arn (KmsKeyId) on the endpoint configuration. Serverless variants have no volume and " +
				"need none.",
			Types:     []string{endpointConfig},
			Practices: []evidence.Practice{p("MLSEC02-BP01")},
			Equivalents: evidence.Equivalents{
				Checkov: []string{"CKV_AWS_98"},
				KICS:    []string{"58b35504-0287-4154-bf69-02c0573deab8", "44034eda-1c3f-486a-831d-e09a7dd94354"},
				Prowler: []string{"sagemaker_endpoint_config_kms_encryption_enabled"},
			},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				if allServerless(r) {
					c.Pass(r, r.Attr("production_variants"), "every variant is serverless, with no storage volume to encrypt")
					return
				}
				requireCustomerKey(c, r, "volume encryption", "kms_key_arn")
			},
		},
		{
			ID:       "WL-SM-015",
			Title:    "SageMaker endpoints capture inference requests and responses",
			Severity: evidence.SeverityHigh,
			Description: "Drift detection, quality monitoring and retraining all start from captured production traffic: " +
				"without data capture there is nothing to compare with the training baseline and no record of what the " +
				"model answered.",
			Remediation: "Add data_capture_config (DataCaptureConfig) with enable_capture = true, an S3 destination, a sampling " +
				"percentage above zero, and capture_options for both Input and Output.",
			Types:     []string{endpointConfig},
			Practices: []evidence.Practice{p("MLOPS06-BP02"), p("MLPERF06-BP03"), p("MLPERF06-BP04"), p("GENOPS02-BP02")},
			Check:     checkDataCapture,
		},
		{
			ID:       "WL-SM-016",
			Title:    "Captured inference data is encrypted with a KMS key",
			Severity: evidence.SeverityMedium,
			Description: "Captured payloads are copies of what users sent and what the model answered, often personal data. " +
				"They deserve the same key control as the source data.",
			Remediation: "Set data_capture_config { kms_key_id } (DataCaptureConfig.KmsKeyId) to a customer managed key.",
			Types:       []string{endpointConfig},
			Practices:   []evidence.Practice{p("MLSEC02-BP01"), p("RAIMON01-BP03")},
			Check: func(c *evidence.Check, r *evidence.Resource) {
				dc := r.Attr("data_capture_config")
				if dc.IsNull() {
					return // no capture, nothing to encrypt; WL-SM-015 reports the missing capture
				}
				requireCustomerKey(c, r, "capture encryption", "data_capture_config", "kms_key_id")
			},
		},
		{
			ID:       "WL-SM-017",
			Title:    "SageMaker production variants run at least two instances",
			Severity: evidence.SeverityMedium,
			Description: "With one instance, an instance failure or an Availability Zone event takes the endpoint down. Two or " +
				"more instances are spread across zones by SageMaker.",
			Remediation: "Set initial_instance_count (InitialInstanceCount) to 2 or more for every production variant, or use " +
				"managed instance scaling with a minimum of 2.",
			Types:     []string{endpointConfig},
			Practices: []evidence.Practice{p("MLREL05-BP01")},
			Equivalents: evidence.Equivalents{
				Prowler: []string{"sagemaker_endpoint_config_prod_variant_instances"},
			},
			Check: checkInstanceCount,
		},
		{
			ID:       "WL-SM-018",
			Title:    "Every SageMaker endpoint variant scales automatically",
			Severity: evidence.SeverityHigh,
			Description: "A fixed fleet is either too small for peaks or paid for while idle. Application Auto Scaling on the " +
				"variant's instance count, with a scaling policy, follows the load.",
			Remediation: "For each variant, declare an aws_appautoscaling_target with service_namespace = \"sagemaker\", " +
				"scalable_dimension = \"sagemaker:variant:DesiredInstanceCount\" and resource_id = " +
				"\"endpoint/<endpoint>/variant/<variant>\", and an aws_appautoscaling_policy on it (target tracking on " +
				"SageMakerVariantInvocationsPerInstance is a good start). Serverless variants scale by themselves.",
			Types:     []string{endpoint},
			Practices: []evidence.Practice{s("MLREL05-BP01"), s("MLCOST06-BP03"), p("GENSUS01-BP01")},
			Check:     checkAutoscaling,
		},
		{
			ID:       "WL-SM-019",
			Title:    "Every SageMaker endpoint has a monitoring schedule",
			Severity: evidence.SeverityHigh,
			Description: "Models degrade silently as the world changes. A monitoring schedule compares captured traffic with " +
				"the training baseline on a schedule and reports violations, which is what drift detection means in " +
				"practice.",
			Remediation: "Declare an aws_sagemaker_monitoring_schedule (AWS::SageMaker::MonitoringSchedule) whose job " +
				"definition reads the endpoint's captured data, at least daily; add a model-quality schedule where ground " +
				"truth is available. walens monitor can run the same checks outside SageMaker.",
			Types:       []string{endpoint},
			Practices:   []evidence.Practice{s("MLPERF06-BP03"), p("MLPERF06-BP04"), p("MLOPS06-BP02"), p("MLPERF06-BP05")},
			Equivalents: evidence.Equivalents{Prowler: []string{"sagemaker_models_monitor_enabled"}},
			Check:       checkMonitoringSchedule,
		},
		{
			ID:       "WL-SM-020",
			Title:    "SageMaker endpoints deploy gradually and roll back on alarms",
			Severity: evidence.SeverityMedium,
			Description: "Without a deployment policy, a new model version takes all traffic at once, and a bad version stays " +
				"until someone notices. Canary or linear blue/green shifting (or rolling updates) with CloudWatch alarms " +
				"for automatic rollback limits the damage.",
			Remediation: "Add deployment_config { blue_green_update_policy { traffic_routing_configuration { type = " +
				"\"CANARY\" ... } } auto_rollback_configuration { alarms { alarm_name = ... } } } (DeploymentConfig) with " +
				"alarms on the variant's error rate and latency.",
			Types:     []string{endpoint},
			Practices: []evidence.Practice{s("MLREL04-BP02"), p("MLREL05-BP02")},
			Check:     checkDeployment,
		},
	}
}

// allServerless reports whether every production variant of an endpoint configuration is serverless.
func allServerless(r *evidence.Resource) bool {
	vs := r.Attr("production_variants").Items()
	if len(vs) == 0 {
		return false
	}
	for _, v := range vs {
		if v.Get("serverless_config").IsNull() {
			return false
		}
	}
	return true
}

// serverlessNoCapture explains why capture-based rules cannot apply to serverless endpoints.
const serverlessNoCapture = "serverless endpoints support neither data capture nor Model Monitor; capture requests in the " +
	"calling layer (or through the walens gateway) and check them with walens monitor"

func checkDataCapture(c *evidence.Check, r *evidence.Resource) {
	dc := r.Attr("data_capture_config")
	if allServerless(r) {
		// Not a failure the team can fix in this resource, and not a pass: the code does not show capture.
		c.Unknown(r, r.Attr("production_variants"), "every variant is serverless: %s", serverlessNoCapture)
		return
	}
	switch {
	case dc.IsUnknown():
		c.Unknown(r, dc, "data_capture_config is not known statically: %s", dc.Reason())
		return
	case dc.IsNull():
		c.Fail(r, nil, "no data_capture_config: requests and responses are not captured")
		return
	}
	enabled := dc.Get("enable_capture")
	b, ok := enabled.Bool()
	switch {
	case enabled.IsUnknown():
		c.Unknown(r, enabled, "enable_capture is not known statically: %s", enabled.Reason())
		return
	case enabled.IsNull() && strings.HasPrefix(r.Source, "terraform"):
		// The API enables capture when EnableCapture is absent, and so does CloudFormation; the Terraform provider
		// always sends the argument, false unless set.
		c.Fail(r, dc, "data_capture_config does not set enable_capture, which the Terraform AWS provider sends as false, so nothing is captured")
		return
	case ok && !b:
		c.Fail(r, enabled, "data capture is configured but enable_capture is false")
		return
	}
	pct := dc.Get("initial_sampling_percentage")
	if pct.IsUnknown() {
		c.Unknown(r, pct, "initial_sampling_percentage is not known statically: %s", pct.Reason())
		return
	}
	if n, ok := pct.Num(); !ok || n <= 0 {
		c.Fail(r, pct.Or(dc), "data capture samples no requests (initial_sampling_percentage is %s)", orUnset(pct))
		return
	}
	dest := dc.Get("destination_s3_uri")
	if !dest.IsSet() {
		c.Fail(r, dest.Or(dc), "data capture has no destination_s3_uri")
		return
	}
	modes := map[string]bool{}
	opts := dc.Get("capture_options").Items()
	for _, o := range opts {
		m := o.Get("capture_mode")
		if m.IsUnknown() {
			c.Unknown(r, m, "capture_mode is not known statically: %s", m.Reason())
			return
		}
		mode := strings.ToLower(m.Str())
		if mode == "inputandoutput" {
			modes["input"], modes["output"] = true, true
			continue
		}
		modes[mode] = true
	}
	if len(opts) > 0 && (!modes["input"] || !modes["output"]) {
		c.Fail(r, dc.Get("capture_options").Or(dc), "data capture records only %s; capture both Input and Output", captured(modes))
		return
	}
	n, _ := pct.Num()
	c.Pass(r, enabled.Or(dc), "requests and responses are captured (%g%% sampled)", n)
}

func orUnset(v *evidence.Value) string {
	if v.IsNull() {
		return "not set"
	}
	return v.Str()
}

func captured(modes map[string]bool) string {
	var out []string
	for m := range modes {
		out = append(out, m)
	}
	if len(out) == 0 {
		return "nothing"
	}
	return strings.Join(out, " and ")
}

func checkInstanceCount(c *evidence.Check, r *evidence.Resource) {
	vs := r.Attr("production_variants").Items()
	if len(vs) == 0 {
		c.Unknown(r, r.Attr("production_variants"), "no production variants could be read")
		return
	}
	for _, v := range vs {
		name := v.Get("variant_name").Str()
		if name == "" {
			name = "(unnamed)"
		}
		if v.IsUnknown() {
			c.Unknown(r, v, "a production variant is not known statically: %s", v.Reason())
			continue
		}
		if !v.Get("serverless_config").IsNull() {
			c.Pass(r, v.Get("serverless_config"), "variant %s is serverless; SageMaker manages its capacity", name)
			continue
		}
		count := v.Get("initial_instance_count")
		// With managed instance scaling on, the variant may shrink to its minimum; a disabled block changes nothing.
		if mis := v.Get("managed_instance_scaling"); strings.EqualFold(mis.Get("status").Str(), "ENABLED") {
			if min := mis.Get("min_instance_count"); min.IsSet() {
				count = min
			}
		}
		n, ok := count.Num()
		switch {
		case count.IsUnknown():
			c.Unknown(r, count, "the instance count of variant %s is not known statically: %s", name, count.Reason())
		case !ok:
			c.Fail(r, count.Or(v), "variant %s sets no instance count", name)
		case n < 2:
			c.Fail(r, count, "variant %s runs %g instance; a failure takes it down", name, n)
		default:
			c.Pass(r, count, "variant %s runs %g instances", name, n)
		}
	}
}

// configOf finds the endpoint configuration of an endpoint, reporting through the check when it cannot.
func configOf(c *evidence.Check, r *evidence.Resource) (*evidence.Resource, bool) {
	v := r.Attr("endpoint_config_name")
	cfgs, ok := follow(c, r, v, "endpoint configuration", endpointConfig)
	if !ok {
		return nil, false
	}
	if len(cfgs) == 0 {
		c.Unknown(r, v, "the endpoint names no endpoint configuration")
		return nil, false
	}
	return cfgs[0], true
}

// endpointName is the name an endpoint is known by in other resources' literal values, or "".
func endpointName(r *evidence.Resource) string {
	if n := r.Attr("name"); n.K() == evidence.String {
		return n.Str()
	}
	return r.Attr("endpoint_name").Str()
}

func checkAutoscaling(c *evidence.Check, r *evidence.Resource) {
	cfg, ok := configOf(c, r)
	if !ok {
		return
	}
	variants := cfg.Attr("production_variants").Items()
	if len(variants) == 0 {
		c.Unknown(r, nil, "endpoint configuration %s has no readable production variants", cfg.Address)
		return
	}
	targets := scalingTargets(c.Graph, r)
	for _, v := range variants {
		name := v.Get("variant_name")
		if !v.Get("serverless_config").IsNull() {
			c.Pass(r, v, "variant %s is serverless and scales by itself", name.Str())
			continue
		}
		if mis := v.Get("managed_instance_scaling"); strings.EqualFold(mis.Get("status").Str(), "ENABLED") {
			c.Pass(r, mis, "variant %s uses managed instance scaling", name.Str())
			continue
		}
		t, status := targets.forVariant(name.Str(), len(variants) == 1)
		switch status {
		case evidence.Pass:
			switch pol, maybe := scalingPolicy(c.Graph, t); {
			case pol != nil:
				c.Pass(r, t.Attrs.Get("resource_id").Or(t.Attrs), "variant %s scales with %s and policy %s", name.Str(), t.Address, pol.Address)
			case maybe != nil:
				c.Unknown(r, t.Attrs.Get("resource_id").Or(t.Attrs), "variant %s has scaling target %s; policy %s may apply to it, but what it scales is not known statically", name.Str(), t.Address, maybe.Address)
			default:
				c.Fail(r, t.Attrs.Get("resource_id").Or(t.Attrs), "variant %s has scaling target %s but no scaling policy, so it never scales", name.Str(), t.Address)
			}
		case evidence.Undetermined:
			c.Unknown(r, nil, "a scaling target may apply to variant %s, but its resource_id is not known statically", name.Str())
		default:
			c.Fail(r, v, "variant %s of endpoint %s has no autoscaling target", name.Str(), r.Address)
		}
	}
}

// variantTargets are the scaling targets that name one endpoint.
type variantTargets struct {
	byVariant map[string]*evidence.Resource // by variant name, from resource IDs read in full
	partial   []*evidence.Resource          // targets that reference the endpoint but whose variant part is unknown
	unknown   bool                          // targets whose resource_id could not be read at all
}

// forVariant finds the target of a variant. A target that references the endpoint but whose variant name cannot be
// read counts only when the endpoint has a single variant, the one thing it can then mean.
func (vt variantTargets) forVariant(name string, only bool) (*evidence.Resource, evidence.Status) {
	if t := vt.byVariant[name]; t != nil {
		return t, evidence.Pass
	}
	if only && len(vt.partial) > 0 {
		return vt.partial[0], evidence.Pass
	}
	if len(vt.partial) > 0 || vt.unknown {
		return nil, evidence.Undetermined
	}
	return nil, evidence.Fail
}

func scalingTargets(g *evidence.Graph, ep *evidence.Resource) variantTargets {
	vt := variantTargets{byVariant: map[string]*evidence.Resource{}}
	name := endpointName(ep)
	for _, t := range g.OfType("aws_appautoscaling_target") {
		if ns := t.Attr("service_namespace"); ns.K() == evidence.String && !strings.EqualFold(ns.Str(), "sagemaker") {
			continue
		}
		if dim := t.Attr("scalable_dimension"); dim.K() == evidence.String && dim.Str() != "sagemaker:variant:DesiredInstanceCount" {
			continue
		}
		id := t.Attr("resource_id")
		if id == nil {
			continue // no resource ID: the provider rejects the target, and it scales nothing
		}
		if id.K() == evidence.String {
			parts := strings.Split(id.Str(), "/")
			if len(parts) == 4 && parts[0] == "endpoint" && parts[2] == "variant" && name != "" && strings.EqualFold(parts[1], name) {
				vt.byVariant[parts[3]] = t
			}
			continue
		}
		refersToEndpoint := false
		for _, ref := range id.References() {
			if x := g.Lookup(t.Unit, ref.Address); x == ep {
				refersToEndpoint = true
			}
		}
		switch {
		case refersToEndpoint:
			vt.partial = append(vt.partial, t)
		case id.IsUnknown() && len(id.References()) == 0:
			vt.unknown = true
		}
	}
	return vt
}

// scalingPolicy finds a scaling policy attached to a target, by reference or by the same resource ID. When none is
// found, maybe is a policy that could be attached but whose target cannot be read statically.
func scalingPolicy(g *evidence.Graph, t *evidence.Resource) (pol, maybe *evidence.Resource) {
	tid := t.Attr("resource_id")
	for _, p := range g.OfType("aws_appautoscaling_policy") {
		if ns := p.Attr("service_namespace"); ns.K() == evidence.String && !strings.EqualFold(ns.Str(), "sagemaker") {
			continue
		}
		pid := p.Attr("resource_id")
		var pidRefs []evidence.Ref
		if pid != nil {
			pidRefs = pid.References()
		}
		// CloudFormation policies point at their target with ScalingTargetId.
		refs := slices.Clone(pidRefs)
		if st := p.Attr("scaling_target_id"); st != nil {
			refs = append(refs, st.References()...)
		}
		for _, ref := range refs {
			switch refersTo(g, p, ref, t) {
			case evidence.Pass:
				return p, nil
			case evidence.Undetermined:
				maybe = p
			}
		}
		switch {
		case pid.K() == evidence.String && tid.K() == evidence.String && pid.Str() == tid.Str():
			return p, nil
		case pid.IsUnknown() && tid.IsUnknown() && sameRefs(pidRefs, tid.References()):
			return p, nil
		case pid.IsUnknown() && len(refs) == 0 && maybe == nil:
			maybe = p // a resource_id built from values walens cannot see (each.value of an unknown for_each, say)
		}
	}
	return nil, maybe
}

// refersTo tells whether reference ref, made by resource from, points at resource t: Pass if it does, Fail if it
// does not, Undetermined if it names t's resource but not which instance.
func refersTo(g *evidence.Graph, from *evidence.Resource, ref evidence.Ref, t *evidence.Resource) evidence.Status {
	if ref.Address == t.Address {
		return evidence.Pass
	}
	// A reference to one instance of a counted or for_each resource (target[each.key]) reaches walens without its
	// key. Instances of two resources expanded over the same keys pair up by key; Graph.Lookup would pick the first
	// instance for every one of them.
	if base, key := splitInstanceKey(t.Address); key != "" && ref.Address == base {
		switch _, fromKey := splitInstanceKey(from.Address); fromKey {
		case "":
		case key:
			return evidence.Pass
		case "[?]":
			return evidence.Undetermined
		default:
			return evidence.Fail
		}
	}
	if g.Lookup(from.Unit, ref.Address) == t {
		return evidence.Pass
	}
	return evidence.Fail
}

// splitInstanceKey splits module.a.aws_x.y["k"] into module.a.aws_x.y and ["k"]; an address without an instance key
// comes back whole, with an empty key.
func splitInstanceKey(addr string) (base, key string) {
	if strings.HasSuffix(addr, "]") {
		if i := strings.LastIndexByte(addr, '['); i > 0 {
			return addr[:i], addr[i:]
		}
	}
	return addr, ""
}

func sameRefs(a, b []evidence.Ref) bool {
	if len(a) == 0 || len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Address != b[i].Address {
			return false
		}
	}
	return true
}

// monitoredEndpoints returns the endpoint name values a monitoring job definition or inline schedule reads from.
func monitoredEndpoints(job *evidence.Value, prefix string) []*evidence.Value {
	var out []*evidence.Value
	if prefix != "" {
		if v := job.Get(prefix+"_job_input", "endpoint_input", "endpoint_name"); v != nil {
			out = append(out, v)
		}
	}
	for _, in := range job.Get("monitoring_inputs").Items() {
		if v := in.Get("endpoint_input", "endpoint_name"); v != nil {
			out = append(out, v)
		}
	}
	return out
}

// endpointRef is an attribute that names an endpoint, with the resource it belongs to (references resolve there).
type endpointRef struct {
	from *evidence.Resource
	v    *evidence.Value
}

func checkMonitoringSchedule(c *evidence.Check, r *evidence.Resource) {
	undetermined := ""
	for _, sched := range c.Graph.OfType("aws_sagemaker_monitoring_schedule") {
		cfg := sched.Attr("monitoring_schedule_config")
		// The schedule may name the endpoint directly (CloudFormation's EndpointName), define its job inline, or
		// point at a job definition.
		candidates := []endpointRef{{sched, sched.Attr("endpoint_name")}}
		for _, v := range monitoredEndpoints(cfg.Get("monitoring_job_definition"), "") {
			candidates = append(candidates, endpointRef{sched, v})
		}
		jobName := cfg.Get("monitoring_job_definition_name")
		if jobName.IsSet() {
			link := c.Graph.Follow(sched, jobName, monitoringJobTypes...)
			for _, job := range link.Targets {
				for _, v := range monitoredEndpoints(job.Attrs, jobPrefix[job.Type]) {
					candidates = append(candidates, endpointRef{job, v})
				}
			}
			if len(link.Targets) == 0 && undetermined == "" {
				undetermined = fmt.Sprintf("schedule %s uses a job definition walens cannot read (%s)", sched.Address, jobName.Reason())
			}
		}
		for _, cand := range candidates {
			if !cand.v.IsSet() {
				continue
			}
			link := c.Graph.Follow(cand.from, cand.v, endpoint)
			for _, t := range link.Targets {
				if t == r {
					c.Pass(r, nil, "monitoring schedule %s watches this endpoint", sched.Address)
					return
				}
			}
			if !link.Known && !link.External && undetermined == "" {
				undetermined = fmt.Sprintf("schedule %s watches an endpoint walens cannot name (%s)", sched.Address, cand.v.Reason())
			}
		}
	}
	if undetermined != "" {
		c.Unknown(r, nil, "no monitoring schedule is known to watch this endpoint, but %s", undetermined)
		return
	}
	if cfgs := c.Graph.Follow(r, r.Attr("endpoint_config_name"), endpointConfig).Targets; len(cfgs) > 0 && allServerless(cfgs[0]) {
		c.Unknown(r, nil, "the endpoint is serverless: %s", serverlessNoCapture)
		return
	}
	c.Fail(r, nil, "no monitoring schedule watches endpoint %s, so drift and quality problems go unnoticed", r.Address)
}

func checkDeployment(c *evidence.Check, r *evidence.Resource) {
	dc := r.Attr("deployment_config")
	switch {
	case dc.IsUnknown():
		c.Unknown(r, dc, "deployment_config is not known statically: %s", dc.Reason())
		return
	case dc.IsNull():
		c.Fail(r, nil, "no deployment_config: new versions take all traffic at once and nothing rolls back automatically")
		return
	}
	policy := dc.Get("blue_green_update_policy")
	if !policy.IsNull() {
		// Blue/green with ALL_AT_ONCE routing moves every request to the new fleet in one step: it can roll back,
		// but nothing limits how much traffic a bad version sees first.
		switch typ := policy.Get("traffic_routing_configuration", "type"); {
		case typ.IsUnknown():
			c.Unknown(r, typ, "the traffic routing type is not known statically: %s", typ.Reason())
			return
		case strings.EqualFold(typ.Str(), "ALL_AT_ONCE"):
			c.Fail(r, typ, "blue/green updates shift all traffic at once (ALL_AT_ONCE); use CANARY or LINEAR routing")
			return
		}
	} else {
		policy = dc.Get("rolling_update_policy")
	}
	if policy.IsNull() {
		c.Fail(r, dc, "deployment_config sets neither a blue/green nor a rolling update policy")
		return
	}
	alarms := dc.Get("auto_rollback_configuration", "alarms")
	// A dynamic block whose for_each is not known leaves an unknown item: it may stand for no alarm at all.
	known, unknown := 0, (*evidence.Value)(nil)
	for _, a := range alarms.Items() {
		if a.IsUnknown() {
			unknown = a
		} else {
			known++
		}
	}
	switch {
	case alarms.IsUnknown():
		c.Unknown(r, alarms, "the rollback alarms are not known statically: %s", alarms.Reason())
	case known > 0:
		c.Pass(r, alarms, "updates shift traffic gradually and roll back on %d alarm(s)", known)
	case unknown != nil:
		c.Unknown(r, unknown, "the rollback alarms are not known statically: %s", unknown.Reason())
	default:
		c.Fail(r, dc, "the update policy has no auto_rollback_configuration alarms, so a bad version is not rolled back")
	}
}
