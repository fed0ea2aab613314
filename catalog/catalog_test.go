package catalog

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestEmbedded(t *testing.T) {
	c := Embedded()
	info := c.Info()
	if info.Services < 400 || info.Actions < 15000 || info.ResourceTypes < 1500 {
		t.Fatalf("catalog looks too small: %+v", info)
	}
	if info.Date == "" || info.Version == "" {
		t.Fatalf("catalog lacks provenance: %+v", info)
	}
}

func TestLookup(t *testing.T) {
	c := Embedded()
	tests := []struct {
		action   string
		exists   bool
		resTypes []string
	}{
		{"s3:GetObject", true, []string{"object"}},
		{"S3:getobject", true, []string{"object"}},
		{"lambda:InvokeFunction", true, []string{"function"}},
		{"lambda:Invoke", false, nil},
		{"s3:DeleteReplicationConfiguration", false, nil},
		{"rds:RestoreDBInstanceFromS3", true, nil},
		{"kms:ReEncryptFrom", true, []string{"key"}},
		{"kms:ReEncrypt", false, nil},
		{"sts:GetCallerIdentity", true, nil},
		{"nonsense", false, nil},
		{"dynamodb:Query", true, []string{"index", "table"}},
	}
	for _, tc := range tests {
		t.Run(tc.action, func(t *testing.T) {
			a, ok := c.Action(tc.action)
			if ok != tc.exists {
				t.Fatalf("Action(%q) exists=%v, want %v", tc.action, ok, tc.exists)
			}
			if !ok || tc.resTypes == nil {
				return
			}
			for _, want := range tc.resTypes {
				found := false
				for _, rt := range c.ResourceTypes(a) {
					if rt.Name == want {
						found = true
					}
				}
				if !found {
					t.Errorf("%s: resource type %q missing; have %+v", tc.action, want, a.Resources)
				}
			}
		})
	}
}

func TestARNTemplate(t *testing.T) {
	rt, ok := Embedded().ResourceType("s3", "object")
	if !ok || rt.ARN != "arn:${Partition}:s3:::${BucketName}/${ObjectName}" {
		t.Fatalf("s3 object template = %+v", rt)
	}
}

// templateRegexp matches the ARNs a template describes, taking each ${Var}
// as one path segment: enough for the ELB and API Gateway ARNs below, whose
// variables are names and ids, not S3-style keys.
func templateRegexp(tpl string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for {
		i := strings.Index(tpl, "${")
		if i < 0 {
			break
		}
		j := strings.Index(tpl[i:], "}")
		if j < 0 {
			break
		}
		b.WriteString(regexp.QuoteMeta(tpl[:i]) + "[^:/]+")
		tpl = tpl[i+j+1:]
	}
	b.WriteString(regexp.QuoteMeta(tpl) + "$")
	return regexp.MustCompile(b.String())
}

// typeOf returns the name of the first of a's resource types with a
// template that matches arn, or "".
func typeOf(c *Catalog, a *Action, arn string) string {
	for _, rt := range c.ResourceTypes(a) {
		for _, tpl := range rt.ARNs {
			if templateRegexp(tpl).MatchString(arn) {
				return rt.Name
			}
		}
	}
	return ""
}

