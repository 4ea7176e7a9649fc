import { CfnParameter, Duration, Lazy, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Connection, Host, ProviderType, RepositoryLink } from '../../src/codeconnections';
import { WARNINGS } from '../../src/core/warnings';
import { expectNagClean, testApp, testStack } from '../kit';

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
    expect(Object.values<any>(name)[0].Properties.ConnectionName.length).toBeLessThanOrEqual(32);
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
    const [output] = Object.values<any>(outputs);
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

  test.each([
    ['neither', {}, /give exactly one of providerType .* and host .*, got neither/],
    ['both', { providerType: ProviderType.GITHUB, host: 'HOST' }, /give exactly one of providerType .* got providerType GitHub and a host/],
    ['an installed provider without a host', { providerType: ProviderType.GITHUB_ENTERPRISE_SERVER }, /GitHubEnterpriseServer is an installed provider; connections to it go through a host/],
    ['a name too long', { providerType: ProviderType.GITHUB, connectionName: 'x'.repeat(33) }, /TestStack\/C: invalid connectionName: 'x{33}' has 33 characters; CodeConnections allows 1 to 32 characters\. Shorten it \(for example drop the provider or environment from the name\), or omit connectionName/],
    ['an empty name', { providerType: ProviderType.GITHUB, connectionName: '' }, /has 0 characters/],
    ['an unknown provider type', { providerType: ProviderType.of('Gitea') }, /invalid providerType: 'Gitea' is not one of Bitbucket, GitHub.*\. Use a ProviderType constant such as ProviderType.GITHUB/],
    ['a timeout without the wait', { providerType: ProviderType.GITHUB, availabilityTimeout: Duration.minutes(5) }, /only apply with waitForAvailability: true/],
    ['a timeout over 2 hours', { providerType: ProviderType.GITHUB, waitForAvailability: true, availabilityTimeout: Duration.hours(3) }, /availabilityTimeout must be between 1 minute and 2 hours .* got 3 hours/],
    ['a poll interval under 5 seconds', { providerType: ProviderType.GITHUB, waitForAvailability: true, availabilityPollInterval: Duration.seconds(1) }, /TestStack\/C: availabilityPollInterval must be a whole number of seconds between 5 seconds and 5 minutes, got 1 second; choose an interval in that range/],
    ['a poll interval over 5 minutes', { providerType: ProviderType.GITHUB, waitForAvailability: true, availabilityPollInterval: Duration.minutes(6) }, /availabilityPollInterval must be a whole number of seconds between 5 seconds and 5 minutes, got 6 minutes/],
    ['a poll interval of a fraction of a second', { providerType: ProviderType.GITHUB, waitForAvailability: true, availabilityPollInterval: Duration.millis(7500) }, /availabilityPollInterval must be a whole number of seconds .* got 7 seconds 500 millis/],
  ])('fails with %s', (_, props: any, message) => {
    if (props.host === 'HOST') props.host = Host.fromHostArn(stack, 'H', 'arn:aws:codeconnections:us-east-1:123456789012:host/h-1');
    expect(() => new Connection(stack, 'C', props)).toThrow(message);
  });

  test('accepts a token name without checking it', () => {
    expect(() => new Connection(stack, 'C', {
      providerType: ProviderType.GITHUB,
      connectionName: Lazy.string({ produce: () => 'x'.repeat(40) }),
    })).not.toThrow();
  });

  test('ProviderType.of rejects what cannot be a provider type', () => {
    expect(() => ProviderType.of('not a type')).toThrow(/a provider type is a single word such as 'GitHub', got 'not a type'/);
    expect(ProviderType.of('AzureDevOps').value).toBe('AzureDevOps');
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
    'arn:aws:codeconnections:us-east-1:12345:connection/abc',
  ])('fails for %s', arn => {
    expect(() => Connection.fromConnectionArn(stack, 'C', arn))
      .toThrow(`TestStack/C: '${arn}' is not a connection ARN; expected arn:<partition>:codeconnections:<region>:<account>:connection/<id>`);
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
            'codeconnections:UseConnection', 'codeconnections:GetConnection', 'codeconnections:GetConnectionToken',
            'codestar-connections:UseConnection', 'codestar-connections:GetConnection', 'codestar-connections:GetConnectionToken',
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
    const policy = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0];
    const resources = JSON.stringify(policy.Properties.PolicyDocument.Statement[0].Resource);
    expect(resources).toContain('"codeconnections"');
    expect(resources).toContain('"codestar-connections"');
    expect(resources).toContain('"Fn::GetAtt":["C3A7F9C12","ConnectionArn"]'.replace('C3A7F9C12', Object.keys(Template.fromStack(stack).findResources('AWS::CodeConnections::Connection'))[0]));
  });
});

