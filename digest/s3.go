package digest

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tailor-iam/tailor/ingest"
)

// S3API is the part of an S3 client a trail is read with.
type S3API interface {
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// S3 is a trail in a bucket, s3://bucket/prefix. Its objects are matched
// with the keys digests name exactly, bucket included.
type S3 struct {
	client S3API
	bucket string
	prefix string
}

// NewS3 reads uri, s3://bucket/prefix, through client. When client is an
// *s3.Client with no endpoint of its own, it is pointed at the bucket's
// region first.
func NewS3(ctx context.Context, client S3API, uri string) (*S3, error) {
	rest, ok := strings.CutPrefix(uri, "s3://")
	bucket, prefix, _ := strings.Cut(rest, "/")
	if !ok || bucket == "" {
		return nil, fmt.Errorf("source %s: want s3://bucket/prefix", uri)
	}
	if c, ok := client.(*s3.Client); ok && c.Options().BaseEndpoint == nil {
		region, err := ingest.BucketRegion(ctx, c, bucket)
		if err != nil {
			return nil, fmt.Errorf("source %s: %w", uri, err)
		}
		if region != c.Options().Region {
			client = s3.New(c.Options(), func(o *s3.Options) { o.Region = region })
		}
	}
	return &S3{client: client, bucket: bucket, prefix: prefix}, nil
}

func (s *S3) uri(key string) string { return "s3://" + s.bucket + "/" + key }

// Ref is s3://bucket/key.
func (s *S3) Ref(bucket, key string) string { return "s3://" + bucket + "/" + key }

// Name is the ref itself.
func (s *S3) Name(ref string) string { return ref }

// Open gets the object; its metadata holds a digest's signature.
func (s *S3) Open(ctx context.Context, o Object) (io.ReadCloser, Metadata, error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(o.Key)})
	if err != nil {
		return nil, nil, fmt.Errorf("get %s: %w", o.Name, err)
	}
	meta := Metadata{}
	for k, v := range out.Metadata {
		meta[strings.ToLower(strings.TrimPrefix(strings.ToLower(k), "x-amz-meta-"))] = v
	}
	return out.Body, meta, nil
}

// List lists the CloudTrail/ and CloudTrail-Digest/ folders of every
// account and region under the prefix, only the days the window touches
// when it has bounds.
func (s *S3) List(ctx context.Context, w Window, fn func(Object) error) error {
	prefixes, err := s.plan(ctx, w)
	if err != nil {
		return err
	}
	for _, p := range prefixes {
		pages := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{Bucket: aws.String(s.bucket), Prefix: aws.String(p)})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				return fmt.Errorf("list %s: %w", s.uri(p), err)
			}
			for _, o := range page.Contents {
				key := aws.ToString(o.Key)
				pl, ok := locate(key)
				if !ok || !w.holds(pl) {
					continue
				}
				if err := fn(Object{Name: s.uri(key), Key: key, Ref: s.uri(key)}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// dirs lists the folders directly under p.
func (s *S3) dirs(ctx context.Context, p string) ([]string, error) {
	pages := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{Bucket: aws.String(s.bucket), Prefix: aws.String(p), Delimiter: aws.String("/")})
	var out []string
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", s.uri(p), err)
		}
		for _, cp := range page.CommonPrefixes {
			out = append(out, aws.ToString(cp.Prefix))
		}
	}
	return out, nil
}

// plan returns the prefixes to list in full. Below AWSLogs/ it walks the
// layout a folder level at a time (organization, account, CloudTrail or
// CloudTrail-Digest, region) and keeps what agrees with the user's prefix;
// without AWSLogs/ in sight it lists the prefix whole.
func (s *S3) plan(ctx context.Context, w Window) ([]string, error) {
	base := ""
	if i := strings.Index(s.prefix, "AWSLogs/"); i >= 0 && (i == 0 || s.prefix[i-1] == '/') {
		base = s.prefix[:i+len("AWSLogs/")]
	} else {
		dir := s.prefix[:strings.LastIndexByte(s.prefix, '/')+1]
		children, err := s.dirs(ctx, dir)
		if err != nil {
			return nil, err
		}
		for _, c := range children {
			if c == dir+"AWSLogs/" && strings.HasPrefix(c, s.prefix) {
				base = c
			}
		}
		if base == "" {
			return []string{s.prefix}, nil
		}
	}
	agrees := func(p string) bool { return strings.HasPrefix(p, s.prefix) || strings.HasPrefix(s.prefix, p) }
	var accounts []string
	top, err := s.dirs(ctx, base)
	if err != nil {
		return nil, err
	}
	for _, c := range top {
		if !agrees(c) {
			continue
		}
		if strings.HasPrefix(c[len(base):], "o-") {
			sub, err := s.dirs(ctx, c)
			if err != nil {
				return nil, err
			}
			for _, a := range sub {
				if agrees(a) {
					accounts = append(accounts, a)
				}
			}
			continue
		}
		accounts = append(accounts, c)
	}
	var out []string
	for _, a := range accounts {
		for _, kind := range []string{logFolder + "/", digestFolder + "/"} {
			if !agrees(a + kind) {
				continue
			}
			regions, err := s.dirs(ctx, a+kind)
			if err != nil {
				return nil, err
			}
			for _, r := range regions {
				if !agrees(r) {
					continue
				}
				for _, p := range dayPrefixes(r, w) {
					if agrees(p) {
						out = append(out, longer(p, s.prefix))
					}
				}
			}
		}
	}
	return out, nil
}

func longer(a, b string) string {
	if strings.HasPrefix(b, a) {
		return b
	}
	return a
}

// dayPrefixes covers a window with region/YYYY/MM/ folders for whole
// months and region/YYYY/MM/DD/ for the other days it touches; an open
// window is the whole region. (Verify widens the window it lists.)
func dayPrefixes(region string, w Window) []string {
	if w.Since.IsZero() || w.Until.IsZero() {
		// An open end: the whole region; names are filtered after.
		return []string{region}
	}
	from := w.Since.UTC().Truncate(24 * time.Hour)
	to := w.Until.UTC()
	var out []string
	for d := from; d.Before(to); {
		month := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
		next := month.AddDate(0, 1, 0)
		if d.Equal(month) && !next.After(to) {
			out = append(out, region+d.Format("2006/01/"))
			d = next
			continue
		}
		out = append(out, region+d.Format("2006/01/02/"))
		d = d.AddDate(0, 0, 1)
	}
	return out
}