// Some prefixes are several services in AWS's reference; the catalog holds
// what each says, so an action both define scopes to either's resources.
func TestSharedPrefixes(t *testing.T) {
	c := Embedded()
	tests := []struct {
		action   string
		arn      string
		wantType string // "" when no type of the action should match
	}{
		// Elastic Load Balancing: classic (v1) and V2 share elasticloadbalancing.
		{"elasticloadbalancing:AddTags", "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/classic-lb", "loadbalancer"},
		{"elasticloadbalancing:AddTags", "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/tg1/abc", "targetgroup"},
		{"elasticloadbalancing:AddTags", "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188", "loadbalancer/app/"},
		{"elasticloadbalancing:RemoveTags", "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/net/nlb/50dc6c495c0c9188/f2f7dc8efc522ab2", "listener/net"},
		{"elasticloadbalancing:DeleteLoadBalancer", "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/nlb/50dc6c495c0c9188", "loadbalancer/net/"},
		{"elasticloadbalancing:DeleteLoadBalancer", "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/classic-lb", "loadbalancer"},
		{"elasticloadbalancing:ModifyLoadBalancerAttributes", "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188", "loadbalancer/app/"},
		{"elasticloadbalancing:RegisterTargets", "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/tg1/abc", "targetgroup"},
		{"elasticloadbalancing:RegisterTargets", "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/classic-lb", ""},
		// API Gateway: REST APIs (Management) and HTTP/WebSocket APIs (Management V2).
		{"apigateway:GET", "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5", "RestApi"},
		{"apigateway:GET", "arn:aws:apigateway:us-east-1::/apis/a1b2c3d4e5", "Api"},
		{"apigateway:PATCH", "arn:aws:apigateway:us-east-1::/apis/a1b2c3d4e5/stages/prod", "Stage"},
		{"apigateway:PATCH", "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod", "Stage"},
		{"apigateway:DELETE", "arn:aws:apigateway:us-east-1::/apis/a1b2c3d4e5/routes/r1", "Route"},
		{"apigateway:POST", "arn:aws:apigateway:us-east-1::/apis/a1b2c3d4e5/integrations", "Integrations"},
		// IoT Greengrass and its V2.
		{"greengrass:TagResource", "arn:aws:greengrass:us-east-1:111122223333:/greengrass/groups/g1", "group"},
		{"greengrass:TagResource", "arn:aws:greengrass:us-east-1:111122223333:coreDevices:core1", "coreDevice"},
		{"greengrass:GetDeployment", "arn:aws:greengrass:us-east-1:111122223333:deployments:d1", "deployment"},
		// Lex (v1) and Lex V2: tags and imports reach V2's test sets as well as v1's channels.
		{"lex:TagResource", "arn:aws:lex:us-east-1:111122223333:test-set/TS1", "test set"},
		{"lex:TagResource", "arn:aws:lex:us-east-1:111122223333:bot-channel:OrderBot:prod:slack", "channel"},
		{"lex:UntagResource", "arn:aws:lex:us-east-1:111122223333:bot/B1", "bot"},
		{"lex:StartImport", "arn:aws:lex:us-east-1:111122223333:test-set/TS1", "test set"},
		// SES v1, SES v2, Pinpoint Email and Mail Manager all share ses.
		{"ses:TagResource", "arn:aws:ses:us-east-1:111122223333:mailmanager-ingress-point/inp-1", "mailmanager-ingress-point"},
		{"ses:TagResource", "arn:aws:ses:us-east-1:111122223333:addon-instance/ai-1", "addon-instance"},
		{"ses:TagResource", "arn:aws:ses:us-east-1:111122223333:configuration-set/cs1", "configuration-set"},
		{"ses:UntagResource", "arn:aws:ses:us-east-1:111122223333:mailmanager-traffic-policy/tp-1", "mailmanager-traffic-policy"},
		{"ses:ListTagsForResource", "arn:aws:ses:us-east-1:111122223333:mailmanager-rule-set/rs-1", "mailmanager-rule-set"},
		// Pinpoint SMS and Voice (v1) and End User Messaging SMS and Voice V2.
		{"sms-voice:SendVoiceMessage", "arn:aws:sms-voice:us-east-1:111122223333:phone-number/phone-1", "PhoneNumber"},
		{"sms-voice:DeleteConfigurationSet", "arn:aws:sms-voice:us-east-1:111122223333:configuration-set/cs1", "ConfigurationSet"},
		// Kinesis Analytics and its V2 name the same application.
		{"kinesisanalytics:TagResource", "arn:aws:kinesisanalytics:us-east-1:111122223333:application/app1", "application"},
		// Marketplace Catalog and Deployment Service both tag.
		{"aws-marketplace:TagResource", "arn:aws:aws-marketplace:us-east-1:111122223333:AWSMarketplace/ChangeSet/cs-1", "ChangeSet"},
		{"aws-marketplace:TagResource", "arn:aws:aws-marketplace:us-east-1:111122223333:AWSMarketplace/SaaSProduct/prod-1", "Entity"},
		{"aws-marketplace:UntagResource", "arn:aws:aws-marketplace:us-east-1:111122223333:DeploymentParameter:catalogs/AWSMarketplace/products/prod-1/dp-1", "DeploymentParameter"},
	}
	for _, tc := range tests {
		t.Run(tc.action+" "+tc.arn, func(t *testing.T) {
			a, ok := c.Action(tc.action)
			if !ok {
				t.Fatalf("%s missing", tc.action)
			}
			if got := typeOf(c, a, tc.arn); got != tc.wantType {
				t.Errorf("%s scopes %s as %q, want %q (types %+v)", tc.action, tc.arn, got, tc.wantType, a.Resources)
			}
		})
	}
}

