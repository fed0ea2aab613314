package arn

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want ARN
		ok   bool
	}{
		{"role", "arn:aws:iam::111122223333:role/path/deploy", ARN{"aws", "iam", "", "111122223333", "role/path/deploy"}, true},
		{"bucket object", "arn:aws:s3:::bucket/a/b.txt", ARN{"aws", "s3", "", "", "bucket/a/b.txt"}, true},
		{"colons in resource", "arn:aws:lambda:eu-west-1:111122223333:function:f:prod", ARN{"aws", "lambda", "eu-west-1", "111122223333", "function:f:prod"}, true},
		{"other partition", "arn:aws-us-gov:sqs:us-gov-west-1:111122223333:q", ARN{"aws-us-gov", "sqs", "us-gov-west-1", "111122223333", "q"}, true},
		{"wildcards", "arn:aws:s3:::*", ARN{"aws", "s3", "", "", "*"}, true},
		{"wildcard fields", "arn:*:*:*:*:*", ARN{"*", "*", "*", "*", "*"}, true},
		{"policy variable", "arn:aws:s3:::b/home/${aws:username}/*", ARN{"aws", "s3", "", "", "b/home/${aws:username}/*"}, true},
		{"all empty", "arn:::::", ARN{}, true},
		{"empty resource", "arn:aws:iam::111122223333:", ARN{"aws", "iam", "", "111122223333", ""}, true},
		{"unicode", "arn:aws:s3:::bücket/ключ/😀", ARN{"aws", "s3", "", "", "bücket/ключ/😀"}, true},
		{"empty", "", ARN{}, false},
		{"prefix only", "arn:", ARN{}, false},
		{"four colons", "arn:aws:iam::111122223333", ARN{}, false},
		{"other prefix", "xrn:aws:iam::111122223333:root", ARN{}, false},
		{"upper case prefix", "ARN:aws:iam::111122223333:root", ARN{}, false},
		{"prefix behind a name", "WebIdentityUser/arn:aws:iam::1:oidc-provider/x", ARN{}, false},
		{"wildcard alone", "*", ARN{}, false},
		{"queue URL", "https://sqs.us-east-1.amazonaws.com/111122223333/q", ARN{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Parse(tc.in)
			if ok != tc.ok || got != tc.want {
				t.Fatalf("Parse(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.ok)
			}
			if ok && got.String() != tc.in {
				t.Errorf("String() = %q; want %q", got.String(), tc.in)
			}
		})
	}
}

func TestCut(t *testing.T) {
	for _, tc := range []struct {
		name, in, prefix string
		want             ARN
		ok               bool
	}{
		{"arn", "arn:aws:s3:::b", "arn", ARN{"aws", "s3", "", "", "b"}, true},
		{"federated name", "WebIdentityUser/arn:aws:iam::111122223333:oidc-provider/o:sub", "WebIdentityUser/arn", ARN{"aws", "iam", "", "111122223333", "oidc-provider/o:sub"}, true},
		{"empty prefix", ":a:b:c:d:e", "", ARN{"a", "b", "c", "d", "e"}, true},
		{"four colons", "a:b:c:d:e", "", ARN{}, false},
		{"empty", "", "", ARN{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prefix, got, ok := Cut(tc.in)
			if prefix != tc.prefix || got != tc.want || ok != tc.ok {
				t.Errorf("Cut(%q) = %q, %+v, %v; want %q, %+v, %v", tc.in, prefix, got, ok, tc.prefix, tc.want, tc.ok)
			}
		})
	}
}

func TestHead(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"arn:aws:s3:::bucket/key", "arn:aws:s3:::"},
		{"arn:aws:iam::111122223333:role/r", "arn:aws:iam::111122223333:"},
		{"arn:aws:lambda:eu-west-1:111122223333:function:f:1", "arn:aws:lambda:eu-west-1:111122223333:"},
	} {
		a, ok := Parse(tc.in)
		if !ok {
			t.Fatalf("Parse(%q) failed", tc.in)
		}
		if got := a.Head(); got != tc.want {
			t.Errorf("Head(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestAccountOf(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"arn:aws:iam::111122223333:role/r", "111122223333"},
		{"arn:aws:iam::111122223333:root", "111122223333"},
		{"arn:aws:s3:::bucket", ""},
		{"WebIdentityUser/arn:aws:iam::111122223333:oidc-provider/o", "111122223333"},
		{"arn:aws:iam::111122223333", ""}, // no resource: not an ARN
		{"SAMLUser/alice", ""},
		{"*", ""},
		{"", ""},
	} {
		if got := AccountOf(tc.in); got != tc.want {
			t.Errorf("AccountOf(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseAllocs(t *testing.T) {
	s := "arn:aws:lambda:eu-west-1:111122223333:function:f:prod"
	if n := testing.AllocsPerRun(100, func() { Parse(s) }); n != 0 {
		t.Errorf("Parse allocates %v times; want 0", n)
	}
}

// FuzzParse: every string Parse accepts is written back unchanged, and
// Parse accepts exactly the strings Cut splits behind "arn".
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"arn:aws:iam::111122223333:role/r",
		"arn:aws:s3:::*",
		"arn:aws:lambda:eu-west-1:111122223333:function:f:prod",
		"arn:::::",
		"arn:",
		"",
		"WebIdentityUser/arn:aws:iam::1:oidc-provider/o",
		"arn:aws:s3:::bücket/😀",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, ok := Parse(s)
		if want := strings.HasPrefix(s, "arn:") && strings.Count(s, ":") >= 5; ok != want {
			t.Fatalf("Parse(%q) ok = %v; want %v", s, ok, want)
		}
		if !ok {
			if a != (ARN{}) {
				t.Fatalf("Parse(%q) = %+v with ok false", s, a)
			}
			return
		}
		if got := a.String(); got != s {
			t.Fatalf("Parse(%q).String() = %q", s, got)
		}
		if got := a.Head() + a.Resource; got != s {
			t.Fatalf("Parse(%q): Head()+Resource = %q", s, got)
		}
		for _, f := range []string{a.Partition, a.Service, a.Region, a.Account} {
			if strings.Contains(f, ":") {
				t.Fatalf("Parse(%q) = %+v: a field before the resource holds a colon", s, a)
			}
		}
		if got := AccountOf(s); got != a.Account {
			t.Fatalf("AccountOf(%q) = %q; want %q", s, got, a.Account)
		}
	})
}

func TestPartitionInRegion(t *testing.T) {
	for _, c := range []struct{ arn, region, want string }{
		{"arn:aws:iam::1:role/r", "eu-west-1", "aws"},
		{"arn:aws:iam::1:role/r", "us-gov-west-1", "aws-us-gov"},
		{"arn:aws:iam::1:role/r", "cn-north-1", "aws-cn"},
		{"arn:aws-cn:iam::1:role/r", "cn-north-1", "aws-cn"},
		{"arn:aws-us-gov:iam::1:role/r", "us-east-1", "aws-us-gov"},
		{"", "us-gov-east-1", "aws-us-gov"},
		{"not an arn", "eu-west-1", "aws"},
		{"arn:other:iam::1:role/r", "eu-west-1", "aws"},
		{"x:aws-iso", "", "aws-iso"},
	} {
		if got := InRegion(PartitionOf(c.arn), c.region); got != c.want {
			t.Errorf("InRegion(PartitionOf(%q), %q) = %q, want %q", c.arn, c.region, got, c.want)
		}
	}
}
