resource "aws_kms_key" "ml" {
  description         = "ML team data at rest"
  enable_key_rotation = true
}

module "notebooks" {
  source   = "./modules/notebook"
  for_each = toset(["alice", "bob"])

  name        = "research-${each.key}"
  role_arn    = "arn:aws:iam::123456789012:role/research-notebook"
  kms_key_arn = aws_kms_key.ml.arn
}
