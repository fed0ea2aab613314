package ingest

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
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
//
// Requests are retried by the client (NewS3Client sets how); a body that
// fails mid-transfer is resumed by the source, from where it stopped (see
// s3_read.go).
type S3 struct {
	client S3API
	bucket string
	prefix string
	filter Filter
	// retry paces and bounds the resumption of bodies that fail midway.
	retry aws.Retryer
	// objects, when set, are what List yields: the keys named, unlisted.
	objects []Object
}

// NewS3Objects returns a source of the named objects of one bucket, read
// through client without listing: a caller that knows which files it
// wants (the scheduled job's new files) pays for no listing.
func NewS3Objects(client S3API, bucket string, objs []S3Object) (*S3, error) {
	s, err := NewS3(client, "s3://"+bucket+"/", Filter{})
	if err != nil {
		return nil, err
	}
	s.objects = make([]Object, 0, len(objs))
	for _, o := range objs {
		s.objects = append(s.objects, Object{Name: s.name(o.Key), Key: o.Key, Size: o.Size, Rel: o.Key})
	}
	if s.objects == nil {
		s.objects = []Object{}
	}
	return s, nil
}

// S3Object names an object by its key, with its size (-1 when unknown).
type S3Object struct {
	Key  string
	Size int64
}

// NewS3 returns a source for uri, s3://bucket/prefix, read through client.
// Bodies that fail midway are resumed as often, and with the same backoff,
// as the client retries a request (an *s3.Client's retryer; the S3Config
// defaults for any other S3API).
func NewS3(client S3API, uri string, f Filter) (*S3, error) {
	bucket, prefix, err := parseS3URI(uri)
	if err != nil {
		return nil, err
	}
	var r aws.Retryer = newRetryer(S3Config{}.withDefaults())
	if c, ok := client.(*s3.Client); ok && c.Options().Retryer != nil {
		r = c.Options().Retryer
	}
	return &S3{client: client, bucket: bucket, prefix: prefix, filter: f, retry: r}, nil
}

// List plans the prefixes to read, then lists each in full, in key order.
func (s *S3) List(ctx context.Context, fn func(Object) error) error {
	if s.objects != nil {
		for _, o := range s.objects {
			if err := fn(o); err != nil {
				return err
			}
		}
		return nil
	}
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
			if err := fn(Object{Name: s.name(key), Key: key, Size: aws.ToInt64(o.Size), Rel: key}); err != nil {
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

// Open starts reading the object; the caller closes the body. A body that
// stalls, resets or ends short of its length is resumed where it stopped,
// so a network fault never reaches the decoder as a corrupt file; a read
// that keeps failing returns an error naming the object.
func (s *S3) Open(ctx context.Context, o Object) (io.ReadCloser, error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    aws.String(o.Key),
	})
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", s.name(o.Key), err)
	}
	return newObjectReader(ctx, s, o.Key, out), nil
}

func (s *S3) name(key string) string { return "s3://" + s.bucket + "/" + key }

// Client is the client the source reads with.
func (s *S3) Client() S3API { return s.client }

// OpenS3Source builds a client for uri's bucket, with c's timeouts and
// retries, in the bucket's region unless an endpoint is given, and returns
// the source.
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
