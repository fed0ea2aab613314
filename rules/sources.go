package rules

import "strings"

// sourcePrefix maps an eventSource host (without .amazonaws.com) to its
// IAM service prefix where the two differ. Sources:
// ../shared/reference/cloudtrail-to-iam.md §4 A–D.
var sourcePrefix = map[string]string{
	"monitoring":                 "cloudwatch",
	"tagging":                    "tag",
	"pinpoint":                   "mobiletargeting",
	"amazonmq":                   "mq",
	"migrationhub":               "mgh",
	"pricelist":                  "pricing",
	"rdsdata":                    "rds-data",
	"opensearchservice":          "es",
	"qconnect":                   "wisdom",
	"cloudcontrolapi":            "cloudformation",
	"application-insights":       "applicationinsights",
	"servicecatalog-appregistry": "servicecatalog",
	"billingconsole":             "billing",
	"taxconsole":                 "tax",
	"transcribestreaming":        "transcribe",
	"contact-lens":               "connect",
	"participant-connect":        "connect",
	"chime-sdk-media-pipelines":  "chime",
	"chime-sdk-voice":            "chime",
	"marketplacecatalog":         "aws-marketplace",
	"agreement-marketplace":      "aws-marketplace",
	"discovery-marketplace":      "aws-marketplace",
	"reporting-marketplace":      "aws-marketplace",
	"management-marketplace":     "aws-marketplace-management",
	"streams.dynamodb":           "dynamodb",
	"models.lex":                 "lex",
	"runtime.lex":                "lex",
	"appstream2":                 "appstream",
	"mturk-requester":            "mechanicalturk",
	"email":                      "ses",
	"s3express":                  "s3express",
	"states":                     "states",
	"elasticloadbalancing":       "elasticloadbalancing",
	"elasticfilesystem":          "elasticfilesystem",
	"logs":                       "logs",
	"s3-control":                 "s3",
}

// Prefix turns an eventSource into an IAM service prefix.
func Prefix(eventSource string) string {
	host := strings.TrimSuffix(eventSource, ".amazonaws.com")
	if p, ok := sourcePrefix[host]; ok {
		return p
	}
	return host
}
