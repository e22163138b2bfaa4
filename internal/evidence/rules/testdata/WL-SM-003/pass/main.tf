data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "notebook_key" {
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "notebook" {
  description         = "Research notebook storage volumes"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.notebook_key.json
}

resource "aws_sagemaker_notebook_instance" "research" {
  name          = "research"
  role_arn      = "arn:aws:iam::123456789012:role/research-notebook"
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.notebook.arn
}
