# NotAction reads as a restriction, but allows every action except IAM ones.
data "aws_iam_policy_document" "agent" {
  statement {
    not_actions = ["iam:*", "organizations:*"]
    resources   = ["*"]
  }
}

resource "aws_iam_role_policy" "agent" {
  name   = "claims-agent"
  role   = aws_iam_role.agent.id
  policy = data.aws_iam_policy_document.agent.json
}
