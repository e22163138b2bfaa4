package cloudformation

import (
	"strings"
	"testing"

	"github.com/walens/walens/internal/evidence"
)

func TestMatch(t *testing.T) {
	// longParameters is a template whose Parameters fill the whole head, so that Resources lies beyond it.
	var lp strings.Builder
	lp.WriteString("Parameters:\n")
	for i := 0; lp.Len() < evidence.HeadBytes; i++ {
		lp.WriteString("  Subnet" + strings.Repeat("x", i%7) + ":\n    Type: AWS::EC2::Subnet::Id\n    Description: one of the subnets the endpoint runs in\n")
	}
	longParameters := lp.String()[:evidence.HeadBytes]
	longVersioned := ("AWSTemplateFormatVersion: '2010-09-09'\n" + strings.Repeat("Parameters:\n  P:\n    Type: String\n", 1) +
		strings.Repeat("    Description: padding padding padding\n", 3000))[:evidence.HeadBytes]

	for _, c := range []struct {
		name, path, head string
		want             bool
	}{
		// Templates.
		{"yaml with version", "stack.yaml", "AWSTemplateFormatVersion: \"2010-09-09\"\nResources: {}\n", true},
		{"quoted version key", "stack.yml", "'AWSTemplateFormatVersion': '2010-09-09'\n", true},
		{"comment and document start", "stack.yaml", "# the ML stack\n---\nAWSTemplateFormatVersion: 2010-09-09\n", true},
		{"byte order mark", "stack.yaml", "\ufeffAWSTemplateFormatVersion: 2010-09-09\n", true},
		{"resources only", "stack.yaml", "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n", true},
		{"quoted type", "stack.yaml", "Description: x\nResources:\n  Bucket:\n    Type: \"AWS::S3::Bucket\"\n", true},
		{"single-quoted type", "stack.yaml", "Resources:\n  Bucket:\n    'Type': 'AWS::S3::Bucket'\n", true},
		{"custom resource", "stack.yaml", "Resources:\n  Thing:\n    Type: Custom::Thing\n", true},
		{"sam transform", "template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n", true},
		{"sam transform list", "template.yml", "Transform:\n- AWS::Serverless-2016-10-31\nGlobals:\n  Function: {}\n", true},
		{"long parameters with types", "stack.yaml", longParameters, true},
		{"long parameters with version", "stack.yaml", longVersioned, true},
		{"template extension", "stack.template", "AWSTemplateFormatVersion: 2010-09-09\n", true},
		{"upper-case extension", "STACK.YAML", "AWSTemplateFormatVersion: 2010-09-09\n", true},
		{"json with version", "stack.json", "{\n  \"AWSTemplateFormatVersion\" : \"2010-09-09\",\n  \"Resources\": {}\n}", true},
		{"json resources", "stack.json", "{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\"}}}", true},
		{"json sam", "stack.json", "{\"Transform\": \"AWS::Serverless-2016-10-31\", \"Resources\": {}}", true},
		{"json template extension", "stack.template", "{\"AWSTemplateFormatVersion\": \"2010-09-09\"}", true},
		{"yaml in flow style", "stack.yaml", "{\"AWSTemplateFormatVersion\": \"2010-09-09\"}", true},

		// Not templates.
		{"kubernetes", "deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n", false},
		{"kubernetes with a Type line", "svc.yaml", "apiVersion: v1\nkind: Service\nspec:\n  Type: AWS::Thing\n", false},
		{"docker compose", "docker-compose.yml", "version: \"3.8\"\nservices:\n  api:\n    image: api:latest\n", false},
		{"github workflow", ".github/workflows/ci.yml", "name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n", false},
		{"walens workload", "walens.yaml", "format: walens-workload/v1\nname: fraud\nevidence:\n  region: eu-west-1\n", false},
		{"serverless framework", "serverless.yml", "service: api\nprovider:\n  name: aws\nresources:\n  Resources:\n    Bucket:\n      Type: AWS::S3::Bucket\n", false},
		{"ansible playbook", "site.yml", "- hosts: all\n  tasks:\n    - name: ping\n      ping:\n", false},
		{"openapi", "api.yaml", "openapi: 3.0.0\ninfo:\n  title: API\n", false},
		{"plain yaml", "config.yaml", "Description: a config file\nName: x\n", false},
		{"parameters without aws types", "params.yaml", "Parameters:\n  Env:\n    Type: String\n", false},
		{"package.json", "package.json", "{\n  \"name\": \"app\",\n  \"dependencies\": {\"aws-cdk-lib\": \"2.0.0\"}\n}", false},
		{"terraform plan", "plan.json", "{\"format_version\":\"1.2\",\"terraform_version\":\"1.9.0\",\"planned_values\":{\"root_module\":{\"resources\":[{\"type\":\"aws_s3_bucket\"}]}},\"Resources\":{\"Type\":\"AWS::S3::Bucket\"}}", false},
		{"terraform json", "main.tf.json", "{\"AWSTemplateFormatVersion\": \"2010-09-09\"}", false},
		{"parameters file", "params.json", "[{\"ParameterKey\": \"Env\", \"ParameterValue\": \"prod\"}]", false},
		{"iam policy", "policy.json", "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}", false},
		{"state machine", "sfn.json", "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\"}}}", false},
		{"wrong extension", "stack.txt", "AWSTemplateFormatVersion: 2010-09-09\n", false},
		{"hcl", "main.tf", "resource \"aws_s3_bucket\" \"b\" {}\n", false},
		{"empty", "stack.yaml", "", false},
		{"blank", "stack.yaml", "\n\n  \n", false},
	} {
		if got := (Source{}).Match(c.path, []byte(c.head)); got != c.want {
			t.Errorf("%s: Match(%s) = %v, want %v", c.name, c.path, got, c.want)
		}
	}
}

// TestMatchTestdata checks that every template under testdata is recognised, so that the golden files describe
// what a scan would read.
func TestMatchTestdata(t *testing.T) {
	for _, name := range []string{"intrinsics.yaml", "intrinsics.json", "renames.yaml", "sagemaker-endpoint.yaml",
		"bedrock-agent.yaml", "bedrock-agent.template", "sam.yml", "nested-stack.yaml", "bad-intrinsics.yaml",
		"bad-resources.yaml", "resources-list.yaml", "invalid.yaml", "invalid.json"} {
		path := "testdata/templates/" + name
		head := readHead(t, path)
		if !(Source{}).Match(path, head) {
			t.Errorf("%s is not recognised as a template", name)
		}
	}
	for _, name := range []string{"not-a-template.yaml", "empty.yaml"} {
		path := "testdata/templates/" + name
		if (Source{}).Match(path, readHead(t, path)) {
			t.Errorf("%s is recognised as a template", name)
		}
	}
}
