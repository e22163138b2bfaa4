terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
}

# The assistant serves from two Regions; eu-west-1 is primary.
provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = local.tags
  }
}

provider "aws" {
  alias  = "central"
  region = "eu-central-1"
  default_tags {
    tags = local.tags
  }
}

locals {
  name = "support-assistant"
  tags = {
    CostCenter = "customer-support"
    Workload   = "rag-support-assistant"
  }
}
