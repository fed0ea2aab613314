// Decoding one service reference file as a stream, token by token, so that
// what an update holds in memory is bounded by the entries it keeps, not by
// the bytes a server sends: fields tailor does not use are skipped without
// being buffered, and every list entry kept counts against a budget.

package cache

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/tailor-iam/tailor/catalog/internal/limits"
)

const (
	// maxFileEntries bounds the list entries kept from one service file
	// (ec2, the largest, has some 6,000).
	maxFileEntries = 100_000
	// maxSkipDepth bounds the nesting of a field tailor skips; the
	// reference nests four deep. The decoder keeps a stack entry per level.
	maxSkipDepth = 64
)

// refDecoder reads one service file. entries counts the list entries kept
// from it; total, shared by every file of an update, those kept from all.
type refDecoder struct {
	dec     *json.Decoder
	entries int
	total   *atomic.Int64
}

// decodeService reads one service file: a JSON object with nothing after
// it. Only the fields refService names are kept, matched exactly as AWS
// spells them. A value of the wrong type, a file cut short, and more list
// entries than maxFileEntries, or than limits.Entries with the others sharing
// total, are errors. A nil total shares nothing.
func decodeService(r io.Reader, total *atomic.Int64) (*refService, error) {
	if total == nil {
		total = new(atomic.Int64)
	}
	d := &refDecoder{dec: json.NewDecoder(&spaceSqueezer{r: r}), total: total}
	t, err := d.token()
	if err != nil {
		return nil, err
	}
	if t != json.Delim('{') {
		return nil, fmt.Errorf("service file is %s, not a JSON object", describe(t))
	}
	var s refService
	err = d.fields(func(key string) error {
		switch key {
		case "Name":
			return d.str(&s.Name)
		case "Version":
			return d.str(&s.Version)
		case "Actions":
			return d.list(maxFileEntries, func() error {
				var a refAction
				err := d.action(&a)
				s.Actions = append(s.Actions, a)
				return err
			})
		case "Resources":
			return d.list(maxFileEntries, func() error {
				var r refResource
				err := d.object(func(key string) error {
					switch key {
					case "Name":
						return d.str(&r.Name)
					case "ARNFormats":
						return d.list(limits.ARNFormats-len(r.ARNFormats), func() error {
							var f string
							err := d.str(&f)
							r.ARNFormats = append(r.ARNFormats, f)
							return err
						})
					}
					return d.skip()
				})
				s.Resources = append(s.Resources, r)
				return err
			})
		case "Operations":
			return d.list(maxFileEntries, func() error {
				var op refOperation
				err := d.object(func(key string) error {
					switch key {
					case "Name":
						return d.str(&op.Name)
					case "AuthorizedActions":
						return d.list(limits.OperationActions-len(op.AuthorizedActions), func() error {
							var a refAuthorizedAction
							err := d.object(func(key string) error {
								switch key {
								case "Name":
									return d.str(&a.Name)
								case "Service":
									return d.str(&a.Service)
								}
								return d.skip()
							})
							op.AuthorizedActions = append(op.AuthorizedActions, a)
							return err
						})
					}
					return d.skip()
				})
				s.Operations = append(s.Operations, op)
				return err
			})
		}
		return d.skip()
	})
	if err != nil {
		return nil, err
	}
	// Anything but the end of the input after the object is an error.
	if t, err := d.dec.Token(); err != io.EOF {
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("service file has %s after its object", describe(t))
	}
	return &s, nil
}

func (d *refDecoder) action(a *refAction) error {
	return d.object(func(key string) error {
		switch key {
		case "Name":
			return d.str(&a.Name)
		case "Annotations":
			return d.object(func(key string) error {
				if key != "Properties" {
					return d.skip()
				}
				p := &a.Annotations.Properties
				return d.object(func(key string) error {
					switch key {
					case "IsList":
						return d.boolean(&p.IsList)
					case "IsPermissionManagement":
						return d.boolean(&p.IsPermissionManagement)
					case "IsTaggingOnly":
						return d.boolean(&p.IsTaggingOnly)
					case "IsWrite":
						return d.boolean(&p.IsWrite)
					}
					return d.skip()
				})
			})
		case "Resources":
			return d.list(limits.ActionResources-len(a.Resources), func() error {
				var r refName
				err := d.object(func(key string) error {
					if key == "Name" {
						return d.str(&r.Name)
					}
					return d.skip()
				})
				a.Resources = append(a.Resources, r)
				return err
			})
		}
		return d.skip()
	})
}

