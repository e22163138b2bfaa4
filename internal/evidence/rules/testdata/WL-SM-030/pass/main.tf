resource "aws_sagemaker_model_package_group" "fraud" {
  model_package_group_name        = "fraud-detection"
  model_package_group_description = "Fraud scoring models registered by the training pipeline; only Approved versions are deployed."
}

variable "approved_model_version" {
  description = "Version of the fraud model package that passed review."
  type        = number
  default     = 7
}

resource "aws_sagemaker_model" "fraud" {
  name               = "fraud-v${var.approved_model_version}"
  execution_role_arn = "arn:aws:iam::123456789012:role/fraud-model-execution"

  primary_container {
    model_package_name = "${replace(aws_sagemaker_model_package_group.fraud.arn, "model-package-group", "model-package")}/${var.approved_model_version}"
  }
}
