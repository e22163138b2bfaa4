# The orchestrator Lambda runs in this VPC and reaches AWS APIs through a NAT gateway; the Bedrock interface
# endpoints are planned (SUP-1190).
resource "aws_vpc" "assistant" {
  cidr_block           = "10.60.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.assistant.id
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
}

resource "aws_budgets_budget" "assistant" {
  name         = "${local.name}-monthly"
  budget_type  = "COST"
  limit_amount = "9000"
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  cost_filter {
    name   = "TagKeyValue"
    values = ["user:CostCenter$customer-support"]
  }

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 80
    threshold_type             = "PERCENTAGE"
    notification_type          = "FORECASTED"
    subscriber_email_addresses = ["support-platform@example.com"]
  }
}
