package job

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/tailor-iam/tailor/partial"
)

// S3 is the part of an S3 client the job uses.
type S3 interface {
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

// checkpoint is the state: which partial holds each day partition, what
// could not be read, and which generation of it the outputs show.
type checkpoint struct {
	Version int `json:"version"`
	// Generation counts the changes of Partitions; Published is the
	// generation the outputs were last written from.
	Generation int64 `json:"generation"`
	Published  int64 `json:"published"`
	// Partitions maps "ACCOUNT/REGION/YYYY/MM/DD" to its partial's key in
	// the state bucket.
	Partitions map[string]string `json:"partitions"`
	// Failed maps a partition to the files of it that could not be read,
	// with why; they are tried again on the next run.
	Failed map[string][]Problem `json:"failed,omitempty"`
	// From is, per "ACCOUNT/REGION", the first day read (the first run's
	// lookback); Closed the last day no late delivery can reach any more
	// that a finished run has read. A run reads from the day after Closed
	// (or From) to today: a first run cut short goes on where it stopped.
	From   map[string]string `json:"from,omitempty"`
	Closed map[string]string `json:"closed,omitempty"`
}

// Problem is a file that could not be read.
type Problem struct {
	File  string `json:"file"`
	Error string `json:"error"`
}

const checkpointVersion = 1

func (c *Config) checkpointKey() string { return c.StatePrefix + "checkpoint.json" }

// errConflict says another run moved the checkpoint first.
var errConflict = errors.New("another run changed the checkpoint")

// loadCheckpoint reads the checkpoint and its ETag; a missing one is a new
// state, with no ETag.
func loadCheckpoint(ctx context.Context, client S3, c *Config) (*checkpoint, string, error) {
	body, etag, err := get(ctx, client, c.StateBucket, c.checkpointKey())
	if isNotFound(err) {
		return &checkpoint{Version: checkpointVersion, Partitions: map[string]string{}}, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	var cp checkpoint
	if err := json.Unmarshal(body, &cp); err != nil {
		return nil, "", fmt.Errorf("checkpoint s3://%s/%s: %w", c.StateBucket, c.checkpointKey(), err)
	}
	if cp.Version != checkpointVersion {
		return nil, "", fmt.Errorf("checkpoint s3://%s/%s: version %d; this tailor reads version %d", c.StateBucket, c.checkpointKey(), cp.Version, checkpointVersion)
	}
	if cp.Partitions == nil {
		cp.Partitions = map[string]string{}
	}
	return &cp, etag, nil
}

// saveCheckpoint writes cp if the checkpoint is still the one read (etag;
// "" for none yet): errConflict when another run moved it. It returns the
// new ETag.
func saveCheckpoint(ctx context.Context, client S3, c *Config, cp *checkpoint, etag string) (string, error) {
	body, err := json.MarshalIndent(cp, "", "  ")
	if err != nil {
		return "", err
	}
	in := &s3.PutObjectInput{Bucket: aws.String(c.StateBucket), Key: aws.String(c.checkpointKey()),
		Body: bytes.NewReader(body), ContentLength: aws.Int64(int64(len(body))), ContentType: aws.String("application/json")}
	if etag == "" {
		in.IfNoneMatch = aws.String("*")
	} else {
		in.IfMatch = aws.String(etag)
	}
	out, err := client.PutObject(ctx, in)
	if isPrecondition(err) {
		return "", errConflict
	}
	if err != nil {
		return "", fmt.Errorf("write checkpoint s3://%s/%s: %w", c.StateBucket, c.checkpointKey(), err)
	}
	return aws.ToString(out.ETag), nil
}

// partialKey names a partial by its content, so writing it again is
// harmless and a checkpoint never names a partial that changed.
func (c *Config) partialKey(kind, partition string, body []byte) string {
	sum := sha256.Sum256(body)
	return c.StatePrefix + kind + "/" + partition + "/" + hex.EncodeToString(sum[:12]) + ".parquet"
}

// readPartial reads a partial's header: the files folded into it.
func readPartial(ctx context.Context, client S3, bucket, key string) (*partial.Aggregate, error) {
	body, _, err := get(ctx, client, bucket, key)
	if err != nil {
		return nil, err
	}
	p, err := partial.Read(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return nil, fmt.Errorf("partial s3://%s/%s: %w", bucket, key, err)
	}
	return p, nil
}

// putObject writes body at key, whatever is there.
func putObject(ctx context.Context, client S3, bucket, key, contentType string, body []byte) error {
	_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
		Body: bytes.NewReader(body), ContentLength: aws.Int64(int64(len(body))), ContentType: aws.String(contentType)})
	if err != nil {
		return fmt.Errorf("write s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}

func get(ctx context.Context, client S3, bucket, key string) ([]byte, string, error) {
	out, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, "", fmt.Errorf("read s3://%s/%s: %w", bucket, key, err)
	}
	defer out.Body.Close()
	body, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, "", fmt.Errorf("read s3://%s/%s: %w", bucket, key, err)
	}
	return body, aws.ToString(out.ETag), nil
}

// object is a listed file.
type object struct {
	Key  string
	Size int64
}

// list lists the keys under prefix, in key order; with delim, the common
// prefixes one level down instead.
func list(ctx context.Context, client S3, bucket, prefix string, delim bool) ([]object, []string, error) {
	in := &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)}
	if delim {
		in.Delimiter = aws.String("/")
	}
	var objs []object
	var dirs []string
	pages := s3.NewListObjectsV2Paginator(client, in)
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("list s3://%s/%s: %w", bucket, prefix, err)
		}
		for _, o := range page.Contents {
			objs = append(objs, object{Key: aws.ToString(o.Key), Size: aws.ToInt64(o.Size)})
		}
		for _, p := range page.CommonPrefixes {
			dirs = append(dirs, aws.ToString(p.Prefix))
		}
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].Key < objs[j].Key })
	sort.Strings(dirs)
	return objs, dirs, nil
}

func isNotFound(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && (ae.ErrorCode() == "NoSuchKey" || ae.ErrorCode() == "NotFound")
}

// isPrecondition reports S3's answer to a conditional write that lost: 412,
// or 409 for a write that raced another.
func isPrecondition(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && (ae.ErrorCode() == "PreconditionFailed" || ae.ErrorCode() == "ConditionalRequestConflict")
}
