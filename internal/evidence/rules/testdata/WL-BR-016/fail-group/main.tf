# Every data scientist gets full Bedrock access through their group.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_iam_group" "data_science" {
  name = "data-science"
}

resource "aws_iam_group_policy_attachment" "bedrock" {
  group      = aws_iam_group.data_science.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonBedrockFullAccess"
}
