package rules

import (
	"net/url"
	"strings"

	"github.com/tailor-iam/tailor/catalog"
)

// Amazon API Gateway. Its control plane is authorized as HTTP verbs on
// the request's path (reference §4 C): GetRestApi needs apigateway:GET on
// arn:aws:apigateway:REGION::/restapis/ID. apigatewayOps gives each
// operation its verb and path, for REST APIs (v1, restApiId) and for HTTP
// and WebSocket APIs (v2, apiId); both log as apigateway.amazonaws.com, and
// operations of both versions that share a name pick the path by which id
// the request carries. Paths are the API's request paths, less v2's "/v2"
// prefix, with the reference's names for the variables where the request
// field is their lowerCamel form. A path starting "${Account}:" is of a
// resource whose ARN carries the account. Path variables are filled by
// Vars or, by default, from the request field of their lowerCamel name:
// CloudTrail logs the API's member names (restApiId, httpMethod,
// documentationVersion), not the URI's (restapi_id).
func init() {
	register(&Service{
		Prefix: "apigateway",
		Vars: map[string]VarRule{
			"ApiKeyId":              {Paths: []string{"apiKey", "apiKeyId"}},
			"HttpMethodType":        {Paths: []string{"httpMethod"}},
			"UrlEncodedResourceARN": {Paths: []string{"resourceArn"}, Transform: urlEscaped},
			// A REST API's resource (a path node) is its resourceId; an SDK
			// type is its id.
			"ResourceId": {Paths: []string{"resourceId"}},
			"Id":         {Paths: []string{"id"}},
		},
		PassRoles: map[string][]PassRule{
			"PutIntegration":    {{Paths: []string{"credentials"}, Service: "apigateway.amazonaws.com"}},
			"CreateIntegration": {{Paths: []string{"credentialsArn"}, Service: "apigateway.amazonaws.com"}},
		},
		Hooks: Hooks{Map: apigatewayActs},
	})
}

type apigatewayOp struct {
	verb     string
	rest, v2 string
}

