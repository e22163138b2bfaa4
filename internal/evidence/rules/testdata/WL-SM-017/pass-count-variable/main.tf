variable "environment" {
  type    = string
  default = "dev"
}

variable "instance_count" {
  description = "Instances per variant, by environment."
  type        = map(number)
  default = {
    dev  = 1
    prod = 2
  }
}

resource "aws_sagemaker_endpoint_configuration" "fraud" {
  name = "fraud-scoring-${var.environment}"

  production_variants {
    variant_name           = "primary"
    model_name             = "fraud-xgb-v3"
    instance_type          = "ml.m5.xlarge"
    initial_instance_count = lookup(var.instance_count, var.environment, 1)
  }
}
