# No lifecycle configuration: the notebook runs, and bills, until someone remembers to stop it.
resource "aws_sagemaker_notebook_instance" "research" {
  name          = "research"
  role_arn      = "arn:aws:iam::123456789012:role/research-notebook"
  instance_type = "ml.g5.xlarge"
}
