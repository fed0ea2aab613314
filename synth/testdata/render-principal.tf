# Least-privilege policy for arn:aws:iam::111122223333:role/checkout-api, written by tailor

data "aws_iam_policy_document" "checkout_api" {
  statement {
    sid    = "Trust"
    effect = "Allow"
    principals {
      type = "AWS"
      identifiers = [
        "arn:aws:iam::111122223333:role/x\n#",
      ]
    }
    principals {
      type = "Service"
      identifiers = [
        "ecs-tasks.amazonaws.com",
      ]
    }
    actions = [
      "sts:AssumeRole",
    ]
  }
}

resource "aws_iam_policy" "checkout_api" {
  name        = "checkout-api"
  description = "Least-privilege policy for arn:aws:iam::111122223333:role/checkout-api, written by tailor"
  policy      = data.aws_iam_policy_document.checkout_api.json
}