var apigatewayOps = map[string]apigatewayOp{
	"GetAccount":    {"GET", "/account", ""},
	"UpdateAccount": {"PATCH", "/account", ""},

	// REST APIs and their resources, methods and integrations (v1).
	"GetRestApis":               {"GET", "/restapis", ""},
	"CreateRestApi":             {"POST", "/restapis", ""},
	"ImportRestApi":             {"POST", "/restapis", ""},
	"GetRestApi":                {"GET", "/restapis/${RestApiId}", ""},
	"PutRestApi":                {"PUT", "/restapis/${RestApiId}", ""},
	"UpdateRestApi":             {"PATCH", "/restapis/${RestApiId}", ""},
	"DeleteRestApi":             {"DELETE", "/restapis/${RestApiId}", ""},
	"GetResources":              {"GET", "/restapis/${RestApiId}/resources", ""},
	"GetResource":               {"GET", "/restapis/${RestApiId}/resources/${ResourceId}", ""},
	"CreateResource":            {"POST", "/restapis/${RestApiId}/resources/${ParentId}", ""},
	"UpdateResource":            {"PATCH", "/restapis/${RestApiId}/resources/${ResourceId}", ""},
	"DeleteResource":            {"DELETE", "/restapis/${RestApiId}/resources/${ResourceId}", ""},
	"GetMethod":                 {"GET", apigwMethod, ""},
	"PutMethod":                 {"PUT", apigwMethod, ""},
	"UpdateMethod":              {"PATCH", apigwMethod, ""},
	"DeleteMethod":              {"DELETE", apigwMethod, ""},
	"TestInvokeMethod":          {"POST", apigwMethod, ""},
	"GetMethodResponse":         {"GET", apigwMethod + "/responses/${StatusCode}", ""},
	"PutMethodResponse":         {"PUT", apigwMethod + "/responses/${StatusCode}", ""},
	"UpdateMethodResponse":      {"PATCH", apigwMethod + "/responses/${StatusCode}", ""},
	"DeleteMethodResponse":      {"DELETE", apigwMethod + "/responses/${StatusCode}", ""},
	"GetIntegration":            {"GET", apigwMethod + "/integration", apigwIntegration},
	"PutIntegration":            {"PUT", apigwMethod + "/integration", ""},
	"UpdateIntegration":         {"PATCH", apigwMethod + "/integration", apigwIntegration},
	"DeleteIntegration":         {"DELETE", apigwMethod + "/integration", apigwIntegration},
	"GetIntegrationResponse":    {"GET", apigwMethod + "/integration/responses/${StatusCode}", apigwIntegrationResponse},
	"PutIntegrationResponse":    {"PUT", apigwMethod + "/integration/responses/${StatusCode}", ""},
	"UpdateIntegrationResponse": {"PATCH", apigwMethod + "/integration/responses/${StatusCode}", apigwIntegrationResponse},
	"DeleteIntegrationResponse": {"DELETE", apigwMethod + "/integration/responses/${StatusCode}", apigwIntegrationResponse},
	"GetRequestValidators":      {"GET", "/restapis/${RestApiId}/requestvalidators", ""},
	"CreateRequestValidator":    {"POST", "/restapis/${RestApiId}/requestvalidators", ""},
	"GetRequestValidator":       {"GET", "/restapis/${RestApiId}/requestvalidators/${RequestValidatorId}", ""},
	"UpdateRequestValidator":    {"PATCH", "/restapis/${RestApiId}/requestvalidators/${RequestValidatorId}", ""},
	"DeleteRequestValidator":    {"DELETE", "/restapis/${RestApiId}/requestvalidators/${RequestValidatorId}", ""},
	"GetGatewayResponses":       {"GET", "/restapis/${RestApiId}/gatewayresponses", ""},
	"GetGatewayResponse":        {"GET", "/restapis/${RestApiId}/gatewayresponses/${ResponseType}", ""},
	"PutGatewayResponse":        {"PUT", "/restapis/${RestApiId}/gatewayresponses/${ResponseType}", ""},
	"UpdateGatewayResponse":     {"PATCH", "/restapis/${RestApiId}/gatewayresponses/${ResponseType}", ""},
	"DeleteGatewayResponse":     {"DELETE", "/restapis/${RestApiId}/gatewayresponses/${ResponseType}", ""},
	"GetDocumentationParts":     {"GET", "/restapis/${RestApiId}/documentation/parts", ""},
	"CreateDocumentationPart":   {"POST", "/restapis/${RestApiId}/documentation/parts", ""},
	"ImportDocumentationParts":  {"PUT", "/restapis/${RestApiId}/documentation/parts", ""},
	"GetDocumentationPart":      {"GET", "/restapis/${RestApiId}/documentation/parts/${DocumentationPartId}", ""},
	"UpdateDocumentationPart":   {"PATCH", "/restapis/${RestApiId}/documentation/parts/${DocumentationPartId}", ""},
	"DeleteDocumentationPart":   {"DELETE", "/restapis/${RestApiId}/documentation/parts/${DocumentationPartId}", ""},
	// The reference's DocumentationVersionId is the request's documentationVersion.
	"GetDocumentationVersions":   {"GET", "/restapis/${RestApiId}/documentation/versions", ""},
	"CreateDocumentationVersion": {"POST", "/restapis/${RestApiId}/documentation/versions", ""},
	"GetDocumentationVersion":    {"GET", "/restapis/${RestApiId}/documentation/versions/${DocumentationVersion}", ""},
	"UpdateDocumentationVersion": {"PATCH", "/restapis/${RestApiId}/documentation/versions/${DocumentationVersion}", ""},
	"DeleteDocumentationVersion": {"DELETE", "/restapis/${RestApiId}/documentation/versions/${DocumentationVersion}", ""},

	// Parts both versions have, under /restapis or /apis.
	"GetDeployments":   {"GET", "/restapis/${RestApiId}/deployments", "/apis/${ApiId}/deployments"},
	"CreateDeployment": {"POST", "/restapis/${RestApiId}/deployments", "/apis/${ApiId}/deployments"},
	"GetDeployment":    {"GET", "/restapis/${RestApiId}/deployments/${DeploymentId}", "/apis/${ApiId}/deployments/${DeploymentId}"},
	"UpdateDeployment": {"PATCH", "/restapis/${RestApiId}/deployments/${DeploymentId}", "/apis/${ApiId}/deployments/${DeploymentId}"},
	"DeleteDeployment": {"DELETE", "/restapis/${RestApiId}/deployments/${DeploymentId}", "/apis/${ApiId}/deployments/${DeploymentId}"},
	"GetStages":        {"GET", "/restapis/${RestApiId}/stages", "/apis/${ApiId}/stages"},
	"CreateStage":      {"POST", "/restapis/${RestApiId}/stages", "/apis/${ApiId}/stages"},
	"GetStage":         {"GET", "/restapis/${RestApiId}/stages/${StageName}", "/apis/${ApiId}/stages/${StageName}"},
	"UpdateStage":      {"PATCH", "/restapis/${RestApiId}/stages/${StageName}", "/apis/${ApiId}/stages/${StageName}"},
	"DeleteStage":      {"DELETE", "/restapis/${RestApiId}/stages/${StageName}", "/apis/${ApiId}/stages/${StageName}"},
	"GetAuthorizers":   {"GET", "/restapis/${RestApiId}/authorizers", "/apis/${ApiId}/authorizers"},
	"CreateAuthorizer": {"POST", "/restapis/${RestApiId}/authorizers", "/apis/${ApiId}/authorizers"},
	"GetAuthorizer":    {"GET", "/restapis/${RestApiId}/authorizers/${AuthorizerId}", "/apis/${ApiId}/authorizers/${AuthorizerId}"},
	"UpdateAuthorizer": {"PATCH", "/restapis/${RestApiId}/authorizers/${AuthorizerId}", "/apis/${ApiId}/authorizers/${AuthorizerId}"},
	"DeleteAuthorizer": {"DELETE", "/restapis/${RestApiId}/authorizers/${AuthorizerId}", "/apis/${ApiId}/authorizers/${AuthorizerId}"},
	"GetModels":        {"GET", "/restapis/${RestApiId}/models", "/apis/${ApiId}/models"},
	"CreateModel":      {"POST", "/restapis/${RestApiId}/models", "/apis/${ApiId}/models"},
	"GetModel":         {"GET", "/restapis/${RestApiId}/models/${ModelName}", "/apis/${ApiId}/models/${ModelId}"},
	"UpdateModel":      {"PATCH", "/restapis/${RestApiId}/models/${ModelName}", "/apis/${ApiId}/models/${ModelId}"},
	"DeleteModel":      {"DELETE", "/restapis/${RestApiId}/models/${ModelName}", "/apis/${ApiId}/models/${ModelId}"},
	"GetModelTemplate": {"GET", "/restapis/${RestApiId}/models/${ModelName}/default_template", "/apis/${ApiId}/models/${ModelId}/template"},

	// Stage operations of one version.
	"FlushStageCache":            {"DELETE", "/restapis/${RestApiId}/stages/${StageName}/cache/data", ""},
	"FlushStageAuthorizersCache": {"DELETE", "/restapis/${RestApiId}/stages/${StageName}/cache/authorizers", ""},
	"ResetAuthorizersCache":      {"DELETE", "", "/apis/${ApiId}/stages/${StageName}/cache/authorizers"},
	"DeleteAccessLogSettings":    {"DELETE", "", "/apis/${ApiId}/stages/${StageName}/accesslogsettings"},
	"DeleteRouteSettings":        {"DELETE", "", "/apis/${ApiId}/stages/${StageName}/routesettings/${RouteKey}"},
	"GetExport":                  {"GET", "/restapis/${RestApiId}/stages/${StageName}/exports/${ExportType}", ""},
	"GetSdk":                     {"GET", "/restapis/${RestApiId}/stages/${StageName}/sdks/${SdkType}", ""},
	"GetSdkTypes":                {"GET", "/sdktypes", ""},
	"GetSdkType":                 {"GET", "/sdktypes/${Id}", ""},
	"TestInvokeAuthorizer":       {"POST", "/restapis/${RestApiId}/authorizers/${AuthorizerId}", ""},

	// API keys, usage plans, client certificates (v1).
	"GetApiKeys":                {"GET", "/apikeys", ""},
	"CreateApiKey":              {"POST", "/apikeys", ""},
	"ImportApiKeys":             {"POST", "/apikeys", ""},
	"GetApiKey":                 {"GET", "/apikeys/${ApiKeyId}", ""},
	"UpdateApiKey":              {"PATCH", "/apikeys/${ApiKeyId}", ""},
	"DeleteApiKey":              {"DELETE", "/apikeys/${ApiKeyId}", ""},
	"GetUsagePlans":             {"GET", "/usageplans", ""},
	"CreateUsagePlan":           {"POST", "/usageplans", ""},
	"GetUsagePlan":              {"GET", "/usageplans/${UsagePlanId}", ""},
	"UpdateUsagePlan":           {"PATCH", "/usageplans/${UsagePlanId}", ""},
	"DeleteUsagePlan":           {"DELETE", "/usageplans/${UsagePlanId}", ""},
	"GetUsage":                  {"GET", "/usageplans/${UsagePlanId}/usage", ""},
	"GetUsagePlanKeys":          {"GET", "/usageplans/${UsagePlanId}/keys", ""},
	"CreateUsagePlanKey":        {"POST", "/usageplans/${UsagePlanId}/keys", ""},
	"GetUsagePlanKey":           {"GET", "/usageplans/${UsagePlanId}/keys/${KeyId}", ""},
	"DeleteUsagePlanKey":        {"DELETE", "/usageplans/${UsagePlanId}/keys/${KeyId}", ""},
	"UpdateUsage":               {"PATCH", "/usageplans/${UsagePlanId}/keys/${KeyId}/usage", ""},
	"GetClientCertificates":     {"GET", "/clientcertificates", ""},
	"GenerateClientCertificate": {"POST", "/clientcertificates", ""},
	"GetClientCertificate":      {"GET", "/clientcertificates/${ClientCertificateId}", ""},
	"UpdateClientCertificate":   {"PATCH", "/clientcertificates/${ClientCertificateId}", ""},
	"DeleteClientCertificate":   {"DELETE", "/clientcertificates/${ClientCertificateId}", ""},

	// Custom domain names, shared by both versions, and what maps them to
	// APIs: base path mappings (v1), API mappings (v2).
	"GetDomainNames":        {"GET", "/domainnames", "/domainnames"},
	"CreateDomainName":      {"POST", "/domainnames", "/domainnames"},
	"GetDomainName":         {"GET", "/domainnames/${DomainName}", "/domainnames/${DomainName}"},
	"UpdateDomainName":      {"PATCH", "/domainnames/${DomainName}", "/domainnames/${DomainName}"},
	"DeleteDomainName":      {"DELETE", "/domainnames/${DomainName}", "/domainnames/${DomainName}"},
	"GetBasePathMappings":   {"GET", "/domainnames/${DomainName}/basepathmappings", ""},
	"CreateBasePathMapping": {"POST", "/domainnames/${DomainName}/basepathmappings", ""},
	"GetBasePathMapping":    {"GET", "/domainnames/${DomainName}/basepathmappings/${BasePath}", ""},
	"UpdateBasePathMapping": {"PATCH", "/domainnames/${DomainName}/basepathmappings/${BasePath}", ""},
	"DeleteBasePathMapping": {"DELETE", "/domainnames/${DomainName}/basepathmappings/${BasePath}", ""},
	"GetApiMappings":        {"GET", "", "/domainnames/${DomainName}/apimappings"},
	"CreateApiMapping":      {"POST", "", "/domainnames/${DomainName}/apimappings"},
	"GetApiMapping":         {"GET", "", "/domainnames/${DomainName}/apimappings/${ApiMappingId}"},
	"UpdateApiMapping":      {"PATCH", "", "/domainnames/${DomainName}/apimappings/${ApiMappingId}"},
	"DeleteApiMapping":      {"DELETE", "", "/domainnames/${DomainName}/apimappings/${ApiMappingId}"},
	// A consumer's association of a VPC endpoint with a private domain
	// name; its DELETE names it by ARN (domainNameAccessAssociationArn).
	"GetDomainNameAccessAssociations":   {"GET", "${Account}:/domainnameaccessassociations", ""},
	"CreateDomainNameAccessAssociation": {"POST", "${Account}:/domainnameaccessassociations", ""},
	"DeleteDomainNameAccessAssociation": {"DELETE", "${Account}:/domainnameaccessassociations/domainname/${DomainName}/${SourceType}/${SourceId}", ""},

	// VPC links: v1's (to a Network Load Balancer) and v2's share a path.
	"GetVpcLinks":   {"GET", "/vpclinks", "/vpclinks"},
	"CreateVpcLink": {"POST", "/vpclinks", "/vpclinks"},
	"GetVpcLink":    {"GET", "/vpclinks/${VpcLinkId}", "/vpclinks/${VpcLinkId}"},
	"UpdateVpcLink": {"PATCH", "/vpclinks/${VpcLinkId}", "/vpclinks/${VpcLinkId}"},
	"DeleteVpcLink": {"DELETE", "/vpclinks/${VpcLinkId}", "/vpclinks/${VpcLinkId}"},

	// Tags, on the tagged resource's URL-encoded ARN. v2's TagResource is
	// a POST (apigatewayNeeds).
	"GetTags":       {"GET", apigwTags, apigwTags},
	"TagResource":   {"PUT", apigwTags, apigwTags},
	"UntagResource": {"DELETE", apigwTags, apigwTags},

	// HTTP and WebSocket APIs (v2).
	"GetApis":                     {"GET", "", "/apis"},
	"CreateApi":                   {"POST", "", "/apis"},
	"ImportApi":                   {"PUT", "", "/apis"},
	"GetApi":                      {"GET", "", "/apis/${ApiId}"},
	"UpdateApi":                   {"PATCH", "", "/apis/${ApiId}"},
	"ReimportApi":                 {"PUT", "", "/apis/${ApiId}"},
	"DeleteApi":                   {"DELETE", "", "/apis/${ApiId}"},
	"ExportApi":                   {"GET", "", "/apis/${ApiId}/exports/${Specification}"},
	"DeleteCorsConfiguration":     {"DELETE", "", "/apis/${ApiId}/cors"},
	"GetRoutes":                   {"GET", "", "/apis/${ApiId}/routes"},
	"CreateRoute":                 {"POST", "", "/apis/${ApiId}/routes"},
	"GetRoute":                    {"GET", "", "/apis/${ApiId}/routes/${RouteId}"},
	"UpdateRoute":                 {"PATCH", "", "/apis/${ApiId}/routes/${RouteId}"},
	"DeleteRoute":                 {"DELETE", "", "/apis/${ApiId}/routes/${RouteId}"},
	"DeleteRouteRequestParameter": {"DELETE", "", "/apis/${ApiId}/routes/${RouteId}/requestparameters/${RequestParameterKey}"},
	"GetRouteResponses":           {"GET", "", "/apis/${ApiId}/routes/${RouteId}/routeresponses"},
	"CreateRouteResponse":         {"POST", "", "/apis/${ApiId}/routes/${RouteId}/routeresponses"},
	"GetRouteResponse":            {"GET", "", "/apis/${ApiId}/routes/${RouteId}/routeresponses/${RouteResponseId}"},
	"UpdateRouteResponse":         {"PATCH", "", "/apis/${ApiId}/routes/${RouteId}/routeresponses/${RouteResponseId}"},
	"DeleteRouteResponse":         {"DELETE", "", "/apis/${ApiId}/routes/${RouteId}/routeresponses/${RouteResponseId}"},
	"GetIntegrations":             {"GET", "", "/apis/${ApiId}/integrations"},
	"CreateIntegration":           {"POST", "", "/apis/${ApiId}/integrations"},
	"GetIntegrationResponses":     {"GET", "", apigwIntegration + "/integrationresponses"},
	"CreateIntegrationResponse":   {"POST", "", apigwIntegration + "/integrationresponses"},
}

