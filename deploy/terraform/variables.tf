# The variables mirror the CloudFormation template's parameters
# (../cloudformation/tailor.yaml) and have the same defaults.

variable "name" {
  type        = string
  default     = "tailor"
  description = "Prefix of every name the module creates: the function, its roles, the schedule, the queue, the state machine."
}

variable "trail_bucket" {
  type        = string
  description = "The bucket CloudTrail delivers to."
}

variable "trail_prefix" {
  type        = string
  default     = "AWSLogs/"
  description = "The key prefix of the trail's log files, ending in a slash; include the organization id for an organization trail (AWSLogs/o-xxxx/)."

  validation {
    condition     = can(regex("^([^*?]*/)?$", var.trail_prefix))
    error_message = "trail_prefix must be empty or end in a slash, without wildcards."
  }
}

variable "trail_kms_key_arn" {
  type        = string
  default     = ""
  description = "The KMS key the trail's log files are encrypted with (SSE-KMS); empty when they use SSE-S3."
}

variable "accounts" {
  type        = list(string)
  default     = []
  description = "Account ids to read; empty reads all."
}

variable "regions" {
  type        = list(string)
  default     = []
  description = "Regions to read; empty reads all."
}

variable "principals" {
  type        = list(string)
  default     = ["all"]
  description = "Role or user names, ARNs or path globs to write policies for; [\"all\"] writes one for every principal."
}

variable "lookback_days" {
  type        = number
  default     = 7
  description = "How many days of the trail the first run reads."
}

variable "late_days" {
  type        = number
  default     = 2
  description = "How many days back a late log file delivery may still land."
}

variable "state_prefix" {
  type        = string
  default     = "tailor/state/"
  description = "Key prefix, in the state bucket, of the checkpoint and partials."
}

variable "output_bucket" {
  type        = string
  default     = ""
  description = "The bucket the policies and reports are written to; empty writes them to the state bucket this module creates."
}

variable "output_prefix" {
  type        = string
  default     = "tailor/out/"
  description = "Key prefix of the policies and reports."
}

variable "formats" {
  type        = list(string)
  default     = ["json"]
  description = "Output formats, of json, terraform and cloudformation."

  validation {
    condition     = length(var.formats) > 0 && alltrue([for f in var.formats : contains(["json", "terraform", "cloudformation"], f)])
    error_message = "formats takes json, terraform and cloudformation."
  }
}

variable "max_size" {
  type        = string
  default     = "managed"
  description = "The size limit policies are split for: managed, inline or a number of characters."
}

variable "generalize" {
  type        = list(string)
  default     = []
  description = "Widenings as the CLI's --generalize takes them, such as [\"s3-prefix=2\", \"revisions\"]; empty widens only what the trail shows is per-run."
}

variable "log_level" {
  type        = string
  default     = "info"
  description = "debug, info, warn or error."
}

variable "code_s3_bucket" {
  type        = string
  description = "The bucket holding the function's zip (bootstrap at its root)."
}

variable "code_s3_key" {
  type        = string
  description = "The zip's key; use a new key for each build so updates deploy it."
}

variable "code_s3_object_version" {
  type        = string
  default     = null
  description = "The zip's object version, in a versioned bucket; null for the latest."
}

variable "architecture" {
  type        = string
  default     = "arm64"
  description = "arm64 or x86_64, as the zip was built for."

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture is arm64 or x86_64."
  }
}

variable "memory_size" {
  type        = number
  default     = 2048
  description = "The function's memory in MB; CPU grows with it (1,769 MB is one vCPU)."
}

variable "timeout" {
  type        = number
  default     = 900
  description = "The function's timeout in seconds."
}

variable "log_retention_days" {
  type        = number
  default     = 30
  description = "Days the function's log group keeps its events."
}

variable "schedule_expression" {
  type        = string
  default     = "rate(1 hour)"
  description = "When the incremental job runs, as EventBridge Scheduler takes it."
}

variable "schedule_state" {
  type        = string
  default     = "ENABLED"
  description = "ENABLED or DISABLED."
}

variable "schedule_max_retry_attempts" {
  type        = number
  default     = 2
  description = "How often the scheduler retries an invocation that failed to start."
}

variable "schedule_max_event_age_seconds" {
  type        = number
  default     = 3600
  description = "How long the scheduler keeps retrying before it gives up and sends the event to the dead-letter queue."
}

variable "fanout_prefix" {
  type        = string
  default     = "tailor/fanout/"
  description = "Key prefix, in the state bucket, of the fan-out's manifests (PREFIX/manifests/) and of the Map Run results (PREFIX/results/)."
}

variable "noncurrent_version_days" {
  type        = number
  default     = 30
  description = "Days the state bucket keeps an object's replaced versions."
}
