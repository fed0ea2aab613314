// Package catalogtest serves a catalog as AWS publishes its service
// reference, on a test server on 127.0.0.1, for tests of `tailor catalog
// update` and of what uses its cache. cache.Update (package catalog/cache)
// refuses a service reference much smaller than the embedded catalog, so a
// test that wants an update to pass serves the embedded catalog itself.
package catalogtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/tailor-iam/tailor/catalog"
)

// Version is the version every served file gives, so a cache written from
// the server has Info.Version Version and Info.Source "aws-service-reference".
const Version = "v1.3"

// NewServer serves c (the embedded catalog when nil): its service list at /
// and each service's file at /v1/<prefix>/<prefix>.json. A path in missing
// answers 404. The server closes when the test ends. An update from it
// holds c's services and actions, and no operations.
func NewServer(t testing.TB, c *catalog.Catalog, missing ...string) *httptest.Server {
	t.Helper()
	if c == nil {
		c = catalog.Embedded()
	}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slices.Contains(missing, r.URL.Path) {
			http.NotFound(w, r)
			return
		}
		if r.URL.Path == "/" {
			var list []map[string]string
			for _, s := range c.Services() {
				list = append(list, map[string]string{"service": s.Prefix, "url": srv.URL + "/v1/" + s.Prefix + "/" + s.Prefix + ".json"})
			}
			json.NewEncoder(w).Encode(list)
			return
		}
		prefix, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/v1/"), "/")
		s, ok := c.Service(prefix)
		if !ok || r.URL.Path != "/v1/"+prefix+"/"+prefix+".json" {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode(serviceFile(c, s))
	}))
	t.Cleanup(srv.Close)
	return srv
}

type name struct {
	Name string `json:"Name"`
}

type resourceType struct {
	Name       string   `json:"Name"`
	ARNFormats []string `json:"ARNFormats"`
}

type action struct {
	Name        string                     `json:"Name"`
	Annotations map[string]map[string]bool `json:"Annotations"`
	Resources   []name                     `json:"Resources,omitempty"`
}

type service struct {
	Name      string         `json:"Name"`
	Version   string         `json:"Version"`
	Actions   []action       `json:"Actions"`
	Resources []resourceType `json:"Resources,omitempty"`
}

// serviceFile is s in AWS's format: its actions with their access levels,
// and the resource types they name with their ARN templates.
func serviceFile(c *catalog.Catalog, s *catalog.Service) service {
	out := service{Name: s.Prefix, Version: Version}
	seen := map[string]bool{}
	for _, a := range s.Actions() {
		level := a.AccessLevel
		x := action{Name: a.Name, Annotations: map[string]map[string]bool{"Properties": {
			"IsList":                 level == "List",
			"IsPermissionManagement": strings.Contains(level, "Permissions management"),
			"IsTaggingOnly":          strings.Contains(level, "Tagging"),
			"IsWrite":                strings.Contains(level, "Write") || strings.Contains(level, "Tagging") || strings.Contains(level, "Permissions management"),
		}}}
		for _, r := range a.Resources {
			x.Resources = append(x.Resources, name{Name: r.Type})
		}
		for _, rt := range c.ResourceTypes(a) {
			if !seen[strings.ToLower(rt.Name)] {
				seen[strings.ToLower(rt.Name)] = true
				out.Resources = append(out.Resources, resourceType{Name: rt.Name, ARNFormats: rt.ARNs})
			}
		}
		out.Actions = append(out.Actions, x)
	}
	return out
}
