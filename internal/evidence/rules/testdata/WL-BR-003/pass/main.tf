provider "aws" {
  region = "eu-west-1"
}

resource "aws_kms_key" "guardrail" {
  description         = "Encrypts the support assistant guardrail"
  enable_key_rotation = true
}

resource "aws_bedrock_guardrail" "support" {
  name                      = "support-assistant"
  description               = "Blocks prompt attacks and harmful content for the support assistant"
  blocked_input_messaging   = "Sorry, I can't help with that request."
  blocked_outputs_messaging = "Sorry, I can't share that answer."
  kms_key_arn               = aws_kms_key.guardrail.arn

  content_policy_config {
    filters_config {
      type            = "PROMPT_ATTACK"
      input_strength  = "HIGH"
      output_strength = "NONE"
    }
    filters_config {
      type            = "HATE"
      input_strength  = "HIGH"
      output_strength = "HIGH"
    }
    filters_config {
      type            = "INSULTS"
      input_strength  = "MEDIUM"
      output_strength = "MEDIUM"
    }
  }

  tags = {
    Project = "support-assistant"
  }
}
