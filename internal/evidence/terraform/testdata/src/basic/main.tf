terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      CostCenter = "ml-platform"
    }
  }
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "kms_key_arn" {
  type = string
}

variable "capture_percent" {
  type    = number
  default = 20
}

variable "notebooks" {
  type    = set(string)
  default = ["research", "ops"]
}

variable "filters" {
  type = list(object({ type = string, input = string, output = string }))
  default = [
    { type = "HATE", input = "HIGH", output = "HIGH" },
    { type = "PROMPT_ATTACK", input = "HIGH", output = "NONE" },
  ]
}

locals {
  name   = "fraud-${var.env}"
  common = { Team = "risk", Env = var.env }
}

variable "env" {
  default = "prod"
}

resource "aws_kms_key" "ml" {
  description = "ML key"
}

resource "aws_sagemaker_notebook_instance" "nb" {
  for_each               = var.notebooks
  name                   = "${local.name}-${each.key}"
  role_arn               = "arn:aws:iam::123456789012:role/nb"
  instance_type          = "ml.t3.medium"
  kms_key_id             = aws_kms_key.ml.arn
  direct_internet_access = each.key == "ops" ? "Enabled" : "Disabled"
  tags                   = local.common
}

resource "aws_sagemaker_endpoint_configuration" "ec" {
  name        = "${local.name}-config"
  kms_key_arn = var.kms_key_arn

  production_variants {
    variant_name           = "primary"
    model_name             = "fraud-model"
    initial_instance_count = 2
    instance_type          = "ml.m5.xlarge"
  }

  data_capture_config {
    enable_capture              = true
    initial_sampling_percentage = var.capture_percent
    destination_s3_uri          = "s3://captures/fraud"

    capture_options {
      capture_mode = "Input"
    }
    capture_options {
      capture_mode = "Output"
    }
  }
}

module "endpoint" {
  source        = "./modules/endpoint"
  config_name   = aws_sagemaker_endpoint_configuration.ec.name
  endpoint_name = local.name
}

resource "aws_bedrock_guardrail" "g" {
  provider                  = aws.us
  name                      = "support"
  blocked_input_messaging   = "no"
  blocked_outputs_messaging = "no"

  content_policy_config {
    dynamic "filters_config" {
      for_each = var.filters
      content {
        type            = filters_config.value.type
        input_strength  = filters_config.value.input
        output_strength = filters_config.value.output
      }
    }
  }
}

resource "aws_sagemaker_notebook_instance_lifecycle_configuration" "autostop" {
  name     = "autostop"
  on_start = base64encode(file("${path.module}/scripts/on-start.sh"))
}

resource "aws_s3_bucket" "skipped" {
  count  = 0
  bucket = "never"
}

data "aws_caller_identity" "me" {}
