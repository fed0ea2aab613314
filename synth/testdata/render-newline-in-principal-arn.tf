# Least-privilege policy for arn:aws:iam::111122223333:role/x\nresource "null_resource" "pwn" {}\n#, from CloudTrail, written by tailor

data "aws_iam_policy_document" "x_resource__null_resource___pwn" {
  statement {
    sid    = "S3Hostile"
    effect = "Allow"
    actions = [
      "s3:GetObject",
    ]
    resources = [
      "arn:aws:s3:::b/k",
    ]
    condition {
      test     = "StringEquals"
      variable = "s3:prefix"
      values = [
        "a",
      ]
    }
  }
}

resource "aws_iam_policy" "x_resource__null_resource___pwn" {
  name        = "x-resource--null-resource---pwn"
  description = "Least-privilege policy for arn:aws:iam::111122223333:role/x\\nresource \"null_resource\" \"pwn\" {}\\n#, from CloudTrail, written by tailor"
  policy      = data.aws_iam_policy_document.x_resource__null_resource___pwn.json
}
