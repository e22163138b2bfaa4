# Content and topic policies, but nothing for personal data.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_bedrock_guardrail" "hr" {
  name                      = "hr-assistant"
  blocked_input_messaging   = "Sorry, I can't help with that."
  blocked_outputs_messaging = "Sorry, I can't answer that."

  content_policy_config {
    filters_config {
      type            = "PROMPT_ATTACK"
      input_strength  = "HIGH"
      output_strength = "NONE"
    }
  }

  topic_policy_config {
    topics_config {
      name       = "salary_negotiation"
      type       = "DENY"
      definition = "Advice on negotiating individual salaries or compensation packages."
      examples   = ["How much of a raise should I ask for?"]
    }
  }
}
