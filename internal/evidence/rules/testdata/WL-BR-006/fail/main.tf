# Only two of the five harmful-content categories are filtered.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_bedrock_guardrail" "public_chat" {
  name                      = "public-chat"
  blocked_input_messaging   = "This message goes against our community guidelines."
  blocked_outputs_messaging = "The answer went against our community guidelines and was withheld."

  content_policy_config {
    filters_config {
      type            = "HATE"
      input_strength  = "HIGH"
      output_strength = "HIGH"
    }
    filters_config {
      type            = "VIOLENCE"
      input_strength  = "HIGH"
      output_strength = "HIGH"
    }
  }
}
