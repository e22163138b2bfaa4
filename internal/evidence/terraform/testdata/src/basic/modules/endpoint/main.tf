variable "config_name" {}
variable "endpoint_name" {}

resource "aws_sagemaker_endpoint" "this" {
  name                 = var.endpoint_name
  endpoint_config_name = var.config_name
}

output "name" {
  value = aws_sagemaker_endpoint.this.name
}
