package rules

// Amazon CloudFront. Its event names carry an API version:
// UpdateDistribution2020_05_31.
func init() {
	register(&Service{
		Prefix: "cloudfront",
		Vars: map[string]VarRule{
			// GetInvalidation's "id" is the invalidation's.
			"DistributionId": {Paths: []string{"distributionId", "id"}},
			"Name":           {Paths: []string{"name"}},
		},
		Hooks: Hooks{TrimEvent: trimCloudFrontSuffix},
	})
}

// trimCloudFrontSuffix strips an API-version suffix `\d{4}_\d{2}_\d{2}$`:
// UpdateDistribution2020_05_31 is UpdateDistribution.
func trimCloudFrontSuffix(name string) string {
	const n = len("2020_05_31")
	if len(name) <= n {
		return name
	}
	sfx := name[len(name)-n:]
	if allDigits(sfx[:4]) && sfx[4] == '_' && allDigits(sfx[5:7]) && sfx[7] == '_' && allDigits(sfx[8:]) {
		return name[:len(name)-n]
	}
	return name
}
