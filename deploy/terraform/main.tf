# tailor's scheduled job: the function, its log group and least-privilege
# role, the state bucket, the schedule with its dead-letter queue, and the
# Step Functions Distributed Map that fans the job out over an organization
# trail. The same resources as ../cloudformation/tailor.yaml.

data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

locals {
  partition = data.aws_partition.current.partition
  account   = data.aws_caller_identity.current.account_id
  # The region, read from an ARN the module creates: the aws_region data
  # source renamed its attribute between provider versions 5 and 6.
  region = split(":", aws_sqs_queue.dead_letter.arn)[3]

  trail_bucket_arn  = "arn:${local.partition}:s3:::${var.trail_bucket}"
  output_bucket     = var.output_bucket != "" ? var.output_bucket : aws_s3_bucket.state.bucket
  output_bucket_arn = "arn:${local.partition}:s3:::${local.output_bucket}"
}

# The checkpoint, the partial aggregates, the fan-out's manifests and Map Run
# results, and (unless output_bucket is given) the outputs.
resource "aws_s3_bucket" "state" {
  bucket_prefix = "${var.name}-state-"
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket = aws_s3_bucket.state.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    id     = "expire-replaced-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.state]
}

data "aws_iam_policy_document" "state_bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = data.aws_iam_policy_document.state_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.state]
}

resource "aws_cloudwatch_log_group" "function" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
}

data "aws_iam_policy_document" "function_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

# tailor's own least-privilege role: the trail read-only, its state and
# output prefixes read-write, its log group. Nothing else.
data "aws_iam_policy_document" "function" {
  statement {
    sid       = "ListTrail"
    actions   = ["s3:ListBucket"]
    resources = [local.trail_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.trail_prefix}*"]
    }
  }

  statement {
    sid       = "ReadTrail"
    actions   = ["s3:GetObject"]
    resources = ["${local.trail_bucket_arn}/${var.trail_prefix}*"]
  }

  dynamic "statement" {
    for_each = var.trail_kms_key_arn != "" ? [var.trail_kms_key_arn] : []

    content {
      sid       = "DecryptTrail"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${local.region}.amazonaws.com"]
      }
    }
  }

  statement {
    sid       = "ListState"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.state.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.state_prefix}*"]
    }
  }

  statement {
    sid       = "ReadWriteState"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.state.arn}/${var.state_prefix}*"]
  }

  statement {
    sid       = "ListOutput"
    actions   = ["s3:ListBucket"]
    resources = [local.output_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${var.output_prefix}*"]
    }
  }

  statement {
    sid       = "ReadWriteOutput"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${local.output_bucket_arn}/${var.output_prefix}*"]
  }

  statement {
    sid       = "WriteLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function.arn}:*"]
  }
}

resource "aws_iam_role" "function" {
  name               = "${var.name}-function"
  description        = "tailor's scheduled job"
  assume_role_policy = data.aws_iam_policy_document.function_trust.json
}

resource "aws_iam_role_policy" "function" {
  name   = "tailor"
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.function.json
}

resource "aws_lambda_function" "tailor" {
  function_name     = var.name
  description       = "tailor's scheduled job (modes run, map and reduce)"
  runtime           = "provided.al2023"
  handler           = "bootstrap"
  architectures     = [var.architecture]
  s3_bucket         = var.code_s3_bucket
  s3_key            = var.code_s3_key
  s3_object_version = var.code_s3_object_version
  memory_size       = var.memory_size
  timeout           = var.timeout
  role              = aws_iam_role.function.arn

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.function.name
  }

  environment {
    variables = {
      TAILOR_TRAIL_BUCKET  = var.trail_bucket
      TAILOR_TRAIL_PREFIX  = var.trail_prefix
      TAILOR_ACCOUNTS      = join(",", var.accounts)
      TAILOR_REGIONS       = join(",", var.regions)
      TAILOR_PRINCIPALS    = join(",", var.principals)
      TAILOR_LOOKBACK_DAYS = tostring(var.lookback_days)
      TAILOR_LATE_DAYS     = tostring(var.late_days)
      TAILOR_STATE_BUCKET  = aws_s3_bucket.state.bucket
      TAILOR_STATE_PREFIX  = var.state_prefix
      TAILOR_OUTPUT_BUCKET = local.output_bucket
      TAILOR_OUTPUT_PREFIX = var.output_prefix
      TAILOR_FORMATS       = join(",", var.formats)
      TAILOR_MAX_SIZE      = var.max_size
      TAILOR_GENERALIZE    = join(",", var.generalize)
      LOG_LEVEL            = var.log_level
    }
  }

  # The role must be able to write logs before the first invocation.
  depends_on = [aws_iam_role_policy.function]
}