describe('waitForAvailability', () => {
  test('holds consumers of the ARN behind a bounded wait', () => {
    const connection = new Connection(stack, 'C', {
      providerType: ProviderType.GITHUB, waitForAvailability: true, availabilityTimeout: Duration.minutes(20),
    });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    connection.grantUse(role);
    const template = Template.fromStack(stack);
    const waits = template.findResources('Custom::CdkDevtoolsConnectionAvailability');
    const [waitId, wait] = Object.entries<any>(waits)[0];
    expect(wait.Properties).toMatchObject({ Kind: 'connection', TimeoutSeconds: 1200 });
    expect(stack.resolve(connection.connectionArn)).toEqual({ 'Fn::GetAtt': [waitId, 'ResourceArn'] });
    expect(stack.resolve(connection.connectionStatus)).toEqual({ 'Fn::GetAtt': [waitId, 'Status'] });
    // The wait's own policy reads the connection under both prefixes.
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: ['codeconnections:GetConnection', 'codestar-connections:GetConnection'], Resource: [Match.anyValue(), Match.anyValue()] }] },
    });
    // The provider calls isComplete every 5 seconds (the shortest poll interval) with the framework's maximum
    // as backstop; the resource reads at its own interval.
    expect(wait.Properties).toMatchObject({ PollIntervalSeconds: 30, QueryIntervalSeconds: 5 });
    const machine = Object.values<any>(template.findResources('AWS::StepFunctions::StateMachine'))[0];
    const definition = JSON.stringify(machine.Properties.DefinitionString);
    expect(definition).toContain('\\"IntervalSeconds\\":5');
    expect(definition).toContain('\\"MaxAttempts\\":1440');
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('PENDING'));
    expectNagClean(stack);
  });

  test('handler functions run on a supported Node.js runtime with log retention', () => {
    new Connection(stack, 'C', { providerType: ProviderType.GITHUB, waitForAvailability: true });
    const template = Template.fromStack(stack);
    const functions = Object.values<any>(template.findResources('AWS::Lambda::Function', {
      Properties: { Handler: 'index.handler' },
    }));
    expect(functions).toHaveLength(2);
    for (const fn of functions) expect(fn.Properties.Runtime).toBe('nodejs24.x');
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });
});

describe('Connection.fromConnectionName', () => {
  test('looks the connection up at deploy time with a least-privilege policy', () => {
    const connection = Connection.fromConnectionName(stack, 'Existing', 'my-github', { providerType: ProviderType.GITHUB });
    const template = Template.fromStack(stack);
    const [lookupId, lookup] = Object.entries<any>(template.findResources('Custom::CdkDevtoolsConnectionLookup'))[0];
    expect(lookup.Properties).toMatchObject({ ConnectionName: 'my-github', ProviderTypeFilter: 'GitHub' });
    expect(lookup.Properties.HostArnFilter).toBeUndefined();
    expect(lookup.DependsOn).toEqual([expect.stringMatching(/^ExistingLookupPolicy/)]);
    expect(stack.resolve(connection.connectionArn)).toEqual({ 'Fn::GetAtt': [lookupId, 'ConnectionArn'] });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: ['codeconnections:ListConnections', 'codestar-connections:ListConnections'], Resource: '*' }] },
    });
    expectNagClean(stack);
  });

  test('filters by host', () => {
    const host = Host.fromHostArn(stack, 'H', 'arn:aws:codeconnections:us-east-1:123456789012:host/h-1');
    Connection.fromConnectionName(stack, 'Existing', 'ghes', { host });
    Template.fromStack(stack).hasResourceProperties('Custom::CdkDevtoolsConnectionLookup', {
      HostArnFilter: 'arn:aws:codeconnections:us-east-1:123456789012:host/h-1',
    });
  });

  test('fails for an invalid name at synth', () => {
    expect(() => Connection.fromConnectionName(stack, 'Existing', 'n'.repeat(40)))
      .toThrow(/invalid connectionName: 'n{40}' has 40 characters; CodeConnections allows 1 to 32 characters\. Give the name exactly as the console .* shows it, or import the connection with fromConnectionArn/);
  });
});

