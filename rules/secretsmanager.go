package rules

import "strings"

// AWS Secrets Manager. It adds "-" and six random characters to a secret's
// name in its ARN, and accepts a partial ARN without them.
func init() {
	register(&Service{
		Prefix: "secretsmanager",
		Vars: map[string]VarRule{
			// The response's ARN (PutSecretValue's "aRN", UpdateSecret's) is
			// the secret's full ARN: exact, where the request's name is not.
			"SecretId": {Paths: []string{"response.arn", "secretId", "name", "secretIdList"}, Transform: secretWildcard, Generalized: secretNote},
		},
		ActionVars: map[string]map[string]VarRule{
			// A new secret's full ARN, random suffix included, is in the
			// response.
			"CreateSecret": {"SecretId": {Paths: []string{"response.arn", "name"}, Transform: secretWildcard, Generalized: secretNote}},
		},
		// A secret's ARN whose name ends in "-" and six characters may be a
		// partial ARN whose name happens to end so: Secrets Manager's docs
		// call this ambiguous. When the six do not look random, both
		// readings stand.
		ARNForms: map[string]func(string) []string{"Secret": secretARNForms},
		// A partial ARN, without the random suffix: IAM sees the full one.
		FixARN: func(arn string) (string, string) {
			i := strings.Index(arn, ":secret:")
			if i < 0 || hasSecretSuffix(arn) || strings.ContainsAny(arn[i:], "*?") {
				return arn, ""
			}
			return arn + "-??????", secretNote
		},
		TagOnCreate: map[string]TagRule{"CreateSecret": {Tagged: AnyTag, Action: "secretsmanager:TagResource"}},
		Hooks:       Hooks{Collect: exactSecrets},
	})
}

const secretNote = "secret named without its random suffix"

// secretWildcard: a secret named without its 6-character random suffix is
// matched by IAM only with "name-??????".
func secretWildcard(v string) (string, bool) {
	if strings.HasPrefix(v, "arn:") {
		return "", false
	}
	return v + "-??????", v != ""
}

// hasSecretSuffix reports whether a secret ARN ends in the "-XXXXXX"
// random suffix Secrets Manager adds.
func hasSecretSuffix(arn string) bool {
	if len(arn) < 7 || arn[len(arn)-7] != '-' {
		return false
	}
	for _, c := range arn[len(arn)-6:] {
		if !isAlnum(c) {
			return false
		}
	}
	return true
}

// secretARNForms lists the ARNs a secret ARN with a suffix may stand for.
// A name may itself end in "-" and six characters (prod/api-config), and
// AWS warns that a partial ARN of such a name is ambiguous. Six that do
// not mix letters of both cases or letters and digits are taken as
// possibly the name's own: the ARN as given and, for the partial reading,
// the ARN with any suffix.
func secretARNForms(arn string) []string {
	if !hasSecretSuffix(arn) || looksRandom(arn[len(arn)-6:]) {
		return []string{arn}
	}
	return []string{arn, arn + "-??????"}
}

// looksRandom reports whether s mixes at least two of upper-case letters,
// lower-case letters and digits, as a generated suffix nearly always does
// (about 99 in 100 of them).
func looksRandom(s string) bool {
	var upper, lower, digit int
	for _, c := range s {
		switch {
		case c >= 'A' && c <= 'Z':
			upper = 1
		case c >= 'a' && c <= 'z':
			lower = 1
		case c >= '0' && c <= '9':
			digit = 1
		}
	}
	return upper+lower+digit >= 2
}

func isAlnum(c rune) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// exactSecrets drops a secret's "name-??????" where the set also holds the
// secret's full ARN (a denial message names it); when no such pattern is
// left, the generalization is not made.
func exactSecrets(r *Resources) {
	left := false
	for a := range r.ARNs {
		if !strings.HasSuffix(a, "-??????") {
			continue
		}
		base := strings.TrimSuffix(a, "??????")
		exact := false
		for b := range r.ARNs {
			if len(b) == len(a) && strings.HasPrefix(b, base) && !strings.Contains(b[len(base):], "?") {
				exact = true
				break
			}
		}
		if exact {
			delete(r.ARNs, a)
		} else {
			left = true
		}
	}
	if !left {
		r.Drop(secretNote)
	}
}
