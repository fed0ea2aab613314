package verify

import "github.com/tailor-iam/tailor/policy"

// What the tests of package verify_test reach inside the package.

func (l Layers) Decide(req policy.Request) (bool, string, string) { return l.decide(req) }

var Family = family
