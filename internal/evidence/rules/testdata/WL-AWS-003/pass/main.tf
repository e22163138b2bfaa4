# The cost centre comes from the provider's default tags, the project from each resource.
provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      CostCenter = "cc-4410"
      ManagedBy  = "terraform"
    }
  }
}

resource "aws_bedrock_guardrail" "support" {
  name                      = "support-assistant"
  blocked_input_messaging   = "Sorry, I can't help with that request."
  blocked_outputs_messaging = "Sorry, I can't share that answer."

  content_policy_config {
    filters_config {
      type            = "PROMPT_ATTACK"
      input_strength  = "HIGH"
      output_strength = "NONE"
    }
  }

  tags = {
    Project = "support-assistant"
  }
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
