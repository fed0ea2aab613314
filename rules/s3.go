package rules

import (
	"cmp"
	"strings"

	"github.com/tailor-iam/tailor/arn"
)

// S3 (reference §4 B). S3 Control's calls are logged under s3-control or
// s3; those on an Outpost are authorized in s3-outposts (s3outposts.go).
func init() {
	register(&Service{
		Prefix: "s3",
		Vars: map[string]VarRule{
			"BucketName": {Paths: []string{"bucketName", "Bucket"}},
			"ObjectName": {Paths: []string{"key", "Key"}, Transform: IAMLiteral},
		},
		Sides: map[Side]SideRule{
			Source: {
				Marker: copySourceFields,
				Vars: map[string]VarRule{
					"BucketName": {Paths: copySourceFields, Transform: copySourceBucket},
					"ObjectName": {Paths: copySourceFields, Transform: copySourceKey},
				},
				Actions: []string{"s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging", "s3:GetObjectVersionTagging"},
			},
			// DeleteObjects logs no keys: the bucket's objects, all of them.
			Objects: {
				Vars: map[string]VarRule{
					"BucketName": {Paths: []string{"bucketName", "Bucket"}},
					"ObjectName": {Fallback: "*", Generalized: deleteObjectsNote},
				},
			},
		},
		Renamed:   s3Renamed,
		Versioned: s3Versioned,
		Headers: map[string][]HeaderRule{
			"PutObject":             s3WriteHeaders,
			"CreateMultipartUpload": s3WriteHeaders,
		},
		PassRoles: map[string][]PassRule{
			"PutBucketReplication": {{Paths: []string{"ReplicationConfiguration.Role", "replicationConfiguration.role"}, Service: "s3.amazonaws.com"}},
			"CreateJob":            {{Paths: []string{"roleArn", "RoleArn"}, Service: "batchoperations.s3.amazonaws.com"}},
		},
		// An object key may hold "*", "?" or "$", which a policy would read
		// as wildcards or a variable.
		FixARN: func(s string) (string, string) {
			a, ok := arn.Parse(s)
			if !ok || a.Region != "" || a.Account != "" {
				return s, ""
			}
			bucket, key, ok := strings.Cut(a.Resource, "/")
			if !ok {
				return s, ""
			}
			lit, _ := IAMLiteral(key)
			return a.Head() + bucket + "/" + lit, ""
		},
		Hooks: Hooks{
			Reroute:   outpostsEvent, // S3's and S3 Control's calls on an Outpost are s3-outposts actions
			Actions:   s3Actions,
			Collect:   accessPointObjects,
			KeyPrefix: keyPrefix,
		},
	})
}

// keyPrefix cuts the key of an S3 object ARN to keep segments:
// arn:aws:s3:::b/2024/05/14/r.pdf at 2 becomes arn:aws:s3:::b/2024/05/*.
func keyPrefix(a arn.ARN, keep int) (string, bool) {
	// Only bucket objects (arn:aws:s3:::bucket/key): access points, jobs
	// and Storage Lens ARNs carry a region and account, and their "/" are
	// not key segments.
	if a.Region != "" || a.Account != "" {
		return "", false
	}
	bucket, key, ok := strings.Cut(a.Resource, "/")
	if !ok || bucket == "" {
		return "", false
	}
	segs := strings.Split(key, "/")
	if len(segs) <= keep {
		return "", false // the key is no deeper than the prefix kept
	}
	head := a.Head() + bucket + "/"
	if keep == 0 {
		return head + "*", true
	}
	return head + strings.Join(segs[:keep], "/") + "/*", true
}

const deleteObjectsNote = "DeleteObjects does not log the keys it deletes"

var copySourceFields = []string{"x-amz-copy-source", "copySource"}

