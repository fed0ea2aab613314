package rules

// AWS Elemental MediaPackage.
func init() {
	register(&Service{
		Prefix:  "mediapackage",
		Renamed: map[string][]Act{"ConfigureLogs": Acts("mediapackage:UpdateChannel")},
	})
}
