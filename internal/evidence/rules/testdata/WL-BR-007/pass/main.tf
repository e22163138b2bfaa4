provider "aws" {
  region = "eu-west-1"
}

resource "aws_kms_key" "guardrail" {
  description             = "Encrypts Bedrock guardrail configuration"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_kms_alias" "guardrail" {
  name          = "alias/bedrock-guardrail"
  target_key_id = aws_kms_key.guardrail.key_id
}

resource "aws_bedrock_guardrail" "legal" {
  name                      = "legal-assistant"
  blocked_input_messaging   = "Sorry, I can't help with that."
  blocked_outputs_messaging = "Sorry, I can't answer that."
  kms_key_arn               = aws_kms_key.guardrail.arn

  topic_policy_config {
    topics_config {
      name       = "pending_litigation"
      type       = "DENY"
      definition = "Questions about lawsuits in which the company is currently involved."
    }
  }
}
