# No kms_key_arn: the denied topics and word lists are encrypted with an AWS owned key.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_bedrock_guardrail" "legal" {
  name                      = "legal-assistant"
  blocked_input_messaging   = "Sorry, I can't help with that."
  blocked_outputs_messaging = "Sorry, I can't answer that."

  topic_policy_config {
    topics_config {
      name       = "pending_litigation"
      type       = "DENY"
      definition = "Questions about lawsuits in which the company is currently involved."
    }
  }
}
