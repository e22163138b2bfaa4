# The root's default provider is in us-east-1 for global resources; the assistant module gets the Stockholm one.
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "stockholm"
  region = "eu-north-1"
}

module "assistant" {
  source = "./modules/assistant"
  name   = "hr-assistant"

  providers = {
    aws = aws.stockholm
  }
}
