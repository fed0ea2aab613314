# Least-privilege policy for arn:aws:iam::111122223333:role/service/checkout-api, from CloudTrail, written by tailor

data "aws_iam_policy_document" "checkout_api" {
  statement {
    sid    = "Dynamodb8F444C16"
    effect = "Allow"
    actions = [
      "dynamodb:BatchWriteItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
    ]
    resources = [
      "arn:aws:dynamodb:eu-west-1:111122223333:table/orders",
      "arn:aws:dynamodb:us-east-1:111122223333:table/orders",
    ]
  }
  statement {
    sid    = "Dynamodb709FC7F7"
    effect = "Allow"
    actions = [
      "dynamodb:Query",
    ]
    resources = [
      "arn:aws:dynamodb:eu-west-1:111122223333:table/orders",
      "arn:aws:dynamodb:eu-west-1:111122223333:table/orders/index/by-customer",
      "arn:aws:dynamodb:us-east-1:111122223333:table/orders",
      "arn:aws:dynamodb:us-east-1:111122223333:table/orders/index/by-customer",
    ]
  }
  statement {
    sid    = "Kms5E42126B"
    effect = "Allow"
    actions = [
      "kms:Decrypt",
      "kms:GenerateDataKey",
    ]
    resources = [
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    ]
  }
  statement {
    sid    = "LambdaD4449928"
    effect = "Allow"
    actions = [
      "lambda:InvokeFunction",
    ]
    resources = [
      "arn:aws:lambda:us-east-1:111122223333:function:fraud-score",
    ]
  }
  statement {
    sid    = "S3B24DE9E8"
    effect = "Allow"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
    ]
    resources = [
      "arn:aws:s3:::acme-checkout-receipts/receipts/*",
    ]
  }
  statement {
    sid    = "S36C09B150"
    effect = "Allow"
    actions = [
      "s3:ListBucket",
    ]
    resources = [
      "arn:aws:s3:::acme-checkout-receipts",
    ]
  }
  statement {
    sid    = "SecretsmanagerA1BA6706"
    effect = "Allow"
    actions = [
      "secretsmanager:GetSecretValue",
    ]
    resources = [
      "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/checkout/stripe-??????",
      "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/checkout/stripe-??????",
    ]
  }
  statement {
    sid    = "Sns3839FA6B"
    effect = "Allow"
    actions = [
      "sns:Publish",
    ]
    resources = [
      "arn:aws:sns:us-east-1:111122223333:order-notifications",
    ]
  }
  statement {
    sid    = "Sqs390311A9"
    effect = "Allow"
    actions = [
      "sqs:DeleteMessage",
      "sqs:ReceiveMessage",
      "sqs:SendMessage",
    ]
    resources = [
      "arn:aws:sqs:eu-west-1:111122223333:order-events",
      "arn:aws:sqs:us-east-1:111122223333:order-events",
    ]
  }
  statement {
    sid    = "SsmA3964CD9"
    effect = "Allow"
    actions = [
      "ssm:GetParameter",
    ]
    resources = [
      "arn:aws:ssm:eu-west-1:111122223333:parameter/checkout/config/feature-flags",
      "arn:aws:ssm:us-east-1:111122223333:parameter/checkout/config/feature-flags",
    ]
  }
  statement {
    sid    = "SsmF8658A16"
    effect = "Allow"
    actions = [
      "ssm:GetParametersByPath",
    ]
    resources = [
      "arn:aws:ssm:eu-west-1:111122223333:parameter/checkout/config",
      "arn:aws:ssm:us-east-1:111122223333:parameter/checkout/config",
    ]
  }
}

resource "aws_iam_role_policy" "checkout_api" {
  name   = "tailor-checkout-api"
  role   = "checkout-api"
  policy = data.aws_iam_policy_document.checkout_api.json
}
