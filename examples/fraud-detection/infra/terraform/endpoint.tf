locals {
  name = "fraud-scoring-${var.environment}"
}

resource "aws_sagemaker_model_package_group" "fraud" {
  model_package_group_name        = "card-fraud-scoring"
  model_package_group_description = "XGBoost card-fraud models; only Approved versions are deployed"
}

module "scoring" {
  source = "./modules/scoring-endpoint"

  name               = local.name
  image              = "123456789012.dkr.ecr.${var.region}.amazonaws.com/fraud-xgboost:1.7-1"
  model_data_url     = "s3://payments-risk-models-${var.environment}/fraud/v${var.model_version}/model.tar.gz"
  execution_role_arn = aws_iam_role.scoring.arn
  kms_key_arn        = aws_kms_key.ml.arn
  subnet_ids         = aws_subnet.private[*].id
  security_group_ids = [aws_security_group.endpoint.id]
  capture_bucket     = "payments-risk-capture-${var.environment}"
  instance_type      = "ml.c7g.xlarge"
  min_instances      = 3
  max_instances      = 12
  alarm_names        = [aws_cloudwatch_metric_alarm.p99_latency.alarm_name, aws_cloudwatch_metric_alarm.errors.alarm_name]
}

resource "aws_cloudwatch_metric_alarm" "p99_latency" {
  alarm_name          = "${local.name}-p99-latency"
  namespace           = "AWS/SageMaker"
  metric_name         = "ModelLatency"
  extended_statistic  = "p99"
  period              = 60
  evaluation_periods  = 3
  threshold           = 40000
  comparison_operator = "GreaterThanThreshold"
  dimensions = {
    EndpointName = local.name
    VariantName  = "primary"
  }
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name          = "${local.name}-5xx"
  namespace           = "AWS/SageMaker"
  metric_name         = "Invocation5XXErrors"
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 2
  threshold           = 5
  comparison_operator = "GreaterThanThreshold"
  dimensions = {
    EndpointName = local.name
    VariantName  = "primary"
  }
}

resource "aws_iam_role" "scoring" {
  name = "${local.name}-execution"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sagemaker.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "scoring" {
  name = "read-model-write-capture"
  role = aws_iam_role.scoring.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["arn:aws:s3:::payments-risk-models-${var.environment}/fraud/*"]
      },
      {
        Effect   = "Allow"
        Action   = ["s3:PutObject"]
        Resource = ["arn:aws:s3:::payments-risk-capture-${var.environment}/*"]
      },
      {
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = [aws_kms_key.ml.arn]
      },
    ]
  })
}
