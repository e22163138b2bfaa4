# One endpoint per service, from a set, with the Region from a variable.
variable "region" {
  type    = string
  default = "eu-west-1"
}

locals {
  bedrock_services = toset(["bedrock-runtime", "bedrock-agent-runtime"])
}

resource "aws_vpc_endpoint" "bedrock" {
  for_each = local.bedrock_services

  vpc_id              = aws_vpc.ai.id
  service_name        = "com.amazonaws.${var.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.private_a.id, aws_subnet.private_b.id]
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true

  tags = {
    Name = each.key
  }
}
