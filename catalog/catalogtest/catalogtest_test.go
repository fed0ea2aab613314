package catalogtest

import (
	"context"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/catalog/cache"
)

// An update from the server passes every check and holds the embedded
// catalog's services and actions; a missing file fails it.
func TestNewServer(t *testing.T) {
	srv := NewServer(t, nil)
	info, err := cache.Update(context.Background(), srv.Client(), srv.URL+"/", t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	emb := catalog.Embedded().Info()
	if info.Services != emb.Services || info.Actions != emb.Actions || info.Version != Version || info.Source != catalog.SourceServiceReference {
		t.Errorf("update %+v, want the embedded catalog's %d services and %d actions", info, emb.Services, emb.Actions)
	}

	srv = NewServer(t, nil, "/v1/sqs/sqs.json")
	if _, err := cache.Update(context.Background(), srv.Client(), srv.URL+"/", t.TempDir(), nil); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("err = %v, want a 404 for sqs", err)
	}
}
