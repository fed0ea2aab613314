package rules

import (
	"regexp"

	"github.com/tailor-iam/tailor/catalog"
)

var tplVar = regexp.MustCompile(`\$\{([A-Za-z0-9_]+)\}`)

// AnyOfKind returns the ARN template of action's resource type kind with
// every variable but the partition, region and account made "*"; "" when
// the action cannot be scoped to kind.
func AnyOfKind(cat *catalog.Catalog, action, kind string) string {
	a, ok := cat.Action(action)
	if !ok {
		return ""
	}
	for _, rt := range cat.ResourceTypes(a) {
		if rt.Name != kind {
			continue
		}
		return tplVar.ReplaceAllStringFunc(rt.ARN, func(v string) string {
			switch v {
			case "${Partition}", "${Region}", "${Account}":
				return v
			}
			return "*"
		})
	}
	return ""
}
