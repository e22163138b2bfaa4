# A web crawler data source without a customer managed key.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_bedrockagent_data_source" "handbook" {
  knowledge_base_id = "KB12345678"
  name              = "employee-handbook"

  data_source_configuration {
    type = "WEB"
    web_configuration {
      source_configuration {
        url_configuration {
          seed_urls {
            url = "https://handbook.example.com/"
          }
        }
      }
      crawler_configuration {
        scope = "HOST_ONLY"
        crawler_limits {
          rate_limit = 50
        }
      }
    }
  }
}
