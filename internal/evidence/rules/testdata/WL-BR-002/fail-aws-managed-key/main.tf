resource "aws_bedrockagent_agent" "support" {
  agent_name                  = "support"
  agent_resource_role_arn     = "arn:aws:iam::123456789012:role/agent"
  foundation_model            = "anthropic.claude-3-haiku-20240307-v1:0"
  customer_encryption_key_arn = "arn:aws:kms:eu-west-1:123456789012:alias/aws/bedrock"
}
