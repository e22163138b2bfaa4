# The same mistake written with aws_iam_policy_document, scoped to Bedrock ARNs only in name.
data "aws_iam_policy_document" "agent" {
  statement {
    actions   = ["bedrock:InvokeModel"]
    resources = ["arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0"]
  }

  statement {
    actions   = ["bedrock:*"]
    resources = ["arn:aws:bedrock:*:*:*"]
  }
}

resource "aws_iam_role_policy" "agent" {
  name   = "claims-agent"
  role   = aws_iam_role.agent.id
  policy = data.aws_iam_policy_document.agent.json
}
