package analyze

import (
	"strings"

	"github.com/tailor-iam/tailor/catalog"
)

// API Gateway's control plane is authorized as HTTP verbs on the request's
// path (reference §4 C): GetRestApi needs apigateway:GET on
// arn:aws:apigateway:REGION::/restapis/ID. The table gives each operation
// its verb and path, for REST APIs (v1, restApiId) and for HTTP and
// WebSocket APIs (v2, apiId); operations of both versions that share a name
// pick the path by which id the request carries. Path variables are filled
// by the apigateway rules (rules_app.go) or, by default, from the request
// field of their lowerCamel name.
type apigatewayOp struct {
	verb     string
	rest, v2 string
}

var apigatewayOps = map[string]apigatewayOp{
	"GetAccount":                {"GET", "/account", ""},
	"UpdateAccount":             {"PATCH", "/account", ""},
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
	"GetMethod":                 {"GET", "/restapis/${RestApiId}/resources/${ResourceId}/methods/${HttpMethodType}", ""},
	"PutMethod":                 {"PUT", "/restapis/${RestApiId}/resources/${ResourceId}/methods/${HttpMethodType}", ""},
	"UpdateMethod":              {"PATCH", "/restapis/${RestApiId}/resources/${ResourceId}/methods/${HttpMethodType}", ""},
	"DeleteMethod":              {"DELETE", "/restapis/${RestApiId}/resources/${ResourceId}/methods/${HttpMethodType}", ""},
	"PutMethodResponse":         {"PUT", "/restapis/${RestApiId}/resources/${ResourceId}/methods/${HttpMethodType}/responses/${StatusCode}", ""},
	"GetIntegration":            {"GET", "/restapis/${RestApiId}/resources/${ResourceId}/methods/${HttpMethodType}/integration", "/apis/${ApiId}/integrations/${IntegrationId}"},
	"PutIntegration":            {"PUT", "/restapis/${RestApiId}/resources/${ResourceId}/methods/${HttpMethodType}/integration", ""},
	"UpdateIntegration":         {"PATCH", "/restapis/${RestApiId}/resources/${ResourceId}/methods/${HttpMethodType}/integration", "/apis/${ApiId}/integrations/${IntegrationId}"},
	"DeleteIntegration":         {"DELETE", "/restapis/${RestApiId}/resources/${ResourceId}/methods/${HttpMethodType}/integration", "/apis/${ApiId}/integrations/${IntegrationId}"},
	"PutIntegrationResponse":    {"PUT", "/restapis/${RestApiId}/resources/${ResourceId}/methods/${HttpMethodType}/integration/responses/${StatusCode}", ""},
	"GetDeployments":            {"GET", "/restapis/${RestApiId}/deployments", "/apis/${ApiId}/deployments"},
	"CreateDeployment":          {"POST", "/restapis/${RestApiId}/deployments", "/apis/${ApiId}/deployments"},
	"GetDeployment":             {"GET", "/restapis/${RestApiId}/deployments/${DeploymentId}", "/apis/${ApiId}/deployments/${DeploymentId}"},
	"DeleteDeployment":          {"DELETE", "/restapis/${RestApiId}/deployments/${DeploymentId}", "/apis/${ApiId}/deployments/${DeploymentId}"},
	"GetStages":                 {"GET", "/restapis/${RestApiId}/stages", "/apis/${ApiId}/stages"},
	"CreateStage":               {"POST", "/restapis/${RestApiId}/stages", "/apis/${ApiId}/stages"},
	"GetStage":                  {"GET", "/restapis/${RestApiId}/stages/${StageName}", "/apis/${ApiId}/stages/${StageName}"},
	"UpdateStage":               {"PATCH", "/restapis/${RestApiId}/stages/${StageName}", "/apis/${ApiId}/stages/${StageName}"},
	"DeleteStage":               {"DELETE", "/restapis/${RestApiId}/stages/${StageName}", "/apis/${ApiId}/stages/${StageName}"},
	"FlushStageCache":           {"DELETE", "/restapis/${RestApiId}/stages/${StageName}/cache/data", ""},
	"GetExport":                 {"GET", "/restapis/${RestApiId}/stages/${StageName}/exports/${ExportType}", ""},
	"GetSdk":                    {"GET", "/restapis/${RestApiId}/stages/${StageName}/sdks/${SdkType}", ""},
	"GetAuthorizers":            {"GET", "/restapis/${RestApiId}/authorizers", "/apis/${ApiId}/authorizers"},
	"CreateAuthorizer":          {"POST", "/restapis/${RestApiId}/authorizers", "/apis/${ApiId}/authorizers"},
	"GetAuthorizer":             {"GET", "/restapis/${RestApiId}/authorizers/${AuthorizerId}", "/apis/${ApiId}/authorizers/${AuthorizerId}"},
	"UpdateAuthorizer":          {"PATCH", "/restapis/${RestApiId}/authorizers/${AuthorizerId}", "/apis/${ApiId}/authorizers/${AuthorizerId}"},
	"DeleteAuthorizer":          {"DELETE", "/restapis/${RestApiId}/authorizers/${AuthorizerId}", "/apis/${ApiId}/authorizers/${AuthorizerId}"},
	"GetModels":                 {"GET", "/restapis/${RestApiId}/models", "/apis/${ApiId}/models"},
	"CreateModel":               {"POST", "/restapis/${RestApiId}/models", "/apis/${ApiId}/models"},
	"GetModel":                  {"GET", "/restapis/${RestApiId}/models/${ModelName}", "/apis/${ApiId}/models/${ModelId}"},
	"DeleteModel":               {"DELETE", "/restapis/${RestApiId}/models/${ModelName}", "/apis/${ApiId}/models/${ModelId}"},
	"GetRequestValidators":      {"GET", "/restapis/${RestApiId}/requestvalidators", ""},
	"CreateRequestValidator":    {"POST", "/restapis/${RestApiId}/requestvalidators", ""},
	"GetGatewayResponses":       {"GET", "/restapis/${RestApiId}/gatewayresponses", ""},
	"PutGatewayResponse":        {"PUT", "/restapis/${RestApiId}/gatewayresponses/${ResponseType}", ""},
	"GetApiKeys":                {"GET", "/apikeys", ""},
	"CreateApiKey":              {"POST", "/apikeys", ""},
	"GetApiKey":                 {"GET", "/apikeys/${ApiKeyId}", ""},
	"UpdateApiKey":              {"PATCH", "/apikeys/${ApiKeyId}", ""},
	"DeleteApiKey":              {"DELETE", "/apikeys/${ApiKeyId}", ""},
	"GetUsagePlans":             {"GET", "/usageplans", ""},
	"CreateUsagePlan":           {"POST", "/usageplans", ""},
	"GetUsagePlan":              {"GET", "/usageplans/${UsagePlanId}", ""},
	"UpdateUsagePlan":           {"PATCH", "/usageplans/${UsagePlanId}", ""},
	"DeleteUsagePlan":           {"DELETE", "/usageplans/${UsagePlanId}", ""},
	"GetUsagePlanKeys":          {"GET", "/usageplans/${UsagePlanId}/keys", ""},
	"CreateUsagePlanKey":        {"POST", "/usageplans/${UsagePlanId}/keys", ""},
	"DeleteUsagePlanKey":        {"DELETE", "/usageplans/${UsagePlanId}/keys/${KeyId}", ""},
	"GetDomainNames":            {"GET", "/domainnames", "/domainnames"},
	"CreateDomainName":          {"POST", "/domainnames", "/domainnames"},
	"GetDomainName":             {"GET", "/domainnames/${DomainName}", "/domainnames/${DomainName}"},
	"UpdateDomainName":          {"PATCH", "/domainnames/${DomainName}", "/domainnames/${DomainName}"},
	"DeleteDomainName":          {"DELETE", "/domainnames/${DomainName}", "/domainnames/${DomainName}"},
	"GetBasePathMappings":       {"GET", "/domainnames/${DomainName}/basepathmappings", ""},
	"CreateBasePathMapping":     {"POST", "/domainnames/${DomainName}/basepathmappings", ""},
	"DeleteBasePathMapping":     {"DELETE", "/domainnames/${DomainName}/basepathmappings/${BasePath}", ""},
	"CreateApiMapping":          {"POST", "", "/domainnames/${DomainName}/apimappings"},
	"GetApiMappings":            {"GET", "", "/domainnames/${DomainName}/apimappings"},
	"GetVpcLinks":               {"GET", "/vpclinks", "/vpclinks"},
	"CreateVpcLink":             {"POST", "/vpclinks", "/vpclinks"},
	"DeleteVpcLink":             {"DELETE", "/vpclinks/${VpcLinkId}", "/vpclinks/${VpcLinkId}"},
	"GetClientCertificates":     {"GET", "/clientcertificates", ""},
	"GenerateClientCertificate": {"POST", "/clientcertificates", ""},
	"GetApis":                   {"GET", "", "/apis"},
	"CreateApi":                 {"POST", "", "/apis"},
	"ImportApi":                 {"PUT", "", "/apis"},
	"GetApi":                    {"GET", "", "/apis/${ApiId}"},
	"UpdateApi":                 {"PATCH", "", "/apis/${ApiId}"},
	"ReimportApi":               {"PUT", "", "/apis/${ApiId}"},
	"DeleteApi":                 {"DELETE", "", "/apis/${ApiId}"},
	"ExportApi":                 {"GET", "", "/apis/${ApiId}/exports/${Specification}"},
	"GetRoutes":                 {"GET", "", "/apis/${ApiId}/routes"},
	"CreateRoute":               {"POST", "", "/apis/${ApiId}/routes"},
	"GetRoute":                  {"GET", "", "/apis/${ApiId}/routes/${RouteId}"},
	"UpdateRoute":               {"PATCH", "", "/apis/${ApiId}/routes/${RouteId}"},
	"DeleteRoute":               {"DELETE", "", "/apis/${ApiId}/routes/${RouteId}"},
	"GetIntegrations":           {"GET", "", "/apis/${ApiId}/integrations"},
	"CreateIntegration":         {"POST", "", "/apis/${ApiId}/integrations"},
	"UpdateCors":                {"PATCH", "", "/apis/${ApiId}/cors"},
	"DeleteCorsConfiguration":   {"DELETE", "", "/apis/${ApiId}/cors"},
}

