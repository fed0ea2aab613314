package digest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"

	"github.com/tailor-iam/tailor/fixtures/digests"
)

// keyServer answers ListPublicKeys on 127.0.0.1 with the keys of a
// list-public-keys file, one key a page; or with an error.
func keyServer(t *testing.T, keysFile, fail string) (*httptest.Server, *int) {
	t.Helper()
	raw, err := os.ReadFile(keysFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ PublicKeyList []map[string]any }
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".ListPublicKeys") {
			http.Error(w, "unexpected target", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if fail != "" {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type":"`+fail+`","message":"no"}`)
			return
		}
		var in struct{ NextToken string }
		json.NewDecoder(r.Body).Decode(&in)
		i := 0
		if in.NextToken != "" {
			i = len(in.NextToken)
		}
		k := doc.PublicKeyList[i]
		out := map[string]any{"PublicKeyList": []any{map[string]any{"Value": k["Value"], "Fingerprint": k["Fingerprint"]}}}
		if i+1 < len(doc.PublicKeyList) {
			out["NextToken"] = strings.Repeat("x", i+1)
		}
		json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func apiKeys(url string) *APIKeys {
	return &APIKeys{Client: func(region string) ListPublicKeysAPI {
		return cloudtrail.New(cloudtrail.Options{Region: region, BaseEndpoint: aws.String(url),
			Credentials: credentials.NewStaticCredentialsProvider("AKID", "SECRET", "")})
	}}
}

// TestAPIKeys: keys fetched through ListPublicKeys, every page, verify the
// clean trail as the list-public-keys file does; a refusal names the call.
func TestAPIKeys(t *testing.T) {
	tr := writeTrail(t, digests.Options{Backfill: true})
	srv, calls := keyServer(t, tr.PublicKeysFile, "")
	keys := apiKeys(srv.URL)
	rep, err := Verify(context.Background(), []Source{&Local{Root: tr.Root}}, Options{Keys: keys, Signatures: readSidecar(t, tr.SignaturesFile)})
	if err != nil {
		t.Fatal(err)
	}
	if c := rep.Counts(); c.Failures != 0 || c.ValidSignatures != c.Digests || !rep.Trusted() {
		t.Errorf("with keys from the API: %+v", c)
	}
	if *calls == 0 {
		t.Error("no ListPublicKeys call")
	}
	got, err := keys.PublicKeys(context.Background(), "eu-west-1", time.Time{}, time.Time{})
	if err != nil || len(got) == 0 || len(got[0].DER) == 0 {
		t.Errorf("keys: %v, %v", got, err)
	}
	if want := base64.StdEncoding.EncodeToString(got[0].DER); !strings.Contains(string(mustRead(t, tr.PublicKeysFile)), want) {
		t.Error("the key's bytes differ from the file's")
	}
	for _, fail := range []string{"AccessDeniedException", "ExpiredTokenException"} {
		srv, _ := keyServer(t, tr.PublicKeysFile, fail)
		_, err := apiKeys(srv.URL).PublicKeys(context.Background(), "us-east-1", time.Time{}, time.Time{})
		if err == nil || !strings.Contains(err.Error(), "cloudtrail:ListPublicKeys") {
			t.Errorf("%s: %v", fail, err)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
