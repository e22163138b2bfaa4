variable "enabled" {
  type = bool
}

variable "names" {
  type = list(string)
}

# count depends on a variable without a value: one instance with a note.
resource "aws_sagemaker_model" "maybe" {
  count                    = var.enabled ? 1 : 0
  name                     = "maybe-${count.index}"
  execution_role_arn       = "arn:aws:iam::123456789012:role/r"
  enable_network_isolation = true
}

# for_each over an unknown set, and a dynamic block over an unknown list.
resource "aws_bedrock_guardrail" "g" {
  for_each                  = toset(var.names)
  name                      = each.key
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"
  content_policy_config {
    dynamic "filters_config" {
      for_each = var.names
      content {
        type            = filters_config.value
        input_strength  = "HIGH"
        output_strength = "HIGH"
      }
    }
  }
}

# A module that calls a module that calls the first one back.
module "a" {
  source = "./mods/a"
}

# Registry modules are not downloaded.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"
}

# file() outside the scanned directories is refused.
resource "aws_sagemaker_notebook_instance_lifecycle_configuration" "lc" {
  name     = "lc"
  on_start = filebase64("/etc/hostname")
}

locals {
  loop_a = local.loop_b
  loop_b = local.loop_a
}

resource "aws_s3_bucket" "cyclic" {
  bucket = local.loop_a
}

resource "aws_s3_bucket" "functions" {
  bucket = format("%s-%s", lower("ML"), replace("a_b", "/_/", "-"))
  tags = merge({ a = "1" }, { b = tostring(2) }, try({ c = var.nope }, { c = "fallback" }))
}

# A dynamic block over a list whose length is known but whose elements are not: two blocks, unknown contents.
resource "aws_cloudwatch_metric_alarm" "a" {
  alarm_name = "a"
}

resource "aws_sagemaker_endpoint" "e" {
  name                 = "e"
  endpoint_config_name = "c"
  deployment_config {
    auto_rollback_configuration {
      dynamic "alarms" {
        for_each = [aws_cloudwatch_metric_alarm.a.alarm_name, var.names[0]]
        content {
          alarm_name = alarms.value
        }
      }
    }
  }
}
