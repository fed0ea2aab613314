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
// facts and policies out, and the IAM knowledge they read.
var core = []string{"analyze", "learn", "synth", "policy", "verify", "rules"}

// commands are the programs that run the pipeline.
var commands = []string{"cmd/tailor"}

// graph is the import graph of the module and what it imports, read
// without building.
type graph struct {
	root string
	seen map[string][]string // import path → its imports
}

func newGraph(t *testing.T) *graph {
	return &graph{root: testenv.ModuleRoot(t), seen: map[string][]string{}}
}

func (g *graph) imports(path string) []string {
	if got, ok := g.seen[path]; ok {
		return got
	}
	g.seen[path] = nil
	dir := ""
	if rest, ok := strings.CutPrefix(path, module); ok {
		dir = filepath.Join(g.root, filepath.FromSlash(rest))
	}
	var pkg *build.Package
	var err error
	if dir != "" {
		pkg, err = build.Default.ImportDir(dir, 0)
	} else {
		pkg, err = build.Default.Import(path, g.root, 0)
	}
	if err != nil {
		return nil // outside the module and not found: nothing to follow
	}
	g.seen[path] = pkg.Imports
	return pkg.Imports
}

// reaches returns a chain of imports from path to target, or nil.
func (g *graph) reaches(path, target string) []string {
	return g.reachesFrom(path, target, map[string]bool{})
}

func (g *graph) reachesFrom(path, target string, visiting map[string]bool) []string {
	if path == target {
		return []string{path}
	}
	if visiting[path] {
		return nil
	}
	visiting[path] = true
	for _, imp := range g.imports(path) {
		if via := g.reachesFrom(imp, target, visiting); via != nil {
			return append([]string{path}, via...)
		}
	}
	return nil
}

// TestCoreDoesNoIO: the core imports neither os nor anything that reaches
// net/http, directly or through another package.
func TestCoreDoesNoIO(t *testing.T) {
	g := newGraph(t)
	for _, name := range core {
		path := module + name
		for _, imp := range g.imports(path) {
			if imp == "os" {
				t.Errorf("%s imports os: reading files and the environment is the commands' job", name)
			}
		}
		if via := g.reaches(path, "net/http"); via != nil {
			t.Errorf("%s reaches net/http: %s", name, strings.Join(via, " → "))
		}
	}
}

// TestRulesAreData: the IAM knowledge imports the catalog and the ARN
// type, never the engine that reads it.
func TestRulesAreData(t *testing.T) {
	g := newGraph(t)
	for _, engine := range []string{"analyze", "synth", "learn", "verify", "pipeline"} {
		if via := g.reaches(module+"rules", module+engine); via != nil {
			t.Errorf("rules reaches %s: %s", engine, strings.Join(via, " → "))
		}
	}
}

// TestCommandsReadThroughPipeline: the commands name the pipeline's types
// (its Config, its report), not the stages behind it, so a change to how
// sources are read reaches them only through pipeline. Their tests may
// not import ingest either.
func TestCommandsReadThroughPipeline(t *testing.T) {
	g := newGraph(t)
	for _, cmd := range commands {
		dir := filepath.Join(g.root, filepath.FromSlash(cmd))
		pkg, err := build.Default.ImportDir(dir, 0)
		if err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
		for _, imports := range [][]string{pkg.Imports, pkg.TestImports, pkg.XTestImports} {
			for _, imp := range imports {
				if imp == module+"ingest" {
					t.Errorf("%s imports ingest: read sources through pipeline.Run and its Config", cmd)
				}
			}
		}
	}
}
