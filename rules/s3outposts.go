package rules

import (
	"strings"

	"github.com/tailor-iam/tailor/arn"
)

// S3 on Outposts (reference §4 C): the S3 object API through an Outposts
// access point is logged under s3-outposts.amazonaws.com, and S3 Control's
// bucket and access point calls on an Outpost (the request carries
// x-amz-outpost-id, or names the bucket by its s3-outposts ARN) may be
// logged under s3.amazonaws.com; s3.go reroutes those here. IAM authorizes
// all of them in the s3-outposts namespace, on ARNs that hold the Outpost:
// arn:aws:s3-outposts:REGION:ACCOUNT:outpost/OUTPOST-ID/bucket/NAME.
func init() {
	register(&Service{
		Prefix: "s3-outposts",
		Vars:   outpostsVars,
		ActionVars: map[string]map[string]VarRule{
			// The access point calls of S3 Control name the access point
			// in name, by itself or by its ARN.
			"CreateAccessPoint":       accessPointByName,
			"DeleteAccessPoint":       accessPointByName,
			"GetAccessPointPolicy":    accessPointByName,
			"PutAccessPointPolicy":    accessPointByName,
			"DeleteAccessPointPolicy": accessPointByName,
		},
		Sides: map[Side]SideRule{
			// The source of a copy is an object "accessed through S3 on
			// Outposts", named by an ARN that holds its Outpost and key
			// and, in the access point form, not its bucket.
			Source: {
				Marker: copySourceFields,
				Vars: map[string]VarRule{
					"OutpostId": {Paths: copySourceFields, Transform: outpostID},
					"BucketName": {Paths: copySourceFields, Transform: copySourceOutpostsBucket,
						Fallback: "*", FallbackNote: "the copy source names its Outposts access point, not its bucket: any bucket on the Outpost"},
					"ObjectName": {Paths: copySourceFields, Transform: copySourceOutpostsKey},
				},
				Actions: []string{"s3-outposts:GetObject", "s3-outposts:GetObjectVersion", "s3-outposts:GetObjectTagging", "s3-outposts:GetObjectVersionTagging"},
			},
			// DeleteObjects logs no keys: the bucket's objects, all of them.
			Objects: {
				Vars: map[string]VarRule{
					"OutpostId":  outpostsVars["OutpostId"],
					"BucketName": outpostsVars["BucketName"],
					"ObjectName": {Fallback: "*", Generalized: deleteObjectsNote},
				},
			},
		},
		// The S3 Control API reference names the Delete calls' actions.
		Renamed: map[string][]Act{
			"ListObjects":                        Acts("s3-outposts:ListBucket"),
			"ListObjectsV2":                      Acts("s3-outposts:ListBucket"),
			"HeadBucket":                         Acts("s3-outposts:ListBucket"),
			"ListObjectVersions":                 Acts("s3-outposts:ListBucketVersions"),
			"ListMultipartUploads":               Acts("s3-outposts:ListBucketMultipartUploads"),
			"ListParts":                          Acts("s3-outposts:ListMultipartUploadParts"),
			"HeadObject":                         Acts("s3-outposts:GetObject"),
			"CreateMultipartUpload":              Acts("s3-outposts:PutObject"),
			"UploadPart":                         Acts("s3-outposts:PutObject"),
			"CompleteMultipartUpload":            Acts("s3-outposts:PutObject"),
			"UploadPartCopy":                     {{Action: "s3-outposts:PutObject"}, {Action: "s3-outposts:GetObject", Side: Source}},
			"CopyObject":                         {{Action: "s3-outposts:PutObject"}, {Action: "s3-outposts:GetObject", Side: Source}},
			"DeleteObjects":                      {{Action: "s3-outposts:DeleteObject", Side: Objects}},
			"GetBucketLifecycle":                 Acts("s3-outposts:GetLifecycleConfiguration"),
			"GetBucketLifecycleConfiguration":    Acts("s3-outposts:GetLifecycleConfiguration"),
			"PutBucketLifecycle":                 Acts("s3-outposts:PutLifecycleConfiguration"),
			"PutBucketLifecycleConfiguration":    Acts("s3-outposts:PutLifecycleConfiguration"),
			"DeleteBucketLifecycle":              Acts("s3-outposts:PutLifecycleConfiguration"),
			"DeleteBucketLifecycleConfiguration": Acts("s3-outposts:PutLifecycleConfiguration"),
			"DeleteBucketTagging":                Acts("s3-outposts:PutBucketTagging"),
			"GetBucketReplication":               Acts("s3-outposts:GetReplicationConfiguration"),
			"PutBucketReplication":               Acts("s3-outposts:PutReplicationConfiguration"),
			"DeleteBucketReplication":            Acts("s3-outposts:PutReplicationConfiguration"),
		},
		// Object calls on a version, as in S3.
		Versioned: map[string]string{
			"GetObject":           "s3-outposts:GetObjectVersion",
			"HeadObject":          "s3-outposts:GetObjectVersion",
			"DeleteObject":        "s3-outposts:DeleteObjectVersion",
			"GetObjectTagging":    "s3-outposts:GetObjectVersionTagging",
			"PutObjectTagging":    "s3-outposts:PutObjectVersionTagging",
			"DeleteObjectTagging": "s3-outposts:DeleteObjectVersionTagging",
		},
		Headers: map[string][]HeaderRule{
			"PutObject":             outpostsWriteHeaders,
			"CreateMultipartUpload": outpostsWriteHeaders,
		},
		// S3 Control names the account that owns the bucket in a header.
		AccountFields: []string{"x-amz-account-id"},
		FixARN:        outpostsObjectARN,
	})
}

