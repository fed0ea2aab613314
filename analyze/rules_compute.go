package analyze

import (
	"slices"
	"strings"
)

// Derivation rules for compute and containers: EC2, Lambda, ECS, ECR, EKS.

var computeRules = map[string]map[string]varRule{
	// EC2 logs ids in item sets (instancesSet.items.instanceId) and, for
	// CreateTags, every kind of id in one resourcesSet; each variable takes
	// only the ids of its kind, by prefix.
	"ec2": {
		"InstanceId": ec2ID("i-", "instanceId", "instancesSet.items.instanceId", "instanceIds"),
		"VolumeId":   ec2ID("vol-", "volumeId", "volumeSet.items.volumeId"),
		"SecurityGroupId": ec2ID("sg-", "groupId", "groupSet.items.groupId", "securityGroupIdSet.items.securityGroupId",
			"networkInterfaceSet.items.groupSet.items.groupId", "response.instancesSet.items.groupSet.items.groupId"),
		"SubnetId":           ec2ID("subnet-", "subnetId", "networkInterfaceSet.items.subnetId", "response.instancesSet.items.subnetId"),
		"VpcId":              ec2ID("vpc-", "vpcId"),
		"ImageId":            ec2ID("ami-", "imageId", "instancesSet.items.imageId"),
		"SnapshotId":         ec2ID("snap-", "snapshotId"),
		"NetworkInterfaceId": ec2ID("eni-", "networkInterfaceId"),
		"LaunchTemplateId":   ec2ID("lt-", "launchTemplateId", "launchTemplate.launchTemplateId"),
		"InternetGatewayId":  ec2ID("igw-", "internetGatewayId"),
		"RouteTableId":       ec2ID("rtb-", "routeTableId"),
		"NatGatewayId":       ec2ID("nat-", "natGatewayId"),
		"AllocationId":       ec2ID("eipalloc-", "allocationId"),
		"VpcEndpointId":      ec2ID("vpce-", "vpcEndpointId"),
		"VpcFlowLogId":       ec2ID("fl-", "flowLogId", "flowLogIds"),
		"KeyPairName":        {paths: []string{"keyName", "instancesSet.items.keyName"}},
		// A resource group (ARN resource-groups:…:group/NAME) is never
		// named by an EC2 request's groupName, a security group's.
		"GroupName": {},
	},
	"lambda": {
		"FunctionName": {paths: []string{"functionName"}, transform: lambdaFunctionName, qualifier: "qualifier"},
		"LayerName":    {paths: []string{"layerName"}, transform: lastColonSegment},
		"LayerVersion": {paths: []string{"versionNumber"}},
	},
	"ecs": {
		// The "default" cluster is what a call naming no cluster acts on;
		// a call on a resource ARN (TagResource) names its resource.
		"ClusterName": {paths: []string{"cluster", "clusters", "clusterName"}, transform: afterSlash, fallback: "default",
			when: func(req params) bool { return !req.has("resourceArn") }},
		"ServiceName":              {paths: []string{"service", "services", "serviceName"}, transform: afterSlash},
		"TaskId":                   {paths: []string{"task", "tasks"}, transform: afterSlash},
		"TaskDefinitionFamilyName": {paths: []string{"taskDefinition", "family"}, transform: taskDefFamily},
		// A family named without its revision runs its latest, which the
		// next registration replaces: any revision of the family.
		"TaskDefinitionRevisionNumber": {paths: []string{"taskDefinition"}, transform: taskDefRevision, fallback: "*", fallbackNote: taskDefFamilyNote},
	},
	"ecr": {
		"RepositoryName": {paths: []string{"repositoryName", "repositoryNames"}},
	},
	"eks": {
		"ClusterName": {paths: []string{"clusterName", "name"}},
		// The UUID EKS appends to a node group's or add-on's ARN is its
		// own; the name before it is exact.
		"UUID":                 {fallback: "*"},
		"IamIdentityType":      {paths: []string{"principalArn"}, transform: iamIdentityType},
		"IamIdentityAccountID": {paths: []string{"principalArn"}, transform: iamIdentityAccount},
		"IamIdentityName":      {paths: []string{"principalArn"}, transform: iamIdentityName},
	},
}

// ec2ID reads ids with the given prefix from paths and from CreateTags'
// resourcesSet.
func ec2ID(prefix string, paths ...string) varRule {
	return varRule{paths: append(paths, "resourcesSet.items.resourceId"), transform: idWithPrefix(prefix)}
}

// newEC2 is the rule of a resource an EC2 call creates: IAM checks
// "TYPE/*", since the id does not exist yet when it authorizes the call
// (a denied RunInstances names "instance/*").
var newEC2 = varRule{fallback: "*"}

// taskDefFamilyNote is the generalization of a task definition named by
// its family alone, or registered anew: its revision changes with each
// registration, so the exact ARN would break on the next deployment.
const taskDefFamilyNote = "a task definition named by its family (or registered anew) is any revision of it: family:*"

var computeActionRules = map[string]map[string]varRule{
	"ecs:RegisterTaskDefinition": {
		"TaskDefinitionFamilyName":     {paths: []string{"family"}},
		"TaskDefinitionRevisionNumber": {fallback: "*", fallbackNote: taskDefFamilyNote},
	},
	"ec2:RunInstances": {
		"InstanceId":         newEC2,
		"NetworkInterfaceId": newEC2,
		"VolumeId":           newEC2,
		"ImageId":            ec2ID("ami-", "imageId", "instancesSet.items.imageId", "response.instancesSet.items.imageId"),
	},
	"ec2:CreateVolume":           {"VolumeId": newEC2},
	"ec2:CreateSnapshot":         {"SnapshotId": newEC2},
	"ec2:CreateSnapshots":        {"SnapshotId": newEC2},
	"ec2:CreateSecurityGroup":    {"SecurityGroupId": newEC2},
	"ec2:CreateSubnet":           {"SubnetId": newEC2},
	"ec2:CreateVpc":              {"VpcId": newEC2},
	"ec2:CreateImage":            {"ImageId": newEC2, "SnapshotId": newEC2},
	"ec2:CreateNetworkInterface": {"NetworkInterfaceId": newEC2},
	"ec2:CreateLaunchTemplate":   {"LaunchTemplateId": newEC2},
	"ec2:CreateInternetGateway":  {"InternetGatewayId": newEC2},
	"ec2:CreateRouteTable":       {"RouteTableId": newEC2},
	"ec2:CreateNatGateway":       {"NatGatewayId": newEC2},
	"ec2:AllocateAddress":        {"AllocationId": newEC2},
	"ec2:CreateVpcEndpoint":      {"VpcEndpointId": newEC2},
	"ec2:CreateFlowLogs":         {"VpcFlowLogId": newEC2},
}

// ec2Wrapper names the object EC2's newer APIs log their parameters in:
// {"ModifyInstanceMetadataOptionsRequest": {"InstanceId": "i-…"}}, with
// list members as {"content": "i-…", "tag": 1}.
func ec2Wrapper(operation string) string { return operation + "Request" }

// wrappedPaths are paths with each top-level field also read inside
// wrapper, as itself and as the content of list members.
func wrappedPaths(wrapper string, paths []string) []string {
	out := slices.Clip(paths)
	for _, p := range paths {
		if !strings.Contains(p, ".") {
			out = append(out, wrapper+"."+p, wrapper+"."+p+".content")
		}
	}
	return out
}
