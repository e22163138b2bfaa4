resource "aws_iam_role_policy_attachment" "bedrock" {
  role       = aws_iam_role.chat_backend.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonBedrockFullAccess"
}
