# The guardrail was created in the console default, us-east-1.
provider "aws" {
  region = "us-east-1"
}

resource "aws_bedrock_guardrail" "assistant" {
  name                      = "assistant"
  blocked_input_messaging   = "Sorry, I can't help with that request."
  blocked_outputs_messaging = "Sorry, I can't share that answer."

  content_policy_config {
    filters_config {
      type            = "PROMPT_ATTACK"
      input_strength  = "HIGH"
      output_strength = "NONE"
    }
  }
}
