package rules

import (
	"slices"
	"strings"

	"github.com/tailor-iam/tailor/catalog"
)

// Amazon EC2. It logs ids in item sets (instancesSet.items.instanceId)
// and, for CreateTags, every kind of id in one resourcesSet; each variable
// takes only the ids of its kind, by prefix. Its newer APIs log their
// parameters wrapped: {"ModifyInstanceMetadataOptionsRequest": {…}}.
func init() {
	register(&Service{
		Prefix: "ec2",
		Vars: map[string]VarRule{
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
			"KeyPairName":        {Paths: []string{"keyName", "instancesSet.items.keyName"}},
			// A resource group (ARN resource-groups:…:group/NAME) is never
			// named by an EC2 request's groupName, a security group's.
			"GroupName": {},
		},
		// A resource an EC2 call creates has no id yet when IAM authorizes
		// the call.
		ActionVars: map[string]map[string]VarRule{
			"RunInstances": {
				"InstanceId":         created,
				"NetworkInterfaceId": created,
				"VolumeId":           created,
				"ImageId":            ec2ID("ami-", "imageId", "instancesSet.items.imageId", "response.instancesSet.items.imageId"),
			},
			"CreateVolume":           {"VolumeId": created},
			"CreateSnapshot":         {"SnapshotId": created},
			"CreateSnapshots":        {"SnapshotId": created},
			"CreateSecurityGroup":    {"SecurityGroupId": created},
			"CreateSubnet":           {"SubnetId": created},
			"CreateVpc":              {"VpcId": created},
			"CreateImage":            {"ImageId": created, "SnapshotId": created},
			"CreateNetworkInterface": {"NetworkInterfaceId": created},
			"CreateLaunchTemplate":   {"LaunchTemplateId": created},
			"CreateInternetGateway":  {"InternetGatewayId": created},
			"CreateRouteTable":       {"RouteTableId": created},
			"CreateNatGateway":       {"NatGatewayId": created},
			"AllocateAddress":        {"AllocationId": created},
			"CreateVpcEndpoint":      {"VpcEndpointId": created},
			"CreateFlowLogs":         {"VpcFlowLogId": created},
		},
		Sides: map[Side]SideRule{
			// The instance an alarm's EC2 action acts on: its InstanceId
			// dimension (cloudwatch.go).
			AlarmInstance: {Vars: map[string]VarRule{"InstanceId": {Paths: []string{"dimensions.value"}, Transform: idWithPrefix("i-")}}},
		},
		// Checked against every resource type the catalog marks required:
		// RunInstances checks the subnet and security group it launches
		// into.
		AllRequired: map[string]bool{"RunInstances": true, "CreateNetworkInterface": true, "AttachVolume": true, "DetachVolume": true},
		// The request names an instance profile, whose role the event
		// doesn't show.
		PassRoles: map[string][]PassRule{
			"RunInstances": {{Paths: []string{"iamInstanceProfile.arn", "iamInstanceProfile.name"}, Service: "ec2.amazonaws.com", Profile: true}},
			"AssociateIamInstanceProfile": {{Paths: []string{"iamInstanceProfile.arn", "iamInstanceProfile.name",
				"AssociateIamInstanceProfileRequest.IamInstanceProfile.Arn", "AssociateIamInstanceProfileRequest.IamInstanceProfile.Name"},
				Service: "ec2.amazonaws.com", Profile: true}},
			"ReplaceIamInstanceProfileAssociation": {{Paths: []string{"iamInstanceProfile.arn", "iamInstanceProfile.name",
				"ReplaceIamInstanceProfileAssociationRequest.IamInstanceProfile.Arn", "ReplaceIamInstanceProfileAssociationRequest.IamInstanceProfile.Name"},
				Service: "ec2.amazonaws.com", Profile: true}},
			"CreateFlowLogs": {{Paths: []string{"deliverLogsPermissionArn", "deliverCrossAccountRole",
				"CreateFlowLogsRequest.DeliverLogsPermissionArn", "CreateFlowLogsRequest.DeliverCrossAccountRole"}, Service: "vpc-flow-logs.amazonaws.com"}},
		},
		Hooks: Hooks{Wrapper: ec2Wrapper, Implied: ec2TagOnCreate},
	})
}

// ec2ID reads ids with the given prefix from paths and from CreateTags'
// resourcesSet.
func ec2ID(prefix string, paths ...string) VarRule {
	return VarRule{Paths: append(paths, "resourcesSet.items.resourceId"), Transform: idWithPrefix(prefix)}
}

// ec2Wrapper names the object EC2's newer APIs log their parameters in:
// {"ModifyInstanceMetadataOptionsRequest": {"InstanceId": "i-…"}}, with
// list members as {"content": "i-…", "tag": 1}.
func ec2Wrapper(operation string) string { return operation + "Request" }

// ec2TagPaths are where EC2 logs the kinds of resource a call tags as it
// creates them; ec2WrappedTagPath is where they are inside the call's
// wrapper.
var ec2TagPaths = []string{"tagSpecificationSet.items.resourceType", "tagSpecifications.resourceType", ec2WrappedTagPath}

const ec2WrappedTagPath = "TagSpecification.ResourceType"

// ec2TagOnCreate: a call that tags what it creates needs ec2:CreateTags on
// any resource of each kind, in the form its catalog ARN has (an image or
// snapshot has no account, an IPAM no region): it does not exist yet.
func ec2TagOnCreate(cat *catalog.Catalog, event string, req Request) []Act {
	if event == "CreateTags" {
		return nil
	}
	var out []Act
	seen := map[string]bool{}
	paths := append(slices.Clip(ec2TagPaths), ec2Wrapper(event)+"."+ec2WrappedTagPath)
	for _, p := range paths {
		for _, kind := range req.Strings(p) {
			kind = strings.ToLower(kind)
			if seen[kind] {
				continue
			}
			seen[kind] = true
			if tmpl := AnyOfKind(cat, "ec2:CreateTags", kind); tmpl != "" {
				out = append(out, Act{Action: "ec2:CreateTags", Template: tmpl})
			}
		}
	}
	return out
}