// An action both services define requires a resource type only if both
// require it; one only the classic service defines keeps its requirement.
func TestSharedPrefixRequired(t *testing.T) {
	c := Embedded()
	tests := []struct {
		action   string
		required map[string]bool // every resource type the action lists
	}{
		{"elasticloadbalancing:AddTags", map[string]bool{
			"loadbalancer": false, "loadbalancer/app/": false, "loadbalancer/gwy/": false, "loadbalancer/net/": false,
			"listener/app": false, "listener/gwy": false, "listener/net": false,
			"listener-rule/app": false, "listener-rule/net": false, "targetgroup": false, "truststore": false,
		}},
		{"elasticloadbalancing:DeleteLoadBalancer", map[string]bool{
			"loadbalancer": false, "loadbalancer/app/": false, "loadbalancer/gwy/": false, "loadbalancer/net/": false,
		}},
		{"elasticloadbalancing:ConfigureHealthCheck", map[string]bool{"loadbalancer": true}},
		{"elasticloadbalancing:RegisterTargets", map[string]bool{"targetgroup": true}},
		{"greengrass:ListDeployments", map[string]bool{"group": false}},
		{"greengrass:GetConnectivityInfo", map[string]bool{"connectivityInfo": true}},
		{"lex:CreateBotVersion", map[string]bool{"bot": false, "bot version": false}},
		{"lex:DeleteBot", map[string]bool{"bot": false, "bot alias": false, "bot version": false}},
		{"lex:DeleteBotAlias", map[string]bool{"bot alias": true}},
		{"lex:GetSession", map[string]bool{"bot alias": false, "bot version": false}},
		{"lex:TagResource", map[string]bool{"bot": false, "bot alias": false, "channel": false, "test set": false}},
		{"lex:RecognizeText", map[string]bool{"bot alias": true}},
		{"ses:CreateEmailIdentity", map[string]bool{"identity": false}},
		{"ses:GetEmailIdentity", map[string]bool{"identity": true}},
		{"ses:SendEmail", map[string]bool{"configuration-set": false, "identity": true, "template": false}},
		{"ses:DeleteCustomVerificationEmailTemplate", map[string]bool{"custom-verification-email-template": false}},
		{"ses:TagResource", map[string]bool{
			"configuration-set": false, "contact-list": false, "custom-verification-email-template": false,
			"dedicated-ip-pool": false, "deliverability-test-report": false, "identity": false, "template": false, "tenant": false,
			"addon-instance": false, "addon-subscription": false, "mailmanager-address-list": false, "mailmanager-archive": false,
			"mailmanager-ingress-point": false, "mailmanager-rule-set": false, "mailmanager-smtp-relay": false, "mailmanager-traffic-policy": false,
		}},
		{"ses:UpdateArchive", map[string]bool{"mailmanager-archive": true}},
		{"sms-voice:DeleteConfigurationSet", map[string]bool{"ConfigurationSet": false}},
		{"sms-voice:SendVoiceMessage", map[string]bool{"PhoneNumber": false, "Pool": false}},
		{"sms-voice:DeleteOptOutList", map[string]bool{"OptOutList": true}},
		{"kinesisanalytics:TagResource", map[string]bool{"application": true}},
		{"aws-marketplace:TagResource", map[string]bool{"ChangeSet": false, "DeploymentParameter": false, "Entity": false}},
		{"aws-marketplace:PutDeploymentParameter", map[string]bool{"DeploymentParameter": true}},
	}
	for _, tc := range tests {
		t.Run(tc.action, func(t *testing.T) {
			a, ok := c.Action(tc.action)
			if !ok {
				t.Fatalf("%s missing", tc.action)
			}
			got := map[string]bool{}
			for _, r := range a.Resources {
				got[r.Type] = r.Required
			}
			if !maps.Equal(got, tc.required) {
				t.Errorf("resource types (name → required) = %v\nwant %v", got, tc.required)
			}
		})
	}
	lb, ok := c.ResourceType("elasticloadbalancing", "loadbalancer")
	if !ok || lb.ARN != "arn:${Partition}:elasticloadbalancing:${Region}:${Account}:loadbalancer/${LoadBalancerName}" {
		t.Errorf("classic loadbalancer template = %+v", lb)
	}
	tg, ok := c.ResourceType("elasticloadbalancing", "targetgroup")
	if !ok || tg.ARN != "arn:${Partition}:elasticloadbalancing:${Region}:${Account}:targetgroup/${TargetGroupName}/${TargetGroupId}" {
		t.Errorf("targetgroup template = %+v", tg)
	}
}

