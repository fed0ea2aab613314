// Package arn reads and writes Amazon Resource Names, the
// arn:partition:service:region:account:resource strings that name AWS
// resources in CloudTrail records and IAM policies.
package arn

import "strings"

// ARN is an Amazon Resource Name split into its fields. Any field may be
// empty (an S3 bucket's ARN has no region or account) or a pattern
// (arn:aws:s3:::*): ARN says where the fields are, not whether AWS would
// accept them.
type ARN struct {
	Partition string // aws, aws-cn, aws-us-gov
	Service   string // the service's IAM prefix: s3, iam, sts
	Region    string
	Account   string
	// Resource is everything after the fifth colon. It may hold colons and
	// slashes of its own: function:NAME:ALIAS, table/NAME/index/INDEX.
	Resource string
}

// Parse reads s as an ARN. It reports false unless s starts with "arn:"
// and holds at least five colons. The fields are substrings of s, so Parse
// does not allocate, and String gives s back.
func Parse(s string) (ARN, bool) {
	prefix, a, ok := Cut(s)
	if !ok || prefix != "arn" {
		return ARN{}, false
	}
	return a, true
}

// Cut splits s at its first five colons: prefix is what comes before the
// first ("arn" for an ARN), and a holds the fields after it. ok is false
// when s has fewer than five colons. Parse is Cut with the prefix "arn";
// Cut is for strings that carry an ARN's fields behind something else, as
// a federated principal's name may
// (WebIdentityUser/arn:aws:iam::111122223333:oidc-provider/…), and for
// callers that compare every field themselves.
func Cut(s string) (prefix string, a ARN, ok bool) {
	var f [5]string
	for i := range f {
		j := strings.IndexByte(s, ':')
		if j < 0 {
			return "", ARN{}, false
		}
		f[i], s = s[:j], s[j+1:]
	}
	return f[0], ARN{Partition: f[1], Service: f[2], Region: f[3], Account: f[4], Resource: s}, true
}

// String writes the ARN in its colon-separated form.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// Head is the ARN up to its resource, the last colon included:
// "arn:aws:s3:::" for arn:aws:s3:::bucket/key.
func (a ARN) Head() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":"
}

// AccountOf returns the account field of s, "" when s is not shaped like
// an ARN or names no account (an S3 bucket). Like Cut, it reads s whatever
// comes before its first colon: the account of a federated principal named
// WebIdentityUser/arn:aws:iam::111122223333:oidc-provider/… is
// 111122223333.
func AccountOf(s string) string {
	_, a, _ := Cut(s)
	return a.Account
}

// PartitionOf returns the partition of an ARN, read as AccountOf reads
// it, or "aws" when s names none.
func PartitionOf(s string) string {
	if i := strings.IndexByte(s, ':'); i >= 0 {
		p := s[i+1:]
		if j := strings.IndexByte(p, ':'); j >= 0 {
			p = p[:j]
		}
		if strings.HasPrefix(p, "aws") {
			return p
		}
	}
	return "aws"
}

// InRegion returns the partition a call in region belongs to: a
// principal of the commercial partition "aws" calling in a GovCloud or
// China region is there, since its ARN never says so.
func InRegion(partition, region string) string {
	if partition != "aws" {
		return partition
	}
	switch {
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	}
	return partition
}