// apigatewayVerbs gives the verb of an operation missing from the table by
// its name's first word; its path stays unknown.
var apigatewayVerbs = map[string]string{
	"Get": "GET", "Create": "POST", "Update": "PATCH", "Delete": "DELETE", "Put": "PUT",
	"Import": "POST", "Flush": "DELETE", "Test": "POST", "Generate": "POST", "Tag": "PUT", "Untag": "DELETE",
}

// apigatewayNeeds maps an API Gateway event to its verb action and path.
// Named actions the catalog holds (apigateway:UpdateRestApiPolicy, the
// portal actions) are used as they are.
func apigatewayNeeds(cat *catalog.Catalog, name string, req params) ([]Need, mapStatus, string) {
	if op, ok := apigatewayOps[name]; ok {
		a, ok := cat.Action("apigateway:" + op.verb)
		if !ok {
			return nil, unmapped, "apigateway:" + op.verb
		}
		path := op.rest
		if op.v2 != "" && (path == "" || req.has("apiId")) {
			path = op.v2
		}
		return []Need{{Action: a, Template: "arn:${Partition}:apigateway:${Region}::" + path, mapped: true}}, mapped, ""
	}
	if a, ok := cat.Action("apigateway:" + name); ok {
		return []Need{{Action: a, mapped: true}}, mapped, ""
	}
	for prefix, verb := range apigatewayVerbs {
		if rest, ok := strings.CutPrefix(name, prefix); ok && rest != "" && rest[0] >= 'A' && rest[0] <= 'Z' {
			if a, ok := cat.Action("apigateway:" + verb); ok {
				return []Need{{Action: a, Template: Wildcard, mapped: true}}, mapped, ""
			}
		}
	}
	return nil, unmapped, "apigateway:" + name
}
