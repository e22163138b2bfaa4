# Model invocation logging: prompts and completions go to CloudWatch Logs and to the locked log bucket.
resource "aws_cloudwatch_log_group" "invocations" {
  name              = "/bedrock/${local.name}/invocations"
  retention_in_days = 90
  kms_key_id        = aws_kms_key.assistant.arn
}

resource "aws_s3_bucket" "invocation_logs" {
  bucket = "${local.name}-invocation-logs"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "invocation_logs" {
  bucket = aws_s3_bucket.invocation_logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.assistant.arn
    }
  }
}

resource "aws_iam_role" "invocation_logging" {
  name = "${local.name}-invocation-logging"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "bedrock.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

# Only the primary Region has invocation logging so far.
resource "aws_bedrock_model_invocation_logging_configuration" "primary" {
  logging_config {
    text_data_delivery_enabled      = true
    image_data_delivery_enabled     = false
    embedding_data_delivery_enabled = false

    cloudwatch_config {
      log_group_name = aws_cloudwatch_log_group.invocations.name
      role_arn       = aws_iam_role.invocation_logging.arn
    }

    s3_config {
      bucket_name = aws_s3_bucket.invocation_logs.id
      key_prefix  = "bedrock"
    }
  }
}
