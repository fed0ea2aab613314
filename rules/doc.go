// Package rules holds tailor's IAM knowledge, one file per service: how a
// CloudTrail event maps to the IAM actions it needed, which request fields
// name the resources IAM checks each one on, the roles a call passes, the
// permissions a request implies, and the ids one call returns and another
// uses. The analyzer reads it through For and names no service itself.
//
// A new service is a file here, <prefix>.go, registering a Service, and a
// file of cases in analyze/testdata/regress. The transforms several
// services share are in transform.go and partiql.go; event sources whose
// host is not their prefix are in sources.go.
package rules
