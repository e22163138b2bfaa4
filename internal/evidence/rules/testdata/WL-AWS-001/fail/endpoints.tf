# Endpoints for S3 and CloudWatch Logs, none for Bedrock: model calls go out through the NAT gateway.
resource "aws_vpc_endpoint" "s3" {
  vpc_id       = aws_vpc.ai.id
  service_name = "com.amazonaws.eu-west-1.s3"
}

resource "aws_vpc_endpoint" "logs" {
  vpc_id              = aws_vpc.ai.id
  service_name        = "com.amazonaws.eu-west-1.logs"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
}
