variable "training_kms_key_arn" {
  description = "Customer managed key for training volumes and model artefacts."
  type        = string
  default     = "arn:aws:kms:eu-west-1:123456789012:key/5d6e7f80-9a1b-4c2d-8e3f-405162738495"
}

variable "private_subnet_ids" {
  type    = list(string)
  default = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
}

locals {
  training_image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fraud-training:2.3.1"
}

resource "aws_sagemaker_pipeline" "fraud_training" {
  pipeline_name         = "fraud-training"
  pipeline_display_name = "FraudTraining"
  role_arn              = "arn:aws:iam::123456789012:role/fraud-pipeline"

  pipeline_definition = templatefile("${path.module}/templates/pipeline.json.tftpl", {
    image              = local.training_image
    role_arn           = "arn:aws:iam::123456789012:role/fraud-training"
    kms_key_arn        = var.training_kms_key_arn
    subnet_ids         = var.private_subnet_ids
    security_group_ids = ["sg-0f1e2d3c4b5a69788"]
  })
}
