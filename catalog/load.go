// Choosing a catalog: the embedded one, the user cache, or a named file.

package catalog

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Choices for Load besides a file path.
const (
	ChoiceAuto     = "auto"
	ChoiceEmbedded = "embedded"
)

// CacheDirEnv overrides the cache directory (tests set it).
const CacheDirEnv = "TAILOR_CACHE_DIR"

// CacheDir returns the directory tailor's cache lives in: $TAILOR_CACHE_DIR
// if set, else "tailor" under the user's cache directory.
func CacheDir() (string, error) {
	if d := os.Getenv(CacheDirEnv); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the cache directory (set %s): %w", CacheDirEnv, err)
	}
	return filepath.Join(d, "tailor"), nil
}

// CachePath returns the path of the cached catalog, which may not exist.
func CachePath() (string, error) {
	d, err := CacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, CacheFile), nil
}

// Open reads a catalog file, such as the cache Update writes. Its Info.Path
// is path. Errors name the file and keep fs.ErrNotExist visible.
func Open(path string) (*Catalog, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err // *fs.PathError names the file
	}
	defer fh.Close()
	c, err := Read(fh)
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", path, err)
	}
	if _, err := time.Parse(time.DateOnly, c.info.Date); err != nil {
		return nil, fmt.Errorf("catalog %s: date %q is not YYYY-MM-DD", path, c.info.Date)
	}
	if err := validateCatalog(c); err != nil {
		return nil, fmt.Errorf("catalog %s: %w", path, err)
	}
	c.info.Path = path
	return c, nil
}

// validateCatalog rejects a file that decodes but holds nothing usable,
// such as an empty JSON object.
func validateCatalog(c *Catalog) error {
	if c.info.Services == 0 || c.info.Actions == 0 {
		return errors.New("catalog has no actions")
	}
	return nil
}

// Load returns the catalog a command should use. choice is:
//
//   - "" or "auto": the user cache if it exists and its data is at least as
//     new as the embedded catalog's, else the embedded one. A cache that
//     exists but cannot be read is an error naming the file, never a silent
//     fallback: a user who ran `tailor catalog update` expects its data.
//   - "embedded": the catalog compiled into tailor.
//   - anything else: the path of a catalog file.
func Load(choice string) (*Catalog, error) {
	switch choice {
	case ChoiceEmbedded:
		return Embedded(), nil
	case "", ChoiceAuto:
	default:
		return Open(choice)
	}
	path, err := CachePath()
	if err != nil {
		// No cache directory at all (no home): nothing can have been cached.
		return Embedded(), nil
	}
	cached, err := Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Embedded(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w (run `tailor catalog update` to rebuild it, or use --catalog embedded)", err)
	}
	// Dates are YYYY-MM-DD, so they compare as strings. On a tie the cache
	// wins: the user asked for it.
	if cached.info.Date < Embedded().info.Date {
		return Embedded(), nil
	}
	return cached, nil
}
