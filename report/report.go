// Package report holds the documented JSON shapes of tailor's reports, so
// that the CLI and the scheduled job write the same bytes: the entries of
// `tailor denied --format json`, and the one way reports are encoded.
package report

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/tailor-iam/tailor/policy"
	"github.com/tailor-iam/tailor/synth"
)

// DeniedEntry is one entry of `tailor denied --format json`, one kind of
// denied call; its field names are a documented contract.
type DeniedEntry struct {
	Principal string `json:"principal"`
	Action    string `json:"action"`
	// Resource is the resource the denial message named, else the first of
	// Resources the entry does not share with others; the one resource
	// field of entries before they held several.
	Resource        string          `json:"resource"`
	Resources       []string        `json:"resources"`
	Region          string          `json:"region"`
	Count           int64           `json:"count"`
	FirstSeen       string          `json:"firstSeen,omitempty"`
	LastSeen        string          `json:"lastSeen,omitempty"`
	ErrorCode       string          `json:"errorCode"`
	Reason          string          `json:"reason"`
	Explicit        bool            `json:"explicit"`
	PolicyARN       string          `json:"policyArn,omitempty"`
	Encoded         bool            `json:"encoded"`
	Truncated       bool            `json:"truncated"`
	AuthorizationID string          `json:"authorizationId,omitempty"`
	Message         string          `json:"message,omitempty"`
	Decoded         json.RawMessage `json:"decoded,omitempty"`
	Fix             DeniedFix       `json:"fix"`
}

// DeniedFix is an entry's fix: who must act, and the policy that would do.
type DeniedFix struct {
	Kind           string           `json:"kind"`
	Summary        string           `json:"summary"`
	Owner          string           `json:"owner"`
	Find           []string         `json:"find,omitempty"`
	Target         string           `json:"target,omitempty"`
	IdentityPolicy *policy.Document `json:"identityPolicy,omitempty"`
	BoundaryPolicy *policy.Document `json:"boundaryPolicy,omitempty"`
	ResourcePolicy *policy.Document `json:"resourcePolicy,omitempty"`
}

// Denied is the entry of a denial.
func Denied(d synth.Denial) DeniedEntry {
	return DeniedEntry{
		Principal: d.Principal, Action: d.Action, Resource: d.Resource, Resources: d.Resources, Region: d.Region,
		Count: d.Count, FirstSeen: Time(d.First), LastSeen: Time(d.Last),
		ErrorCode: d.Denial.Code, Reason: string(d.Denial.Reason), Explicit: d.Denial.Explicit, PolicyARN: d.Denial.PolicyARN,
		Encoded: d.Parsed.Encoded != "" || d.EncodedCut, Truncated: d.Parsed.Truncated, AuthorizationID: d.Parsed.AuthorizationID,
		Message: d.Message.Text,
		Fix: DeniedFix{
			Kind: d.Fix.Kind, Summary: d.Fix.Summary, Owner: d.Fix.Owner, Find: d.Fix.Find, Target: d.Fix.Target,
			IdentityPolicy: d.Fix.Identity, BoundaryPolicy: d.Fix.Boundary, ResourcePolicy: d.Fix.ResourcePolicy,
		},
	}
}

// Time writes a Unix time in seconds as RFC 3339 in UTC; "" for 0, the
// time a fact without one has.
func Time(t int64) string {
	if t == 0 {
		return ""
	}
	return time.Unix(t, 0).UTC().Format(time.RFC3339)
}

// JSON encodes v as tailor's reports are: indented by two spaces, HTML
// characters as they are, a newline at the end.
func JSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
