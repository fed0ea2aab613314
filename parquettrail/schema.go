package parquettrail

import (
	"fmt"
	"sort"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"
)

// leaf is one column of the file, named by its logical path: the dotted
// names of its fields in lower case, without the wrapper levels Parquet
// puts around a list's or a map's elements (resources.list.element.uid
// and resources.bag.array_element.uid are both resources.uid; a map's
// entries are unmapped.key and unmapped.value). Writers differ in those
// wrappers and in the case of names; the tables do not.
type leaf struct {
	path    string
	index   int // the column's index in a row group
	node    parquet.Node
	maxDef  int
	maxRep  int
	elemDef int // the definition level at which a list's element exists
}

// columns are a file's leaves by logical path, and its groups (a path
// that names a group, not a value, is there too, to say so).
type columns struct {
	leaves map[string]*leaf
	groups map[string]bool
	top    []string // the top-level fields, for messages
}

func columnsOf(schema *parquet.Schema) *columns {
	c := &columns{leaves: map[string]*leaf{}, groups: map[string]bool{}}
	index := 0
	for _, f := range schema.Fields() {
		c.top = append(c.top, f.Name())
		c.walk(f, f.Name(), "", 0, 0, 0, false, &index)
	}
	return c
}

// walk visits node, a field named name under the logical path parent.
// inList says that node's parent is a list or map annotation whose
// repeated child (and that child's single element wrapper) add nothing
// to the logical path.
func (c *columns) walk(node parquet.Node, name, parent string, def, rep, elemDef int, inList bool, index *int) {
	skip := false
	switch {
	case node.Optional():
		def++
	case node.Repeated():
		def++
		rep++
		elemDef = def
		skip = inList
	}
	path := parent
	if !skip {
		path = joinPath(parent, strings.ToLower(name))
	}
	if node.Leaf() {
		if _, dup := c.leaves[path]; !dup { // two spellings of one name: the first wins
			c.leaves[path] = &leaf{path: path, index: *index, node: node, maxDef: def, maxRep: rep, elemDef: elemDef}
		}
		*index++
		return
	}
	if path != "" {
		c.groups[path] = true
	}
	fields := node.Fields()
	wrapper := isListOrMap(node)
	for _, f := range fields {
		childInList := wrapper
		if skip && len(fields) == 1 && isElementName(f.Name()) {
			// The three-level list's element: list.element, bag.array_element.
			c.walk(f, "", path, def, rep, elemDef, false, index)
			continue
		}
		c.walk(f, f.Name(), path, def, rep, elemDef, childInList, index)
	}
}

func joinPath(parent, name string) string {
	switch {
	case name == "":
		return parent
	case parent == "":
		return name
	}
	return parent + "." + name
}

func isElementName(name string) bool {
	switch strings.ToLower(name) {
	case "element", "array_element", "item":
		return true
	}
	return false
}

func isListOrMap(node parquet.Node) bool {
	t := node.Type()
	if lt := t.LogicalType(); lt != nil {
		switch lt.Value.(type) {
		case *format.ListType, *format.MapType:
			return true
		}
	}
	if ct := t.ConvertedType(); ct != nil {
		switch *ct {
		case deprecated.List, deprecated.Map, deprecated.MapKeyValue:
			return true
		}
	}
	return false
}

// find returns the first of paths that the file has as a leaf. A path the
// file has as a group is an error: the form has a value there.
func (c *columns) find(paths []string) (*leaf, string, error) {
	for _, p := range paths {
		if l := c.leaves[p]; l != nil {
			return l, p, nil
		}
		if c.groups[p] {
			return nil, p, fmt.Errorf("column %s is a group of columns, not a value", p)
		}
	}
	return nil, "", nil
}

// has reports whether any of paths is a leaf.
func (c *columns) has(paths ...string) bool {
	for _, p := range paths {
		if c.leaves[p] != nil {
			return true
		}
	}
	return false
}

// names lists the file's top-level fields, at most max of them, for a
// message that says what the file holds instead.
func (c *columns) names(max int) string {
	top := append([]string(nil), c.top...)
	sort.Strings(top)
	if len(top) > max {
		return strings.Join(top[:max], ", ") + fmt.Sprintf(", … (%d in all)", len(top))
	}
	return strings.Join(top, ", ")
}
