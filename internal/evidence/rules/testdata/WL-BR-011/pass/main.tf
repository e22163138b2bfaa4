provider "aws" {
  region = "eu-west-1"
}

resource "aws_kms_key" "kb" {
  description         = "Transient ingestion data of the policy knowledge base"
  enable_key_rotation = true
}

resource "aws_s3_bucket" "policies" {
  bucket = "acme-policy-documents"
}

resource "aws_bedrockagent_data_source" "policies" {
  knowledge_base_id    = "KB12345678"
  name                 = "policy-documents"
  data_deletion_policy = "RETAIN"

  data_source_configuration {
    type = "S3"
    s3_configuration {
      bucket_arn         = aws_s3_bucket.policies.arn
      inclusion_prefixes = ["published/"]
    }
  }

  server_side_encryption_configuration {
    kms_key_arn = aws_kms_key.kb.arn
  }

  vector_ingestion_configuration {
    chunking_configuration {
      chunking_strategy = "FIXED_SIZE"
      fixed_size_chunking_configuration {
        max_tokens         = 400
        overlap_percentage = 15
      }
    }
  }
}
