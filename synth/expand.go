package synth

import (
	"strings"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/policy"
)

// Expand lists the catalog actions ("prefix:Name") an Action pattern
// matches, as IAM matches it: case-insensitive, with * and ?.
func Expand(cat *catalog.Catalog, pattern string) []string {
	var services []*catalog.Service
	prefix, _, _ := strings.Cut(pattern, ":")
	if !strings.ContainsAny(prefix, "*?") {
		if s, ok := cat.Service(prefix); ok {
			services = []*catalog.Service{s}
		}
	} else {
		services = cat.Services()
	}
	var out []string
	for _, s := range services {
		for _, a := range s.Actions() {
			if full := a.Full(); policy.MatchAction(pattern, full) {
				out = append(out, full)
			}
		}
	}
	return out
}
