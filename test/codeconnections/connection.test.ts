import { CfnOutput, CfnParameter, Duration, Lazy, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Connection, ConnectionProps, Host, ProviderType, RepositoryLink } from '../../src/codeconnections';
import { WARNINGS } from '../../src/core/warnings';
import { deployed, expectNagClean, footprintOf, kitRolesOf, referencedLogicalId, testApp, testStack, waitBoundError, waiterOf } from '../kit';

const CONNECTION_ARN = 'arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-1111-2222-3333-444455556666';
const LEGACY_ARN = 'arn:aws:codestar-connections:us-east-1:123456789012:connection/0a1b2c3d-1111-2222-3333-444455556666';

let stack: Stack;
beforeEach(() => {
  stack = testStack();
});

describe('Connection', () => {
  test('defines a GitHub connection with a generated name and warns that it starts PENDING', () => {
    const connection = new Connection(stack, 'GitHub', { providerType: ProviderType.GITHUB });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CodeConnections::Connection', {
      ConnectionName: Match.stringLikeRegexp('^TestStack-GitHub-[A-Za-z0-9-]+$'),
      ProviderType: 'GitHub',
      HostArn: Match.absent(),
    });
    const name = template.findResources('AWS::CodeConnections::Connection');
    expect(Object.values(name)[0].Properties.ConnectionName.length).toBeLessThanOrEqual(32);
    Annotations.fromStack(stack).hasWarning('/TestStack', Match.stringLikeRegexp('PENDING until someone completes their handshake .*: TestStack/GitHub\\.'));
    Annotations.fromStack(stack).hasWarning('/TestStack', Match.stringLikeRegexp(`\\[ack: ${WARNINGS.codeconnectionsPendingHandshake}\\]`));
    const id = Object.keys(name)[0];
    expect(stack.resolve(connection.connectionArn)).toEqual({ 'Fn::GetAtt': [id, 'ConnectionArn'] });
    expect(stack.resolve(connection.connectionStatus)).toEqual({ 'Fn::GetAtt': [id, 'ConnectionStatus'] });
    expect(stack.resolve(connection.connectionOwnerAccountId)).toEqual({ 'Fn::GetAtt': [id, 'OwnerAccountId'] });
    expectNagClean(stack);
  });

  test('uses the given name and tags', () => {
    const connection = new Connection(stack, 'C', { connectionName: 'my-github', providerType: ProviderType.BITBUCKET });
    Tags.of(connection).add('team', 'platform');
    Template.fromStack(stack).hasResourceProperties('AWS::CodeConnections::Connection', {
      ConnectionName: 'my-github',
      ProviderType: 'Bitbucket',
      Tags: [{ Key: 'team', Value: 'platform' }],
    });
    expect(connection.connectionName).toBe('my-github');
  });

  test('without createOutputs, no output', () => {
    new Connection(stack, 'C', { providerType: ProviderType.GITLAB });
    expect(Template.fromStack(stack).findOutputs('*')).toEqual({});
  });

  test('createOutputs: the handshake URL as a stack output', () => {
    const connection = new Connection(stack, 'C', { providerType: ProviderType.GITLAB, createOutputs: true });
    const template = Template.fromStack(stack);
    const outputs = template.findOutputs('*');
    const [output] = Object.values(outputs);
    expect(output.Description).toMatch(/Complete the handshake of connection TestStack\/C/);
    expect(JSON.stringify(stack.resolve(connection.handshakeUrl))).toContain('https://console.aws.amazon.com/codesuite/settings/');
    expect(JSON.stringify(output.Value)).toContain('/connections/');
  });

  test('connects through a host', () => {
    const host = Host.fromHostArn(stack, 'Host', 'arn:aws:codeconnections:us-east-1:123456789012:host/ghes-12345678');
    new Connection(stack, 'C', { host });
    Template.fromStack(stack).hasResourceProperties('AWS::CodeConnections::Connection', {
      HostArn: 'arn:aws:codeconnections:us-east-1:123456789012:host/ghes-12345678',
      ProviderType: Match.absent(),
    });
  });

  test.each<[string, Omit<ConnectionProps, 'host'> & { host?: 'HOST' }, RegExp]>([
    ['neither', {}, /give exactly one of providerType .* and host .*, got neither/],
    ['both', { providerType: ProviderType.GITHUB, host: 'HOST' }, /give exactly one of providerType .* got providerType GitHub and a host/],
    ['an installed provider without a host', { providerType: ProviderType.GITHUB_ENTERPRISE_SERVER }, /GitHubEnterpriseServer is an installed provider; connections to it go through a host/],
    ['a name too long', { providerType: ProviderType.GITHUB, connectionName: 'x'.repeat(33) }, /TestStack\/C: invalid connectionName: 'x{33}' has 33 characters; CodeConnections allows 1 to 32 characters\. Shorten it \(for example drop the provider or environment from the name\), or omit connectionName/],
    ['an empty name', { providerType: ProviderType.GITHUB, connectionName: '' }, /has 0 characters/],
    ['a provider type that cannot be one', { providerType: ProviderType.of('not a type') }, /^TestStack\/C: invalid providerType: 'not a type' \(from ProviderType\.of\) is not a provider type; CodeConnections names them with a single word of letters\. Use a ProviderType constant, e\.g\. ProviderType\.GITHUB, or the name as `aws codeconnections list-connections` shows it in providerType, e\.g\. ProviderType\.of\('AzureDevOps'\)$/],
    ['a timeout without the wait', { providerType: ProviderType.GITHUB, timeout: Duration.minutes(5) }, /timeout only applies with waitForAvailability: true/],
    ['a timeout over 45 minutes', { providerType: ProviderType.GITHUB, waitForAvailability: true, timeout: Duration.hours(1) }, waitBoundError('TestStack/C', 'timeout', '1 hour')],
    ['a poll interval under 5 seconds', { providerType: ProviderType.GITHUB, waitForAvailability: true, pollInterval: Duration.seconds(1) }, /TestStack\/C: pollInterval must be a whole number of seconds between 5 seconds and 5 minutes, got 1 second; choose an interval in that range/],
    ['a poll interval over 5 minutes', { providerType: ProviderType.GITHUB, waitForAvailability: true, pollInterval: Duration.minutes(6) }, /pollInterval must be a whole number of seconds between 5 seconds and 5 minutes, got 6 minutes/],
    ['a poll interval of a fraction of a second', { providerType: ProviderType.GITHUB, waitForAvailability: true, pollInterval: Duration.millis(7500) }, /pollInterval must be a whole number of seconds .* got 7 seconds 500 millis/],
  ])('fails with %s', (_, { host, ...props }, message) => {
    const withHost = host ? { ...props, host: Host.fromHostArn(stack, 'H', 'arn:aws:codeconnections:us-east-1:123456789012:host/h-1') } : props;
    expect(() => new Connection(stack, 'C', withHost)).toThrow(message);
  });

  test('accepts a token name without checking it', () => {
    expect(() => new Connection(stack, 'C', {
      providerType: ProviderType.GITHUB,
      connectionName: Lazy.string({ produce: () => 'x'.repeat(40) }),
    })).not.toThrow();
  });

  test('connects to a provider the API model does not list yet, as ProviderType.of() documents (AzureDevOps)', () => {
    new Connection(stack, 'C', { providerType: ProviderType.of('AzureDevOps') });
    Template.fromStack(stack).hasResourceProperties('AWS::CodeConnections::Connection', { ProviderType: 'AzureDevOps' });
  });

  test('ProviderType.of leaves the check to the construct that uses it, which names itself', () => {
    const odd = ProviderType.of('not a type');
    expect(odd.value).toBe('not a type');
    expect(() => new Host(stack, 'H', { providerType: ProviderType.of('Gitea server', true), providerEndpoint: 'https://git.example.com' }))
      .toThrow(/^TestStack\/H: invalid providerType: 'Gitea server' \(from ProviderType\.of\) is not a provider type/);
  });
});

