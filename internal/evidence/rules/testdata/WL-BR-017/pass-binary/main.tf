variable "dimensions" {
  type    = number
  default = 1024
}

resource "aws_bedrockagent_knowledge_base" "docs" {
  name     = "product-docs"
  role_arn = "arn:aws:iam::123456789012:role/kb"

  knowledge_base_configuration {
    type = "VECTOR"
    vector_knowledge_base_configuration {
      embedding_model_arn = "arn:aws:bedrock:eu-west-1::foundation-model/amazon.titan-embed-text-v2:0"
      embedding_model_configuration {
        bedrock_embedding_model_configuration {
          dimensions          = var.dimensions
          embedding_data_type = "BINARY"
        }
      }
    }
  }

  storage_configuration {
    type = "S3_VECTORS"
    s3_vectors_configuration {
      index_arn = "arn:aws:s3vectors:eu-west-1:123456789012:bucket/vectors/index/docs"
    }
  }
}
