package trail

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/fixtures"
	"github.com/tailor-iam/tailor/internal/benchtrail"
	"github.com/tailor-iam/tailor/internal/testenv"
)

// checkFast decodes raw with the fast path and with encoding/json. When
// the fast path takes the entry, both must give the same Record; when it
// gives up, the general decoder's answer stands, so nothing is compared.
// It reports whether the fast path took it.
func checkFast(t testing.TB, name string, raw []byte, in *interner) bool {
	t.Helper()
	var fastRec Record
	var sp spare
	ferr := decodeFast(raw, &fastRec, in, &sp)
	if ferr != nil && ferr != giveUp {
		t.Fatalf("%s: the fast path failed other than by giving up: %v", name, ferr)
	}
	var std Record
	serr := json.Unmarshal(raw, &std)
	if ferr != nil {
		return false
	}
	if serr != nil {
		t.Fatalf("%s: the fast path took an entry encoding/json refuses (%v):\n%s", name, serr, raw)
	}
	if !reflect.DeepEqual(fastRec, std) {
		t.Fatalf("%s: the fast path and encoding/json differ:\nfast %+v\nstd  %+v\n%s", name, show(fastRec), show(std), raw)
	}
	return true
}

// show prints a record with its pointers followed.
func show(r Record) string {
	b, _ := json.Marshal(r)
	return string(b)
}

// entries splits a file into the entries Decode would hand on: the
// elements of a Records array, or each JSON value of the file.
func entries(t testing.TB, data []byte) [][]byte {
	dec := json.NewDecoder(bytes.NewReader(data))
	var out [][]byte
	for {
		var v json.RawMessage
		if err := dec.Decode(&v); err == io.EOF {
			return out
		} else if err != nil {
			return out // a broken file: what came before is enough
		}
		var doc struct{ Records []json.RawMessage }
		if json.Unmarshal(v, &doc) == nil && doc.Records != nil {
			for _, r := range doc.Records {
				out = append(out, r)
			}
			continue
		}
		var list []json.RawMessage
		if json.Unmarshal(v, &list) == nil {
			for _, r := range list {
				out = append(out, r)
			}
			continue
		}
		out = append(out, v)
	}
}

func readMaybeGzip(t testing.TB, data []byte) []byte {
	if len(data) > 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			return nil
		}
		return out
	}
	return data
}

// TestFastMatchesEncodingJSON runs the fast path against encoding/json on
// every record of the bundled fixtures and of ../shared/corpus, and on
// variants of them that must send it to the general decoder or that it
// must read the same way: keys in another case, repeated, escaped, nulls.
func TestFastMatchesEncodingJSON(t *testing.T) {
	files := testFiles(t)
	taken, total := 0, 0
	demoTaken, demoTotal := 0, 0
	for _, f := range files {
		in := newInterner() // one per file, as Decode has
		for i, raw := range entries(t, readMaybeGzip(t, f.data)) {
			name := f.name + "#" + itoa(i)
			total++
			ok := checkFast(t, name, raw, in)
			if ok {
				taken++
			}
			if strings.HasPrefix(f.name, "demo/") {
				demoTotal++
				if ok {
					demoTaken++
				}
			}
			if i%5 != 0 {
				continue
			}
			for j, v := range variants(raw) {
				checkFast(t, name+" variant "+itoa(j), v, in)
			}
		}
	}
	t.Logf("the fast path took %d of %d entries (demo: %d of %d)", taken, total, demoTaken, demoTotal)
	// The demo trail is the usual shape: the fast path must take all of it,
	// or this test compares nothing and the speed is lost.
	if demoTotal == 0 || demoTaken != demoTotal {
		t.Errorf("the fast path took %d of the demo's %d records, want all", demoTaken, demoTotal)
	}
}

func sharedCorpus(t *testing.T) string {
	dir := filepath.Join(testenv.ModuleRoot(t), "..", "shared", "corpus")
	if _, err := os.Stat(dir); err != nil {
		t.Logf("no shared corpus at %s: the fixtures only", dir)
		return ""
	}
	return dir
}

