// Package archtest holds tests of the package structure itself.
package archtest

import (
	"go/build"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/internal/testenv"
)

const module = "github.com/tailor-iam/tailor/"

// core are the packages that do no I/O: records, facts and policies in,
// facts and policies out.
var core = []string{"analyze", "learn", "synth", "policy", "verify"}

// TestCoreDoesNoIO: the core imports neither os nor anything that reaches
// net/http, directly or through another package.
func TestCoreDoesNoIO(t *testing.T) {
	root := testenv.ModuleRoot(t)
	ctx := build.Default
	seen := map[string][]string{} // import path → its imports
	var imports func(path string) []string
	imports = func(path string) []string {
		if got, ok := seen[path]; ok {
			return got
		}
		seen[path] = nil
		dir := ""
		if rest, ok := strings.CutPrefix(path, module); ok {
			dir = filepath.Join(root, filepath.FromSlash(rest))
		}
		var pkg *build.Package
		var err error
		if dir != "" {
			pkg, err = ctx.ImportDir(dir, 0)
		} else {
			pkg, err = ctx.Import(path, root, 0)
		}
		if err != nil {
			return nil // outside the module and not found: nothing to follow
		}
		seen[path] = pkg.Imports
		return pkg.Imports
	}
	var reaches func(path, target string, visiting map[string]bool) []string
	reaches = func(path, target string, visiting map[string]bool) []string {
		if path == target {
			return []string{path}
		}
		if visiting[path] {
			return nil
		}
		visiting[path] = true
		for _, imp := range imports(path) {
			if via := reaches(imp, target, visiting); via != nil {
				return append([]string{path}, via...)
			}
		}
		return nil
	}
	for _, name := range core {
		path := module + name
		for _, imp := range imports(path) {
			if imp == "os" {
				t.Errorf("%s imports os: reading files and the environment is the commands' job", name)
			}
		}
		if via := reaches(path, "net/http", map[string]bool{}); via != nil {
			t.Errorf("%s reaches net/http: %s", name, strings.Join(via, " → "))
		}
	}
}