describe('Connection.fromConnectionArn', () => {
  test.each([CONNECTION_ARN, LEGACY_ARN])('imports %s with its environment', arn => {
    const connection = Connection.fromConnectionArn(stack, 'C', arn);
    expect(connection.connectionArn).toBe(arn);
    expect(connection.connectionId).toBe('0a1b2c3d-1111-2222-3333-444455556666');
    expect(connection.env).toEqual({ account: '123456789012', region: 'us-east-1' });
  });

  test.each([
    'arn:aws:s3:::bucket',
    'arn:aws:codeconnections:us-east-1:123456789012:host/abc',
  ])('fails for %s', arn => {
    expect(() => Connection.fromConnectionArn(stack, 'C', arn))
      .toThrow(`TestStack/C: '${arn}' is not a connection ARN; expected arn:<partition>:codeconnections:<region>:<account>:connection/<id>`);
  });

  test('fails an account that is not 12 digits, saying so', () => {
    const arn = 'arn:aws:codeconnections:us-east-1:12345:connection/abc';
    expect(() => Connection.fromConnectionArn(stack, 'C', arn))
      .toThrow(`TestStack/C: invalid connection ARN: '${arn}' has the account '12345', but an AWS account id is 12 digits (e.g. 123456789012)`);
  });

  test('accepts a token ARN; its account and region are read from the ARN at deploy time', () => {
    const arn = new CfnParameter(stack, 'ConnectionArn').valueAsString;
    const connection = Connection.fromConnectionArn(stack, 'C', arn);
    expect(JSON.stringify(stack.resolve(connection.connectionId))).toMatch(/^\{"Fn::Select":\[1,/);
    expect(stack.resolve(connection.env)).toEqual({
      account: { 'Fn::Select': [4, { 'Fn::Split': [':', { Ref: 'ConnectionArn' }] }] },
      region: { 'Fn::Select': [3, { 'Fn::Split': [':', { Ref: 'ConnectionArn' }] }] },
    });
  });

  test.each([
    ['an empty account', 'arn:aws:codeconnections:us-east-1::connection/abc', 'an empty account'],
    ['an empty region', 'arn:aws:codestar-connections::123456789012:connection/abc', 'an empty region'],
  ])('fails an ARN with %s, saying where a complete ARN comes from', (_, arn, missing) => {
    expect(() => Connection.fromConnectionArn(stack, 'C', arn)).toThrow(
      `TestStack/C: invalid connection ARN: '${arn}' has ${missing}; an import takes its account and region from the ARN, so it must be `
      + 'arn:<partition>:codeconnections:<region>:<account>:connection/<id> (or the same under codestar-connections). Copy the '
      + "connection's ARN from the console (Developer Tools > Settings) or from `aws codeconnections list-connections`.");
  });

  test('a repository link ARN without an account fails the same way', () => {
    expect(() => RepositoryLink.fromRepositoryLinkArn(stack, 'L', 'arn:aws:codeconnections:us-east-1::repository-link/abc'))
      .toThrow(/TestStack\/L: invalid repository link ARN: .* has an empty account; .*`aws codeconnections list-repository-links`/);
  });
});

describe('grants', () => {
  test('grantUse grants use under both prefixes on both ARN forms', () => {
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('codepipeline.amazonaws.com') });
    Connection.fromConnectionArn(stack, 'C', CONNECTION_ARN).grantUse(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: [
            'codeconnections:GetConnection', 'codeconnections:GetConnectionToken', 'codeconnections:UseConnection',
            'codestar-connections:GetConnection', 'codestar-connections:GetConnectionToken', 'codestar-connections:UseConnection',
          ],
          Resource: [CONNECTION_ARN, LEGACY_ARN],
        }],
      },
    });
  });

  test('grant accepts prefixed and bare actions', () => {
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    Connection.fromConnectionArn(stack, 'C', LEGACY_ARN).grant(role, 'codestar-connections:PassConnection', 'PassConnection');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Action: ['codeconnections:PassConnection', 'codestar-connections:PassConnection'], Resource: [CONNECTION_ARN, LEGACY_ARN] }],
      },
    });
  });

  test('grants on a connection defined in the stack derive both ARN forms from its ARN', () => {
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    new Connection(stack, 'C', { providerType: ProviderType.GITHUB }).grantUse(role);
    const policy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0];
    const resources = JSON.stringify(policy.Properties.PolicyDocument.Statement[0].Resource);
    expect(resources).toContain('"codeconnections"');
    expect(resources).toContain('"codestar-connections"');
    expect(resources).toContain('"Fn::GetAtt":["C3A7F9C12","ConnectionArn"]'.replace('C3A7F9C12', Object.keys(Template.fromStack(stack).findResources('AWS::CodeConnections::Connection'))[0]));
  });
});

