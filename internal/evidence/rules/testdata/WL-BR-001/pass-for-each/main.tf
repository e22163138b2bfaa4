# One agent and one guardrail per business line, created with for_each.
provider "aws" {
  region = "eu-west-1"
}

variable "assistants" {
  type = map(object({
    instruction = string
  }))
  default = {
    billing = { instruction = "You answer questions about invoices and payment methods for the signed-in customer." }
    returns = { instruction = "You help the signed-in customer open and track return requests for their orders." }
  }
}

resource "aws_iam_role" "agent" {
  for_each = var.assistants
  name     = "${each.key}-agent"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "bedrock.amazonaws.com" }
    }]
  })
}

resource "aws_bedrock_guardrail" "assistant" {
  for_each                  = var.assistants
  name                      = "${each.key}-assistant"
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

resource "aws_bedrockagent_agent" "assistant" {
  for_each                = var.assistants
  agent_name              = "${each.key}-assistant"
  agent_resource_role_arn = aws_iam_role.agent[each.key].arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
  instruction             = each.value.instruction

  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.assistant[each.key].guardrail_id
    guardrail_version    = "DRAFT"
  }
}
