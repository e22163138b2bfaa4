variable "direct_internet_access" {
  type    = string
  default = "Disabled"
}

resource "aws_sagemaker_notebook_instance" "research" {
  name                   = "research"
  role_arn               = "arn:aws:iam::123456789012:role/research-notebook"
  instance_type          = "ml.t3.medium"
  subnet_id              = "subnet-0123456789abcdef0"
  security_groups        = ["sg-0f1e2d3c4b5a69788"]
  direct_internet_access = var.direct_internet_access
}