const AVAILABILITY = 'Custom::CdkDevtoolsConnectionAvailability';
const LOOKUP = 'Custom::CdkDevtoolsConnectionLookup';

/** The logical id of the only resource of a type whose properties match. */
function logicalIdOf(template: Template, type: string, props: Record<string, unknown> = {}): string {
  const ids = Object.keys(template.findResources(type, { Properties: props }));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** A wait's least-privilege statement: one read of the watched connection, under both IAM prefixes and on both ARN forms. */
const readConnection = (arn: string) => ({
  Effect: 'Allow',
  Action: ['codeconnections:GetConnection', 'codestar-connections:GetConnection'],
  Resource: [arn, arn.replace(':codeconnections:', ':codestar-connections:')],
});

/** The ARN of a connection of the test stack (the id is made up: only the template decides where it goes). */
const connectionArnOf = (id: string) => `arn:aws:codeconnections:us-east-1:123456789012:connection/${id}-1111-2222-3333-444455556666`;

const LIST_CONNECTIONS = {
  Effect: 'Allow',
  Action: ['codeconnections:ListConnections', 'codestar-connections:ListConnections'],
  Resource: '*',
};
/** A lookup's statements: list the connections, and read its own stack's status (a rollback keeps a deleted one). */
const LOOKUP_STATEMENTS = [LIST_CONNECTIONS, { Action: 'cloudformation:DescribeStacks', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } }];

