# direct_internet_access is left out, so SageMaker gives the notebook its own route to the internet.
resource "aws_sagemaker_notebook_instance" "research" {
  name          = "research"
  role_arn      = "arn:aws:iam::123456789012:role/research-notebook"
  instance_type = "ml.t3.medium"
}
