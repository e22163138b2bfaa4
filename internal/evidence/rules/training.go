package rules

import (
	"fmt"
	"strings"

	"github.com/walens/walens/internal/diag"
	"github.com/walens/walens/internal/evidence"
)

// trainingJob is the configuration of a training job as infrastructure code declares it: a training step of a
// SageMaker pipeline definition, or a training job resource. Arguments use snake_case keys in both cases.
type trainingJob struct {
	res  *evidence.Resource
	name string          // the pipeline step's name, or "" for a resource
	args *evidence.Value // CreateTrainingJob arguments
	why  string          // set when the job's arguments cannot be read
}

func (j trainingJob) label() string {
	if j.name == "" {
		return j.res.Address
	}
	return fmt.Sprintf("%s step %q", j.res.Address, j.name)
}

// trainingJobs finds every training job the scanned code defines.
func trainingJobs(g *evidence.Graph) []trainingJob {
	var out []trainingJob
	for _, r := range g.OfType("aws_sagemaker_training_job") {
		out = append(out, trainingJob{res: r, args: r.Attrs})
	}
	for _, r := range g.OfType("aws_sagemaker_pipeline") {
		def := r.Attr("pipeline_definition")
		// CloudFormation wraps the definition: PipelineDefinition: {PipelineDefinitionBody | PipelineDefinitionS3Location}.
		if def.K() == evidence.Object && (def.Get("pipeline_definition_body") != nil || def.Get("pipeline_definition_s3_location") != nil) {
			def = def.Get("pipeline_definition_body")
		}
		var doc *evidence.Value
		switch {
		case def.K() == evidence.Object:
			// A definition written with jsonencode() around values known only at apply time: its members keep
			// their own positions.
			doc = evidence.SnakeKeys(def, evidence.Pos{})
		case def.K() == evidence.String:
			var problem *diag.Problem
			doc, problem = evidence.DecodeJSON(def.Pos.File, []byte(def.Str()))
			if problem != nil {
				out = append(out, trainingJob{res: r, why: "the pipeline definition is not valid JSON"})
				continue
			}
			// Positions inside a JSON string are not positions in the file; use the attribute's.
			doc = evidence.SnakeKeys(doc, def.Pos)
		case def.IsSet():
			out = append(out, trainingJob{res: r, why: "the pipeline definition is not known statically: " + def.Reason()})
			continue
		default:
			out = append(out, trainingJob{res: r, why: "the pipeline definition is stored outside the code (S3)"})
			continue
		}
		for _, step := range doc.Get("steps").Items() {
			args := step.Get("arguments")
			switch strings.ToLower(step.Get("type").Str()) {
			case "training":
			case "tuning":
				args = args.Get("training_job_definition")
			default:
				continue
			}
			out = append(out, trainingJob{res: r, name: step.Get("name").Str(), args: args})
		}
	}
	return out
}

// checkTraining runs a per-job check over every training job, reporting jobs whose arguments cannot be read as
// unknown.
func checkTraining(check func(c *evidence.Check, j trainingJob)) func(*evidence.Check, *evidence.Graph) {
	return func(c *evidence.Check, g *evidence.Graph) {
		for _, j := range trainingJobs(g) {
			if j.why != "" {
				c.Unknown(j.res, nil, "%s: %s", j.label(), j.why)
				continue
			}
			check(c, j)
		}
	}
}

// requireJob is RequireSet/RequireBool for a value inside a training job's arguments: pipeline parameters
// ({"get": "Parameters.X"}) are unknown, never passes.
func requireJob(c *evidence.Check, j trainingJob, what string, wantTrue bool, path ...string) {
	v := j.args.Get(path...)
	name := strings.Join(path, ".")
	if v.K() == evidence.Object && v.Get("get").IsSet() {
		c.Unknown(j.res, v, "%s: %s comes from pipeline parameter %s at run time", j.label(), name, v.Get("get").Str())
		return
	}
	// An unknown that references a resource is set (to a subnet, a key), which is all a set-check needs.
	if v.IsUnknown() && (wantTrue || len(v.References()) == 0) {
		c.Unknown(j.res, v, "%s: %s is not known statically: %s", j.label(), name, v.Reason())
		return
	}
	if wantTrue {
		if b, ok := v.Bool(); ok && b {
			c.Pass(j.res, v, "%s: %s", j.label(), what)
		} else {
			c.Fail(j.res, v.Or(j.args), "%s: %s is not true", j.label(), name)
		}
		return
	}
	if v.IsSet() {
		c.Pass(j.res, v, "%s: %s", j.label(), what)
	} else {
		c.Fail(j.res, v.Or(j.args), "%s: %s is not set", j.label(), name)
	}
}

var trainingTypes = []string{"aws_sagemaker_pipeline", "aws_sagemaker_training_job"}

