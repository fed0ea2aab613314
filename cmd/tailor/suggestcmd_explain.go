package main

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/tailor-iam/tailor/learn"
	"github.com/tailor-iam/tailor/policy"
	"github.com/tailor-iam/tailor/synth"
)

// explanation is suggest --explain's output: the policy and what shaped
// it, as the stderr lines say it, for tools.
type explanation struct {
	Principal string `json:"principal"`
	Demo      bool   `json:"demo,omitempty"`
	// Documents are the policy documents, one unless it had to be split.
	Documents []json.RawMessage `json:"documents"`
	// Learned are the name sets widened as per-run, with their evidence.
	Learned []learn.Generalization `json:"learned"`
	// Generalized are the other widenings: --generalize options, folds past
	// --max-resources, and the always-on ones (a secret's random suffix).
	Generalized      []string           `json:"generalized"`
	DeniedGranted    []synth.DeniedCall `json:"deniedGranted"`
	DeniedNotGranted []synth.DeniedCall `json:"deniedNotGranted"`
	Warnings         []string           `json:"warnings"`
}

func (ex explanation) render(docs []*policy.Document, demo bool) ([]byte, error) {
	ex.Demo = demo
	for _, d := range docs {
		b, err := synth.RenderJSON([]*policy.Document{d})
		if err != nil {
			return nil, err
		}
		ex.Documents = append(ex.Documents, json.RawMessage(bytes.TrimSpace(b)))
	}
	if ex.Learned == nil {
		ex.Learned = []learn.Generalization{}
	}
	for _, p := range []*[]string{&ex.Generalized, &ex.Warnings} {
		if *p == nil {
			*p = []string{}
		}
	}
	for _, p := range []*[]synth.DeniedCall{&ex.DeniedGranted, &ex.DeniedNotGranted} {
		if *p == nil {
			*p = []synth.DeniedCall{}
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(ex); err != nil {
		return nil, fmt.Errorf("explanation: %w", err)
	}
	return buf.Bytes(), nil
}
