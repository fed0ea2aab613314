// Reading a catalog file from disk: the user cache, or a file the user names.

package catalog

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/tailor-iam/tailor/catalog/internal/limits"
)

// SourceServiceReference is Info.Source for a catalog built from AWS's
// service reference, such as the cache that package catalog/cache writes.
const SourceServiceReference = "aws-service-reference"

// Open reads a catalog file, such as the cache that package catalog/cache
// writes. Its Info.Path is path. A file larger than limits.CacheFileSize is
// refused unread, and one whose JSON inflates past limits.CacheJSONSize
// while it is read; the catalog must pass validate. A catalog built from AWS's service reference takes
// the embedded catalog's required resource types (adoptRequired). Errors
// name the file and keep fs.ErrNotExist visible.
func Open(path string) (*Catalog, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err // *fs.PathError names the file
	}
	defer fh.Close()
	if st, err := fh.Stat(); err == nil && st.Size() > limits.CacheFileSize {
		return nil, fmt.Errorf("catalog %s: %w", path, &limits.SizeError{What: "file", Limit: limits.CacheFileSize})
	}
	// The limit holds while reading too: the file may be growing, or not
	// a regular file.
	c, err := Read(limits.NewReader(fh, "file", limits.CacheFileSize))
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", path, err)
	}
	if _, err := time.Parse(time.DateOnly, c.info.Date); err != nil {
		return nil, fmt.Errorf("catalog %s: date %s is not YYYY-MM-DD", path, limits.Quote(c.info.Date))
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
// ec2:RunInstances). It runs when a cache is read rather than when an
// update writes it, so that caches written before it existed gain the flags too.
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
