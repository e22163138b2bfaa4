resource "aws_iam_role" "notebook" {
  name = "research-notebook"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "sagemaker.amazonaws.com" }
    }]
  })
}

resource "aws_security_group" "notebook" {
  name_prefix = "research-notebook-"
  description = "Research notebook: egress to VPC endpoints only"
  vpc_id      = "vpc-0a1b2c3d4e5f60718"
}

resource "aws_sagemaker_notebook_instance" "research" {
  name                   = "research"
  role_arn               = aws_iam_role.notebook.arn
  instance_type          = "ml.t3.medium"
  subnet_id              = "subnet-0123456789abcdef0"
  security_groups        = [aws_security_group.notebook.id]
  direct_internet_access = "Disabled"
}
