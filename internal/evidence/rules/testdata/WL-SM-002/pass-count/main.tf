variable "analysts" {
  description = "One notebook per analyst."
  type        = list(string)
  default     = ["amara", "jonas", "li"]
}

resource "aws_sagemaker_notebook_instance" "analyst" {
  count = length(var.analysts)

  name          = "analysis-${var.analysts[count.index]}"
  role_arn      = "arn:aws:iam::123456789012:role/analyst-notebook"
  instance_type = "ml.t3.medium"
  root_access   = "Disabled"

  tags = {
    owner = var.analysts[count.index]
  }
}
