package catalog

//go:generate bash generate.sh

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/tailor-iam/tailor/catalog/internal/catalogfile"
	"github.com/tailor-iam/tailor/catalog/internal/limits"
)

//go:embed catalog.json.gz
var embedded []byte

// Info describes where a catalog's data came from.
type Info struct {
	Source        string
	Version       string
	Date          string // YYYY-MM-DD of the data
	Path          string // file it was read from by Open; "" for the embedded one
	Services      int
	Actions       int
	ResourceTypes int
	Operations    int // API operations with a published operation → action mapping
}

// ResourceRef is one resource type an action can be scoped to.
type ResourceRef struct {
	Type     string // resource type name, as in the service's ResourceTypes
	Required bool
}

// Action is one IAM action of a service.
type Action struct {
	Service     string // service prefix, such as "s3"
	Name        string // canonical case, such as "GetObject"
	AccessLevel string
	Resources   []ResourceRef
	full        string // "prefix:Name", built once: the analyzer asks per event
}

// Full returns "prefix:Name".
func (a *Action) Full() string {
	if a.full == "" {
		return a.Service + ":" + a.Name // an Action built outside the catalog
	}
	return a.full
}

// ResourceType is a resource type with its ARN template, such as
// arn:${Partition}:s3:::${BucketName}.
type ResourceType struct {
	Name string
	ARN  string
	// ARNs holds every template the data lists, ARN first. AWS's service
	// reference gives some resource types several, and a name that two
	// services sharing a prefix both define (apigateway's Stage, for a REST
	// API and for an HTTP API) has each service's template.
	ARNs []string
}

// Service is one service prefix with its actions and resource types.
type Service struct {
	Prefix    string
	Name      string
	actions   map[string]*Action // by lower-case name
	resources map[string]*ResourceType
	ordered   []*Action
}

// Catalog is an immutable, read-only view of the data; safe for concurrent use.
type Catalog struct {
	info     Info
	services map[string]*Service
	// operations maps a lower-case service prefix and API operation name to
	// the "prefix:Name" actions AWS says the operation authorizes.
	operations map[string]map[string][]string
}

// The file format and its merge rule live in internal/catalogfile, which
// the generator shares.
type (
	fileResourceRef  = catalogfile.ResourceRef
	fileAction       = catalogfile.Action
	fileResourceType = catalogfile.ResourceType
	fileService      = catalogfile.Service
	file             = catalogfile.File
)

var (
	embeddedOnce sync.Once
	embeddedCat  *Catalog
	embeddedErr  error
)

// Embedded returns the catalog compiled into the binary. It panics only if
// the embedded file is corrupt, which the package's tests rule out.
func Embedded() *Catalog {
	embeddedOnce.Do(func() {
		embeddedCat, embeddedErr = Read(bytes.NewReader(embedded))
	})
	if embeddedErr != nil {
		panic(fmt.Sprintf("catalog: embedded data is corrupt: %v", embeddedErr))
	}
	return embeddedCat
}

// Read decodes a gzip'd catalog file in the generator's format, which is
// also the format of the cache that package catalog/cache writes. It
// refuses JSON that inflates past limits.CacheJSONSize while reading it, and
// a catalog that New refuses.
func Read(r io.Reader) (*Catalog, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	defer zr.Close()
	var f file
	if err := json.NewDecoder(limits.NewReader(zr, "catalog's JSON", limits.CacheJSONSize)).Decode(&f); err != nil {
		return nil, fmt.Errorf("decode catalog: %w", err)
	}
	return New(&f)
}

// New checks f, a whole catalog in the file format of internal/catalogfile,
// as every catalog is checked (validate) before anything is built from it,
// and builds the catalog it describes. Read and Open decode the file first;
// New is for the packages under catalog/ that build a catalog file
// themselves, such as the update that converts AWS's service reference and
// must check the result before it writes the cache. f is not kept.
func New(f *catalogfile.File) (*Catalog, error) {
	if err := validate(f); err != nil {
		return nil, err
	}
	return fromFile(f), nil
}

