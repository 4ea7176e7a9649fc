import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Host, HostProps, ProviderType } from '../../src/codeconnections';
import { WARNINGS } from '../../src/core/warnings';
import { deployed, expectNagClean, footprintOf, kitRolesOf, testStack, waitBoundError } from '../kit';

const AVAILABILITY = 'Custom::CdkDevtoolsConnectionAvailability';
const HOST_ARN = 'arn:aws:codeconnections:us-east-1:123456789012:host/ghes-0123abcd';

/** A host wait's least-privilege statement: one read of the host, under both IAM prefixes and on both ARN forms. */
const readHost = (arn: string) => ({
  Effect: 'Allow',
  Action: ['codeconnections:GetHost', 'codestar-connections:GetHost'],
  Resource: [arn, arn.replace(':codeconnections:', ':codestar-connections:')],
});

let stack: Stack;
let vpc: ec2.Vpc;
beforeEach(() => {
  stack = testStack();
  vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1, restrictDefaultSecurityGroup: false });
  vpc.addFlowLog('FlowLog');
});

describe('Host', () => {
  test('defines a GitLab self-managed host reached through a VPC, with a security group it creates', () => {
    const host = new Host(stack, 'GitLab', {
      providerType: ProviderType.GITLAB_SELF_MANAGED,
      providerEndpoint: 'https://gitlab.example.com',
      vpc,
      tlsCertificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CodeConnections::Host', {
      Name: Match.stringLikeRegexp('^TestStack-GitLab-'),
      ProviderType: 'GitLabSelfManaged',
      ProviderEndpoint: 'https://gitlab.example.com',
      VpcConfiguration: {
        VpcId: { Ref: Match.stringLikeRegexp('^Vpc') },
        SubnetIds: [{ Ref: Match.stringLikeRegexp('PrivateSubnet1') }, { Ref: Match.stringLikeRegexp('PrivateSubnet2') }],
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^GitLabSecurityGroup'), 'GroupId'] }],
        TlsCertificate: Match.stringLikeRegexp('BEGIN CERTIFICATE'),
      },
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'CodeConnections host TestStack/GitLab',
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }],
    });
    expect(host.connections.securityGroups).toHaveLength(1);
    Annotations.fromStack(stack).hasWarning('/TestStack', Match.stringLikeRegexp('new hosts are PENDING .*: TestStack/GitLab\\.'));
    Annotations.fromStack(stack).hasWarning('/TestStack', Match.stringLikeRegexp(`\\[ack: ${WARNINGS.codeconnectionsPendingHostSetup}\\]`));
    expect(template.findOutputs('*')).toEqual({});
    expect(JSON.stringify(stack.resolve(host.setupUrl))).toContain('/hosts/');
    const hostId = Object.keys(template.findResources('AWS::CodeConnections::Host'))[0];
    expect(stack.resolve(host.hostId)).toEqual({ 'Fn::GetAtt': [hostId, 'HostId'] });
    expect(stack.resolve(host.hostArn)).toEqual({ 'Fn::GetAtt': [hostId, 'HostArn'] });
    expect(stack.resolve(host.hostStatus)).toEqual({ 'Fn::GetAtt': [hostId, 'Status'] });
  });

  test('uses the given subnets and security groups', () => {
    const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc });
    new Host(stack, 'H', {
      hostName: 'ghes',
      providerType: ProviderType.GITHUB_ENTERPRISE_SERVER,
      providerEndpoint: 'https://github.example.com',
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroups: [sg],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CodeConnections::Host', {
      Name: 'ghes',
      VpcConfiguration: {
        SubnetIds: [{ Ref: Match.stringLikeRegexp('PublicSubnet1') }, { Ref: Match.stringLikeRegexp('PublicSubnet2') }],
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Sg'), 'GroupId'] }],
      },
    });
  });

  test('with a VPC of isolated subnets only, uses them (the VPC\'s default selection)', () => {
    const isolated = new ec2.Vpc(stack, 'Isolated', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    new Host(stack, 'H', { providerType: ProviderType.GITLAB_SELF_MANAGED, providerEndpoint: 'https://gitlab.example.com', vpc: isolated });
    Template.fromStack(stack).hasResourceProperties('AWS::CodeConnections::Host', {
      VpcConfiguration: {
        VpcId: { Ref: Match.stringLikeRegexp('^Isolated') },
        SubnetIds: [{ Ref: Match.stringLikeRegexp('^IsolatedIsolatedSubnet1') }, { Ref: Match.stringLikeRegexp('^IsolatedIsolatedSubnet2') }],
      },
    });
  });

  test('without a VPC, has no VPC configuration', () => {
    new Host(stack, 'H', { providerType: ProviderType.GITHUB_ENTERPRISE_SERVER, providerEndpoint: 'https://github.example.com' });
    Template.fromStack(stack).hasResourceProperties('AWS::CodeConnections::Host', { VpcConfiguration: Match.absent() });
  });

  test('addConnection connects through the host; a wait holds the connection behind the host', () => {
    const host = new Host(stack, 'H', {
      providerType: ProviderType.GITHUB_ENTERPRISE_SERVER,
      providerEndpoint: 'https://github.example.com',
      waitForAvailability: true,
      timeout: Duration.minutes(30),
      createOutputs: true,
    });
    host.addConnection('Connection', { connectionName: 'ghes' });
    const template = Template.fromStack(stack);
    const [waitId, wait] = Object.entries(template.findResources(AVAILABILITY))[0];
    const hostId = Object.keys(template.findResources('AWS::CodeConnections::Host'))[0];
    expect(wait.Properties).toMatchObject({
      Kind: 'host', ResourceArn: { 'Fn::GetAtt': [hostId, 'HostArn'] }, TimeoutSeconds: 1800, PollIntervalSeconds: 30, ServiceTimeout: '3600',
    });
    template.hasResourceProperties('AWS::CodeConnections::Connection', { ConnectionName: 'ghes', HostArn: { 'Fn::GetAtt': [waitId, 'ResourceArn'] } });
    expect(stack.resolve(host.hostArn)).toEqual({ 'Fn::GetAtt': [waitId, 'ResourceArn'] });
    expect(stack.resolve(host.hostStatus)).toEqual({ 'Fn::GetAtt': [waitId, 'Status'] });
    // The wait's kit role may only read this host, under both prefixes and on both ARN forms.
    const [kitRole] = kitRolesOf(template, AVAILABILITY);
    expect(deployed(kitRole.statements, { [`${hostId}.HostArn`]: HOST_ARN })).toEqual([readHost(HOST_ARN)]);
    // createOutputs on the host outputs its set-up URL only; the connection has its own createOutputs.
    const outputs = Object.values(template.findOutputs('*'));
    expect(outputs).toHaveLength(1);
    expect(outputs[0].Description).toBe('Complete the set-up of host TestStack/H here');
    expectNagClean(stack);
  });

  test('a waiting host and its waiting connection each read only their own resource, through one provider', () => {
    const host = new Host(stack, 'H', {
      providerType: ProviderType.GITLAB_SELF_MANAGED, providerEndpoint: 'https://gitlab.example.com', waitForAvailability: true,
    });
    host.addConnection('Connection', { waitForAvailability: true, pollInterval: Duration.minutes(2) });
    const template = Template.fromStack(stack);
    const hostId = Object.keys(template.findResources('AWS::CodeConnections::Host'))[0];
    const connectionId = Object.keys(template.findResources('AWS::CodeConnections::Connection'))[0];
    const connectionArn = 'arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-1111-2222-3333-444455556666';
    const attributes = { [`${hostId}.HostArn`]: HOST_ARN, [`${connectionId}.ConnectionArn`]: connectionArn };
    const byKind = Object.fromEntries(Object.values(template.findResources(AVAILABILITY)).map((w, i) => [w.Properties.Kind, i]));
    const roles = kitRolesOf(template, AVAILABILITY);
    expect(roles).toHaveLength(2);
    expect(roles[0].roleLogicalId).not.toEqual(roles[1].roleLogicalId);
    expect(deployed(roles[byKind.host].statements, attributes)).toEqual([readHost(HOST_ARN)]);
    expect(deployed(roles[byKind.connection].statements, attributes)).toEqual([{
      Effect: 'Allow',
      Action: ['codeconnections:GetConnection', 'codestar-connections:GetConnection'],
      Resource: [connectionArn, connectionArn.replace(':codeconnections:', ':codestar-connections:')],
    }]);
    expect(footprintOf(template)).toEqual({ functions: 5, stateMachines: 1 });
    expectNagClean(stack);
  });

  test.each([
    ['a cloud provider', { providerType: ProviderType.GITHUB, providerEndpoint: 'https://github.com' }, /hosts are for installed providers .* got providerType GitHub; connect to GitHub with a Connection and no host/],
    ['an endpoint that is not a URL', { providerType: ProviderType.GITLAB_SELF_MANAGED, providerEndpoint: 'gitlab.example.com' }, /providerEndpoint must be the http\(s\) URL of the provider's server, such as https:\/\/github.example.com, got 'gitlab.example.com'/],
    ['an ftp endpoint', { providerType: ProviderType.GITLAB_SELF_MANAGED, providerEndpoint: 'ftp://gitlab.example.com' }, /providerEndpoint must be the http\(s\) URL/],
    ['an endpoint too long', { providerType: ProviderType.GITLAB_SELF_MANAGED, providerEndpoint: `https://${'a'.repeat(520)}.com` }, /invalid providerEndpoint: .* has 532 characters; CodeConnections allows 1 to 512 characters\. Give the base URL of the provider's server, such as https:\/\/gitlab.example.com, without a path or query/],
    ['a name too long', { hostName: 'h'.repeat(65), providerType: ProviderType.GITLAB_SELF_MANAGED, providerEndpoint: 'https://g.example.com' }, /invalid hostName: 'h{65}' has 65 characters; CodeConnections allows 1 to 64 characters\. Shorten it \(for example to the server's short host name/],
    ['VPC details without a VPC', { providerType: ProviderType.GITLAB_SELF_MANAGED, providerEndpoint: 'https://g.example.com', tlsCertificate: 'x' }, /give vpc too, or remove them/],
    ['a wait past CloudFormation\'s hour', { providerType: ProviderType.GITLAB_SELF_MANAGED, providerEndpoint: 'https://g.example.com', waitForAvailability: true, timeout: Duration.minutes(46) },
      waitBoundError('TestStack/H', 'timeout', '46 minutes')],
  ])('fails with %s', (_, props: HostProps, message) => {
    expect(() => new Host(stack, 'H', props)).toThrow(message);
  });

  test('fails a TLS certificate the API refuses, saying which certificate to give', () => {
    expect(() => new Host(stack, 'H', {
      providerType: ProviderType.GITLAB_SELF_MANAGED, providerEndpoint: 'https://g.example.com', vpc, tlsCertificate: 'c'.repeat(16385),
    })).toThrow(/invalid tlsCertificate: .* has 16385 characters; CodeConnections allows 1 to 16384 characters\. Give only the certificate of the authority/);
  });

  test('fails with more than 10 subnets, with a selection that keeps fewer', () => {
    const subnetConfiguration = Array.from({ length: 11 }, (_, i) => ({ name: `s${i}`, subnetType: ec2.SubnetType.PUBLIC, cidrMask: 28 }));
    const wide = new ec2.Vpc(stack, 'Wide', { maxAzs: 1, natGateways: 0, subnetConfiguration, restrictDefaultSecurityGroup: false });
    expect(() => new Host(stack, 'H', {
      providerType: ProviderType.GITLAB_SELF_MANAGED, providerEndpoint: 'https://g.example.com', vpc: wide, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    })).toThrow(/invalid vpcSubnets: .* has 11 items; CodeConnections allows 1 to 10 items\. Select fewer subnets, e.g. `\{ subnetType: SubnetType.PRIVATE_WITH_EGRESS, onePerAz: true \}`/);
  });

  test('fails with more than 10 security groups', () => {
    const groups = Array.from({ length: 11 }, (_, i) => new ec2.SecurityGroup(stack, `Sg${i}`, { vpc }));
    expect(() => new Host(stack, 'H', {
      providerType: ProviderType.GITLAB_SELF_MANAGED, providerEndpoint: 'https://g.example.com', vpc, securityGroups: groups,
    })).toThrow(/invalid securityGroups: .* has 11 items; CodeConnections allows 1 to 10 items\. Merge the rules into fewer groups, or omit securityGroups/);
  });
});

describe('Host.fromHostArn', () => {
  test('imports either ARN form', () => {
    const host = Host.fromHostArn(stack, 'H', 'arn:aws:codestar-connections:eu-west-1:123456789012:host/gl-abc123');
    expect(host.hostId).toBe('gl-abc123');
    expect(host.env.region).toBe('eu-west-1');
  });

  test('fails an ARN without a region, naming the command that lists hosts', () => {
    expect(() => Host.fromHostArn(stack, 'H', 'arn:aws:codeconnections::123456789012:host/gl-abc123'))
      .toThrow(/TestStack\/H: invalid host ARN: 'arn:aws:codeconnections::123456789012:host\/gl-abc123' has an empty region; .*`aws codeconnections list-hosts`/);
  });

  test('fails for a connection ARN', () => {
    expect(() => Host.fromHostArn(stack, 'H', 'arn:aws:codeconnections:us-east-1:123456789012:connection/abc'))
      .toThrow(/is not a host ARN; expected arn:<partition>:codeconnections:<region>:<account>:host\/<id>/);
  });
});
