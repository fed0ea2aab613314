# Least-privilege policy for arn:aws:iam::111122223333:role/automation/ci-deployer, from CloudTrail, written by tailor

data "aws_iam_policy_document" "ci_deployer" {
  statement {
    sid    = "Cloudfront32B4B07F"
    effect = "Allow"
    actions = [
      "cloudfront:CreateInvalidation",
      "cloudfront:GetDistribution",
      "cloudfront:UpdateDistribution",
    ]
    resources = [
      "arn:aws:cloudfront::111122223333:distribution/E2QWRUHAPOMQZL",
    ]
  }
  statement {
    sid    = "EcrC87AE63E"
    effect = "Allow"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [
      "arn:aws:ecr:us-east-1:111122223333:repository/checkout-api",
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
    sid    = "EcsC4981748"
    effect = "Allow"
    actions = [
      "ecs:DescribeServices",
      "ecs:UpdateService",
    ]
    resources = [
      "arn:aws:ecs:us-east-1:111122223333:service/prod/checkout-api",
    ]
  }
  statement {
    sid    = "EcsBB6B212F"
    effect = "Allow"
    actions = [
      "ecs:RegisterTaskDefinition",
    ]
    resources = [
      "arn:aws:ecs:us-east-1:111122223333:task-definition/checkout-api:*",
    ]
  }
  statement {
    sid    = "IamE8C01738"
    effect = "Allow"
    actions = [
      "iam:PassRole",
    ]
    resources = [
      "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
      "arn:aws:iam::111122223333:role/service/checkout-api",
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
    sid    = "Lambda350DBFCD"
    effect = "Allow"
    actions = [
      "lambda:GetFunction",
      "lambda:UpdateFunctionCode",
      "lambda:UpdateFunctionConfiguration",
    ]
    resources = [
      "arn:aws:lambda:us-east-1:111122223333:function:fraud-score",
    ]
  }
  statement {
    sid    = "StsC0351E71"
    effect = "Allow"
    actions = [
      "sts:AssumeRole",
    ]
    resources = [
      "arn:aws:iam::111122223333:role/deployer",
      "arn:aws:iam::444455556666:role/deployer",
    ]
  }
}

resource "aws_iam_policy" "ci_deployer" {
  name        = "ci-deployer"
  description = "Least-privilege policy for arn:aws:iam::111122223333:role/automation/ci-deployer, from CloudTrail, written by tailor"
  policy      = data.aws_iam_policy_document.ci_deployer.json
}

resource "aws_iam_role_policy_attachment" "ci_deployer" {
  role       = "ci-deployer"
  policy_arn = aws_iam_policy.ci_deployer.arn
}
