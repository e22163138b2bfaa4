# No deployment_config: each new endpoint configuration takes all traffic at once, with nothing to roll it back.
resource "aws_sagemaker_endpoint" "fraud" {
  name                 = "fraud-scoring"
  endpoint_config_name = "fraud-scoring-v4"
}
