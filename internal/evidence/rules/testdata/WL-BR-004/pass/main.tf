provider "aws" {
  region = "eu-west-1"
}

resource "aws_bedrock_guardrail" "hr" {
  name                      = "hr-assistant"
  blocked_input_messaging   = "Please don't share personal identifiers with the assistant."
  blocked_outputs_messaging = "The answer contained personal data and was withheld."

  sensitive_information_policy_config {
    pii_entities_config {
      type   = "EMAIL"
      action = "ANONYMIZE"
    }
    pii_entities_config {
      type   = "PHONE"
      action = "ANONYMIZE"
    }
    pii_entities_config {
      type   = "US_SOCIAL_SECURITY_NUMBER"
      action = "BLOCK"
    }

    regexes_config {
      name        = "employee_id"
      description = "Internal employee numbers"
      pattern     = "EMP-[0-9]{6}"
      action      = "ANONYMIZE"
    }
  }
}
