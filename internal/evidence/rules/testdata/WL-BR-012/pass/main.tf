provider "aws" {
  region = "us-east-1"
}

resource "aws_kms_key" "models" {
  description         = "Fine-tuned Bedrock models"
  enable_key_rotation = true
}

resource "aws_iam_role" "customization" {
  name = "bedrock-model-customization"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "bedrock.amazonaws.com" }
    }]
  })
}

resource "aws_bedrock_custom_model" "claims_triage" {
  custom_model_name       = "claims-triage-v3"
  job_name                = "claims-triage-v3-ft"
  base_model_identifier   = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k"
  customization_type      = "FINE_TUNING"
  role_arn                = aws_iam_role.customization.arn
  custom_model_kms_key_id = aws_kms_key.models.arn

  hyperparameters = {
    epochCount              = "2"
    batchSize               = "1"
    learningRate            = "0.00001"
    learningRateWarmupSteps = "0"
  }

  training_data_config {
    s3_uri = "s3://acme-ml-datasets/claims-triage/train.jsonl"
  }

  validation_data_config {
    validator {
      s3_uri = "s3://acme-ml-datasets/claims-triage/validation.jsonl"
    }
  }

  output_data_config {
    s3_uri = "s3://acme-ml-artifacts/claims-triage/"
  }
}
