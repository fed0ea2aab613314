// Package analyze turns CloudTrail records into facts: which principal
// needed which IAM action on which resource, allowed or denied and why. It
// does no I/O. Facts aggregate into a mergeable Aggregate, so the input can
// be split across workers or machines and merged.
//
// An Analyzer takes each record through these stages, each a file:
//
//   - filter (stage_filter.go): the record's time, trail account and region
//     are in the run's scope;
//   - principal (stage_principal.go): who made the call, counted once even
//     when a cross-account call was delivered to both accounts' trails
//     (dedupe), and whether it is an API call a policy governs;
//   - actions (stage_actions.go): the IAM actions the call needed, and for
//     a denied call which of them was refused and why (denial.go parses
//     the message);
//   - resources (resource.go, resource_fill.go, resource_collect.go): the
//     ARNs each action was authorized on, from the catalog's templates
//     filled by the services' rules;
//   - facts (stage_facts.go): one fact per principal, action and resource,
//     with the roles a call passes (passrole.go), the ids it links
//     (links.go) and the instance profiles IAM calls show (profiles.go).
//
// Replay (replay.go) takes a call whose facts were derived already, as
// tailor export wrote them, through the filter and principal stages and
// adds its facts as the facts stage did.
//
// The IAM knowledge is in package rules, one file per service, which the
// stages read through rules.For(prefix); mapActions (action.go) and
// impliedNeeds (implied.go) say how its tables combine. The Aggregate (aggregate.go) caps
// each principal's action at a number of resources (fold.go) and resolves
// links after the last merge.
package analyze
