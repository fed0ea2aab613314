// Package limits bounds what tailor takes from data it cannot trust: AWS's
// service reference, which an update downloads, and the catalog files it
// writes and reads back. It holds the figures (this file), the reader that
// enforces the byte limits while the bytes arrive (reader.go), and the
// checks that keep a name short and printable, and a value shown in a
// message short and escaped (text.go). Package catalog checks a catalog
// with them, and package catalog/cache an update.
//
// The figures come from the data the embedded catalog is built from (the
// iam-data package, itself built from AWS's reference): 456 service
// prefixes and 22,091 actions; the largest service, ec2, has 826 actions
// and takes 690 KB there, and the whole package 10.9 MB; the catalog built
// from it decodes from 1.9 MB of JSON. AWS's service reference files add
// condition keys, SDK method names and operations to that, which puts the
// largest at a few MB and all of them at some tens of MB (an estimate: the
// reference cannot be fetched where tailor is built and tested). Every
// limit leaves several times that room, so that AWS can grow for years
// without tailor refusing its data, while a broken or hostile server or
// cache costs at most some hundred MB and seconds, never gigabytes.
package limits

const (
	// IndexSize bounds the service list: some 450 entries of ~90 bytes.
	IndexSize = 1 << 20
	// ServiceFileSize bounds one service file, a few MB at most today.
	ServiceFileSize = 16 << 20
	// UpdateSize bounds the bytes of all service files together: the real
	// ones add up to tens of MB.
	UpdateSize = 256 << 20
	// Services bounds the entries of the service list and the prefixes of
	// a catalog (456 today).
	Services = 4096
	// Entries bounds the list entries an update keeps over all its files:
	// actions, their resource types, resource types, ARN formats,
	// operations and the actions each authorizes. The embedded catalog's
	// actions and resource types make 46,000 such entries; AWS's operations
	// perhaps as many again. It, not the byte limits, bounds what an update
	// holds in memory: a dense file of tiny entries decodes to several
	// times its size.
	Entries = 1_000_000
	// Actions bounds a catalog's actions (22,091 today).
	Actions = 250_000
	// NameLen bounds a prefix, action, resource type or operation name;
	// the longest real one has 63 characters.
	NameLen = 256
	// ARNLen bounds an ARN template; the longest real one has 222.
	ARNLen = 2048
	// ActionResources bounds the resource types of one action (106 at most
	// today), ARNFormats the templates of one resource type (a few), and
	// OperationActions the actions one operation authorizes (a few dozen).
	// They bound the work each entry can cost, as when entries that share a
	// name are merged.
	ActionResources  = 512
	ARNFormats       = 64
	OperationActions = 512

	// CacheFileSize bounds a catalog file on disk, checked before it is
	// read: the embedded catalog takes 210 KB compressed, a cache with
	// AWS's operation mappings about twice that.
	CacheFileSize = 8 << 20
	// CacheJSONSize bounds a catalog file's JSON once decompressed, which a
	// gzip bomb would otherwise make as large as it likes: 1.9 MB for the
	// embedded catalog, some 3 MB for a cache.
	CacheJSONSize = 32 << 20
)