// Paths several rows share.
const (
	apigwMethod              = "/restapis/${RestApiId}/resources/${ResourceId}/methods/${HttpMethodType}"
	apigwIntegration         = "/apis/${ApiId}/integrations/${IntegrationId}"
	apigwIntegrationResponse = apigwIntegration + "/integrationresponses/${IntegrationResponseId}"
	apigwTags                = "/tags/${UrlEncodedResourceARN}"
)

// apigatewayNamed are operations authorized by a named action of their
// own rather than by a verb; the catalog's other named actions (the portal
// and routing rule actions) are the operation's own name.
var apigatewayNamed = map[string]string{
	"PutRoutingRule":                    "UpdateRoutingRule",
	"RejectDomainNameAccessAssociation": "RejectAccessAssociation",
}

// apigatewayAlso are named actions an operation needs besides its verb, on
// the action's own resource types: a consumer associating with a private
// domain name needs its owner's leave (the name's management policy).
var apigatewayAlso = map[string]string{
	"CreateDomainNameAccessAssociation": "CreateAccessAssociation",
}

// apigatewayVerbs gives the verb of an operation missing from the table by
// its name's first word; its path stays unknown.
var apigatewayVerbs = map[string]string{
	"Get": "GET", "Create": "POST", "Update": "PATCH", "Delete": "DELETE", "Put": "PUT",
	"Import": "POST", "Flush": "DELETE", "Test": "POST", "Generate": "POST", "Tag": "PUT", "Untag": "DELETE",
	"Reset": "DELETE", "Export": "GET", "Reimport": "PUT",
}

