provider "aws" {
  region = "eu-west-1"
}

resource "aws_bedrock_provisioned_model_throughput" "support" {
  provisioned_model_name = "support-assistant-pt"
  model_arn              = "arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0:200k"
  commitment_duration    = "OneMonth"
  model_units            = 1

  tags = {
    Project = "support-assistant"
  }
}
