provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_role" "chat_backend" {
  name = "chat-backend"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}
