# Without instance_metadata_service_configuration, CreateNotebookInstance defaults to version 1 (IMDSv1 and v2).
resource "aws_sagemaker_notebook_instance" "research" {
  name                = "research"
  role_arn            = "arn:aws:iam::123456789012:role/research-notebook"
  instance_type       = "ml.t3.medium"
  platform_identifier = "notebook-al2-v3"
}
