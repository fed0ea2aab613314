package pipeline

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/tailor-iam/tailor/analyze"
)

// TestKeepBoundsMemory: a command about one principal, over a trail of a
// thousand roles, keeps that role's facts alone, so what it holds is that
// role's share, not the trail's (1.30 GB for suggest --role over 1.2M
// records of 5,001 roles before).
func TestKeepBoundsMemory(t *testing.T) {
	dir := t.TempDir()
	const roles, perRole = 1000, 40
	for f := 0; f < 10; f++ {
		var recs []any
		for i := 0; i < roles*perRole/10; i++ {
			k := f*roles*perRole/10 + i
			role := fmt.Sprintf("role-%04d", k%roles)
			recs = append(recs, map[string]any{
				"eventVersion": "1.09", "eventTime": fmt.Sprintf("2026-11-01T10:%02d:%02dZ", k/60%60, k%60),
				"eventSource": "s3.amazonaws.com", "eventName": "GetObject", "awsRegion": "us-east-1", "eventType": "AwsApiCall",
				"recipientAccountId": "111122223333", "sourceIPAddress": "10.0.0.1",
				"userIdentity": map[string]any{"type": "AssumedRole", "accountId": "111122223333", "arn": "arn:aws:sts::111122223333:assumed-role/" + role + "/s",
					"sessionContext": map[string]any{"sessionIssuer": map[string]any{"type": "Role", "arn": "arn:aws:iam::111122223333:role/" + role, "accountId": "111122223333"}}},
				"requestParameters": map[string]any{"bucketName": "data", "key": fmt.Sprintf("%s/object-%d.json", role, k)},
			})
		}
		out, err := os.Create(filepath.Join(dir, fmt.Sprintf("f%02d.json.gz", f)))
		if err != nil {
			t.Fatal(err)
		}
		zw := gzip.NewWriter(out)
		if err := json.NewEncoder(zw).Encode(map[string]any{"Records": recs}); err != nil {
			t.Fatal(err)
		}
		zw.Close()
		out.Close()
	}
	heap := func(keep func(string) bool) (*Result, int64) {
		res, err := Run(context.Background(), Config{Sources: []string{dir}, Workers: 2, Keep: keep})
		if err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return res, int64(ms.HeapAlloc)
	}
	const arn = "arn:aws:iam::111122223333:role/role-0042"
	base := func() int64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return int64(ms.HeapAlloc)
	}
	before := base()
	one, oneHeap := heap(func(arn string) bool { return analyze.MayMatch(arn, "role-0042") })
	oneFacts, onePrincipals, oneCount := len(one.Aggregate.Facts), len(one.Aggregate.Principals), one.Aggregate.Principals[arn].Count
	oneHeap -= before
	one = nil
	before = base()
	all, allHeap := heap(nil)
	allHeap -= before
	if oneFacts != perRole || len(all.Aggregate.Facts) != roles*perRole {
		t.Errorf("facts kept: %d for one role, %d for all; want %d and %d", oneFacts, len(all.Aggregate.Facts), perRole, roles*perRole)
	}
	if onePrincipals != roles || oneCount != perRole {
		t.Errorf("every principal is still counted: %d principals, %d events of %s", onePrincipals, oneCount, arn)
	}
	if oneHeap*3 > allHeap {
		t.Errorf("heap held with one role's facts %d KB, with every role's %d KB: want a third at most", oneHeap>>10, allHeap>>10)
	}
	t.Logf("heap held after the run: one role %d KB, every role %d KB", oneHeap>>10, allHeap>>10)
	runtime.KeepAlive(all)
}