describe('waitForAvailability', () => {
  test('holds consumers of the ARN behind a bounded wait whose role may only read that connection', () => {
    const connection = new Connection(stack, 'C', {
      providerType: ProviderType.GITHUB, waitForAvailability: true, timeout: Duration.minutes(20),
    });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    connection.grantUse(role);
    const template = Template.fromStack(stack);
    const waitId = logicalIdOf(template, AVAILABILITY);
    const connectionId = logicalIdOf(template, 'AWS::CodeConnections::Connection');
    const wait = template.findResources(AVAILABILITY)[waitId];
    expect(wait.Properties).toMatchObject({ Kind: 'connection', ResourceArn: { 'Fn::GetAtt': [connectionId, 'ConnectionArn'] } });
    expect(stack.resolve(connection.connectionArn)).toEqual({ 'Fn::GetAtt': [waitId, 'ResourceArn'] });
    expect(stack.resolve(connection.connectionStatus)).toEqual({ 'Fn::GetAtt': [waitId, 'Status'] });
    // Its kit role holds exactly the read of this connection, once deployed under both prefixes.
    const [kitRole] = kitRolesOf(template, AVAILABILITY);
    const arn = connectionArnOf('0a1b2c3d');
    expect(deployed(kitRole.statements, { [`${connectionId}.ConnectionArn`]: arn })).toEqual([readConnection(arn)]);
    // The provider calls isComplete at the stack's shortest poll interval (this wait's), with a 55-minute backstop;
    // the resource reads within its own timeout, and CloudFormation waits its hour for the answer.
    expect(wait.Properties).toMatchObject({ TimeoutSeconds: 1200, PollIntervalSeconds: 30, ServiceTimeout: '3600' });
    expect(waiterOf(template)).toMatchObject({ IntervalSeconds: 30, MaxAttempts: 110 });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('PENDING'));
    expectNagClean(stack);
  });

  test('handler functions run on a supported Node.js runtime with log retention', () => {
    new Connection(stack, 'C', { providerType: ProviderType.GITHUB, waitForAvailability: true });
    const template = Template.fromStack(stack);
    const functions = Object.values(template.findResources('AWS::Lambda::Function', {
      Properties: { Handler: 'index.handler' },
    }));
    expect(functions).toHaveLength(2);
    for (const fn of functions) expect(fn.Properties.Runtime).toBe('nodejs24.x');
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });
});