// token reads the next token. The input ending inside the object is
// io.ErrUnexpectedEOF: the decoder itself says io.EOF, as if all were well.
func (d *refDecoder) token() (json.Token, error) {
	t, err := d.dec.Token()
	if err == io.EOF {
		return nil, io.ErrUnexpectedEOF
	}
	return t, err
}

// object reads an object, or null, calling field for each key with the
// decoder before its value; field must consume the value.
func (d *refDecoder) object(field func(key string) error) error {
	t, err := d.token()
	if err != nil || t == nil {
		return err
	}
	if t != json.Delim('{') {
		return fmt.Errorf("found %s where an object belongs", describe(t))
	}
	return d.fields(field)
}

// fields reads the keys and values of an object whose '{' has been read,
// and its '}'.
func (d *refDecoder) fields(field func(key string) error) error {
	for d.dec.More() {
		t, err := d.token()
		if err != nil {
			return err
		}
		key, ok := t.(string)
		if !ok { // the decoder checks syntax; this is for safety's sake
			return fmt.Errorf("found %s where a key belongs", describe(t))
		}
		if err := field(key); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
	}
	_, err := d.token() // '}': the decoder refuses anything else
	return err
}

// list reads an array, or null, of at most max elements, calling elem for
// each, which it counts against the file's and the update's budgets first.
// A field given twice fills one list, so callers pass the room left in it.
func (d *refDecoder) list(max int, elem func() error) error {
	t, err := d.token()
	if err != nil || t == nil {
		return err
	}
	if t != json.Delim('[') {
		return fmt.Errorf("found %s where an array belongs", describe(t))
	}
	for i := 0; d.dec.More(); i++ {
		if d.entries++; d.entries > maxFileEntries {
			return fmt.Errorf("service file lists more than %d entries", maxFileEntries)
		}
		if d.total.Add(1) > limits.Entries {
			return fmt.Errorf("service files list more than %d entries together", limits.Entries)
		}
		if i >= max {
			return errors.New("too many entries in one list")
		}
		if err := elem(); err != nil {
			return fmt.Errorf("[%d]: %w", i, err)
		}
	}
	_, err = d.token() // ']'
	return err
}

// str reads a string, or null, which leaves *s as it was.
func (d *refDecoder) str(s *string) error {
	t, err := d.token()
	if err != nil || t == nil {
		return err
	}
	v, ok := t.(string)
	if !ok {
		return fmt.Errorf("found %s where a string belongs", describe(t))
	}
	*s = v
	return nil
}

// boolean reads true, false or null, which leaves *b as it was.
func (d *refDecoder) boolean(b *bool) error {
	t, err := d.token()
	if err != nil || t == nil {
		return err
	}
	v, ok := t.(bool)
	if !ok {
		return fmt.Errorf("found %s where true or false belongs", describe(t))
	}
	*b = v
	return nil
}

// skip reads one value of any kind and drops it. A string or number is
// read whole (the file's size limit bounds it); arrays and objects token
// by token.
func (d *refDecoder) skip() error {
	depth := 0
	for {
		t, err := d.token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			if depth++; depth > maxSkipDepth {
				return errors.New("values nested too deep")
			}
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// spaceSqueezer passes JSON through with each run of white space outside
// strings cut to its first byte: the same JSON to any parser, but
// json.Decoder's Token, which scans again all the white space it has
// buffered each time it reads more, no longer takes time quadratic in the
// length of a run, nor memory linear in it.
type spaceSqueezer struct {
	r                       io.Reader
	inString, escaped, last bool // last: the byte before was white space
}

func (s *spaceSqueezer) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		w := 0
		for _, c := range p[:n] {
			switch {
			case s.inString:
				switch {
				case s.escaped:
					s.escaped = false
				case c == '\\':
					s.escaped = true
				case c == '"':
					s.inString = false
				}
			case c == ' ' || c == '\t' || c == '\n' || c == '\r':
				if s.last {
					continue
				}
				s.last = true
				p[w] = c
				w++
				continue
			case c == '"':
				s.inString = true
			}
			s.last = false
			p[w] = c
			w++
		}
		// A read that was all squeezed away reads on rather than return
		// nothing: the reader below bounds how far.
		if w > 0 || n == 0 || err != nil {
			return w, err
		}
	}
}

// describe names a token's kind for an error message, without echoing
// data that may be long or hostile.
func describe(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		switch v {
		case '{', '}':
			return "an object"
		default:
			return "an array"
		}
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return "a value"
}