// variants rewrites an entry in the ways that test the fast path's
// edges: a known key in another case, a key given twice, an escaped key,
// a field of the wrong type, nulls, escapes and non-ASCII in values.
func variants(raw []byte) [][]byte {
	s := string(raw)
	var out [][]byte
	for _, r := range []struct{ old, new string }{
		{`"eventName"`, `"EventName"`},
		{`"eventName"`, `"eventname"`},
		{`"userIdentity"`, `"useridentity"`},
		{`"arn"`, `"ARN"`},
		{`"ARN"`, `"arn"`},
		{`"eventSource"`, `"event\u0053ource"`},
		{`"eventName":"`, `"eventName":"x","eventName":"`},
		{`"eventName":"`, `"eventName":7,"x":"`},
		{`"userIdentity":{`, `"userIdentity":null,"u":{`},
		{`"userIdentity":{`, `"userIdentity":{"type":"A"},"userIdentity":{`},
		{`"awsRegion":"`, `"awsRegion":null,"r":"`},
		{`"requestParameters":`, `"requestParameters":null,"p":`},
		{`"resources":[`, `"resources":[null,`},
		{`"userAgent":"`, `"userAgent":"\u00e9\"\\\/\t caf` + "\u00e9" + `\ud83d\ude00 `},
		{`"userAgent":"`, `"userAgent":"` + "\xff\xfe"},
		{`"sourceIPAddress":"`, `"sourceIPAddress":"\ud800 lone `},
		{`"eventTime":"`, `"extra":[1,-2.5e+3,true,false,null,{"a":[]},"\u0041"],"eventTime":"`},
		{`"eventTime":"`, `"extra":01,"eventTime":"`},
		{`"eventTime":"`, `"extra":"\x","eventTime":"`},
		{`"eventTime":"`, `"extra":"` + "\x01" + `","eventTime":"`},
		{`}`, `} `},
		{`{`, "{\n\t"},
		{`:`, ` : `},
		{`,`, ` , `},
	} {
		if strings.Contains(s, r.old) {
			out = append(out, []byte(strings.Replace(s, r.old, r.new, 1)))
		}
	}
	// Every prefix cut short, and the entry with each byte dropped at a
	// few places: truncations and broken grammar.
	for _, n := range []int{1, len(raw) / 3, len(raw) / 2, len(raw) - 1} {
		if n > 0 && n < len(raw) {
			out = append(out, raw[:n])
			out = append(out, append(append([]byte{}, raw[:n]...), raw[n+1:]...))
		}
	}
	return out
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// FuzzFast runs the fast path and encoding/json on arbitrary entries: the
// fast path never panics, and what it takes it reads as encoding/json does.
func FuzzFast(f *testing.F) {
	for _, raw := range entries(f, benchtrail.DeliveryFile(64<<10)) {
		f.Add(raw)
		for _, v := range variants(raw) {
			f.Add(v)
		}
	}
	f.Add([]byte(`{"eventName":"A","userIdentity":{"sessionContext":{"sessionIssuer":{"arn":"x"},"attributes":{"mfaAuthenticated":"true"}}},"tlsDetails":{"tlsVersion":"TLSv1.2"},"resources":[{"ARN":"a","accountId":"1","type":"t"}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		checkFast(t, "fuzz", raw, newInterner())
	})
}

// testFile is a file of records the differential tests read.
type testFile struct {
	name string
	data []byte
}

// testFiles are the bundled fixtures, a generated delivery file and, when
// it is beside the repository, ../shared/corpus.
func testFiles(t *testing.T) []testFile {
	t.Helper()
	var files []testFile
	demo := fixtures.Demo()
	err := fs.WalkDir(demo, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(demo, p)
		files = append(files, testFile{"demo/" + p, b})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	root := testenv.ModuleRoot(t)
	b, err := os.ReadFile(filepath.Join(root, "fixtures", "denials", "denials.json"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, testFile{"fixtures/denials/denials.json", b})
	files = append(files, testFile{"benchtrail", benchtrail.DeliveryFile(1 << 20)})
	if corpus := sharedCorpus(t); corpus != "" {
		filepath.WalkDir(corpus, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err == nil {
				files = append(files, testFile{strings.TrimPrefix(p, corpus), b})
			}
			return nil
		})
	}
	return files
}
