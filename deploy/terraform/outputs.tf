output "function_name" {
  value = aws_lambda_function.tailor.function_name
}

output "function_arn" {
  value = aws_lambda_function.tailor.arn
}

output "function_role_arn" {
  description = "The function's role; a trail bucket or KMS key in another account must grant it s3:ListBucket, s3:GetObject and kms:Decrypt in its own policy."
  value       = aws_iam_role.function.arn
}

output "log_group_name" {
  value = aws_cloudwatch_log_group.function.name
}

output "state_bucket" {
  value = aws_s3_bucket.state.bucket
}

output "output_location" {
  description = "Where the policies and reports are written."
  value       = "s3://${local.output_bucket}/${var.output_prefix}"
}

output "manifest_location" {
  description = "Where the fan-out's manifests go; the role of the state machine reads nothing else."
  value       = "s3://${aws_s3_bucket.state.bucket}/${var.fanout_prefix}manifests/"
}

output "fanout_state_machine_arn" {
  value = aws_sfn_state_machine.fanout.arn
}

output "dead_letter_queue_url" {
  value = aws_sqs_queue.dead_letter.url
}
