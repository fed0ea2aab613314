package rules

// Amazon CloudWatch (logged as monitoring).
func init() {
	register(&Service{
		Prefix:      "cloudwatch",
		Vars:        map[string]VarRule{"AlarmName": {Paths: []string{"alarmName", "alarmNames"}}},
		TagOnCreate: map[string]TagRule{"PutMetricAlarm": {Tagged: AnyTag, Action: "cloudwatch:TagResource", Kind: "alarm"}},
		// An alarm whose actions stop or terminate an EC2 instance needs
		// the caller's EC2 permission for them (the recover action's are
		// no longer IAM actions), and the service-linked role CloudWatch
		// acts through; without them the alarm is created but its actions
		// do nothing (PutMetricAlarm API reference).
		Uses: map[string][]Use{"PutMetricAlarm": alarmEC2Actions()},
	})
}

// alarmEC2Actions are PutMetricAlarm's uses for EC2 alarm actions
// ("arn:aws:automate:REGION:ec2:stop"), in any of its three action lists.
func alarmEC2Actions() []Use {
	const slr = "arn:${Partition}:iam::${Account}:role/aws-service-role/events.amazonaws.com/AWSServiceRoleForCloudWatchEvents"
	var out []Use
	for _, field := range []string{"alarmActions", "oKActions", "insufficientDataActions"} {
		out = append(out,
			Use{Field: field, Contains: ":ec2:stop", Action: "ec2:StopInstances", Side: AlarmInstance},
			Use{Field: field, Contains: ":ec2:terminate", Action: "ec2:TerminateInstances", Side: AlarmInstance},
			Use{Field: field, Contains: ":automate:", Action: "iam:CreateServiceLinkedRole", Template: slr},
		)
	}
	return out
}
