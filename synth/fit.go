package synth

import (
	"errors"

	"github.com/tailor-iam/tailor/analyze"
	"github.com/tailor-iam/tailor/policy"
)

// MaxAttached is how many managed policies a role or user may have
// attached by default (a quota that can be raised).
const MaxAttached = 10

// ErrNoInline is Fit's error for inline policies of a principal kind that
// has none.
var ErrNoInline = errors.New("no inline policies")

// Fitted is a policy split to the size limit of where it goes: managed
// policies, or the inline policies of a role or user.
type Fitted struct {
	Docs   []*policy.Document
	Size   int  // the policy's size before the split
	Limit  int  // the size limit of each document
	Inline bool // the documents are inline policies of Holder
	// Holder is "role" or "user", the kinds with inline policies and
	// attachments, and "" for the rest.
	Holder string
}

// Fit splits p into documents within the limit of a principal kind's
// managed policies, or with inline, of its inline policies.
func Fit(p *policy.Document, kind string, inline bool) (Fitted, error) {
	lim, ok := limit(kind, inline)
	if !ok {
		return Fitted{}, ErrNoInline
	}
	size := Size(p)
	docs, err := Split(p, lim)
	if err != nil {
		return Fitted{}, err
	}
	return Fitted{Docs: docs, Size: size, Limit: lim, Inline: inline, Holder: holder(kind)}, nil
}

// Total is the documents' size together.
func (f Fitted) Total() int {
	n := 0
	for _, d := range f.Docs {
		n += Size(d)
	}
	return n
}

// OverInline reports whether the documents, inline, exceed the limit that
// all of a principal's inline policies share: a split into several means
// they do.
func (f Fitted) OverInline() bool { return f.Inline && len(f.Docs) > 1 }

// OverAttached reports whether the documents, managed, are more than a
// role or user may have attached by default.
func (f Fitted) OverAttached() bool { return !f.Inline && len(f.Docs) > MaxAttached }

// Target is where a renderer writes the documents, named and described:
// inline policies of the role or user, or managed policies attached to the
// role or user they were made for.
func (f Fitted) Target(name, description string) Target {
	t := Target{Name: name, Description: description}
	if f.Inline {
		t.Inline = f.Holder
	} else {
		t.Attach = f.Holder
	}
	return t
}

// holder says what an IAM principal kind can hold a policy as: "role" or
// "user" for the kinds with inline policies and attachments, "" for the
// rest.
func holder(kind string) string {
	switch kind {
	case analyze.KindRole:
		return "role"
	case analyze.KindUser:
		return "user"
	}
	return ""
}

// limit is the size limit of each document for a principal kind: a
// managed policy's, or with inline, the principal's inline policies'. ok
// is false for inline on a kind that has no inline policies.
func limit(kind string, inline bool) (limit int, ok bool) {
	if !inline {
		return MaxManaged, true
	}
	switch holder(kind) {
	case "role":
		return MaxInlineRole, true
	case "user":
		return MaxInlineUser, true
	}
	return 0, false
}