var s3Renamed = map[string][]Act{
	"ListObjects":                                 Acts("s3:ListBucket"),
	"ListObjectsV2":                               Acts("s3:ListBucket"),
	"HeadBucket":                                  Acts("s3:ListBucket"),
	"ListObjectVersions":                          Acts("s3:ListBucketVersions"),
	"ListBuckets":                                 Acts("s3:ListAllMyBuckets"),
	"ListMultipartUploads":                        Acts("s3:ListBucketMultipartUploads"),
	"ListParts":                                   Acts("s3:ListMultipartUploadParts"),
	"HeadObject":                                  Acts("s3:GetObject"),
	"SelectObjectContent":                         Acts("s3:GetObject"),
	"CreateMultipartUpload":                       Acts("s3:PutObject"),
	"UploadPart":                                  Acts("s3:PutObject"),
	"CompleteMultipartUpload":                     Acts("s3:PutObject"),
	"UploadPartCopy":                              {{Action: "s3:PutObject"}, {Action: "s3:GetObject", Side: Source}},
	"CopyObject":                                  {{Action: "s3:PutObject"}, {Action: "s3:GetObject", Side: Source}},
	"DeleteObjects":                               {{Action: "s3:DeleteObject", Side: Objects}},
	"GetBucketLifecycle":                          Acts("s3:GetLifecycleConfiguration"),
	"GetBucketLifecycleConfiguration":             Acts("s3:GetLifecycleConfiguration"),
	"PutBucketLifecycle":                          Acts("s3:PutLifecycleConfiguration"),
	"PutBucketLifecycleConfiguration":             Acts("s3:PutLifecycleConfiguration"),
	"DeleteBucketLifecycle":                       Acts("s3:PutLifecycleConfiguration"),
	"GetBucketEncryption":                         Acts("s3:GetEncryptionConfiguration"),
	"PutBucketEncryption":                         Acts("s3:PutEncryptionConfiguration"),
	"DeleteBucketEncryption":                      Acts("s3:PutEncryptionConfiguration"),
	"GetBucketReplication":                        Acts("s3:GetReplicationConfiguration"),
	"PutBucketReplication":                        Acts("s3:PutReplicationConfiguration"),
	"DeleteBucketReplication":                     Acts("s3:PutReplicationConfiguration"),
	"DeleteBucketCors":                            Acts("s3:PutBucketCORS"),
	"GetBucketCors":                               Acts("s3:GetBucketCORS"),
	"PutBucketCors":                               Acts("s3:PutBucketCORS"),
	"DeleteBucketTagging":                         Acts("s3:PutBucketTagging"),
	"GetBucketNotificationConfiguration":          Acts("s3:GetBucketNotification"),
	"PutBucketNotificationConfiguration":          Acts("s3:PutBucketNotification"),
	"GetBucketAccelerateConfiguration":            Acts("s3:GetAccelerateConfiguration"),
	"PutBucketAccelerateConfiguration":            Acts("s3:PutAccelerateConfiguration"),
	"GetBucketAnalyticsConfiguration":             Acts("s3:GetAnalyticsConfiguration"),
	"PutBucketAnalyticsConfiguration":             Acts("s3:PutAnalyticsConfiguration"),
	"DeleteBucketAnalyticsConfiguration":          Acts("s3:PutAnalyticsConfiguration"),
	"ListBucketAnalyticsConfigurations":           Acts("s3:GetAnalyticsConfiguration"),
	"GetBucketInventoryConfiguration":             Acts("s3:GetInventoryConfiguration"),
	"PutBucketInventoryConfiguration":             Acts("s3:PutInventoryConfiguration"),
	"DeleteBucketInventoryConfiguration":          Acts("s3:PutInventoryConfiguration"),
	"ListBucketInventoryConfigurations":           Acts("s3:GetInventoryConfiguration"),
	"GetBucketMetricsConfiguration":               Acts("s3:GetMetricsConfiguration"),
	"PutBucketMetricsConfiguration":               Acts("s3:PutMetricsConfiguration"),
	"DeleteBucketMetricsConfiguration":            Acts("s3:PutMetricsConfiguration"),
	"ListBucketMetricsConfigurations":             Acts("s3:GetMetricsConfiguration"),
	"GetBucketIntelligentTieringConfiguration":    Acts("s3:GetIntelligentTieringConfiguration"),
	"PutBucketIntelligentTieringConfiguration":    Acts("s3:PutIntelligentTieringConfiguration"),
	"DeleteBucketIntelligentTieringConfiguration": Acts("s3:PutIntelligentTieringConfiguration"),
	"ListBucketIntelligentTieringConfigurations":  Acts("s3:GetIntelligentTieringConfiguration"),
	"GetObjectLockConfiguration":                  Acts("s3:GetBucketObjectLockConfiguration"),
	"PutObjectLockConfiguration":                  Acts("s3:PutBucketObjectLockConfiguration"),
	"GetPublicAccessBlock":                        Acts("s3:GetBucketPublicAccessBlock"),
	"PutPublicAccessBlock":                        Acts("s3:PutBucketPublicAccessBlock"),
	"DeletePublicAccessBlock":                     Acts("s3:PutBucketPublicAccessBlock"),
	"DeleteAccountPublicAccessBlock":              Acts("s3:PutAccountPublicAccessBlock"),
	"GetBucketAccessControlPolicy":                Acts("s3:GetBucketAcl"),
	"SetBucketAccessControlPolicy":                Acts("s3:PutBucketAcl"),
	"SetBucketLoggingStatus":                      Acts("s3:PutBucketLogging"),
	"GetBucketLoggingStatus":                      Acts("s3:GetBucketLogging"),
	"DeleteBucketOwnershipControls":               Acts("s3:PutBucketOwnershipControls"),
}

