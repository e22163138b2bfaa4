variable "capture" {
  description = "Inference data capture settings."
  type = object({
    sampling_percentage = number
    modes               = list(string)
  })
  default = {
    sampling_percentage = 25
    modes               = ["Input", "Output"]
  }
}

locals {
  monitoring_bucket = "acme-ml-monitoring"
}

resource "aws_sagemaker_endpoint_configuration" "fraud" {
  name = "fraud-scoring-v3"

  production_variants {
    variant_name           = "primary"
    model_name             = "fraud-xgb-v3"
    instance_type          = "ml.m5.xlarge"
    initial_instance_count = 2
  }

  data_capture_config {
    enable_capture              = var.capture.sampling_percentage > 0
    initial_sampling_percentage = var.capture.sampling_percentage
    destination_s3_uri          = "s3://${local.monitoring_bucket}/fraud/capture"

    dynamic "capture_options" {
      for_each = var.capture.modes

      content {
        capture_mode = capture_options.value
      }
    }
  }
}
