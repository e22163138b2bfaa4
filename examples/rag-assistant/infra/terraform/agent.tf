# The order-lookup agent runs in both Regions with the same definition.
locals {
  agent_regions = {
    primary = { guardrail = module.guardrail_primary, key = aws_kms_key.assistant.arn }
  }
  instruction = <<-EOT
    You help customers with questions about their own orders. Use the order-lookup action for order status and
    delivery dates. Never discuss another customer's orders. If the customer asks for a refund decision, hand over
    to a human agent.
  EOT
}

resource "aws_bedrockagent_agent" "orders" {
  agent_name                  = "${local.name}-orders"
  agent_resource_role_arn     = aws_iam_role.agent.arn
  foundation_model            = "eu.anthropic.claude-3-7-sonnet-20250219-v1:0"
  instruction                 = local.instruction
  idle_session_ttl_in_seconds = 600
  customer_encryption_key_arn = aws_kms_key.assistant.arn

  guardrail_configuration = [{
    guardrail_identifier = module.guardrail_primary.guardrail_id
    guardrail_version    = module.guardrail_primary.version
  }]
}

resource "aws_bedrockagent_agent" "orders_central" {
  provider                    = aws.central
  agent_name                  = "${local.name}-orders"
  agent_resource_role_arn     = aws_iam_role.agent_central.arn
  foundation_model            = "eu.anthropic.claude-3-7-sonnet-20250219-v1:0"
  instruction                 = local.instruction
  idle_session_ttl_in_seconds = 600
  customer_encryption_key_arn = aws_kms_key.central.arn

  guardrail_configuration = [{
    guardrail_identifier = module.guardrail_central.guardrail_id
    guardrail_version    = module.guardrail_central.version
  }]
}

data "aws_iam_policy_document" "agent_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["bedrock.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "agent" {
  statement {
    sid     = "InvokeApprovedModels"
    actions = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    resources = [
      "arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-7-sonnet-20250219-v1:0",
      "arn:aws:bedrock:eu-*::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0",
    ]
  }
  statement {
    sid       = "ApplyGuardrail"
    actions   = ["bedrock:ApplyGuardrail"]
    resources = ["arn:aws:bedrock:eu-*:123456789012:guardrail/*"]
  }
}

resource "aws_iam_role" "agent" {
  name               = "${local.name}-agent"
  assume_role_policy = data.aws_iam_policy_document.agent_trust.json
}

resource "aws_iam_role_policy" "agent" {
  name   = "invoke-approved-models"
  role   = aws_iam_role.agent.id
  policy = data.aws_iam_policy_document.agent.json
}

resource "aws_iam_role" "agent_central" {
  name               = "${local.name}-agent-central"
  assume_role_policy = data.aws_iam_policy_document.agent_trust.json
}

resource "aws_iam_role_policy" "agent_central" {
  name   = "invoke-approved-models"
  role   = aws_iam_role.agent_central.id
  policy = data.aws_iam_policy_document.agent.json
}

resource "aws_bedrockagent_prompt" "answer" {
  name                        = "${local.name}-answer"
  description                 = "System prompt for grounded support answers"
  customer_encryption_key_arn = aws_kms_key.assistant.arn
  default_variant             = "v7"

  variant {
    name          = "v7"
    model_id      = "eu.anthropic.claude-3-7-sonnet-20250219-v1:0"
    template_type = "TEXT"
    template_configuration {
      text {
        text = "Answer the customer's question using only the passages below. If they do not answer it, say so.\n{{passages}}\nQuestion: {{question}}"
      }
    }
  }
}
