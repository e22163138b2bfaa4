package cloudformation

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/walens/walens/internal/evidence"
)

// TestIntrinsics evaluates one property at a time in a small template and compares it, as scan output renders it
// (values, "$unknown" reasons and "$refs"), with what is expected.
func TestIntrinsics(t *testing.T) {
	const template = `Parameters:
  Env: {Type: String, Default: prod}
  Team: {Type: String}
  Zones: {Type: CommaDelimitedList, Default: "a,b,c"}
Mappings:
  Size: {prod: {Type: large}}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  HasTeam: !Not [!Equals [!Ref Team, ""]]
  East: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
  Key: {Type: AWS::KMS::Key}
  Named: {Type: AWS::SageMaker::Endpoint, Properties: {EndpointName: scoring}}
  Unnamed: {Type: AWS::SageMaker::Endpoint}
  Probe:
    Type: Custom::Probe
    Properties:
      P: `
	for _, c := range []struct {
		name, expr, region, want string
	}{
		{"ref parameter", `!Ref Env`, "", `"prod"`},
		{"ref parameter without default", `!Ref Team`, "", `{"$unknown":"parameter Team has no default"}`},
		{"ref list parameter", `!Ref Zones`, "", `["a","b","c"]`},
		{"ref resource", `!Ref Key`, "", `{"$refs":["Key"],"$unknown":"it comes from Key, known only once the stack is deployed"}`},
		{"getatt echoing a name", `!GetAtt Named.EndpointName`, "", `{"$refs":["Named.EndpointName"],"$value":"scoring"}`},
		{"getatt of an unset name", `!GetAtt Unnamed.EndpointName`, "", `{"$refs":["Unnamed.EndpointName"],"$unknown":"it comes from Unnamed.EndpointName, known only once the stack is deployed"}`},
		{"getatt list form", `!GetAtt [Key, Arn]`, "", `{"$refs":["Key.Arn"],"$unknown":"it comes from Key.Arn, known only once the stack is deployed"}`},
		{"getatt nested attribute", `!GetAtt Key.Some.Thing`, "", `{"$refs":["Key.Some.Thing"],"$unknown":"it comes from Key.Some.Thing, known only once the stack is deployed"}`},
		{"region from options", `!Ref AWS::Region`, "eu-west-1", `"eu-west-1"`},
		{"region unknown", `!Ref AWS::Region`, "", `{"$unknown":"AWS::Region is the Region the stack is deployed to, which the template does not say; pass --region (or evidence.region in walens.yaml)"}`},
		{"partition", `!Ref AWS::Partition`, "us-gov-west-1", `"aws-us-gov"`},
		{"sub known with refs", `!Sub "${Named.EndpointName}/${Env}"`, "", `{"$refs":["Named.EndpointName"],"$value":"scoring/prod"}`},
		{"sub unknown keeps refs", `!Sub "${Named.EndpointName}/${Key}"`, "", `{"$refs":["Named.EndpointName","Key"],"$unknown":"it comes from Key, known only once the stack is deployed"}`},
		{"sub literal", `!Sub "${!Env}"`, "", `"${Env}"`},
		{"sub variables win", `!Sub ["${Env}", {Env: dev}]`, "", `"dev"`},
		{"sub with spaces", `!Sub "${ Env }"`, "", `"prod"`},
		{"long form sub", `{"Fn::Sub": "x-${Env}"}`, "", `"x-prod"`},
		{"join", `!Join ["-", [!Ref Env, 1, true]]`, "", `"prod-1-true"`},
		{"join a list parameter", `!Join [",", !Ref Zones]`, "", `"a,b,c"`},
		{"select", `!Select ["2", !Ref Zones]`, "", `"c"`},
		{"split then select", `!Select [1, !Split [":", "a:b"]]`, "", `"b"`},
		{"findinmap", `!FindInMap [Size, !Ref Env, Type]`, "", `"large"`},
		{"findinmap unknown key", `!FindInMap [Size, !Ref Team, Type]`, "", `{"$unknown":"it is looked up in Mappings with a key that is not known statically: parameter Team has no default"}`},
		{"if true", `!If [IsProd, a, b]`, "", `"a"`},
		{"if on the region", `!If [East, a, b]`, "us-east-1", `"a"`},
		{"if unknown", `!If [HasTeam, a, b]`, "", `{"$unknown":"it depends on condition HasTeam, which is not known statically (parameter Team has no default)"}`},
		{"if unknown keeps refs of both branches", `!If [HasTeam, !Ref Key, !GetAtt Named.EndpointName]`, "", `{"$refs":["Key","Named.EndpointName"],"$unknown":"it depends on condition HasTeam, which is not known statically (parameter Team has no default)"}`},
		{"if unknown with a novalue branch has no refs", `!If [HasTeam, !Ref Key, !Ref AWS::NoValue]`, "", `{"$unknown":"it depends on condition HasTeam, which is not known statically (parameter Team has no default)"}`},
		{"novalue in a list", `[a, !Ref AWS::NoValue, b]`, "", `["a","b"]`},
		{"novalue in an object", `{A: !Ref AWS::NoValue, B: b}`, "", `{"b":"b"}`},
		{"base64", `!Base64 hi`, "", `"aGk="`},
		{"condition function as a value", `!Equals [!Ref Env, prod]`, "", `true`},
		{"import", `!ImportValue x`, "", `{"$unknown":"it is imported from another stack's export (Fn::ImportValue) when the stack is deployed"}`},
		{"transform", `{"Fn::Transform": {Name: AWS::Include}}`, "", `{"$unknown":"it is produced by a CloudFormation macro (Fn::Transform) when the stack is deployed"}`},
		{"keys are snake_case", `{KmsKeyId: k, DestinationS3Uri: s}`, "", `{"destination_s3_uri":"s","kms_key_id":"k"}`},
		{"one-key objects that are not functions", `{Condition: x}`, "", `{"condition":"x"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := &evidence.Loaded{}
			loadTemplate(context.Background(), "t.yaml", []byte(template+c.expr+"\n"), &evidence.Options{Region: c.region}, out)
			var probe *evidence.Resource
			for _, r := range out.Resources {
				if r.Address == "Probe" {
					probe = r
				}
			}
			if probe == nil {
				t.Fatalf("no Probe resource; problems: %v", out.Problems)
			}
			got := "(absent)"
			if v := probe.Attr("p"); v != nil {
				data, err := json.Marshal(v)
				if err != nil {
					t.Fatal(err)
				}
				got = string(data)
			}
			if c.want != got {
				t.Errorf("P: %s\ngot  %s\nwant %s\nproblems: %v", c.expr, got, c.want, out.Problems)
			}
		})
	}
}

var snakeRE = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// TestTypeTable checks the mapping table for mistakes a reader would not spot: Terraform names that are not
// aws_ snake_case, renames to names that are not snake_case, and references to properties of other types.
func TestTypeTable(t *testing.T) {
	for cfn, info := range types {
		if parts := strings.Split(cfn, "::"); len(parts) != 3 || parts[0] != "AWS" {
			t.Errorf("%s: not a CloudFormation type name", cfn)
		}
		if !strings.HasPrefix(info.tf, "aws_") || !snakeRE.MatchString(info.tf) {
			t.Errorf("%s: Terraform type %q", cfn, info.tf)
		}
		for from, to := range info.rename {
			if from == "" || !snakeRE.MatchString(to) {
				t.Errorf("%s: rename %q -> %q", cfn, from, to)
			}
		}
		for attr, prop := range info.getAtt {
			if attr == "" || prop == "" || strings.Contains(prop, ".") {
				t.Errorf("%s: Fn::GetAtt %q -> %q", cfn, attr, prop)
			}
		}
		if strings.Contains(info.ref, ".") {
			t.Errorf("%s: Ref property %q", cfn, info.ref)
		}
	}
	for _, c := range []struct{ cfn, tf string }{
		{"AWS::SageMaker::EndpointConfig", "aws_sagemaker_endpoint_configuration"},
		{"AWS::SageMaker::NotebookInstanceLifecycleConfig", "aws_sagemaker_notebook_instance_lifecycle_configuration"},
		{"AWS::SageMaker::ModelQualityJobDefinition", "aws_sagemaker_model_quality_job_definition"},
		{"AWS::Bedrock::Agent", "aws_bedrockagent_agent"},
		{"AWS::Bedrock::ApplicationInferenceProfile", "aws_bedrock_inference_profile"},
		{"AWS::Logs::LogGroup", "aws_cloudwatch_log_group"},
		{"AWS::IAM::ManagedPolicy", "aws_iam_policy"},
		{"AWS::Serverless::Function", "AWS::Serverless::Function"},
		{"AWS::CloudFormation::Stack", "AWS::CloudFormation::Stack"},
		{"Custom::Thing", "Custom::Thing"},
	} {
		if got := canonicalType(c.cfn); got != c.tf {
			t.Errorf("canonicalType(%s) = %s, want %s", c.cfn, got, c.tf)
		}
	}
}

// TestParameterValues checks that values given for the scan (--parameter) win over defaults and fill in
// parameters that have none, split for list types as CloudFormation does.
func TestParameterValues(t *testing.T) {
	const template = `Parameters:
  Env: {Type: String, Default: prod}
  Subnet: {Type: "AWS::EC2::Subnet::Id"}
  Zones: {Type: CommaDelimitedList}
Resources:
  Probe:
    Type: Custom::Probe
    Properties:
      E: !Ref Env
      S: !Ref Subnet
      Z: !Ref Zones
`
	out := &evidence.Loaded{}
	opts := &evidence.Options{Parameters: map[string]string{"Env": "staging", "Subnet": "subnet-0abc", "Zones": "a,b"}}
	loadTemplate(context.Background(), "t.yaml", []byte(template), opts, out)
	if len(out.Resources) != 1 {
		t.Fatalf("resources: %v, problems: %v", out.Resources, out.Problems)
	}
	got, _ := json.Marshal(out.Resources[0].Attrs)
	if want := `{"e":"staging","s":"subnet-0abc","z":["a","b"]}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
