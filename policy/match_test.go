package policy

import (
	"strings"
	"testing"
)

func TestMatchAction(t *testing.T) {
	tests := []struct {
		pattern, action string
		want            bool
	}{
		{"s3:GetObject", "s3:GetObject", true},
		{"s3:getobject", "S3:GETOBJECT", true},
		{"s3:Get*", "s3:GetObject", true},
		{"s3:Get*", "s3:Get", true},
		{"s3:Get*", "s3:PutObject", false},
		{"*", "anything:AtAll", true},
		{"*", "", true},
		{"s3:*", "s3control:ListJobs", false},
		{"s3*", "s3control:ListJobs", true},
		{"s3:?et*", "s3:GetObject", true},
		{"s3:?et*", "s3:et", false},
		{"*Object*", "s3:PutObjectAcl", true},
		{"a*b*c", "aXbYbZc", true},
		{"a*b*c", "aXbYbZ", false},
		{`s3:Get\*`, `s3:Get\Object`, true}, // a backslash is literal
		{"", "", true},
		{"", "s3:GetObject", false},
	}
	for _, tc := range tests {
		t.Run(tc.pattern+" "+tc.action, func(t *testing.T) {
			if got := MatchAction(tc.pattern, tc.action); got != tc.want {
				t.Errorf("MatchAction(%q, %q) = %v, want %v", tc.pattern, tc.action, got, tc.want)
			}
		})
	}
}

func TestMatchARN(t *testing.T) {
	tests := []struct {
		pattern, arn string
		want         bool
	}{
		{"*", "arn:aws:s3:::b", true},
		{"*", "*", true},
		{"*", "", true},
		{"arn:aws:s3:::b", "arn:aws:s3:::b", true},
		{"arn:aws:s3:::b", "arn:aws:s3:::B", false},
		{"arn:aws:s3:::b*", "arn:aws:s3:::bucket/a/b:c", true},
		{"arn:aws:s3:::b*", "arn:aws:s3:eu-west-1::b", false},
		{"arn:aws:s3:::b*", "arn:aws:s3:::", false},
		{"arn:aws:s3:::*", "arn:aws:s3:::", true},
		{"arn:aws:iam::*:role/x", "arn:aws:iam::111122223333:role/x", true},
		{"arn:aws:iam::*:role/x", "arn:aws:iam:::role/x", true},
		{"arn:aws:iam::1111*:role/x", "arn:aws:iam::111122223333:role/x", true},
		{"arn:aws:iam::???????????:role/x", "arn:aws:iam::111122223333:role/x", false},
		{"arn:aws:iam::????????????:role/x", "arn:aws:iam::111122223333:role/x", true},
		{"arn:aws:*:us-east-1:*:*", "arn:aws:sqs:us-east-1:111122223333:q", true},
		{"arn:aws:*", "arn:aws:sqs:us-east-1:111122223333:q", true},
		{"arn:aws:sqs", "arn:aws:sqs:us-east-1:111122223333:q", false},
		{"arn:aws:sqs:us-east-1", "arn:aws:sqs:us-east-1:111122223333:q", false},
		{"arn:aws:sqs:us-*", "arn:aws:sqs:us-east-1:111122223333:q", true},
		{"arn:aws:sqs:*:q", "arn:aws:sqs:us-east-1:111122223333:q", false},
		{"arn:aws:logs:*:*:log-group:g:*", "arn:aws:logs:us-east-1:1:log-group:g:log-stream:s", true},
		{"arn:aws:logs:*:*:log-group:g", "arn:aws:logs:us-east-1:1:log-group:g:log-stream:s", false},
		{"arn:aws:dynamodb:us-east-1:1:table/T", "arn:aws:dynamodb:us-east-1:1:table/T/index/I", false},
		{"arn:aws:dynamodb:us-east-1:1:table/T/*", "arn:aws:dynamodb:us-east-1:1:table/T/index/I", true},
		{"arn:aws:s3:::b", "not-an-arn", false},
		{"not*", "not-an-arn", true},
		{"arn:aws:s3:::b", "*", false},
		{"arn:aws:s3:::${aws:username}", "arn:aws:s3:::${aws:username}", true},
		{"arn:aws:lambda:us-east-1:1:function:f", "arn:aws:lambda:us-east-1:1:function:f:1", false},
		{"arn:aws:lambda:us-east-1:1:function:f*", "arn:aws:lambda:us-east-1:1:function:f:1", true},
		{"arn:aws:s3:::b/é?", "arn:aws:s3:::b/éé", true},
	}
	for _, tc := range tests {
		t.Run(tc.pattern+" "+tc.arn, func(t *testing.T) {
			if got := MatchARN(tc.pattern, tc.arn); got != tc.want {
				t.Errorf("MatchARN(%q, %q) = %v, want %v", tc.pattern, tc.arn, got, tc.want)
			}
		})
	}
}

