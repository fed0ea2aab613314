# Least-privilege policy for arn:aws:iam::111122223333:role/service/checkout-api, written by tailor

data "aws_iam_policy_document" "checkout_api" {
  statement {
    sid    = "Dynamodb7519BB02"
    effect = "Allow"
    actions = [
      "dynamodb:GetItem",
    ]
    resources = [
      "arn:aws:dynamodb:us-east-1:111122223333:table/orders",
    ]
  }
  statement {
    sid    = "Ecr4E82A96D"
    effect = "Allow"
    actions = [
      "ecr:GetAuthorizationToken",
    ]
    resources = [
      "*",
    ]
  }
  statement {
    sid    = "Iam98988D9E"
    effect = "Allow"
    actions = [
      "iam:PassRole",
    ]
    resources = [
      "arn:aws:iam::111122223333:role/task",
    ]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values = [
        "ecs-tasks.amazonaws.com",
      ]
    }
  }
  statement {
    sid    = "S36C12E314"
    effect = "Allow"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
    ]
    resources = [
      "arn:aws:s3:::receipts/2026/11/00/order-00000.pdf",
      "arn:aws:s3:::receipts/2026/11/01/order-00001.pdf",
      "arn:aws:s3:::receipts/2026/11/02/order-00002.pdf",
    ]
  }
}

resource "aws_iam_role_policy" "checkout_api" {
  name   = "tailor-checkout-api"
  role   = "checkout-api"
  policy = data.aws_iam_policy_document.checkout_api.json
}
