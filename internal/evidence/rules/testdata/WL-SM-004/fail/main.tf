# No subnet_id: the notebook runs in a network SageMaker manages.
resource "aws_sagemaker_notebook_instance" "research" {
  name                   = "research"
  role_arn               = "arn:aws:iam::123456789012:role/research-notebook"
  instance_type          = "ml.t3.medium"
  direct_internet_access = "Enabled"
}
