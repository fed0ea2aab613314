package deploy

import "github.com/tailor-iam/tailor/policy"

// Params are what the function's execution role policy depends on: the
// templates' parameters and what the stack makes.
type Params struct {
	Partition, Region        string
	TrailBucket, TrailPrefix string
	TrailKMSKey              string // "" when the trail is not encrypted with a key of its own
	StateBucket, StatePrefix string
	// OutputBucket "" is the state bucket.
	OutputBucket, OutputPrefix string
	LogGroupARN                string
}

// ExecutionPolicy is the policy both templates give the function's role:
// the trail read under its prefix, the trail's key through S3 only, the
// state and output prefixes read and written, and its own log group. The
// templates' tests hold each template to it, and the function's end-to-end
// test replays every request the function made against it.
func ExecutionPolicy(p Params) *policy.Document {
	s3 := "arn:" + p.Partition + ":s3:::"
	out := p.OutputBucket
	if out == "" {
		out = p.StateBucket
	}
	prefix := func(v string) policy.Condition {
		return policy.Condition{"StringLike": {"s3:prefix": {v + "*"}}}
	}
	st := []policy.Statement{
		{Sid: "ListTrail", Effect: policy.EffectAllow, Action: []string{"s3:ListBucket"}, Resource: []string{s3 + p.TrailBucket}, Condition: prefix(p.TrailPrefix)},
		{Sid: "ReadTrail", Effect: policy.EffectAllow, Action: []string{"s3:GetObject"}, Resource: []string{s3 + p.TrailBucket + "/" + p.TrailPrefix + "*"}},
	}
	if p.TrailKMSKey != "" {
		st = append(st, policy.Statement{Sid: "DecryptTrail", Effect: policy.EffectAllow, Action: []string{"kms:Decrypt"}, Resource: []string{p.TrailKMSKey},
			Condition: policy.Condition{"StringEquals": {"kms:ViaService": {"s3." + p.Region + ".amazonaws.com"}}}})
	}
	st = append(st,
		policy.Statement{Sid: "ListState", Effect: policy.EffectAllow, Action: []string{"s3:ListBucket"}, Resource: []string{s3 + p.StateBucket}, Condition: prefix(p.StatePrefix)},
		policy.Statement{Sid: "ReadWriteState", Effect: policy.EffectAllow, Action: []string{"s3:GetObject", "s3:PutObject"}, Resource: []string{s3 + p.StateBucket + "/" + p.StatePrefix + "*"}},
		policy.Statement{Sid: "ListOutput", Effect: policy.EffectAllow, Action: []string{"s3:ListBucket"}, Resource: []string{s3 + out}, Condition: prefix(p.OutputPrefix)},
		policy.Statement{Sid: "ReadWriteOutput", Effect: policy.EffectAllow, Action: []string{"s3:GetObject", "s3:PutObject"}, Resource: []string{s3 + out + "/" + p.OutputPrefix + "*"}},
		policy.Statement{Sid: "WriteLogs", Effect: policy.EffectAllow, Action: []string{"logs:CreateLogStream", "logs:PutLogEvents"}, Resource: []string{p.LogGroupARN}},
	)
	return &policy.Document{Version: policy.Version2012, Statement: st}
}