func trainingRules() []*evidence.Rule {
	return []*evidence.Rule{
		{
			ID:       "WL-SM-025",
			Title:    "SageMaker training uses managed spot capacity with checkpoints",
			Severity: evidence.SeverityLow,
			Description: "Managed spot training runs on spare capacity at a large discount; checkpoints to S3 let an " +
				"interrupted job resume instead of starting over. Spot without checkpoints wastes the work done before " +
				"each interruption.",
			Remediation: "In the training job or pipeline step, set EnableManagedSpotTraining to true, MaxWaitTimeInSeconds in " +
				"the stopping condition, and CheckpointConfig.S3Uri; make the training script save and resume from " +
				"/opt/ml/checkpoints.",
			Types:     trainingTypes,
			Practices: []evidence.Practice{p("MLCOST04-BP06"), s("MLCOST04-BP10"), p("MLSUS04-BP04")},
			CheckGraph: checkTraining(func(c *evidence.Check, j trainingJob) {
				spot := j.args.Get("enable_managed_spot_training")
				if b, ok := spot.Bool(); spot.IsUnknown() || spot.K() == evidence.Object {
					c.Unknown(j.res, spot, "%s: enable_managed_spot_training is not known statically", j.label())
					return
				} else if !ok || !b {
					c.Fail(j.res, spot.Or(j.args), "%s: training runs on on-demand capacity (managed spot training is off)", j.label())
					return
				}
				requireJob(c, j, "spot training with checkpoints to S3", false, "checkpoint_config", "s3_uri")
			}),
		},
		{
			ID:       "WL-SM-026",
			Title:    "SageMaker training jobs run with network isolation",
			Severity: evidence.SeverityHigh,
			Description: "Training code and its dependencies see the whole training set. Network isolation stops a " +
				"compromised dependency from sending it anywhere.",
			Remediation: "Set EnableNetworkIsolation to true on the training job or pipeline step.",
			Types:       trainingTypes,
			Practices:   []evidence.Practice{p("MLSEC03-BP02"), p("MLSEC04-BP01")},
			Equivalents: evidence.Equivalents{Prowler: []string{"sagemaker_training_jobs_network_isolation_enabled"}},
			CheckGraph: checkTraining(func(c *evidence.Check, j trainingJob) {
				requireJob(c, j, "network isolation is on", true, "enable_network_isolation")
			}),
		},
		{
			ID:          "WL-SM-027",
			Title:       "SageMaker training jobs run in a VPC",
			Severity:    evidence.SeverityMedium,
			Description: "Training instances outside a VPC reach data and services over SageMaker's network instead of the team's endpoints and security groups.",
			Remediation: "Set VpcConfig (subnets and security groups) on the training job or pipeline step.",
			Types:       trainingTypes,
			Practices:   []evidence.Practice{p("MLSEC03-BP02")},
			Equivalents: evidence.Equivalents{Prowler: []string{"sagemaker_training_jobs_vpc_settings_configured"}},
			CheckGraph: checkTraining(func(c *evidence.Check, j trainingJob) {
				requireJob(c, j, "the job runs in a VPC", false, "vpc_config", "subnets")
			}),
		},
		{
			ID:          "WL-SM-028",
			Title:       "SageMaker distributed training encrypts traffic between instances",
			Severity:    evidence.SeverityMedium,
			Description: "Distributed training exchanges gradients and data shards between instances; without inter-container encryption they travel in clear text.",
			Remediation: "Set EnableInterContainerTrafficEncryption to true on the training job or pipeline step.",
			Types:       trainingTypes,
			Practices:   []evidence.Practice{p("MLSEC04-BP02")},
			Equivalents: evidence.Equivalents{Prowler: []string{"sagemaker_training_jobs_intercontainer_encryption_enabled"}},
			CheckGraph: checkTraining(func(c *evidence.Check, j trainingJob) {
				requireJob(c, j, "inter-container traffic is encrypted", true, "enable_inter_container_traffic_encryption")
			}),
		},
		{
			ID:          "WL-SM-029",
			Title:       "SageMaker training jobs encrypt volumes and output with a KMS key",
			Severity:    evidence.SeverityHigh,
			Description: "Training volumes hold the training set while the job runs, and the output holds the model. Both deserve a key the team controls.",
			Remediation: "Set ResourceConfig.VolumeKmsKeyId and OutputDataConfig.KmsKeyId on the training job or pipeline step.",
			Types:       trainingTypes,
			Practices:   []evidence.Practice{p("MLSEC02-BP01")},
			Equivalents: evidence.Equivalents{Prowler: []string{"sagemaker_training_jobs_volume_and_output_encryption_enabled"}},
			CheckGraph: checkTraining(func(c *evidence.Check, j trainingJob) {
				vol, out := j.args.Get("resource_config", "volume_kms_key_id"), j.args.Get("output_data_config", "kms_key_id")
				switch {
				case !vol.IsSet() && !vol.IsUnknown():
					c.Fail(j.res, vol.Or(j.args), "%s: the training volume is not encrypted with a KMS key", j.label())
				case !out.IsSet() && !out.IsUnknown():
					c.Fail(j.res, out.Or(j.args), "%s: the training output is not encrypted with a KMS key", j.label())
				case vol.K() == evidence.String && awsManagedKeyRE.MatchString(vol.Str()):
					c.Fail(j.res, vol, "%s: the training volume uses the AWS managed key %s, not a customer managed key", j.label(), vol.Str())
				case out.K() == evidence.String && awsManagedKeyRE.MatchString(out.Str()):
					c.Fail(j.res, out, "%s: the training output uses the AWS managed key %s, not a customer managed key", j.label(), out.Str())
				default:
					requireJob(c, j, "the volume is encrypted with a KMS key", false, "resource_config", "volume_kms_key_id")
					requireJob(c, j, "the output is encrypted with a KMS key", false, "output_data_config", "kms_key_id")
				}
			}),
		},
	}
}
