// Package deploy holds what it takes to run tailor as a scheduled job in an
// AWS account: a CloudFormation template (cloudformation/tailor.yaml), a
// Terraform module (terraform/) with the same resources, and the Step
// Functions definition of the organization fan-out
// (stepfunctions/fanout.asl.json) that both of them deploy.
//
// The Go code here is the contract between those templates and the function
// they deploy, cmd/tailor-lambda: the modes its handler takes (HandlerModes)
// and the environment variables the templates set on it (Environment). The
// package's tests hold the templates to that contract and to tailor's own
// standard for a least-privilege policy: every action exists in the embedded
// IAM catalog, and every resource is one the action can be scoped to.
package deploy