describe('Connection.fromConnectionName', () => {
  test('looks the connection up at deploy time with a least-privilege role', () => {
    const connection = Connection.fromConnectionName(stack, 'Existing', 'my-github', { providerType: ProviderType.GITHUB });
    const template = Template.fromStack(stack);
    const lookupId = logicalIdOf(template, LOOKUP);
    const lookup = template.findResources(LOOKUP)[lookupId];
    expect(lookup.Properties).toMatchObject({ ConnectionName: 'my-github', ProviderTypeFilter: 'GitHub' });
    expect(lookup.Properties.HostArnFilter).toBeUndefined();
    // A lookup does not wait.
    expect(lookup.Properties.TimeoutSeconds).toBeUndefined();
    expect(stack.resolve(connection.connectionArn)).toEqual({ 'Fn::GetAtt': [lookupId, 'ConnectionArn'] });
    const [kitRole] = kitRolesOf(template, LOOKUP);
    expect(kitRole.statements).toEqual(LOOKUP_STATEMENTS);
    // ListConnections has no resource-level permissions: the role accepts that one finding, with the reason.
    const suppressions = template.findResources('AWS::IAM::Role')[kitRole.roleLogicalId].Metadata.cdk_nag.rules_to_suppress;
    expect(suppressions).toEqual([{
      id: 'AwsSolutions-IAM5', applies_to: ['Resource::*'], reason: expect.stringMatching(/^ListConnections does not support resource-level permissions/),
    }]);
    expectNagClean(stack);
  });

  test('exposes the provider type, status and owner account the lookup reads, as deploy-time attributes', () => {
    const connection = Connection.fromConnectionName(stack, 'Existing', 'my-github');
    new CfnOutput(stack, 'Status', { value: connection.connectionStatus });
    const template = Template.fromStack(stack);
    const lookupId = logicalIdOf(template, LOOKUP);
    expect(stack.resolve(connection.connectionProviderType)).toEqual({ 'Fn::GetAtt': [lookupId, 'ProviderType'] });
    expect(stack.resolve(connection.connectionStatus)).toEqual({ 'Fn::GetAtt': [lookupId, 'ConnectionStatus'] });
    expect(stack.resolve(connection.connectionOwnerAccountId)).toEqual({ 'Fn::GetAtt': [lookupId, 'OwnerAccountId'] });
    template.hasOutput('Status', { Value: { 'Fn::GetAtt': [lookupId, 'ConnectionStatus'] } });
  });

  test('filters by host', () => {
    const host = Host.fromHostArn(stack, 'H', 'arn:aws:codeconnections:us-east-1:123456789012:host/h-1');
    Connection.fromConnectionName(stack, 'Existing', 'ghes', { host });
    Template.fromStack(stack).hasResourceProperties(LOOKUP, {
      HostArnFilter: 'arn:aws:codeconnections:us-east-1:123456789012:host/h-1',
    });
  });

  test('fails for an invalid name at synth', () => {
    expect(() => Connection.fromConnectionName(stack, 'Existing', 'n'.repeat(40)))
      .toThrow(/^TestStack\/Existing: invalid connectionName: 'n{40}' has 40 characters; CodeConnections allows 1 to 32 characters\. Give the name exactly as the console .* shows it, or import the connection with fromConnectionArn/);
    expect(() => Connection.fromConnectionName(stack, 'Odd', 'my-github', { providerType: ProviderType.of('Azure DevOps') }))
      .toThrow(/^TestStack\/Odd: invalid providerType: 'Azure DevOps' \(from ProviderType\.of\) is not a provider type/);
  });
});