var outpostsVars = map[string]VarRule{
	// The id itself in S3 Control's header (and the s3outposts API's
	// outpostId), else the Outpost of an ARN the request names, else
	// that of the access point host the object call went to.
	"OutpostId":  {Paths: []string{"x-amz-outpost-id", "outpostId", "bucketName", "Bucket", "name", "Host"}, Transform: outpostID},
	"BucketName": {Paths: []string{"bucketName", "Bucket", "name"}, Transform: outpostsBucket},
	"ObjectName": {Paths: []string{"key", "Key"}, Transform: IAMLiteral},
	// An object call names the access point by its ARN or its host;
	// its bucket name is no access point's.
	"AccessPointName": {Paths: []string{"Host", "bucketName", "Bucket"}, Transform: outpostsAccessPoint},
	"EndpointId":      {Paths: []string{"endpointId", "response.endpointArn"}},
}

var accessPointByName = map[string]VarRule{
	"AccessPointName": {Paths: []string{"name"}, Transform: outpostsAccessPointName},
}

// outpostsWriteHeaders: an object write that sets tags or an ACL needs
// those actions too, as in S3. S3 on Outposts has no object lock.
var outpostsWriteHeaders = []HeaderRule{
	{[]string{"x-amz-tagging"}, "s3-outposts:PutObjectTagging"},
	{s3ACLHeaders, "s3-outposts:PutObjectAcl"},
}

// outpostsEvent returns "s3-outposts" for an s3 event made on an Outpost:
// S3 Control's calls on Outposts carry x-amz-outpost-id; SDKs send it, and
// the bucket or access point ARN, for a call given that ARN.
func outpostsEvent(_ string, req Request) string {
	on := req.Has("x-amz-outpost-id")
	for _, p := range []string{"bucketName", "Bucket", "name"} {
		on = on || isOutpostsARN(unescapePath(req.First(p)))
	}
	if host, _, _ := outpostsHost(req.First("Host")); host || on {
		return "s3-outposts"
	}
	return ""
}

func isOutpostsARN(v string) bool {
	return strings.HasPrefix(v, "arn:") && strings.Contains(v, ":s3-outposts:")
}

// outpostsPath returns the resource part of an s3-outposts ARN after
// "outpost/": "OUTPOST-ID/bucket/NAME…" or "OUTPOST-ID/accesspoint/NAME…".
// The SDKs URL-encode an ARN that goes in a request path.
func outpostsPath(v string) (string, bool) {
	v = unescapePath(v)
	if !isOutpostsARN(v) {
		return "", false
	}
	a, ok := arn.Parse(v)
	if !ok {
		return "", false
	}
	return strings.CutPrefix(a.Resource, "outpost/")
}

// outpostsHost reports whether h is an S3 on Outposts endpoint, and the
// access point and Outpost it names: an object call goes to
// AP-ACCOUNT.OUTPOST-ID.s3-outposts.REGION.amazonaws.com, a control call
// to s3-outposts.REGION.amazonaws.com, which names neither.
func outpostsHost(h string) (ok bool, accessPoint, outpost string) {
	h = strings.ToLower(h)
	if strings.HasPrefix(h, "s3-outposts.") {
		return true, "", ""
	}
	i := strings.Index(h, ".s3-outposts.")
	if i < 0 {
		return false, "", ""
	}
	labels := strings.Split(h[:i], ".")
	for j, l := range labels {
		if !isOutpostID(l) {
			continue
		}
		outpost = l
		if j > 0 {
			ap := labels[j-1]
			if k := strings.LastIndexByte(ap, '-'); k > 0 && len(ap)-k-1 == 12 && allDigits(ap[k+1:]) {
				accessPoint = ap[:k]
			}
		}
		break
	}
	return true, accessPoint, outpost
}