// apigatewayActs maps an API Gateway event to its verb action and path.
// Named actions the catalog holds (apigateway:UpdateRestApiPolicy, the
// portal actions) are used as they are.
func apigatewayActs(cat *catalog.Catalog, name string, req Request) ([]Act, string) {
	if op, ok := apigatewayOps[name]; ok {
		verb, path := op.verb, op.rest
		if op.v2 != "" && (path == "" || req.Has("apiId")) {
			path = op.v2
		}
		if name == "TagResource" && apigatewayV2ARN(req.First("resourceArn")) {
			verb = "POST"
		}
		if !cat.Exists("apigateway:" + verb) {
			return nil, "apigateway:" + verb
		}
		acts := []Act{{Action: "apigateway:" + verb, Template: apigatewayARN(privateDomainPath(path, req))}}
		if also, ok := apigatewayAlso[name]; ok && cat.Exists("apigateway:"+also) {
			acts = append(acts, Act{Action: "apigateway:" + also})
		}
		return acts, ""
	}
	if n, ok := apigatewayNamed[name]; ok {
		name = n
	}
	if cat.Exists("apigateway:" + name) {
		return Acts("apigateway:" + name), ""
	}
	for prefix, verb := range apigatewayVerbs {
		if rest, ok := strings.CutPrefix(name, prefix); ok && rest != "" && rest[0] >= 'A' && rest[0] <= 'Z' {
			if cat.Exists("apigateway:" + verb) {
				return []Act{{Action: "apigateway:" + verb, Template: Wildcard}}, ""
			}
		}
	}
	return nil, "apigateway:" + name
}

