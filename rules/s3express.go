package rules

// S3 Express One Zone: a directory bucket's object calls (eventName
// PutObject, …) run on the credentials s3express:CreateSession gave.
func init() {
	register(&Service{
		Prefix:        "s3express",
		Vars:          map[string]VarRule{"BucketName": {Paths: []string{"bucketName", "Bucket"}}},
		Renamed:       map[string][]Act{"ListDirectoryBuckets": Acts("s3express:ListAllMyDirectoryBuckets")},
		SessionAction: "s3express:CreateSession",
	})
}
