provider "aws" {
  region = "eu-west-1"
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

resource "aws_bedrock_inference_profile" "assistant" {
  name        = "assistant-haiku"
  description = "Tracks the assistant's model usage"

  model_source {
    copy_from = "arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
  }
}
