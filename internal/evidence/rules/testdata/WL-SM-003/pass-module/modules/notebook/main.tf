variable "name" {
  type = string
}

variable "role_arn" {
  type = string
}

variable "instance_type" {
  type    = string
  default = "ml.t3.medium"
}

variable "kms_key_arn" {
  description = "Customer managed key for the notebook's storage volume; null uses an AWS owned key."
  type        = string
  default     = null
}

resource "aws_sagemaker_notebook_instance" "this" {
  name          = var.name
  role_arn      = var.role_arn
  instance_type = var.instance_type
  kms_key_id    = var.kms_key_arn
}

output "arn" {
  value = aws_sagemaker_notebook_instance.this.arn
}
