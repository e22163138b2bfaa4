# A customer managed policy shared by several roles, attached to the agent's.
resource "aws_iam_policy" "bedrock_power_user" {
  name        = "bedrock-power-user"
  description = "Full Bedrock access for AI teams"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "bedrock:*"
        Resource = "*"
      }
    ]
  })
}

resource "aws_iam_role_policy_attachment" "agent" {
  role       = aws_iam_role.agent.name
  policy_arn = aws_iam_policy.bedrock_power_user.arn
}
