resource "aws_vpc" "ai" {
  cidr_block           = "10.40.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.ai.id
  cidr_block        = "10.40.1.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "private_b" {
  vpc_id            = aws_vpc.ai.id
  cidr_block        = "10.40.2.0/24"
  availability_zone = "eu-west-1b"
}

resource "aws_security_group" "endpoints" {
  name        = "sagemaker-endpoints"
  description = "HTTPS from the application subnets to the SageMaker runtime endpoint"
  vpc_id      = aws_vpc.ai.id

  ingress {
    description = "HTTPS from inside the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.ai.cidr_block]
  }
}
