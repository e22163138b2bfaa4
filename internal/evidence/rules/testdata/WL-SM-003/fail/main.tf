# No kms_key_id: the volume is encrypted with a key the team does not control.
resource "aws_sagemaker_notebook_instance" "research" {
  name          = "research"
  role_arn      = "arn:aws:iam::123456789012:role/research-notebook"
  instance_type = "ml.t3.medium"
}
