package digest

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/tailor-iam/tailor/fixtures/digests"
)

// memS3 is a bucket in memory: listings with a prefix and "/" as
// delimiter, and objects with their metadata. It records the prefixes
// listed in full.
type memS3 struct {
	bucket  string
	objects map[string]memObject
	mu      sync.Mutex
	listed  []string
}

type memObject struct {
	body []byte
	meta map[string]string
}

func (m *memS3) ListObjectsV2(_ context.Context, in *s3.ListObjectsV2Input, _ ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	prefix, delim := aws.ToString(in.Prefix), aws.ToString(in.Delimiter)
	if delim == "" {
		m.mu.Lock()
		m.listed = append(m.listed, prefix)
		m.mu.Unlock()
	}
	var keys []string
	for k := range m.objects {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	out := &s3.ListObjectsV2Output{}
	seen := map[string]bool{}
	for _, k := range keys {
		if delim != "" {
			if i := strings.Index(k[len(prefix):], delim); i >= 0 {
				cp := k[:len(prefix)+i+1]
				if !seen[cp] {
					seen[cp] = true
					out.CommonPrefixes = append(out.CommonPrefixes, types.CommonPrefix{Prefix: aws.String(cp)})
				}
				continue
			}
		}
		out.Contents = append(out.Contents, types.Object{Key: aws.String(k), Size: aws.Int64(int64(len(m.objects[k].body)))})
	}
	return out, nil
}

func (m *memS3) GetObject(_ context.Context, in *s3.GetObjectInput, _ ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	o, ok := m.objects[aws.ToString(in.Key)]
	if !ok || aws.ToString(in.Bucket) != m.bucket {
		return nil, &types.NoSuchKey{Message: aws.String("no such key")}
	}
	return &s3.GetObjectOutput{Body: io.NopCloser(bytes.NewReader(o.body)), Metadata: o.meta}, nil
}

// upload puts the trail under prefix, each digest with its signature in
// metadata as CloudTrail sets it.
func upload(t *testing.T, tr *digests.Trail, prefix string) *memS3 {
	t.Helper()
	m := &memS3{bucket: tr.Bucket, objects: map[string]memObject{}}
	err := filepath.WalkDir(tr.Root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(tr.Root, p)
		key := filepath.ToSlash(rel)
		var meta map[string]string
		if sig, ok := tr.Signatures[key]; ok {
			meta = map[string]string{"signature": sig, "signature-algorithm": "SHA256withRSA"}
		}
		m.objects[prefix+key] = memObject{body: body, meta: meta}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestS3(t *testing.T) {
	tr := writeTrail(t, digests.Options{Backfill: true})
	m := upload(t, tr, "")
	keys := readKeys(t, tr.PublicKeysFile)
	for _, uri := range []string{"s3://acme-cloudtrail-logs", "s3://acme-cloudtrail-logs/", "s3://acme-cloudtrail-logs/AWSLogs/", "s3://acme-cloudtrail-logs/AWSLogs/111122223333/"} {
		t.Run(uri, func(t *testing.T) {
			src, err := NewS3(context.Background(), m, uri)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := Verify(context.Background(), []Source{src}, Options{Keys: keys})
			if err != nil {
				t.Fatal(err)
			}
			if c := rep.Counts(); c.Failures != 0 || !rep.Trusted() || c.Files != len(tr.Logs) {
				t.Errorf("counts %+v", c)
			}
			for _, d := range rep.Digests {
				if d.SignatureFrom != "s3-metadata" || !strings.HasPrefix(d.Name, "s3://acme-cloudtrail-logs/AWSLogs/") {
					t.Errorf("%s: signature from %q", d.Name, d.SignatureFrom)
				}
			}
			if len(rep.Signatures) != 10 || rep.Signatures[tr.Digests[0][0]] != tr.Signatures[tr.Digests[0][0]] {
				t.Errorf("signatures to save: %d, want the 10 digests'", len(rep.Signatures))
			}
			if !rep.Verified("s3://acme-cloudtrail-logs/" + tr.Logs[0]) {
				t.Errorf("%s: not verified by its s3:// name", tr.Logs[0])
			}
		})
	}

	// The signatures saved from S3 check the local copy.
	src, _ := NewS3(context.Background(), m, "s3://acme-cloudtrail-logs/")
	rep, _ := Verify(context.Background(), []Source{src}, Options{Keys: keys})
	var b bytes.Buffer
	if err := WriteSignatures(&b, rep.Signatures); err != nil {
		t.Fatal(err)
	}
	saved, err := ReadSignatures(&b)
	if err != nil {
		t.Fatal(err)
	}
	local, err := Verify(context.Background(), []Source{&Local{Root: tr.Root}}, Options{Keys: keys, Signatures: saved})
	if err != nil {
		t.Fatal(err)
	}
	if !local.Trusted() {
		t.Errorf("the local copy with the saved signatures: %+v", local.Counts())
	}
}

// TestS3Tampering: in a bucket, a digest moved to another key and an
// object whose metadata lost its signature are caught.
func TestS3Tampering(t *testing.T) {
	tr := writeTrail(t, digests.Options{})
	m := upload(t, tr, "")
	moved := tr.Digests[0][3]
	o := m.objects[moved]
	delete(m.objects, moved)
	m.objects[strings.Replace(moved, "T041742Z", "T051742Z", 1)] = o
	stripped := tr.Digests[1][3]
	o = m.objects[stripped]
	o.meta = nil
	m.objects[stripped] = o
	src, _ := NewS3(context.Background(), m, "s3://acme-cloudtrail-logs/")
	rep, err := Verify(context.Background(), []Source{src}, Options{Keys: readKeys(t, tr.PublicKeysFile)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, string(f.Kind)+" "+f.Name)
	}
	want := []string{"moved s3://acme-cloudtrail-logs/" + strings.Replace(moved, "T041742Z", "T051742Z", 1)}
	if !slices.Equal(got, want) {
		t.Errorf("findings %q, want %q", got, want)
	}
	for _, d := range rep.Digests {
		if strings.HasSuffix(d.Name, stripped) && d.Signature != SignatureUnchecked {
			t.Errorf("a digest without its signature: %s", d.Signature)
		}
	}
}

// TestS3ListsTheWindow: with a range, only the day folders around it are
// listed, not the regions whole.
func TestS3ListsTheWindow(t *testing.T) {
	tr := writeTrail(t, digests.Options{Prefix: "trails/"})
	m := upload(t, tr, "")
	src, err := NewS3(context.Background(), m, "s3://acme-cloudtrail-logs/trails/")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 11, 2, 0, 17, 42, 0, time.UTC)
	rep, err := Verify(context.Background(), []Source{src}, Options{Keys: readKeys(t, tr.PublicKeysFile), Window: Window{Since: start, Until: start.Add(4 * time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	if c := rep.Counts(); !rep.Trusted() || c.Files != len(tr.Logs) {
		t.Errorf("counts %+v", c)
	}
	for _, p := range m.listed {
		if !strings.HasSuffix(p, "/2026/11/01/") && !strings.HasSuffix(p, "/2026/11/02/") && !strings.HasSuffix(p, "/2026/11/03/") {
			t.Errorf("listed %s whole", p)
		}
	}
	if len(m.listed) != 12 {
		t.Errorf("listed %d prefixes, want 3 days × 2 regions × logs and digests: %q", len(m.listed), m.listed)
	}
}

func TestDayPrefixes(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	got := dayPrefixes("r/", Window{Since: d(2026, 10, 30), Until: d(2026, 12, 3)})
	want := []string{"r/2026/10/30/", "r/2026/10/31/", "r/2026/11/", "r/2026/12/01/", "r/2026/12/02/"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if got := dayPrefixes("r/", Window{Since: d(2026, 10, 30)}); !slices.Equal(got, []string{"r/"}) {
		t.Errorf("an open end: %q", got)
	}
}
