resource "aws_sagemaker_notebook_instance" "research" {
  name                = "research"
  role_arn            = "arn:aws:iam::123456789012:role/research-notebook"
  instance_type       = "ml.t3.medium"
  platform_identifier = "notebook-al2-v3"

  instance_metadata_service_configuration {
    minimum_instance_metadata_service_version = "2"
  }
}
