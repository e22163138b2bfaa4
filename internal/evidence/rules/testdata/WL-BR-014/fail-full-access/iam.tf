resource "aws_iam_role_policy_attachment" "agent_bedrock" {
  role       = aws_iam_role.agent.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonBedrockFullAccess"
}
