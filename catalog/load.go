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
// is path. A catalog built from AWS's service reference takes the embedded
// catalog's required resource types (adoptRequired). Errors name the file
// and keep fs.ErrNotExist visible.
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
