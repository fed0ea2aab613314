// Package policy reads, writes and evaluates IAM policy documents, so that
// tailor can replay observed requests through the policies a principal has.
//
// The model (Document, Statement, Principal, Condition) mirrors IAM's JSON,
// quirks included: Parse accepts every legal form (a string or an array, a
// Statement object or array, condition values as strings, booleans or
// numbers) and Marshal writes one canonical form.
//
// Evaluate decides a Request against the identity policies of one
// principal the way IAM does: an explicit Deny wins, else an Allow, else
// the request is implicitly denied. Decision.Reason says which statement
// decided and why, in one line.
//
// Parse checks structure only. Validate reports what Parse accepts but
// Evaluate cannot honour, such as an unknown condition operator (a
// statement with one never applies) or a condition value that is not a
// number, date, address or boolean where the operator needs one.
package policy
