# The PII entities are configured with action NONE: Bedrock reports them in the trace and passes them on.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_bedrock_guardrail" "hr" {
  name                      = "hr-assistant"
  blocked_input_messaging   = "Sorry, I can't help with that."
  blocked_outputs_messaging = "Sorry, I can't answer that."

  sensitive_information_policy_config {
    pii_entities_config {
      type   = "EMAIL"
      action = "NONE"
    }
    pii_entities_config {
      type   = "PHONE"
      action = "NONE"
    }
  }
}
