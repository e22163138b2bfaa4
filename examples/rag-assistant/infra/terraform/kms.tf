resource "aws_kms_key" "assistant" {
  description         = "Support assistant data in eu-west-1"
  enable_key_rotation = true
}

resource "aws_kms_key" "central" {
  provider            = aws.central
  description         = "Support assistant data in eu-central-1"
  enable_key_rotation = true
}
