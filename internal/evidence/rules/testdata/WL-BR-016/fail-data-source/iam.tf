# The managed policy is looked up by name.
data "aws_iam_policy" "bedrock_full_access" {
  name = "AmazonBedrockFullAccess"
}

resource "aws_iam_role_policy_attachment" "bedrock" {
  role       = aws_iam_role.chat_backend.name
  policy_arn = data.aws_iam_policy.bedrock_full_access.arn
}
