provider "aws" {
  region = "eu-west-1"
}

resource "aws_sagemaker_endpoint" "fraud" {
  name                 = "fraud-scoring"
  endpoint_config_name = "fraud-scoring-v3"
}

resource "aws_vpc_endpoint" "sagemaker_runtime" {
  vpc_id              = aws_vpc.ai.id
  service_name        = "com.amazonaws.eu-west-1.sagemaker.runtime"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
}
