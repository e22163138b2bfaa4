# A champion/challenger endpoint: both variants keep two instances, spread across Availability Zones.
resource "aws_sagemaker_endpoint_configuration" "fraud" {
  name = "fraud-scoring-v4"

  production_variants {
    variant_name           = "champion"
    model_name             = "fraud-xgb-v3"
    instance_type          = "ml.m5.xlarge"
    initial_instance_count = 3
    initial_variant_weight = 0.9
  }

  production_variants {
    variant_name           = "challenger"
    model_name             = "fraud-xgb-v4"
    instance_type          = "ml.m5.xlarge"
    initial_instance_count = 2
    initial_variant_weight = 0.1
  }
}
