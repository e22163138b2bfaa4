# A real-time scoring endpoint: model, endpoint configuration with data capture, a blue/green canary deployment
# with automatic rollback, and target-tracking autoscaling.

variable "name" { type = string }
variable "image" { type = string }
variable "model_data_url" { type = string }
variable "execution_role_arn" { type = string }
variable "kms_key_arn" { type = string }
variable "subnet_ids" { type = list(string) }
variable "security_group_ids" { type = list(string) }
variable "capture_bucket" { type = string }
variable "instance_type" { type = string }
variable "alarm_names" { type = list(string) }

variable "min_instances" {
  type    = number
  default = 2
}

variable "max_instances" {
  type    = number
  default = 4
}

variable "capture_percentage" {
  type    = number
  default = 20
}

resource "aws_sagemaker_model" "this" {
  name                     = "${var.name}-model"
  execution_role_arn       = var.execution_role_arn
  enable_network_isolation = true

  primary_container {
    image          = var.image
    model_data_url = var.model_data_url
  }

  vpc_config {
    subnets            = var.subnet_ids
    security_group_ids = var.security_group_ids
  }
}

resource "aws_sagemaker_endpoint_configuration" "this" {
  name        = "${var.name}-config"
  kms_key_arn = var.kms_key_arn

  production_variants {
    variant_name           = "primary"
    model_name             = aws_sagemaker_model.this.name
    instance_type          = var.instance_type
    initial_instance_count = var.min_instances
  }

  data_capture_config {
    enable_capture              = true
    initial_sampling_percentage = var.capture_percentage
    destination_s3_uri          = "s3://${var.capture_bucket}/fraud"
    kms_key_id                  = var.kms_key_arn

    capture_options {
      capture_mode = "Input"
    }
    capture_options {
      capture_mode = "Output"
    }
  }
}

resource "aws_sagemaker_endpoint" "this" {
  name                 = var.name
  endpoint_config_name = aws_sagemaker_endpoint_configuration.this.name

  deployment_config {
    blue_green_update_policy {
      traffic_routing_configuration {
        type                     = "CANARY"
        wait_interval_in_seconds = 1800
        canary_size {
          type  = "CAPACITY_PERCENT"
          value = 10
        }
      }
    }

    auto_rollback_configuration {
      dynamic "alarms" {
        for_each = var.alarm_names
        content {
          alarm_name = alarms.value
        }
      }
    }
  }
}

resource "aws_appautoscaling_target" "variant" {
  service_namespace  = "sagemaker"
  resource_id        = "endpoint/${aws_sagemaker_endpoint.this.name}/variant/primary"
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  min_capacity       = var.min_instances
  max_capacity       = var.max_instances
}

resource "aws_appautoscaling_policy" "invocations" {
  name               = "${var.name}-invocations"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.variant.service_namespace
  resource_id        = aws_appautoscaling_target.variant.resource_id
  scalable_dimension = aws_appautoscaling_target.variant.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = 1200
    predefined_metric_specification {
      predefined_metric_type = "SageMakerVariantInvocationsPerInstance"
    }
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
  }
}

output "endpoint_name" {
  value = aws_sagemaker_endpoint.this.name
}
