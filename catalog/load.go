// Choosing a catalog: the embedded one, the user cache, or a named file.

package catalog

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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
// is path. A file larger than maxCacheFileSize is refused unread, and one
// whose JSON inflates past maxCacheJSONSize while it is read; the catalog
// must pass validate. A catalog built from AWS's service reference takes
// the embedded catalog's required resource types (adoptRequired). Errors
// name the file and keep fs.ErrNotExist visible.
func Open(path string) (*Catalog, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err // *fs.PathError names the file
	}
	defer fh.Close()
	if st, err := fh.Stat(); err == nil && st.Size() > maxCacheFileSize {
		return nil, fmt.Errorf("catalog %s: %w", path, &sizeError{what: "file", limit: maxCacheFileSize})
	}
	// The limit holds while reading too: the file may be growing, or not
	// a regular file.
	c, err := Read(newCappedReader(fh, "file", maxCacheFileSize))
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", path, err)
	}
	if _, err := time.Parse(time.DateOnly, c.info.Date); err != nil {
		return nil, fmt.Errorf("catalog %s: date %s is not YYYY-MM-DD", path, quote(c.info.Date))
	}
	if c.info.Source == SourceServiceReference {
		c.adoptRequired(Embedded())
	}
	c.info.Path = path
	return c, nil
}

// adoptRequired marks required, in a catalog built from AWS's service
// reference, every resource type that base marks required for the same
// action, matching prefixes, actions and types by name case-insensitively,
// and fills in service names the reference lacks. The reference has no
// "required" flag, and without one the analyzer drops the resources IAM
// checks but the event does not name (the subnet and security group of
// ec2:RunInstances). It runs when a cache is read rather than when Update
// writes it, so that caches written before it existed gain the flags too.
// A type base does not know, or one of an action base lacks, stays
// optional: nothing says IAM requires it.
func (c *Catalog) adoptRequired(base *Catalog) {
	for k, s := range c.services {
		bs, ok := base.services[k]
		if !ok {
			continue
		}
		if s.Name == "" {
			s.Name = bs.Name
		}
		for name, a := range s.actions {
			ba, ok := bs.actions[name]
			if !ok {
				continue
			}
			for i := range a.Resources {
				for _, br := range ba.Resources {
					if br.Required && strings.EqualFold(br.Type, a.Resources[i].Type) {
						a.Resources[i].Required = true
						break
					}
				}
			}
		}
	}
}

// ErrCacheRejected is wrapped by the error Load returns, together with the
// embedded catalog, when the user cache cannot be used.
var ErrCacheRejected = errors.New("the catalog cache was rejected; using the embedded catalog")

// Load returns the catalog a command should use. choice is:
//
//   - "" or "auto": the user cache if it exists and its data is at least as
//     new as the embedded catalog's, else the embedded one. A cache that
//     exists but cannot be read, or fails the checks an update must pass
//     (Open's, then compare's against the embedded catalog), is never used:
//     it may have been cut short or tampered with. Load then returns the
//     embedded catalog and an error wrapping ErrCacheRejected that names
//     the file and says why, which the caller should show as a warning and
//     go on; a caller that treats every error as fatal stays safe.
//   - "embedded": the catalog compiled into tailor.
//   - anything else: the path of a catalog file, which Open checks. The
//     user named it, so it need not look like all of AWS.
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
		return Embedded(), rejected(err)
	}
	// Dates are YYYY-MM-DD, so they compare as strings. On a tie the cache
	// wins: the user asked for it.
	if cached.info.Date < Embedded().info.Date {
		return Embedded(), nil
	}
	// Its warnings were shown when the update wrote it.
	if _, err := compare(baseline(), cached); err != nil {
		return Embedded(), rejected(fmt.Errorf("catalog %s: %w", path, err))
	}
	return cached, nil
}

func rejected(err error) error {
	return fmt.Errorf("%w: %w (run `tailor catalog update` to rebuild it, or delete it)", ErrCacheRejected, err)
}
