resource "aws_bedrockagent_knowledge_base" "claims" {
  name     = "claim-files"
  role_arn = "arn:aws:iam::123456789012:role/claim-files-kb"

  knowledge_base_configuration {
    type = "VECTOR"
    vector_knowledge_base_configuration {
      embedding_model_arn = "arn:aws:bedrock:eu-west-1::foundation-model/amazon.titan-embed-text-v2:0"
    }
  }

  storage_configuration {
    type = "OPENSEARCH_SERVERLESS"
    opensearch_serverless_configuration {
      collection_arn    = "arn:aws:aoss:eu-west-1:123456789012:collection/k2x7pq9w4e1r"
      vector_index_name = "claim-files"
      field_mapping {
        vector_field   = "embedding"
        text_field     = "text"
        metadata_field = "metadata"
      }
    }
  }
}

data "aws_iam_policy_document" "agent" {
  statement {
    sid       = "InvokeOrchestrationModel"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    resources = ["arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0"]
  }

  statement {
    sid       = "QueryClaimFiles"
    actions   = ["bedrock:Retrieve"]
    resources = [aws_bedrockagent_knowledge_base.claims.arn]
  }
}

resource "aws_iam_role_policy" "agent" {
  name   = "claims-agent"
  role   = aws_iam_role.agent.id
  policy = data.aws_iam_policy_document.agent.json
}
