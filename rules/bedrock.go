package rules

import (
	"strings"

	"github.com/tailor-iam/tailor/arn"
)

// Amazon Bedrock. A model id names a foundation model, or with a
// geography prefix ("us.", "eu.") a cross-region inference profile.
func init() {
	register(&Service{
		Prefix: "bedrock",
		// A model's id ends in ":VERSION".
		EndingVars: map[string]VarShape{"ResourceId": FreeForm},
		TypeVars: map[string]map[string]VarRule{
			"foundation-model":  {"ResourceId": {Paths: []string{"modelId"}, Transform: bedrockFoundationModel}},
			"inference-profile": {"ResourceId": {Paths: []string{"modelId"}, Transform: bedrockInferenceProfile}},
		},
		// InvokeModel lists every kind of model; a template without
		// variables among them would always fill.
		Alternatives: map[string]bool{"bedrock-marketplace-model-endpoint": true},
		// The Converse API is authorized as the model invocation it is.
		Renamed: map[string][]Act{
			"Converse":       Acts("bedrock:InvokeModel"),
			"ConverseStream": Acts("bedrock:InvokeModelWithResponseStream"),
		},
		Hooks: Hooks{Collect: crossRegionModels},
	})
}

// bedrockFoundationModel and bedrockInferenceProfile tell a foundation
// model's id (anthropic.claude-3-5-sonnet-20240620-v1:0) from a
// cross-region inference profile's, which starts with a geography.
func bedrockFoundationModel(v string) (string, bool) {
	return v, v != "" && !strings.Contains(v, "/") && !strings.HasPrefix(v, "arn:") && bedrockGeography(v) == ""
}

func bedrockInferenceProfile(v string) (string, bool) {
	return v, bedrockGeography(v) != "" && !strings.Contains(v, "/")
}

func bedrockGeography(v string) string {
	for _, g := range []string{"us.", "eu.", "apac.", "us-gov.", "ca.", "jp.", "au.", "global."} {
		if strings.HasPrefix(v, g) {
			return g
		}
	}
	return ""
}

// crossRegionModels adds, for a system-defined cross-region inference
// profile (us.anthropic…), the foundation model it routes to in any
// Region: Bedrock authorizes the call on the profile and on the model in
// the Region that serves it, which the event does not say.
func crossRegionModels(r *Resources) {
	if !r.Takes("foundation-model") {
		return
	}
	for s, typ := range r.ARNs {
		if typ != "inference-profile" {
			continue
		}
		profile, ok := arn.Parse(s)
		if !ok {
			continue
		}
		id := strings.TrimPrefix(profile.Resource, "inference-profile/")
		g := bedrockGeography(id)
		if g == "" {
			continue
		}
		model := arn.ARN{Partition: profile.Partition, Service: "bedrock", Region: "*", Resource: "foundation-model/" + strings.TrimPrefix(id, g)}
		r.ARNs[model.String()] = "foundation-model"
		r.Note("a cross-Region inference profile routes to its model in any Region: foundation-model in Region *")
	}
}
