package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// S3API is the part of the S3 client a source needs, so tests can record
// or fake the calls.
type S3API interface {
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// S3 reads the objects under s3://bucket/prefix. On the CloudTrail layout it
// lists only the accounts, regions and days the Filter keeps; any other
// prefix is listed in full.
type S3 struct {
	client S3API
	bucket string
	prefix string
	filter Filter
}

// NewS3 returns a source for uri, s3://bucket/prefix, read through client.
func NewS3(client S3API, uri string, f Filter) (*S3, error) {
	bucket, prefix, err := parseS3URI(uri)
	if err != nil {
		return nil, err
	}
	return &S3{client: client, bucket: bucket, prefix: prefix, filter: f}, nil
}

// List plans the prefixes to read, then lists each in full, in key order.
func (s *S3) List(ctx context.Context, fn func(Object) error) error {
	prefixes, err := plan(ctx, s.prefix, s.filter, s.dirs)
	if err != nil {
		return err
	}
	for _, p := range prefixes {
		if err := s.listAll(ctx, p, fn); err != nil {
			return err
		}
	}
	return nil
}

// listAll lists every key under p.
func (s *S3) listAll(ctx context.Context, p string, fn func(Object) error) error {
	pages := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{
		Bucket: aws.String(s.bucket),
		Prefix: aws.String(p),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list %s: %w", s.name(p), err)
		}
		for _, o := range page.Contents {
			key := aws.ToString(o.Key)
			// A folder marker made by the console is no file.
			if strings.HasSuffix(key, "/") && aws.ToInt64(o.Size) == 0 {
				continue
			}
			if err := fn(Object{Name: s.name(key), Key: key, Size: aws.ToInt64(o.Size)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// dirs lists the folders directly under p, for plan.
func (s *S3) dirs(ctx context.Context, p string) ([]string, error) {
	pages := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{
		Bucket:    aws.String(s.bucket),
		Prefix:    aws.String(p),
		Delimiter: aws.String("/"),
	})
	var out []string
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", s.name(p), err)
		}
		for _, cp := range page.CommonPrefixes {
			out = append(out, aws.ToString(cp.Prefix))
		}
	}
	return out, nil
}

// Open starts reading the object; the caller closes the body.
func (s *S3) Open(ctx context.Context, o Object) (io.ReadCloser, error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    aws.String(o.Key),
	})
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", s.name(o.Key), err)
	}
	return out.Body, nil
}

func (s *S3) name(key string) string { return "s3://" + s.bucket + "/" + key }

// S3Config is the standard AWS configuration a user can override, as in the
// AWS CLI.
type S3Config struct {
	Profile     string // shared config profile; "" for the default chain
	Region      string // client region; "" for the configured one
	EndpointURL string // an S3-compatible server; path-style addressing
}

// NewS3Client builds a client from the default credential chain and shared
// config. The SDK's standard retryer backs off on throttling and 5xx; an
// error that outlasts it surfaces from List or Open.
func NewS3Client(ctx context.Context, c S3Config) (*s3.Client, error) {
	var opts []func(*config.LoadOptions) error
	if c.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(c.Profile))
	}
	if c.Region != "" {
		opts = append(opts, config.WithRegion(c.Region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("load AWS config: %w", err)
	}
	if cfg.Region == "" {
		// Requests must be signed for some region; the bucket's own region
		// is found later when it differs.
		cfg.Region = "us-east-1"
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		// stderr is the user's summary; the SDK must not write to it.
		o.DisableLogOutputChecksumValidationSkipped = true
		if c.EndpointURL != "" {
			o.BaseEndpoint = aws.String(c.EndpointURL)
			o.UsePathStyle = true
		}
	}), nil
}

// BucketRegion asks S3 where bucket lives. S3 names the region in the
// x-amz-bucket-region header even when it refuses the request (a 301 from
// the wrong region, or a 403), so this works without s3:ListBucket. A
// missing bucket is an error, whatever the headers say.
func BucketRegion(ctx context.Context, client s3.HeadBucketAPIClient, bucket string) (string, error) {
	out, err := client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(bucket)})
	if err == nil && aws.ToString(out.BucketRegion) != "" {
		return aws.ToString(out.BucketRegion), nil
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.Response != nil && re.HTTPStatusCode() != http.StatusNotFound {
		if r := re.Response.Header.Get("X-Amz-Bucket-Region"); r != "" {
			return r, nil
		}
	}
	if err == nil {
		err = errors.New("no x-amz-bucket-region in the response")
	}
	return "", fmt.Errorf("find region of bucket %s: %w", bucket, err)
}

// OpenS3Source builds a client for uri's bucket, in the bucket's region
// unless an endpoint is given, and returns the source.
func OpenS3Source(ctx context.Context, uri string, c S3Config, f Filter) (*S3, error) {
	bucket, _, err := parseS3URI(uri)
	if err != nil {
		return nil, err
	}
	client, err := NewS3Client(ctx, c)
	if err != nil {
		return nil, err
	}
	if c.EndpointURL == "" {
		region, err := BucketRegion(ctx, client, bucket)
		if err != nil {
			return nil, err
		}
		if region != client.Options().Region {
			client = s3.New(client.Options(), func(o *s3.Options) { o.Region = region })
		}
	}
	return NewS3(client, uri, f)
}