// A resource type two services define differently keeps both templates.
func TestSharedPrefixTemplates(t *testing.T) {
	c := Embedded()
	tests := []struct {
		prefix, name string
		want         []string
	}{
		{"apigateway", "Stage", []string{
			"arn:${Partition}:apigateway:${Region}::/apis/${ApiId}/stages/${StageName}",
			"arn:${Partition}:apigateway:${Region}::/restapis/${RestApiId}/stages/${StageName}"}},
		{"lex", "bot", []string{
			"arn:${Partition}:lex:${Region}:${Account}:bot/${BotId}",
			"arn:${Partition}:lex:${Region}:${Account}:bot:${BotName}"}},
		{"greengrass", "deployment", []string{
			"arn:${Partition}:greengrass:${Region}:${Account}:/greengrass/groups/${GroupId}/deployments/${DeploymentId}",
			"arn:${Partition}:greengrass:${Region}:${Account}:deployments:${DeploymentId}"}},
	}
	for _, tc := range tests {
		t.Run(tc.prefix+" "+tc.name, func(t *testing.T) {
			rt, ok := c.ResourceType(tc.prefix, tc.name)
			if !ok {
				t.Fatalf("%s %s missing", tc.prefix, tc.name)
			}
			if rt.Name != tc.name || rt.ARN != tc.want[0] || !slices.Equal(rt.ARNs, tc.want) {
				t.Errorf("got %+v\nwant name %q, ARNs %q", rt, tc.name, tc.want)
			}
		})
	}
	// No template anywhere still holds two joined ones.
	for _, s := range c.Services() {
		for _, rt := range s.resources {
			for _, tpl := range rt.ARNs {
				if strings.Contains(tpl, ", ") || !strings.HasPrefix(tpl, "arn:") {
					t.Errorf("%s %s: template %q", s.Prefix, rt.Name, tpl)
				}
			}
		}
	}
}

