terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      CostCenter = "payments-risk"
      Workload   = "card-fraud-scoring"
      Owner      = "payments-risk-ml"
    }
  }
}
