package pipeline

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/ingest"
)

// The types of a Config are pipeline's own, so a caller (the CLI, the
// scheduled job) names pipeline and not the stages behind it; Run turns
// them into ingest's and analyze's options.

// DefaultMaxResources is the --max-resources default: how many distinct
// resources a principal's action keeps before they fold into parent/*.
const DefaultMaxResources = analyze.DefaultMaxResources

// S3Options are the overrides of the standard AWS configuration a run
// reads S3 with, as in the AWS CLI. Timeouts and retries are ingest's
// defaults.
type S3Options struct {
	Profile     string // shared config profile; "" for the default chain
	EndpointURL string // an S3-compatible server, with path-style addressing
}

func (o S3Options) ingest() ingest.S3Config {
	return ingest.S3Config{Profile: o.Profile, EndpointURL: o.EndpointURL}
}

// Shard is one of Count shares of a run's input (--shard Index/Count,
// Index from 1): an object is in the share a stable hash of its path under
// the source (an S3 key) names, so Count runs that each read one share read
// every object once. The zero Shard is the whole input.
type Shard struct {
	Index, Count int
}

// ParseShard reads "i/n", 1 <= i <= n.
func ParseShard(s string) (Shard, error) {
	sh, err := ingest.ParseShard(s)
	return Shard(sh), err
}

// Generalize holds the generalizations asked for with --generalize; each
// widens an exact ARN on purpose. The zero value widens nothing.
type Generalize struct {
	// S3Prefix, when S3PrefixSet, keeps this many "/" segments of an object
	// key and replaces the rest with "*".
	S3Prefix    int
	S3PrefixSet bool
	// Revisions turns ECS task-definition revisions into family:* and
	// Lambda function versions into function:name:*.
	Revisions bool
}

// ParseGeneralize reads --generalize values: "s3-prefix=N" and
// "revisions", each given once or joined with commas.
func ParseGeneralize(specs []string) (Generalize, error) {
	g, err := analyze.ParseGeneralize(specs)
	return Generalize(g), err
}

// S3Object is an object read by its key (Config.Objects), with its size
// from a listing (-1 when unknown).
type S3Object struct {
	Bucket, Key string
	Size        int64
}

// S3Client is the part of an S3 client a run reads with.
type S3Client interface {
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// NewS3Client builds an S3 client from the standard AWS configuration with
// o's overrides and the timeouts and retries a run reads with.
func NewS3Client(ctx context.Context, o S3Options) (*s3.Client, error) {
	return ingest.NewS3Client(ctx, o.ingest())
}