func TestExpand(t *testing.T) {
	r := req("", "", "aws:username", "alice", "aws:PrincipalTag/team", "a*b", "two", "1", "two", "2")
	tests := []struct {
		text        string
		asGlob      bool
		want        string
		wantMissing string
	}{
		{"home/${aws:username}/*", true, "home/alice/*", ""},
		{"home/${AWS:UserName}", false, "home/alice", ""},
		{"t/${aws:PrincipalTag/team}", true, `t/a\*b`, ""},
		{"t/${aws:PrincipalTag/team}", false, "t/a*b", ""},
		{"${*}${?}${$}", true, `\*\?$`, ""},
		{"${*}${?}${$}", false, "*?$", ""},
		{`a\b`, true, `a\\b`, ""},
		{`a\b`, false, `a\b`, ""},
		{"${aws:userid}", false, "", "${aws:userid}"},
		{"${aws:userid, 'anon'}", false, "anon", ""},
		{"${aws:userid,'it''s'}", false, "it's", ""},
		{"${ aws:username , 'x' }", false, "alice", ""},
		{"${aws:userid, anon}", false, "", "${aws:userid, anon}"},
		{"${two}", false, "", "${two}"},
		{"open ${aws:username", false, "open ${aws:username", ""},
		{"${}", false, "", "${}"},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			got, missing := env{req: &r, vars: true}.expand(tc.text, tc.asGlob)
			if got != tc.want || missing != tc.wantMissing {
				t.Errorf("expand(%q, %v) = %q, %q; want %q, %q", tc.text, tc.asGlob, got, missing, tc.want, tc.wantMissing)
			}
		})
	}
}

func TestSplitARNKeepsVariables(t *testing.T) {
	e := env{vars: true}
	got := e.splitARN("arn:aws:s3:::b/${aws:username}/x:y")
	want := []string{"arn", "aws", "s3", "", "", "b/${aws:username}/x:y"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("splitARN = %q, want %q", got, want)
	}
	got = e.splitARN("arn:aws:iam::${aws:PrincipalAccount}:role/x")
	if len(got) != 6 || got[4] != "${aws:PrincipalAccount}" {
		t.Errorf("splitARN = %q", got)
	}
}

// FuzzMatchARN checks that matching never panics and that an ARN always
// matches itself when it has no wildcard characters.
func FuzzMatchARN(f *testing.F) {
	f.Add("arn:aws:s3:::b*", "arn:aws:s3:::bucket/key")
	f.Add("arn:aws:iam::*:role/x", "arn:aws:iam::111122223333:role/x")
	f.Add("arn:aws:logs:*", "arn:aws:logs:us-east-1:1:log-group:g:log-stream:s")
	f.Add(`a\*?`, `a\\`)
	f.Add("arn:aws:s3:::${aws:username}/${*}", "arn:aws:s3:::alice/*")
	f.Fuzz(func(t *testing.T, pattern, arn string) {
		MatchARN(pattern, arn)
		MatchAction(pattern, arn)
		r := req("", "", "aws:username", arn)
		env{req: &r, vars: true}.matchARN(pattern, arn)
		if !strings.ContainsAny(arn, "*?") && !MatchARN(arn, arn) {
			t.Errorf("%q does not match itself", arn)
		}
	})
}

func TestMatchResourceEscapes(t *testing.T) {
	tests := []struct {
		pattern, arn string
		want         bool
	}{
		{"arn:aws:s3:::b/x${*}y", "arn:aws:s3:::b/x*y", true},
		{"arn:aws:s3:::b/x${*}y", "arn:aws:s3:::b/xzy", false},
		{"arn:aws:s3:::b/x${?}y", "arn:aws:s3:::b/x?y", true},
		{"arn:aws:s3:::b/x${$}y", "arn:aws:s3:::b/x$y", true},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/x*y", true},
		{"arn:aws:s3:::b/${aws:username}", "arn:aws:s3:::b/alice", false},
	}
	for _, tc := range tests {
		if got := MatchResource(tc.pattern, tc.arn); got != tc.want {
			t.Errorf("MatchResource(%q, %q) = %v, want %v", tc.pattern, tc.arn, got, tc.want)
		}
	}
	for s, want := range map[string]bool{"b/x${*}y": false, "b/x*": true, "b/x${?}": false, "b/x?${*}": true, "b/plain": false} {
		if HasWildcard(s) != want {
			t.Errorf("HasWildcard(%q) = %v", s, !want)
		}
	}
}
