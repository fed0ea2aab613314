// AWS's service reference format, and its conversion to the catalog's own
// file format. Only the fields tailor uses are decoded (refdecode.go);
// anything else AWS adds (condition keys, SDK method names, "SupportedBy")
// is skipped.

package cache

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/tailor-iam/tailor/catalog"
	"github.com/tailor-iam/tailor/catalog/internal/catalogfile"
)

// The catalog's file format, which a conversion builds.
type (
	fileResourceRef  = catalogfile.ResourceRef
	fileAction       = catalogfile.Action
	fileResourceType = catalogfile.ResourceType
	fileService      = catalogfile.Service
	file             = catalogfile.File
)

// refIndexEntry is one entry of the service list at the service reference's
// root: [{"service": "s3", "url": ".../v1/s3/s3.json"}, ...].
type refIndexEntry struct {
	Service string `json:"service"`
	URL     string `json:"url"`
}

// refService is one service's file.
type refService struct {
	Name       string         `json:"Name"` // the IAM service prefix
	Version    string         `json:"Version"`
	Actions    []refAction    `json:"Actions"`
	Resources  []refResource  `json:"Resources"`
	Operations []refOperation `json:"Operations"`
}

type refAction struct {
	Name        string         `json:"Name"`
	Annotations refAnnotations `json:"Annotations"`
	Resources   []refName      `json:"Resources"`
}

type refAnnotations struct {
	Properties refProperties `json:"Properties"`
}

// refName is an entry that only names something: {"Name": "object"}.
type refName struct {
	Name string `json:"Name"`
}

// refProperties are the flags AWS gives instead of an access level.
type refProperties struct {
	IsList                 bool `json:"IsList"`
	IsPermissionManagement bool `json:"IsPermissionManagement"`
	IsTaggingOnly          bool `json:"IsTaggingOnly"`
	IsWrite                bool `json:"IsWrite"`
}

type refResource struct {
	Name       string   `json:"Name"`
	ARNFormats []string `json:"ARNFormats"`
}

// refOperation is an API operation. Services that do not publish the
// operation → action mapping omit AuthorizedActions.
type refOperation struct {
	Name              string                `json:"Name"`
	AuthorizedActions []refAuthorizedAction `json:"AuthorizedActions"`
}

type refAuthorizedAction struct {
	Name    string `json:"Name"`
	Service string `json:"Service"`
}

// accessLevel names the level the way the Service Authorization Reference
// does. A flag that narrows the kind of change (permissions, tags) wins over
// plain Write; no flag at all means Read.
func (p refProperties) accessLevel() string {
	switch {
	case p.IsPermissionManagement:
		return "Permissions management"
	case p.IsTaggingOnly:
		return "Tagging"
	case p.IsWrite:
		return "Write"
	case p.IsList:
		return "List"
	}
	return "Read"
}

// convertedService is one service file in the catalog's form, with its
// operations keyed by operation name.
type convertedService struct {
	service    fileService
	operations map[string][]string
	version    string
}

// convert turns one service reference file into the catalog's form. The
// prefix is the file's Name, or the service list's key when the file lacks
// one: the list may name one prefix under several keys. The service
// reference has no "required" flag for an action's resource types, so none
// is marked required here; catalog.Open takes the marks from the embedded catalog
// when it reads the cache. Entries without a name are dropped: there is
// nothing to look them up by.
func convert(indexKey string, s *refService) (convertedService, error) {
	prefix := strings.ToLower(strings.TrimSpace(s.Name))
	if prefix == "" {
		prefix = strings.ToLower(strings.TrimSpace(indexKey))
	}
	if prefix == "" {
		return convertedService{}, fmt.Errorf("service file has no Name")
	}
	out := convertedService{service: fileService{Prefix: prefix}, version: s.Version}

	// A prefix that AWS documents as several services (elasticloadbalancing
	// is Elastic Load Balancing and its V2) may list an action or resource
	// type once for each; Normalize merges them rather than keep the last.
	for _, a := range s.Actions {
		if a.Name == "" {
			continue
		}
		fa := fileAction{Name: a.Name, Level: a.Annotations.Properties.accessLevel()}
		for _, r := range a.Resources {
			if r.Name != "" {
				fa.Resources = append(fa.Resources, fileResourceRef{Name: r.Name})
			}
		}
		out.service.Actions = append(out.service.Actions, fa)
	}
	for _, r := range s.Resources {
		// A resource type without a template cannot scope anything; the
		// catalog's callers treat an unknown type as unscopable too.
		var arns []string
		for _, t := range r.ARNFormats {
			if t != "" {
				arns = append(arns, t)
			}
		}
		if r.Name == "" || len(arns) == 0 {
			continue
		}
		out.service.Resources = append(out.service.Resources, fileResourceType{Name: r.Name}.WithTemplates(arns))
	}
	out.service = catalogfile.Normalize(out.service)

	for _, op := range s.Operations {
		if op.Name == "" {
			continue
		}
		var names []string
		for _, a := range op.AuthorizedActions {
			svc := strings.ToLower(strings.TrimSpace(a.Service))
			if svc == "" || a.Name == "" {
				continue
			}
			if n := svc + ":" + a.Name; !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		if len(names) == 0 {
			continue
		}
		if out.operations == nil {
			out.operations = make(map[string][]string)
		}
		out.operations[op.Name] = catalogfile.MergeOperation(out.operations[op.Name], names)
	}
	return out, nil
}

// assemble merges converted services into one catalog file, which
// catalog.New then checks. Services are keyed by the prefix inside each file, not by their names in
// the service list, and the files of one prefix are merged as
// catalogfile.MergeService says; an operation several list authorizes the
// actions of each.
func assemble(parts []convertedService, date, fallbackVersion string) *file {
	byPrefix := map[string][]*convertedService{}
	versions := map[string]bool{}
	for i := range parts {
		p := &parts[i]
		if p.version != "" {
			versions[p.version] = true
		}
		byPrefix[p.service.Prefix] = append(byPrefix[p.service.Prefix], p)
	}
	f := &file{Source: catalog.SourceServiceReference, Date: date, Version: fallbackVersion}
	if len(versions) > 0 {
		vs := make([]string, 0, len(versions))
		for v := range versions {
			vs = append(vs, v)
		}
		sort.Strings(vs)
		f.Version = strings.Join(vs, ",")
	}
	prefixes := make([]string, 0, len(byPrefix))
	for p := range byPrefix {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	for _, p := range prefixes {
		cs := mergeServices(byPrefix[p])
		f.Services = append(f.Services, cs.service)
		if len(cs.operations) > 0 {
			if f.Operations == nil {
				f.Operations = map[string]map[string][]string{}
			}
			f.Operations[p] = cs.operations
		}
	}
	return f
}

// mergeServices joins the conversions of one prefix in one pass, however
// many the service list gives: merging them two by two would go over the
// first ones again for each that follows. The last version given wins.
func mergeServices(parts []*convertedService) convertedService {
	if len(parts) == 1 {
		return *parts[0]
	}
	var out convertedService
	all := fileService{Prefix: parts[0].service.Prefix}
	for _, p := range parts {
		if all.Name == "" {
			all.Name = p.service.Name
		}
		all.Actions = append(all.Actions, p.service.Actions...)
		all.Resources = append(all.Resources, p.service.Resources...)
		if p.version != "" {
			out.version = p.version
		}
		for k, v := range p.operations {
			if out.operations == nil {
				out.operations = map[string][]string{}
			}
			out.operations[k] = catalogfile.MergeOperation(out.operations[k], v)
		}
	}
	out.service = catalogfile.Normalize(all)
	return out
}