describe('one provider per stack', () => {
  test('lookups and waits share the stack\'s one provider; resources with the same statements share a role', () => {
    const host = Host.fromHostArn(stack, 'H', 'arn:aws:codeconnections:us-east-1:123456789012:host/h-1');
    Connection.fromConnectionName(stack, 'Lookup-a', 'a');
    Connection.fromConnectionName(stack, 'Lookup-b', 'b', { providerType: ProviderType.GITHUB });
    Connection.fromConnectionName(stack, 'Lookup-c', 'c', { host });
    new Connection(stack, 'Wait1', { providerType: ProviderType.GITHUB, waitForAvailability: true, timeout: Duration.minutes(10) });
    new Connection(stack, 'Wait2', { providerType: ProviderType.GITLAB, waitForAvailability: true, timeout: Duration.minutes(45) });
    const template = Template.fromStack(stack);
    template.resourceCountIs(LOOKUP, 3);
    template.resourceCountIs(AVAILABILITY, 2);
    // The routing onEvent and isComplete, the framework's onEvent, isComplete and onTimeout, one waiter.
    expect(footprintOf(template)).toEqual({ functions: 5, stateMachines: 1 });
    const resources = [...Object.values(template.findResources(LOOKUP)), ...Object.values(template.findResources(AVAILABILITY))];
    expect(new Set(resources.map(r => JSON.stringify(r.Properties.ServiceToken))).size).toBe(1);

    // The lookups' statements do not depend on their filters: one role for all three.
    const lookupRoles = kitRolesOf(template, LOOKUP);
    expect(new Set(lookupRoles.map(r => r.roleLogicalId)).size).toBe(1);
    expect(lookupRoles[0].statements).toEqual(LOOKUP_STATEMENTS);

    // Each wait reads its own connection: a role each, holding only that read.
    const waitRoles = kitRolesOf(template, AVAILABILITY);
    expect(new Set([...lookupRoles, ...waitRoles].map(r => r.roleLogicalId)).size).toBe(3);
    const attributes = {
      [`${logicalIdOf(template, 'AWS::CodeConnections::Connection', { ProviderType: 'GitHub' })}.ConnectionArn`]: connectionArnOf('11111111'),
      [`${logicalIdOf(template, 'AWS::CodeConnections::Connection', { ProviderType: 'GitLab' })}.ConnectionArn`]: connectionArnOf('22222222'),
    };
    expect(waitRoles.map(r => deployed(r.statements, attributes))).toEqual([
      [readConnection(connectionArnOf('11111111'))],
      [readConnection(connectionArnOf('22222222'))],
    ]);
    // The kit roles are only the lookups' one and the waits' two, besides the provider's own.
    const kitRoleIds = Object.keys(template.findResources('AWS::IAM::Role', { Properties: { Path: '/cdk-devtools/' } }));
    expect(kitRoleIds.sort()).toEqual([...new Set([...lookupRoles, ...waitRoles].map(r => r.roleLogicalId))].sort());
    expectNagClean(stack);
  });

  test('providers are per stack: each stack has its own provider and roles', () => {
    const app = testApp();
    const a = testStack(app, 'A');
    const b = testStack(app, 'B');
    Connection.fromConnectionName(a, 'L', 'x');
    Connection.fromConnectionName(b, 'L', 'y');
    for (const s of [a, b]) {
      const template = Template.fromStack(s);
      expect(footprintOf(template)).toEqual({ functions: 5, stateMachines: 1 });
      // kitRolesOf fails unless the role the lookup names is in its own stack's template.
      expect(kitRolesOf(template, LOOKUP)[0].statements).toEqual(LOOKUP_STATEMENTS);
      const token = Object.values(template.findResources(LOOKUP))[0].Properties.ServiceToken;
      expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toContain(referencedLogicalId(token));
    }
  });

  test('resources with different poll intervals share one provider, each with its own interval; the provider calls at the shortest', () => {
    new Connection(stack, 'W1', { providerType: ProviderType.GITHUB, waitForAvailability: true });
    new Connection(stack, 'W2', { providerType: ProviderType.GITHUB, waitForAvailability: true, pollInterval: Duration.minutes(1) });
    const template = Template.fromStack(stack);
    expect(footprintOf(template)).toEqual({ functions: 5, stateMachines: 1 });
    const waits = Object.values(template.findResources(AVAILABILITY));
    expect(waits.map(w => w.Properties.PollIntervalSeconds).sort()).toEqual([30, 60]);
    expect(waiterOf(template)).toMatchObject({ IntervalSeconds: 30, told: '30' });
    expect(new Set(waits.map(w => JSON.stringify(w.Properties.ServiceToken))).size).toBe(1);
  });

  // CloudFormation refuses to change a custom resource's ServiceToken ("Modifying service token is not
  // allowed"), so changing a wait's poll interval must leave the provider as it was; the wait's statements
  // do not depend on it either, so it keeps its role.
  test.each([
    ['Connection', (s: Stack, interval?: Duration) => new Connection(s, 'C', { providerType: ProviderType.GITHUB, waitForAvailability: true, pollInterval: interval })],
    ['Host', (s: Stack, interval?: Duration) => new Host(s, 'H', { hostName: 'ghes', providerType: ProviderType.GITHUB_ENTERPRISE_SERVER, providerEndpoint: 'https://ghes.example.com', waitForAvailability: true, pollInterval: interval })],
  ])('%s: changing the poll interval keeps the ServiceToken and the role', (_, define) => {
    const synth = (interval?: Duration) => {
      const s = testStack(testApp(), 'S');
      define(s, interval);
      const template = Template.fromStack(s);
      const wait = Object.values(template.findResources(AVAILABILITY))[0];
      return {
        token: wait.Properties.ServiceToken,
        role: kitRolesOf(template, AVAILABILITY)[0].roleLogicalId,
        functions: Object.keys(template.findResources('AWS::Lambda::Function')).sort(),
        interval: wait.Properties.PollIntervalSeconds,
        timeout: wait.Properties.TimeoutSeconds,
      };
    };
    const byDefault = synth();
    const every7s = synth(Duration.seconds(7));
    const everyMinute = synth(Duration.minutes(1));
    expect(byDefault.functions).toHaveLength(5);
    for (const other of [every7s, everyMinute]) {
      expect(other.token).toEqual(byDefault.token);
      expect(other.role).toEqual(byDefault.role);
      expect(other.functions).toEqual(byDefault.functions);
    }
    expect([byDefault, every7s, everyMinute].map(r => [r.interval, r.timeout])).toEqual([[30, 2700], [7, 2700], [60, 2700]]);
  });
});
