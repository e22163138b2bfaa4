# An inline policy written with jsonencode and literal ARNs.
resource "aws_iam_role_policy" "agent" {
  name = "claims-agent"
  role = aws_iam_role.agent.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "InvokeOrchestrationModel"
        Effect   = "Allow"
        Action   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
        Resource = "arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0"
      },
      {
        Sid      = "QueryClaimFiles"
        Effect   = "Allow"
        Action   = "bedrock:Retrieve"
        Resource = "arn:aws:bedrock:eu-west-1:123456789012:knowledge-base/KB12345678"
      },
      {
        Sid      = "NoAgentChanges"
        Effect   = "Deny"
        Action   = "bedrock:*"
        Resource = "*"
        Condition = {
          StringNotEquals = { "aws:RequestedRegion" = "eu-west-1" }
        }
      }
    ]
  })
}
