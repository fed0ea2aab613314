package digest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/smithy-go"
)

// ListPublicKeysAPI is the CloudTrail call that lists a region's digest
// signing keys.
type ListPublicKeysAPI interface {
	ListPublicKeys(ctx context.Context, in *cloudtrail.ListPublicKeysInput, optFns ...func(*cloudtrail.Options)) (*cloudtrail.ListPublicKeysOutput, error)
}

// APIKeys is a KeySource that asks CloudTrail, through ListPublicKeys in
// each region, for the keys valid in the range asked. Each region's answer
// is kept for the run.
type APIKeys struct {
	// Client returns the client for a region.
	Client func(region string) ListPublicKeysAPI

	mu    sync.Mutex
	cache map[string][]PublicKey
}

// PublicKeys lists the region's keys valid between from and to, every page.
func (a *APIKeys) PublicKeys(ctx context.Context, region string, from, to time.Time) ([]PublicKey, error) {
	key := region + " " + from.String() + " " + to.String()
	a.mu.Lock()
	if keys, ok := a.cache[key]; ok {
		a.mu.Unlock()
		return keys, nil
	}
	a.mu.Unlock()
	in := &cloudtrail.ListPublicKeysInput{}
	if !from.IsZero() {
		in.StartTime = aws.Time(from)
	}
	if !to.IsZero() {
		in.EndTime = aws.Time(to)
	}
	client := a.Client(region)
	var keys []PublicKey
	for range 100 { // CloudTrail rotates a region's key about daily: a few pages at most
		out, err := client.ListPublicKeys(ctx, in)
		if err != nil {
			return nil, keysError(region, err)
		}
		for _, k := range out.PublicKeyList {
			keys = append(keys, PublicKey{Fingerprint: aws.ToString(k.Fingerprint), DER: k.Value,
				ValidFrom: aws.ToTime(k.ValidityStartTime), ValidUntil: aws.ToTime(k.ValidityEndTime)})
		}
		if aws.ToString(out.NextToken) == "" {
			a.mu.Lock()
			if a.cache == nil {
				a.cache = map[string][]PublicKey{}
			}
			a.cache[key] = keys
			a.mu.Unlock()
			return keys, nil
		}
		in.NextToken = out.NextToken
	}
	return nil, fmt.Errorf("cloudtrail:ListPublicKeys in %s: more than 100 pages", region)
}

// keysError says what a failed ListPublicKeys means for the user.
func keysError(region string, err error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "AccessDeniedException", "AccessDenied", "UnauthorizedOperation":
			return fmt.Errorf("cloudtrail:ListPublicKeys in %s: access denied; allow cloudtrail:ListPublicKeys, or give the keys with --digest-public-keys FILE: %w", region, err)
		case "ExpiredTokenException", "ExpiredToken":
			return fmt.Errorf("cloudtrail:ListPublicKeys in %s: the credentials have expired; refresh them: %w", region, err)
		}
	}
	return fmt.Errorf("cloudtrail:ListPublicKeys in %s: %w", region, err)
}
