# Least-privilege policy for arn:aws:iam::111122223333:role/checkout-api, written by tailor

# This policy is JSON: aws_iam_policy_document would change it (it reads "&{" as "${", and Terraform normalizes Unicode).
resource "aws_iam_policy" "checkout_api" {
  name        = "checkout-api"
  description = "Least-privilege policy for arn:aws:iam::111122223333:role/checkout-api, written by tailor"
  policy      = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Sid": "S3Hostile",
          "Effect": "Allow",
          "Action": [
            "s3:GetObject"
          ],
          "Resource": [
            "arn:aws:s3:::b/home/&{aws:username}/x"
          ],
          "Condition": {
            "StringEquals": {
              "s3:prefix": [
                "a"
              ]
            }
          }
        }
      ]
    }
  EOT
}
