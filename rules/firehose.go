package rules

// Amazon Data Firehose: each source and destination has its role.
func init() {
	register(&Service{
		Prefix: "firehose",
		PassRoles: map[string][]PassRule{
			"CreateDeliveryStream": {{Paths: []string{
				"kinesisStreamSourceConfiguration.roleARN",
				"s3DestinationConfiguration.roleARN",
				"extendedS3DestinationConfiguration.roleARN",
				"redshiftDestinationConfiguration.roleARN",
				"elasticsearchDestinationConfiguration.roleARN",
				"amazonopensearchserviceDestinationConfiguration.roleARN",
				"splunkDestinationConfiguration.s3Configuration.roleARN",
				"httpEndpointDestinationConfiguration.roleARN",
				"snowflakeDestinationConfiguration.roleARN",
				"icebergDestinationConfiguration.roleARN",
			}, Service: "firehose.amazonaws.com"}},
			"UpdateDestination": {{Paths: []string{
				"s3DestinationUpdate.roleARN",
				"extendedS3DestinationUpdate.roleARN",
				"redshiftDestinationUpdate.roleARN",
				"elasticsearchDestinationUpdate.roleARN",
				"amazonopensearchserviceDestinationUpdate.roleARN",
				"httpEndpointDestinationUpdate.roleARN",
			}, Service: "firehose.amazonaws.com"}},
		},
	})
}
