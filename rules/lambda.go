package rules

import (
	"strings"

	"github.com/tailor-iam/tailor/arn"
)

// AWS Lambda. Its event names carry an API version: UpdateFunctionCode20150331v2.
func init() {
	register(&Service{
		Prefix: "lambda",
		// A function is named with an optional ":version" or ":alias"
		// qualifier, and IAM matches the qualified ARN.
		EndingVars: map[string]VarShape{"FunctionName": Qualified},
		Vars: map[string]VarRule{
			"FunctionName": {Paths: []string{"functionName"}, Transform: lambdaFunctionName, Qualifier: "qualifier"},
			"LayerName":    {Paths: []string{"layerName"}, Transform: lastColonSegment},
			"LayerVersion": {Paths: []string{"versionNumber"}},
		},
		Sides: map[Side]SideRule{
			// The layer versions a function is given (Uses), each named
			// by its ARN and used whole.
			Layers: {Vars: map[string]VarRule{"LayerName": {Paths: []string{"layers"}}}},
		},
		Renamed: map[string][]Act{
			"Invoke":                   Acts("lambda:InvokeFunction"),
			"InvokeAsync":              Acts("lambda:InvokeFunction"),
			"InvokeWithResponseStream": Acts("lambda:InvokeFunction"),
			"GetLayerVersionByArn":     Acts("lambda:GetLayerVersion"),
		},
		PassRoles: map[string][]PassRule{
			"CreateFunction":              {{Paths: []string{"role"}, Service: "lambda.amazonaws.com"}},
			"UpdateFunctionConfiguration": {{Paths: []string{"role"}, Service: "lambda.amazonaws.com"}},
		},
		TagOnCreate: map[string]TagRule{"CreateFunction": {Tagged: AnyTag, Action: "lambda:TagResource"}},
		// Adding a layer to a function needs lambda:GetLayerVersion on the
		// layer version (Lambda developer guide, "Adding layers to
		// functions").
		Uses: map[string][]Use{
			"CreateFunction":              {{Field: "layers", Action: "lambda:GetLayerVersion", Side: Layers}},
			"UpdateFunctionConfiguration": {{Field: "layers", Action: "lambda:GetLayerVersion", Side: Layers}},
		},
		Hooks: Hooks{TrimEvent: trimLambdaSuffix, Collect: qualifiedFunction, Revision: functionVersion},
	})
}

func lambdaFunctionName(v string) (string, bool) {
	// A name, name:qualifier, or a partial ARN ACCOUNT:function:NAME[:Q].
	// Full ARNs matching the template are used whole before this runs.
	if i := strings.Index(v, ":function:"); i >= 0 {
		v = v[i+len(":function:"):]
	}
	return v, v != "" && !strings.HasPrefix(v, ":")
}

// trimLambdaSuffix strips an API-version suffix `\d{8}(v\d+)?$`:
// UpdateFunctionCode20150331v2 is UpdateFunctionCode.
func trimLambdaSuffix(name string) string {
	s := name
	if i := strings.LastIndexByte(s, 'v'); i >= 0 && i+1 < len(s) && allDigits(s[i+1:]) {
		s = s[:i]
	}
	if len(s) > 8 && allDigits(s[len(s)-8:]) {
		return s[:len(s)-8]
	}
	return name
}

// qualifiedFunction: a function named by ARN in the request, with a
// Qualifier, is authorized on the qualified ARN only.
func qualifiedFunction(r *Resources) {
	if q := r.Request.First("qualifier"); q != "" {
		for a := range r.ARNs {
			if _, ok := r.ARNs[a+":"+q]; ok {
				delete(r.ARNs, a)
			}
		}
	}
}

// functionVersion turns function:name:7 into function:name:*. Aliases
// stay: they are names a deployment keeps, not versions it replaces.
func functionVersion(a arn.ARN) (string, string, bool) {
	fields := strings.Split(a.Resource, ":")
	if len(fields) != 3 || fields[0] != "function" || fields[1] == "" || !allDigits(fields[2]) {
		return "", "", false
	}
	s := a.String()
	return s[:strings.LastIndexByte(s, ':')+1] + "*", "function versions collapsed to function:name:*", true
}
