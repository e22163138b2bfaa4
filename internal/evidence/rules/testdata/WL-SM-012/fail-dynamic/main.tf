# The VPC block is generated only when var.network is given, and its default is null.
variable "network" {
  description = "Subnets and security groups for the model containers; null runs them outside any VPC."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  default = null
}

resource "aws_sagemaker_model" "fraud" {
  name               = "fraud-xgb-v3"
  execution_role_arn = "arn:aws:iam::123456789012:role/fraud-model-execution"

  primary_container {
    image          = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-serving:3.2.0"
    model_data_url = "s3://acme-ml-models/fraud/v3/model.tar.gz"
  }

  dynamic "vpc_config" {
    for_each = var.network == null ? [] : [var.network]

    content {
      subnets            = vpc_config.value.subnet_ids
      security_group_ids = vpc_config.value.security_group_ids
    }
  }
}