// Info counts what lookups can find: one service per prefix, one action
// per name, one resource type per name, and every action's types resolve.
func TestInfoConsistent(t *testing.T) {
	c := Embedded()
	info := c.Info()
	var services, actions, types int
	for _, s := range c.Services() {
		services++
		actions += len(s.Actions())
		types += len(s.resources)
		if got, ok := c.Service(s.Prefix); !ok || got != s {
			t.Errorf("Service(%q) does not find it", s.Prefix)
		}
		for i, a := range s.Actions() {
			if i > 0 && s.Actions()[i-1].Name >= a.Name {
				t.Errorf("%s: actions out of order at %s", s.Prefix, a.Name)
			}
			if got, ok := c.Lookup(s.Prefix, a.Name); !ok || got != a {
				t.Errorf("Lookup(%s, %s) does not find it", s.Prefix, a.Name)
			}
			seen := map[string]bool{}
			for _, r := range a.Resources {
				k := strings.ToLower(r.Type)
				if seen[k] {
					t.Errorf("%s lists %s twice", a.Full(), r.Type)
				}
				seen[k] = true
			}
		}
	}
	if services != info.Services || actions != info.Actions || types != info.ResourceTypes {
		t.Errorf("Info() = %+v; the catalog holds %d services, %d actions, %d resource types", info, services, actions, types)
	}
}

// A file that lists a prefix, an action or a resource type twice (a cache
// from before prefixes were merged) reads as one of each, merged.
func TestReadMergesRepeats(t *testing.T) {
	f := &file{Source: "test", Version: "1", Date: "2026-01-02", Services: []fileService{
		{Prefix: "elasticloadbalancing", Actions: []fileAction{
			{Name: "AddTags", Level: "Tagging, Write", Resources: []fileResourceRef{{Name: "loadbalancer", Required: true}}},
		}, Resources: []fileResourceType{{Name: "loadbalancer", ARN: "arn:lb/${Name}"}}},
		{Prefix: "ElasticLoadBalancing", Actions: []fileAction{
			{Name: "addtags", Level: "Tagging, Write", Resources: []fileResourceRef{{Name: "targetgroup"}}},
			{Name: "RegisterTargets", Level: "Write", Resources: []fileResourceRef{{Name: "targetgroup", Required: true}}},
			{Name: "RegisterTargets", Level: "Write", Resources: []fileResourceRef{{Name: "targetgroup", Required: true}}},
		}, Resources: []fileResourceType{
			{Name: "targetgroup", ARN: "arn:tg/${Name}/${Id}"},
			{Name: "Loadbalancer", ARN: "arn:lb/app/${Name}/${Id}, arn:lb/${Name}"},
		}},
	}}
	c := fromFile(f)
	if got := c.Info(); got.Services != 1 || got.Actions != 2 || got.ResourceTypes != 2 {
		t.Errorf("Info() = %+v, want 1 service, 2 actions, 2 resource types", got)
	}
	a, ok := c.Action("elasticloadbalancing:AddTags")
	if !ok || !slices.Equal(a.Resources, []ResourceRef{{Type: "loadbalancer"}, {Type: "targetgroup"}}) {
		t.Errorf("AddTags = %+v", a)
	}
	lb, _ := c.ResourceType("elasticloadbalancing", "loadbalancer")
	if lb == nil || !slices.Equal(lb.ARNs, []string{"arn:lb/${Name}", "arn:lb/app/${Name}/${Id}"}) || lb.ARN != lb.ARNs[0] {
		t.Errorf("loadbalancer = %+v", lb)
	}
}

func TestEmbeddedHasNoOperations(t *testing.T) {
	c := Embedded()
	if _, ok := c.Operation("s3", "GetObject"); ok || c.Info().Operations != 0 {
		t.Errorf("the npm data has no operation mappings, yet Operation answers (info %+v)", c.Info())
	}
	if rt, ok := c.ResourceType("s3", "bucket"); !ok || len(rt.ARNs) != 1 || rt.ARNs[0] != rt.ARN {
		t.Errorf("embedded resource type should list its one template in ARNs: %+v", rt)
	}
}