# Where the scheduler puts an invocation it could not deliver after its
# retries. SSE-SQS needs no key policy and no KMS permission.
resource "aws_sqs_queue" "dead_letter" {
  name                      = "${var.name}-dead-letter"
  sqs_managed_sse_enabled   = true
  message_retention_seconds = 1209600
}

data "aws_iam_policy_document" "scheduler_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid       = "InvokeTailor"
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_function.tailor.arn]
  }

  # The scheduler delivers dead letters with this role.
  statement {
    sid       = "SendDeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dead_letter.arn]
  }
}

resource "aws_iam_role" "scheduler" {
  name               = "${var.name}-scheduler"
  description        = "EventBridge Scheduler's role for tailor's schedule"
  assume_role_policy = data.aws_iam_policy_document.scheduler_trust.json
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "invoke-tailor"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler.json
}

resource "aws_scheduler_schedule" "tailor" {
  name                = var.name
  description         = "tailor's incremental job (mode run)"
  schedule_expression = var.schedule_expression
  state               = var.schedule_state

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.tailor.arn
    role_arn = aws_iam_role.scheduler.arn
    input    = jsonencode({ mode = "run" })

    retry_policy {
      maximum_retry_attempts       = var.schedule_max_retry_attempts
      maximum_event_age_in_seconds = var.schedule_max_event_age_seconds
    }

    dead_letter_config {
      arn = aws_sqs_queue.dead_letter.arn
    }
  }

  depends_on = [aws_iam_role_policy.scheduler]
}

data "aws_iam_policy_document" "fanout_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_iam_role" "fanout" {
  name               = "${var.name}-fanout"
  description        = "tailor's organization fan-out (Step Functions Distributed Map)"
  assume_role_policy = data.aws_iam_policy_document.fanout_trust.json
}

# The same definition the CloudFormation template embeds; templatefile fills
# its placeholders as DefinitionSubstitutions does there.
resource "aws_sfn_state_machine" "fanout" {
  name     = "${var.name}-fanout"
  type     = "STANDARD"
  role_arn = aws_iam_role.fanout.arn
  definition = templatefile("${path.module}/../stepfunctions/fanout.asl.json", {
    Partition    = local.partition
    FunctionArn  = aws_lambda_function.tailor.arn
    StateBucket  = aws_s3_bucket.state.bucket
    FanoutPrefix = var.fanout_prefix
  })
}

# A policy of its own: it names the state machine, which names the role.
data "aws_iam_policy_document" "fanout" {
  statement {
    sid       = "InvokeTailor"
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_function.tailor.arn]
  }

  statement {
    sid       = "ReadManifests"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.state.arn}/${var.fanout_prefix}manifests/*"]
  }

  statement {
    sid       = "WriteMapRunResults"
    actions   = ["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"]
    resources = ["${aws_s3_bucket.state.arn}/${var.fanout_prefix}results/*"]
  }

  # A Distributed Map runs its batches as child executions of this state
  # machine, and redrives them after a failure.
  statement {
    sid       = "StartChildExecutions"
    actions   = ["states:StartExecution"]
    resources = [aws_sfn_state_machine.fanout.arn]
  }

  statement {
    sid       = "ManageChildExecutions"
    actions   = ["states:DescribeExecution", "states:StopExecution", "states:RedriveExecution"]
    resources = ["${replace(aws_sfn_state_machine.fanout.arn, ":stateMachine:", ":execution:")}/*"]
  }
}

resource "aws_iam_role_policy" "fanout" {
  name   = "tailor-fanout"
  role   = aws_iam_role.fanout.id
  policy = data.aws_iam_policy_document.fanout.json
}