describe('one provider per family', () => {
  test('three lookups and two waits share one provider per family', () => {
    const app = testApp();
    const s = testStack(app);
    for (const name of ['a', 'b', 'c']) Connection.fromConnectionName(s, `Lookup-${name}`, name);
    new Connection(s, 'Wait1', { providerType: ProviderType.GITHUB, waitForAvailability: true, availabilityTimeout: Duration.minutes(10) });
    new Connection(s, 'Wait2', { providerType: ProviderType.GITLAB, waitForAvailability: true, availabilityTimeout: Duration.hours(2) });
    const template = Template.fromStack(s);
    template.resourceCountIs('Custom::CdkDevtoolsConnectionLookup', 3);
    template.resourceCountIs('Custom::CdkDevtoolsConnectionAvailability', 2);
    // lookup: onEvent + framework onEvent; availability: onEvent + isComplete + framework onEvent/isComplete/onTimeout
    template.resourceCountIs('AWS::Lambda::Function', 7);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    const families = s.node.children.filter(c => c.node.id.startsWith('cdk-devtools.')).map(c => c.node.id).sort();
    expect(families).toEqual(['cdk-devtools.CodeConnectionsAvailability-30s', 'cdk-devtools.CodeConnectionsConnectionLookup']);
    // every resource of a family uses the same service token
    const tokens = (type: string) => new Set(Object.values<any>(template.findResources(type)).map(r => JSON.stringify(r.Properties.ServiceToken)));
    expect(tokens('Custom::CdkDevtoolsConnectionLookup').size).toBe(1);
    expect(tokens('Custom::CdkDevtoolsConnectionAvailability').size).toBe(1);
  });

  test('providers are per stack, found through the construct tree', () => {
    const app = testApp();
    const a = testStack(app, 'A');
    const b = testStack(app, 'B');
    Connection.fromConnectionName(a, 'L', 'x');
    Connection.fromConnectionName(b, 'L', 'y');
    expect(Template.fromStack(a).findResources('AWS::Lambda::Function')).not.toEqual({});
    expect(Object.keys(Template.fromStack(b).findResources('Custom::CdkDevtoolsConnectionLookup'))).toHaveLength(1);
    expect(b.node.tryFindChild('cdk-devtools.CodeConnectionsConnectionLookup')).toBeDefined();
  });

  test('resources with different poll intervals share one provider, each with its own interval', () => {
    new Connection(stack, 'W1', { providerType: ProviderType.GITHUB, waitForAvailability: true });
    new Connection(stack, 'W2', { providerType: ProviderType.GITHUB, waitForAvailability: true, availabilityPollInterval: Duration.minutes(1) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    const waits = Object.values<any>(template.findResources('Custom::CdkDevtoolsConnectionAvailability'));
    expect(waits.map(w => w.Properties.PollIntervalSeconds).sort()).toEqual([30, 60]);
    expect(new Set(waits.map(w => JSON.stringify(w.Properties.ServiceToken))).size).toBe(1);
  });

  // CloudFormation refuses to change a custom resource's ServiceToken ("Modifying service token is not
  // allowed"), so changing a wait's poll interval must leave the provider as it was.
  test.each([
    ['Connection', (s: Stack, interval?: Duration) => new Connection(s, 'C', { providerType: ProviderType.GITHUB, waitForAvailability: true, availabilityPollInterval: interval })],
    ['Host', (s: Stack, interval?: Duration) => new Host(s, 'H', { hostName: 'ghes', providerType: ProviderType.GITHUB_ENTERPRISE_SERVER, providerEndpoint: 'https://ghes.example.com', waitForAvailability: true, availabilityPollInterval: interval })],
  ])('%s: changing the poll interval keeps the ServiceToken', (_, define) => {
    const synth = (interval?: Duration) => {
      const s = testStack(testApp(), 'S');
      define(s, interval);
      const template = Template.fromStack(s);
      const wait = Object.values<any>(template.findResources('Custom::CdkDevtoolsConnectionAvailability'))[0];
      const providers = s.node.children.filter(c => c.node.id.startsWith('cdk-devtools.')).map(c => c.node.path);
      return {
        token: wait.Properties.ServiceToken,
        providers,
        functions: Object.keys(template.findResources('AWS::Lambda::Function')).sort(),
        interval: wait.Properties.PollIntervalSeconds,
      };
    };
    const byDefault = synth();
    const every7s = synth(Duration.seconds(7));
    const everyMinute = synth(Duration.minutes(1));
    // The provider keeps the id of the former default (30 s) provider, so stacks deployed with the default keep their token.
    expect(byDefault.providers).toEqual(['S/cdk-devtools.CodeConnectionsAvailability-30s']);
    for (const other of [every7s, everyMinute]) {
      expect(other.token).toEqual(byDefault.token);
      expect(other.providers).toEqual(byDefault.providers);
      expect(other.functions).toEqual(byDefault.functions);
    }
    expect([byDefault.interval, every7s.interval, everyMinute.interval]).toEqual([30, 7, 60]);
  });
});
