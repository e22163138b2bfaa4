# Both endpoints exist, but private DNS is left at its default (false): the SDK still resolves the public
# bedrock-runtime hostname.
resource "aws_vpc_endpoint" "bedrock_runtime" {
  vpc_id             = aws_vpc.ai.id
  service_name       = "com.amazonaws.eu-west-1.bedrock-runtime"
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.private_a.id, aws_subnet.private_b.id]
  security_group_ids = [aws_security_group.endpoints.id]
}

resource "aws_vpc_endpoint" "bedrock_agent_runtime" {
  vpc_id             = aws_vpc.ai.id
  service_name       = "com.amazonaws.eu-west-1.bedrock-agent-runtime"
  vpc_endpoint_type  = "Interface"
  subnet_ids         = [aws_subnet.private_a.id, aws_subnet.private_b.id]
  security_group_ids = [aws_security_group.endpoints.id]
}