// fromFile builds the catalog. A prefix, action or resource type that the
// file lists more than once (two services sharing a prefix, or a cache
// written before they were merged) is merged as catalogfile says, so that
// nothing one of them says is lost and Info counts what lookups find.
func fromFile(f *file) *Catalog {
	c := &Catalog{
		info:     Info{Source: f.Source, Version: f.Version, Date: f.Date},
		services: make(map[string]*Service, len(f.Services)),
	}
	// Group the services of one prefix and merge each group in one pass:
	// merging them two by two would go over the first ones again for each
	// that follows, and a hostile file can repeat a prefix thousands of times.
	var prefixes []string
	byPrefix := make(map[string][]fileService, len(f.Services))
	for _, fs := range f.Services {
		k := strings.ToLower(fs.Prefix)
		if _, ok := byPrefix[k]; !ok {
			prefixes = append(prefixes, k)
		}
		byPrefix[k] = append(byPrefix[k], fs)
	}
	for _, k := range prefixes {
		fs := byPrefix[k][0]
		if group := byPrefix[k]; len(group) > 1 {
			for _, more := range group[1:] {
				if fs.Name == "" {
					fs.Name = more.Name
				}
				fs.Actions = append(slices.Clip(fs.Actions), more.Actions...)
				fs.Resources = append(slices.Clip(fs.Resources), more.Resources...)
			}
			fs = catalogfile.Normalize(fs)
		} else if hasRepeats(fs) {
			fs = catalogfile.Normalize(fs)
		}
		s := &Service{
			Prefix:    fs.Prefix,
			Name:      fs.Name,
			actions:   make(map[string]*Action, len(fs.Actions)),
			resources: make(map[string]*ResourceType, len(fs.Resources)),
		}
		for _, fr := range fs.Resources {
			arns := fr.Templates()
			if len(arns) == 0 {
				arns = []string{""}
			}
			s.resources[strings.ToLower(fr.Name)] = &ResourceType{Name: fr.Name, ARN: arns[0], ARNs: arns}
		}
		for _, fa := range fs.Actions {
			a := &Action{Service: fs.Prefix, Name: fa.Name, AccessLevel: fa.Level, full: fs.Prefix + ":" + fa.Name}
			for _, r := range fa.Resources {
				a.Resources = append(a.Resources, ResourceRef{Type: r.Name, Required: r.Required})
			}
			s.actions[strings.ToLower(fa.Name)] = a
			s.ordered = append(s.ordered, a)
		}
		c.services[k] = s
		c.info.Services++
		c.info.Actions += len(s.actions)
		c.info.ResourceTypes += len(s.resources)
	}
	for svc, ops := range f.Operations {
		k := strings.ToLower(svc)
		m := c.operations[k]
		if m == nil {
			m = make(map[string][]string, len(ops))
		}
		for op, actions := range ops {
			k := strings.ToLower(op)
			m[k] = catalogfile.MergeOperation(m[k], actions)
		}
		if c.operations == nil {
			c.operations = make(map[string]map[string][]string, len(f.Operations))
		}
		c.operations[k] = m
	}
	for _, m := range c.operations {
		c.info.Operations += len(m)
	}
	return c
}

// hasRepeats reports whether s names an action or resource type twice.
func hasRepeats(s fileService) bool {
	seen := make(map[string]bool, len(s.Actions))
	for _, a := range s.Actions {
		k := strings.ToLower(a.Name)
		if seen[k] {
			return true
		}
		seen[k] = true
	}
	clear(seen)
	for _, r := range s.Resources {
		k := strings.ToLower(r.Name)
		if seen[k] {
			return true
		}
		seen[k] = true
	}
	return false
}

// Info reports the data's origin and size.
func (c *Catalog) Info() Info { return c.info }

// Service returns the service with the given prefix (case-insensitive).
func (c *Catalog) Service(prefix string) (*Service, bool) {
	s, ok := c.services[strings.ToLower(prefix)]
	return s, ok
}

// Action looks up "prefix:Name" case-insensitively.
func (c *Catalog) Action(full string) (*Action, bool) {
	prefix, name, ok := strings.Cut(full, ":")
	if !ok {
		return nil, false
	}
	return c.Lookup(prefix, name)
}

// Lookup finds an action by service prefix and name, case-insensitively.
func (c *Catalog) Lookup(prefix, name string) (*Action, bool) {
	s, ok := c.Service(prefix)
	if !ok {
		return nil, false
	}
	a, ok := s.actions[strings.ToLower(name)]
	return a, ok
}

// Exists reports whether "prefix:Name" is a real IAM action.
func (c *Catalog) Exists(full string) bool {
	_, ok := c.Action(full)
	return ok
}

// ResourceType returns a service's resource type by name (case-insensitive).
func (c *Catalog) ResourceType(prefix, name string) (*ResourceType, bool) {
	s, ok := c.Service(prefix)
	if !ok {
		return nil, false
	}
	r, ok := s.resources[strings.ToLower(name)]
	return r, ok
}

// Operation returns the actions ("prefix:Name") that AWS's service
// reference says an API operation of a service authorizes, such as
// Operation("s3", "CopyObject"). The service is the IAM prefix and the
// operation is named as AWS's API spells it, both matched case-insensitively.
// It reports false where AWS publishes no mapping (the embedded catalog has
// none). The list is AWS's, which can include actions needed only for some
// request parameters; callers must not modify it.
func (c *Catalog) Operation(service, operation string) ([]string, bool) {
	actions, ok := c.operations[strings.ToLower(service)][strings.ToLower(operation)]
	return actions, ok
}

// Actions lists a service's actions in name order.
func (s *Service) Actions() []*Action { return s.ordered }

// ResourceTypes returns the resource types an action can be scoped to, with
// their ARN templates, in catalog order.
func (c *Catalog) ResourceTypes(a *Action) []*ResourceType {
	var out []*ResourceType
	for _, r := range a.Resources {
		if rt, ok := c.ResourceType(a.Service, r.Type); ok {
			out = append(out, rt)
		}
	}
	return out
}

// Services returns every service, sorted by prefix.
func (c *Catalog) Services() []*Service {
	out := make([]*Service, 0, len(c.services))
	for _, s := range c.services {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Prefix < out[j].Prefix })
	return out
}

// WithOperations returns a copy of c that also maps these API operations
// (service prefix → operation → "prefix:Name" actions) to the actions they
// authorize, replacing any mapping c had for the same operation.
func (c *Catalog) WithOperations(ops map[string]map[string][]string) *Catalog {
	cp := *c
	cp.operations = make(map[string]map[string][]string, len(c.operations)+len(ops))
	for svc, m := range c.operations {
		cp.operations[svc] = m
	}
	for svc, m := range ops {
		merged := map[string][]string{}
		for op, acts := range cp.operations[strings.ToLower(svc)] {
			merged[op] = acts
		}
		for op, acts := range m {
			merged[strings.ToLower(op)] = acts
		}
		cp.operations[strings.ToLower(svc)] = merged
	}
	cp.info.Operations = 0
	for _, m := range cp.operations {
		cp.info.Operations += len(m)
	}
	return &cp
}
