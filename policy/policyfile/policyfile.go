// Package policyfile reads policy documents from files, within
// policy.MaxFileSize: the reading the policy package itself leaves to its
// callers, so that it does no I/O.
package policyfile

import (
	"fmt"
	"io"
	"os"

	"github.com/tailor-iam/tailor/policy"
)

// read reads a policy file of at most policy.MaxFileSize bytes.
func read(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read policy: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, policy.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read policy %s: %w", path, err)
	}
	if len(data) > policy.MaxFileSize {
		return nil, fmt.Errorf("%s: over %d bytes, the most tailor reads in a policy file (IAM's largest policies, KMS key policies, are 32 KB)", path, policy.MaxFileSize)
	}
	return data, nil
}

// Read reads and parses the policy document in the named file.
func Read(path string) (*policy.Document, error) {
	data, err := read(path)
	if err != nil {
		return nil, err
	}
	d, err := policy.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

// ReadAll reads a file holding one policy document or a JSON array of them.
func ReadAll(path string) ([]*policy.Document, error) {
	data, err := read(path)
	if err != nil {
		return nil, err
	}
	docs, err := policy.ParseDocuments(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return docs, nil
}