// isOutpostID accepts an Outpost's id, "op-" and hexadecimal digits, so
// that a bucket named "op-reports" is not taken for one.
func isOutpostID(v string) bool {
	hex, ok := strings.CutPrefix(v, "op-")
	if !ok || hex == "" {
		return false
	}
	for _, c := range hex {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return false
		}
	}
	return true
}

// outpostID finds the Outpost a value names: the id itself, an
// s3-outposts ARN, or an Outposts endpoint host.
func outpostID(v string) (string, bool) {
	if rest, ok := outpostsPath(v); ok {
		id, _, _ := strings.Cut(rest, "/")
		return id, id != ""
	}
	if _, _, id := outpostsHost(v); id != "" {
		return id, true
	}
	return v, isOutpostID(v)
}

// outpostsBucket is a bucket's name, given by itself or by its ARN. An
// access point's ARN does not say which bucket it serves.
func outpostsBucket(v string) (string, bool) {
	if rest, ok := outpostsPath(v); ok {
		return segmentAfter(rest, "bucket/")
	}
	if strings.HasPrefix(v, "arn:") || strings.ContainsAny(v, "/:") {
		return "", false
	}
	if ok, _, _ := outpostsHost(v); ok {
		return "", false
	}
	return v, v != ""
}

// outpostsAccessPoint is the access point an object call went through,
// named by its ARN or its endpoint host; never a bare name, which in an
// object call is the bucket's.
func outpostsAccessPoint(v string) (string, bool) {
	if rest, ok := outpostsPath(v); ok {
		return segmentAfter(rest, "accesspoint/")
	}
	if _, ap, _ := outpostsHost(v); ap != "" {
		return ap, true
	}
	return "", false
}

// outpostsAccessPointName is an access point named by S3 Control's name
// field, bare or by ARN.
func outpostsAccessPointName(v string) (string, bool) {
	if rest, ok := outpostsPath(v); ok {
		return segmentAfter(rest, "accesspoint/")
	}
	if strings.HasPrefix(v, "arn:") || strings.ContainsAny(v, "/:") {
		return "", false
	}
	return v, v != ""
}

// segmentAfter returns the path segment that follows kind in
// "OUTPOST-ID/kind/SEGMENT[/…]".
func segmentAfter(rest, kind string) (string, bool) {
	_, after, ok := strings.Cut(rest, "/")
	if !ok {
		return "", false
	}
	seg, ok := strings.CutPrefix(after, kind)
	if !ok {
		return "", false
	}
	seg, _, _ = strings.Cut(seg, "/")
	return seg, seg != ""
}

// copySourceOutposts splits a copy source on S3 on Outposts, an ARN
// ".../outpost/ID/bucket/NAME/object/KEY" or ".../accesspoint/NAME/object/KEY"
// (URL-encoded, perhaps with ?versionId=), into its bucket ("" in the
// access point form) and key.
func copySourceOutposts(v string) (bucket, key string, ok bool) {
	v, _, _ = strings.Cut(strings.TrimPrefix(v, "/"), "?")
	rest, ok := outpostsPath(v)
	if !ok {
		return "", "", false
	}
	head, key, ok := strings.Cut(rest, "/object/")
	if !ok || key == "" {
		return "", "", false
	}
	bucket, _ = segmentAfter(head, "bucket/")
	return bucket, key, true
}

func copySourceOutpostsBucket(v string) (string, bool) {
	b, _, ok := copySourceOutposts(v)
	return b, ok && b != ""
}

func copySourceOutpostsKey(v string) (string, bool) {
	_, k, ok := copySourceOutposts(v)
	if !ok {
		return "", false
	}
	return IAMLiteral(k)
}

// outpostsObjectARN writes the key of an object ARN the event names so
// that a "*", "?" or "$" in it is literal, as S3's FixARN does.
func outpostsObjectARN(arn string) (string, string) {
	i := strings.Index(arn, "/object/")
	if i < 0 || !strings.Contains(arn[:i], "/bucket/") {
		return arn, ""
	}
	head, key := arn[:i+len("/object/")], arn[i+len("/object/"):]
	lit, _ := IAMLiteral(key)
	return head + lit, ""
}
