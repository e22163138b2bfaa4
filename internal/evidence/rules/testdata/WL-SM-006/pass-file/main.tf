resource "aws_sagemaker_notebook_instance_lifecycle_configuration" "research" {
  name     = "research-on-start"
  on_start = filebase64("${path.module}/scripts/on-start.sh")
}

resource "aws_sagemaker_notebook_instance" "research" {
  name                  = "research"
  role_arn              = "arn:aws:iam::123456789012:role/research-notebook"
  instance_type         = "ml.t3.medium"
  lifecycle_config_name = "research-on-start"
}