// apigatewayARN is the ARN template of a table path: API Gateway's ARNs
// have no account, except those of a few newer resources.
func apigatewayARN(path string) string {
	if strings.HasPrefix(path, "/") {
		return "arn:${Partition}:apigateway:${Region}::" + path
	}
	return "arn:${Partition}:apigateway:${Region}:" + path
}

// privateDomainPath rewrites a domain name's path for a private custom
// domain name, which a request names by its name and the domainNameId API
// Gateway gave it. The reference puts the account in the ARN of the name
// itself, not in those of its base path mappings.
func privateDomainPath(path string, req Request) string {
	const dn = "/domainnames/${DomainName}"
	rest, ok := strings.CutPrefix(path, dn)
	if !ok || !req.Has("domainNameId") {
		return path
	}
	if rest == "" {
		return "${Account}:" + dn + "+${DomainNameId}"
	}
	return dn + "+${DomainNameId}" + rest
}

// apigatewayV2ARN reports whether arn names an HTTP or WebSocket API or a
// part of one: only these tell v2's TagResource from v1's. The tag
// calls CloudFormation makes while creating an API name it "/v2/apis/…".
func apigatewayV2ARN(arn string) bool {
	i := strings.Index(arn, ":/")
	if i < 0 {
		return false
	}
	path := arn[i+2:]
	return strings.HasPrefix(path, "apis/") || strings.HasPrefix(path, "v2/")
}

// urlEscaped escapes a whole ARN as IAM's /tags/ resource holds it:
// arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Frestapis%2Fa1b2.
func urlEscaped(v string) (string, bool) {
	return strings.ReplaceAll(url.QueryEscape(v), "+", "%20"), strings.HasPrefix(v, "arn:")
}
