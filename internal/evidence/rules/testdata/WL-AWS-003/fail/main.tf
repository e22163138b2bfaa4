# Tagged, but without the Project key the cost reports group by.
provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      CostCenter = "cc-4410"
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
    Owner = "support-platform"
  }
}
