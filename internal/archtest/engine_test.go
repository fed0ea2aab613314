package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/internal/testenv"
	"github.com/tailor-iam/tailor/rules"
)

// eventSource matches a service's CloudTrail event source.
var eventSource = regexp.MustCompile(`^[a-z0-9-]+\.amazonaws\.com$`)

// TestEngineNamesNoService checks that the engine's code holds no service:
// no string literal in analyze's non-test files is a service prefix the
// rules know, an action of one ("s3:GetObject"), or an event source
// ("iam.amazonaws.com"). What a service needs belongs in rules/<svc>.go.
func TestEngineNamesNoService(t *testing.T) {
	known := map[string]bool{}
	for _, p := range rules.Prefixes() {
		known[p] = true
	}
	dir := filepath.Join(testenv.ModuleRoot(t), "analyze")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			if namesService(s, known) {
				t.Errorf("%s: the engine names a service: %s", fset.Position(lit.Pos()), lit.Value)
			}
			return true
		})
	}
}

// namesService reports whether s is a service prefix, an action of one
// ("s3:GetObject"), a piece of an ARN naming one (":iam::") or an event
// source.
func namesService(s string, known map[string]bool) bool {
	if known[s] || eventSource.MatchString(s) {
		return true
	}
	fields := strings.Split(s, ":")
	if len(fields) == 1 {
		return false
	}
	if known[fields[0]] {
		return true
	}
	for _, f := range fields[1 : len(fields)-1] {
		if known[f] {
			return true
		}
	}
	return false
}
