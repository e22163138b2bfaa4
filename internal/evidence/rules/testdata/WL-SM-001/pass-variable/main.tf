variable "direct_internet_access" {
  description = "Whether the notebook can reach the internet without going through the VPC."
  type        = string
  default     = "Disabled"

  validation {
    condition     = contains(["Enabled", "Disabled"], var.direct_internet_access)
    error_message = "direct_internet_access must be Enabled or Disabled."
  }
}

variable "subnet_id" {
  type    = string
  default = "subnet-0123456789abcdef0"
}

resource "aws_sagemaker_notebook_instance" "research" {
  name                   = "research"
  role_arn               = "arn:aws:iam::123456789012:role/research-notebook"
  instance_type          = "ml.t3.medium"
  subnet_id              = var.subnet_id
  security_groups        = ["sg-0f1e2d3c4b5a69788"]
  direct_internet_access = var.direct_internet_access
}
