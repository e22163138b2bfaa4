# The logging configuration names its destinations literally; walens matches them to the declared log group and
# bucket. Large payloads go to an encrypted bucket.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_kms_key" "logs" {
  description         = "Bedrock invocation logs"
  enable_key_rotation = true
}

resource "aws_cloudwatch_log_group" "invocations" {
  name              = "/aws/bedrock/model-invocations"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.logs.arn
}

resource "aws_s3_bucket" "large_payloads" {
  bucket = "acme-bedrock-large-payloads"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "large_payloads" {
  bucket = "acme-bedrock-large-payloads"

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.logs.key_id
    }
  }
}

resource "aws_bedrock_model_invocation_logging_configuration" "this" {
  depends_on = [aws_cloudwatch_log_group.invocations, aws_s3_bucket.large_payloads]

  logging_config {
    cloudwatch_config {
      log_group_name = "/aws/bedrock/model-invocations"
      role_arn       = aws_iam_role.invocation_logging.arn

      large_data_delivery_s3_config {
        bucket_name = "acme-bedrock-large-payloads"
        key_prefix  = "large"
      }
    }
  }
}