// s3Versioned maps object events to the actions on a version, used when
// the request names a versionId.
var s3Versioned = map[string]string{
	"GetObject":           "s3:GetObjectVersion",
	"HeadObject":          "s3:GetObjectVersion",
	"DeleteObject":        "s3:DeleteObjectVersion",
	"GetObjectAcl":        "s3:GetObjectVersionAcl",
	"PutObjectAcl":        "s3:PutObjectVersionAcl",
	"GetObjectTagging":    "s3:GetObjectVersionTagging",
	"PutObjectTagging":    "s3:PutObjectVersionTagging",
	"DeleteObjectTagging": "s3:DeleteObjectVersionTagging",
}

// s3WriteHeaders: an object write whose request headers set tags, an ACL
// or a lock needs that action on the same object (S3 API reference,
// PutObject "Permissions").
var s3WriteHeaders = []HeaderRule{
	{[]string{"x-amz-tagging"}, "s3:PutObjectTagging"},
	{s3ACLHeaders, "s3:PutObjectAcl"},
	{[]string{"x-amz-object-lock-mode", "x-amz-object-lock-retain-until-date"}, "s3:PutObjectRetention"},
	{[]string{"x-amz-object-lock-legal-hold"}, "s3:PutObjectLegalHold"},
}

// s3ACLHeaders are the request headers that set a new object's ACL.
var s3ACLHeaders = []string{"x-amz-acl", "x-amz-grant-full-control", "x-amz-grant-read", "x-amz-grant-read-acp", "x-amz-grant-write-acp"}

// s3Actions handles the events whose actions depend on the request.
func s3Actions(event string, req Request) []Act {
	switch event {
	case "CopyObject", "UploadPartCopy":
		return s3Copy(event, req)
	case "GetPublicAccessBlock", "PutPublicAccessBlock", "DeletePublicAccessBlock":
		// The s3control form of these calls names no bucket: it is the
		// account's public access block.
		if !req.Has("bucketName") {
			if event == "GetPublicAccessBlock" {
				return Acts("s3:GetAccountPublicAccessBlock")
			}
			return Acts("s3:PutAccountPublicAccessBlock")
		}
	}
	return nil
}

// s3Copy lists what a copy needs (reference §4 B): PutObject on the
// destination, plus PutObjectTagging when it sets tags and PutObjectAcl
// when it sets an ACL; GetObject on the source, plus GetObjectTagging
// when the tags are copied (the default) rather than replaced. A source
// named with ?versionId= is read as that version.
func s3Copy(event string, req Request) []Act {
	src := cmp.Or(req.First("x-amz-copy-source"), req.First("copySource"))
	versioned := strings.Contains(src, "versionId=")
	read := func(name string) Act {
		action := "s3:" + name
		if versioned {
			action = s3Versioned[name]
		}
		return Act{Action: action, Side: Source}
	}
	out := []Act{{Action: "s3:PutObject"}, read("GetObject")}
	if event == "UploadPartCopy" {
		return out
	}
	if !strings.EqualFold(req.First("x-amz-tagging-directive"), "REPLACE") {
		out = append(out, read("GetObjectTagging"))
	}
	if req.Has("x-amz-tagging") {
		out = append(out, Act{Action: "s3:PutObjectTagging"})
	}
	for _, h := range s3ACLHeaders {
		if req.Has(h) {
			out = append(out, Act{Action: "s3:PutObjectAcl"})
			break
		}
	}
	return out
}

// copySourceBucket and copySourceKey read a CopyObject or UploadPartCopy
// source: "bucket/key", optionally with a leading slash, URL-escaped, and
// with "?versionId=".
func copySourceBucket(v string) (string, bool) {
	b, _, ok := splitCopySource(v)
	return b, ok
}

func copySourceKey(v string) (string, bool) {
	_, k, ok := splitCopySource(v)
	return k, ok
}

func splitCopySource(v string) (bucket, key string, ok bool) {
	v, _, _ = strings.Cut(strings.TrimPrefix(v, "/"), "?")
	bucket, key, ok = strings.Cut(v, "/")
	if !ok || bucket == "" || key == "" {
		return "", "", false
	}
	return unescapePath(bucket), unescapePath(key), true
}

// accessPointObjects adds, for an object request made through an S3
// access point (resources[] names it), the access point's object ARN: the
// identity policy must allow the request on it, beside the bucket.
func accessPointObjects(r *Resources) {
	key := r.Request.First("key")
	if !r.Takes("accesspointobject") || key == "" {
		return
	}
	lit, _ := IAMLiteral(key)
	for _, a := range r.Named {
		ap, ok := arn.Parse(a)
		if !ok || ap.Service != "s3" || ap.Region == "" || ap.Account == "" {
			continue
		}
		name, ok := strings.CutPrefix(ap.Resource, "accesspoint/")
		if !ok || name == "" || strings.Contains(name, "/") {
			continue
		}
		r.ARNs[a+"/object/"+lit] = "accesspointobject"
		// The identity policy must allow the access point's ARN; the
		// bucket's side is its bucket policy's (delegating to access
		// points), so the bucket object ARN is not needed.
		for s, typ := range r.ARNs {
			if typ == "object" {
				delete(r.ARNs, s)
			}
		}
	}
}
