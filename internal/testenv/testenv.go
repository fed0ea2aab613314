// Package testenv finds the files tests share: the module root and the
// ../shared directory beside it.
package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// ModuleRoot returns the directory holding go.mod, walking up from the
// test's working directory.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("testenv: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Shared returns ../shared relative to the module root, or skips the test
// with a message when it is absent.
func Shared(t testing.TB, sub ...string) string {
	t.Helper()
	dir := filepath.Join(append([]string{ModuleRoot(t), "..", "shared"}, sub...)...)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("testenv: %s is absent; this test needs the shared corpus beside the repository", dir)
	}
	return dir
}
