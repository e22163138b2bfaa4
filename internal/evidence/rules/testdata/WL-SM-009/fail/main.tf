# app_network_access_type is left at PublicInternetOnly, so Studio apps bypass the VPC for internet traffic.
resource "aws_iam_role" "studio" {
  name = "studio-execution"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "sagemaker.amazonaws.com" }
    }]
  })
}

resource "aws_sagemaker_domain" "studio" {
  domain_name = "ml-studio"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"
  subnet_ids  = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  auth_mode   = "SSO"

  default_user_settings {
    execution_role  = aws_iam_role.studio.arn
    security_groups = ["sg-0f1e2d3c4b5a69788"]
  }
}
