// Where the cache lives, and choosing a catalog: the embedded one, the
// user cache, or a named file.

package cache

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/tailor-iam/tailor/catalog"
)

// Choices for Load besides a file path.
const (
	ChoiceAuto     = "auto"
	ChoiceEmbedded = "embedded"
)

// DirEnv overrides the cache directory (tests set it).
const DirEnv = "TAILOR_CACHE_DIR"

// FileName is the name of the catalog file in the cache directory.
const FileName = "catalog.json.gz"

// baseline is the catalog an update or a cache is compared with. A
// variable so that tests can compare with a small one.
var baseline = catalog.Embedded

// Dir returns the directory tailor's cache lives in: $TAILOR_CACHE_DIR if
// set, else "tailor" under the user's cache directory.
func Dir() (string, error) {
	if d := os.Getenv(DirEnv); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the cache directory (set %s): %w", DirEnv, err)
	}
	return filepath.Join(d, "tailor"), nil
}

// Path returns the path of the cached catalog, which may not exist.
func Path() (string, error) {
	d, err := Dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, FileName), nil
}

// ErrRejected is wrapped by the error Load returns, together with the
// embedded catalog, when the user cache cannot be used.
var ErrRejected = errors.New("the catalog cache was rejected; using the embedded catalog")

// Load returns the catalog a command should use. choice is:
//
//   - "" or "auto": the user cache if it exists and its data is at least as
//     new as the embedded catalog's, else the embedded one. A cache that
//     exists but cannot be read, or fails the checks an update must pass
//     (catalog.Open's, then catalog.Compare's against the embedded
//     catalog), is never used: it may have been cut short or tampered
//     with. Load then returns the embedded catalog and an error wrapping
//     ErrRejected that names the file and says why, which the caller
//     should show as a warning and go on; a caller that treats every error
//     as fatal stays safe.
//   - "embedded": the catalog compiled into tailor.
//   - anything else: the path of a catalog file, which catalog.Open checks.
//     The user named it, so it need not look like all of AWS.
func Load(choice string) (*catalog.Catalog, error) {
	switch choice {
	case ChoiceEmbedded:
		return catalog.Embedded(), nil
	case "", ChoiceAuto:
	default:
		return catalog.Open(choice)
	}
	path, err := Path()
	if err != nil {
		// No cache directory at all (no home): nothing can have been cached.
		return catalog.Embedded(), nil
	}
	cached, err := catalog.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return catalog.Embedded(), nil
	}
	if err != nil {
		return catalog.Embedded(), rejected(err)
	}
	// Dates are YYYY-MM-DD, so they compare as strings. On a tie the cache
	// wins: the user asked for it.
	if cached.Info().Date < catalog.Embedded().Info().Date {
		return catalog.Embedded(), nil
	}
	// Its warnings were shown when the update wrote it.
	if _, err := catalog.Compare(baseline(), cached); err != nil {
		return catalog.Embedded(), rejected(fmt.Errorf("catalog %s: %w", path, err))
	}
	return cached, nil
}

func rejected(err error) error {
	return fmt.Errorf("%w: %w (run `tailor catalog update` to rebuild it, or delete it)", ErrRejected, err)
}
