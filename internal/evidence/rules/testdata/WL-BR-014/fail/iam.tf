# The quick-start policy: every Bedrock action on every resource.
resource "aws_iam_role_policy" "agent" {
  name = "claims-agent"
  role = aws_iam_role.agent.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "bedrock:*"
      Resource = "*"
    }]
  })
}
