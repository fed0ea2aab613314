# Least-privilege policy for arn:aws:iam::111122223333:role/checkout-api, written by tailor

data "aws_iam_policy_document" "checkout_api" {
  statement {
    sid    = "S3Hostile"
    effect = "Allow"
    actions = [
      "s3:GetObject",
    ]
    resources = [
      "arn:aws:s3:::b/x$${$}{aws:username}/%%{if true}y%%{endif}/$$${z}",
    ]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/$${t}"
      values = [
        "%%{v}",
      ]
    }
  }
}

resource "aws_iam_policy" "checkout_api" {
  name        = "checkout-api"
  description = "Least-privilege policy for arn:aws:iam::111122223333:role/checkout-api, written by tailor"
  policy      = data.aws_iam_policy_document.checkout_api.json
}
