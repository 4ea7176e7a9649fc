import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { Aspects, Duration, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CfnConnection } from 'aws-cdk-lib/aws-codeconnections';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { compactIntrinsics } from '../../src/core/compact';
import {
  FRAMEWORK_HAND_OFF, KitProvider, KitResource, MAX_POLL_INTERVAL, MAX_WAIT, resolveWait, WAIT_MARGIN,
} from '../../src/core/custom-resource';
import { assumeRole, clientConfig, withPropagationRetry } from '../../src/core/runtime/credentials';
import { QUERY_INTERVAL_VARIABLE, ROLE_ARN_PROPERTY } from '../../src/core/runtime/properties';
import { RESOURCE_TYPES } from '../../src/provider/bundles';
import { handler as routeIsComplete } from '../../src/provider/is-complete.lambda';
import { handler as routeOnEvent } from '../../src/provider/on-event.lambda';
import {
  awsError, createEvent, deployed, expectNagClean, footprintOf, handlerMocks, isCompleteEvent, kitRolesOf, nagErrors, testApp, testStack, waiterOf,
  testFamily,
} from '../kit';
import { exampleStack } from '../tools/readme-blocks';

const read = (arn: string) => new iam.PolicyStatement({ actions: ['amplify:GetApp'], resources: [arn] });

function resource(stack: Stack, id: string, statements: iam.PolicyStatement[], type = 'Custom::CdkDevtoolsTest') {
  return new KitResource(stack, id, { family: testFamily(type), properties: { Name: id }, statements });
}

describe('KitProvider: its cdk-nag acceptances', () => {
  /** Every cdk-nag acceptance in a template, as `<logical id> <rule> <appliesTo>`, and the bytes they take. */
  function acceptances(template: Template): { entries: string[]; bytes: number } {
    const entries: string[] = [];
    let bytes = 0;
    for (const [id, r] of Object.entries<any>(template.toJSON().Resources)) {
      const rules = r.Metadata?.cdk_nag?.rules_to_suppress;
      if (!rules) continue;
      bytes += JSON.stringify({ cdk_nag: r.Metadata.cdk_nag }).length;
      for (const rule of rules) entries.push(`${id} ${rule.id} ${JSON.stringify(rule.applies_to ?? [])}`);
    }
    return { entries, bytes };
  }

  test('are written once per stack, each on the one provider resource with the finding, however many kit resources there are', () => {
    const few = testStack();
    resource(few, 'R0', [read('arn:aws:amplify:us-east-1:123456789012:apps/a0')]);
    const many = testStack(undefined, 'Many');
    for (let i = 0; i < 60; i++) resource(many, `R${i}`, [read(`arn:aws:amplify:us-east-1:123456789012:apps/a${i}`)]);
    const [a, b] = [acceptances(Template.fromStack(few)), acceptances(Template.fromStack(many))];
    expect(b).toEqual(a);
    // Each acceptance once: no resource carries one twice, and no kit role or custom resource carries the provider's.
    expect(new Set(a.entries).size).toBe(a.entries.length);
    expect(a.entries.every(e => e.startsWith('cdkdevtoolsProvider') && !/Role[0-9a-f]{16}/.test(e))).toBe(true);
    expect(a.entries.filter(e => e.includes(' AwsSolutions-SF2 '))).toHaveLength(1);
    expect(a.entries.filter(e => e.includes(' AwsSolutions-IAM4 '))).toHaveLength(4);
    // Every acceptance names the exact findings, except the rules that have none (L1, SF2).
    expect(a.entries.filter(e => / AwsSolutions-IAM\d \[\]$/.test(e))).toEqual([]);
    expect(a.bytes).toBeLessThan(4000);
    expectNagClean(few);
    expectNagClean(many);
    // Also where the account is only known at deploy time (<AWS::AccountId> in the findings).
    const agnostic = new Stack(testApp(), 'Agnostic');
    resource(agnostic, 'R0', [read('arn:aws:amplify:us-east-1:123456789012:apps/a0')]);
    expectNagClean(agnostic);
  });
});

describe('KitProvider: acceptances of kit roles', () => {
  const jobs = (app: string) => new iam.PolicyStatement({
    actions: ['amplify:GetJob'], resources: [`arn:aws:amplify:us-east-1:123456789012:apps/${app}/branches/main/jobs/*`],
  });
  const acceptance = {
    id: 'AwsSolutions-IAM5',
    reason: 'job ids exist once a job starts',
    appliesTo: [{ regex: '/^Resource::arn:aws:amplify:us-east-1:123456789012:apps\\/[a-z0-9]+\\/branches\\/main\\/jobs\\/\\*$/' }],
  };

  test('are written once per stack, in the template\'s metadata, not on each role', () => {
    const stack = testStack();
    for (let i = 0; i < 20; i++) {
      new KitResource(stack, `R${i}`, { family: testFamily(), properties: {}, statements: [jobs(`a${i}`)], nagAcceptances: [acceptance] });
    }
    const template = Template.fromStack(stack).toJSON();
    expect(template.Metadata.cdk_nag.rules_to_suppress).toEqual([{ reason: acceptance.reason, id: acceptance.id, applies_to: acceptance.appliesTo }]);
    const roles = Object.values<any>(template.Resources).filter(r => r.Type === 'AWS::IAM::Role' && r.Properties.Path === '/cdk-devtools/');
    expect(roles).toHaveLength(20);
    expect(roles.filter(r => r.Metadata)).toEqual([]);
    expectNagClean(stack);
  });

  test('accept only the findings they name: another wildcard in the same stack is still reported', () => {
    const stack = testStack();
    new KitResource(stack, 'R', { family: testFamily(), properties: {}, statements: [jobs('a')], nagAcceptances: [acceptance] });
    new KitResource(stack, 'S', { family: testFamily(), properties: {}, statements: [read('arn:aws:amplify:us-east-1:123456789012:apps/*')] });
    expect(nagErrors(stack)).toEqual([expect.stringMatching(/AwsSolutions-IAM5\[Resource::arn:aws:amplify:us-east-1:123456789012:apps\/\*\]/)]);
  });

  test('that would cover any resource (no appliesTo, or Resource::*) are refused', () => {
    const stack = testStack();
    expect(() => new KitResource(stack, 'R', {
      family: testFamily(), properties: {}, statements: [read('*')], nagAcceptances: [{ id: 'AwsSolutions-IAM5', reason: 'any reason at all', appliesTo: ['Resource::*'] }],
    })).toThrow(/must name its findings by their ARN/);
  });
});

describe('KitProvider: compact kit role policies', () => {
  test('an ARN with a reference is one Fn::Sub, a split is selected once, and both deploy as the statements say', () => {
    const stack = testStack();
    const connection = new CfnConnection(stack, 'Source', { connectionName: 'github', providerType: 'GitHub' });
    const id = Fn.select(1, Fn.split('/', connection.attrConnectionArn, 2));
    const statements = [new iam.PolicyStatement({
      actions: ['codeconnections:GetConnection'],
      resources: [stack.formatArn({ service: 'codeconnections', resource: 'connection', resourceName: id }), `${connection.attrConnectionArn}/*`],
    })];
    new KitResource(stack, 'R', { family: testFamily(), properties: {}, statements });
    const [role] = kitRolesOf(Template.fromStack(stack), 'Custom::CdkDevtoolsTest');
    const written = role.statements[0].Resource;
    expect(written).toEqual([
      // A new app's flags write the partition of a known region literally, so the ARN has no reference to substitute.
      { 'Fn::Join': ['', ['arn:aws:codeconnections:us-east-1:123456789012:connection/', { 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': ['Source', 'ConnectionArn'] }] }] }]] },
      { 'Fn::Sub': '${Source.ConnectionArn}/*' },
    ]);
    const attributes = { 'Source.ConnectionArn': 'arn:aws:codeconnections:us-east-1:123456789012:connection/abc' };
    expect(deployed(written, attributes)).toEqual(deployed(stack.resolve(statements[0].toStatementJson()).Resource, attributes));
  });

  test('a resource writes its ServiceToken and RoleArn on one line each, deploying the same values, and its properties as given', () => {
    const stack = testStack();
    const connection = new CfnConnection(stack, 'Source', { connectionName: 'github', providerType: 'GitHub' });
    const kit = new KitResource(stack, 'R', {
      family: testFamily(),
      properties: { Connection: connection.attrConnectionArn, Joined: `${connection.attrConnectionArn}/x`, Name: 'n' },
      statements: [read('arn:aws:amplify:us-east-1:123456789012:apps/a')],
    });
    const template = Template.fromStack(stack);
    const [props] = Object.values<any>(template.findResources('Custom::CdkDevtoolsTest')).map(r => r.Properties);
    const [{ roleLogicalId }] = kitRolesOf(template, 'Custom::CdkDevtoolsTest');
    const onEvent = Object.keys(template.findResources('AWS::Lambda::Function')).find(id => id.includes('frameworkonEvent'))!;
    expect(props).toEqual({
      ServiceToken: { 'Fn::Sub': `\${${onEvent}.Arn}` },
      Connection: { 'Fn::GetAtt': ['Source', 'ConnectionArn'] },
      Joined: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Source', 'ConnectionArn'] }, '/x']] },
      Name: 'n',
      [ROLE_ARN_PROPERTY]: { 'Fn::Sub': `\${${roleLogicalId}.Arn}` },
    });
    const attributes = { 'Source.ConnectionArn': 'arn:c', [`${onEvent}.Arn`]: 'arn:f', [`${roleLogicalId}.Arn`]: 'arn:r' };
    expect(deployed(props, attributes)).toEqual({ ServiceToken: 'arn:f', Connection: 'arn:c', Joined: 'arn:c/x', Name: 'n', [ROLE_ARN_PROPERTY]: 'arn:r' });
    // The construct's own references stay references of the usual form.
    expect(stack.resolve(kit.role.roleArn)).toEqual({ 'Fn::GetAtt': [roleLogicalId, 'Arn'] });
  });

  test('a kit role and resource that reference another stack import the value, also after the role\'s policy was resolved before synth', () => {
    const app = testApp();
    const producer = testStack(app, 'Producer');
    const connection = new CfnConnection(producer, 'Source', { connectionName: 'github', providerType: 'GitHub' });
    const consumer = testStack(app, 'Consumer');
    const kit = new KitResource(consumer, 'R', {
      family: testFamily(),
      properties: { Connection: connection.attrConnectionArn },
      statements: [read(connection.attrConnectionArn)],
    });
    // What cdk-nag or a user's aspect does: read the policy and properties before references are assigned (prepare).
    const role = kit.role.node.defaultChild as iam.CfnRole;
    const early = consumer.resolve(role.policies);
    Aspects.of(consumer).add({ visit: node => { if (node === role) consumer.resolve(role.policies); } });
    expect(JSON.stringify(early)).toContain('{"Fn::GetAtt":["Source","ConnectionArn"]}');
    const template = Template.fromStack(consumer);
    const [{ roleLogicalId }] = kitRolesOf(template, 'Custom::CdkDevtoolsTest');
    // The producer's value as this stack reads another stack's (an import, whichever form the app's flags choose).
    const { Resources: resources } = template.toJSON();
    const [statement] = resources[roleLogicalId].Properties.Policies[0].PolicyDocument.Statement;
    expect(JSON.stringify(statement.Resource)).toContain('Producer');
    expect(statement.Resource).not.toEqual({ 'Fn::GetAtt': ['Source', 'ConnectionArn'] });
    template.hasResourceProperties('Custom::CdkDevtoolsTest', { Connection: statement.Resource, [ROLE_ARN_PROPERTY]: { 'Fn::Sub': `\${${roleLogicalId}.Arn}` } });
    expect(Object.keys(Template.fromStack(producer).toJSON().Outputs)).toHaveLength(1);
  });

  test('compactIntrinsics keeps literal ${...} text literal, avoids the names a string uses, and keeps a wildcard ARN with variables a join', () => {
    const value = { 'Fn::Join': ['', ['${aws:username}-', { Ref: 'V0' }, '-', { 'Fn::ImportValue': 'x' }]] };
    expect(compactIntrinsics(value)).toEqual({ 'Fn::Sub': ['${!aws:username}-${V0}-${V1}', { V1: { 'Fn::ImportValue': 'x' } }] });
    const literal = { 'Fn::Join': ['', ['${aws:username}/', { Ref: 'Name' }]] };
    expect(compactIntrinsics(literal)).toEqual({ 'Fn::Sub': '${!aws:username}/${Name}' });
    const wildcard = { 'Fn::Join': ['', [{ Ref: 'AWS::Partition' }, ':', { 'Fn::ImportValue': 'x' }, '/*']] };
    expect(compactIntrinsics(wildcard)).toEqual(wildcard);
    expect(compactIntrinsics({ 'Fn::Join': ['-', ['a', 'b']] })).toEqual({ 'Fn::Join': ['-', ['a', 'b']] });
  });
});

describe('KitProvider: a kit role as a grantee', () => {
  test('a grant to a kit role adds its statement beside the role\'s own policy, which stays as it was', () => {
    const kitIn = (stack: Stack) => new KitResource(stack, 'R', {
      family: testFamily(), properties: {}, statements: [read('arn:aws:amplify:us-east-1:123456789012:apps/a')],
    });
    const plain = testStack(undefined, 'Plain');
    kitIn(plain);
    const before = kitRolesOf(Template.fromStack(plain), 'Custom::CdkDevtoolsTest')[0];
    const stack = testStack();
    const kit = kitIn(stack);
    const other = new iam.Role(stack, 'Other', { assumedBy: new iam.AccountRootPrincipal() });
    other.grantAssumeRole(kit.role.grantPrincipal);
    iam.Grant.addToPrincipal({ grantee: kit.role, actions: ['amplify:ListApps'], resourceArns: ['*'] });
    const template = Template.fromStack(stack);
    const after = kitRolesOf(template, 'Custom::CdkDevtoolsTest')[0];
    expect(after).toEqual(before);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: after.roleLogicalId }],
      PolicyDocument: {
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Other'), 'Arn'] } },
          { Action: 'amplify:ListApps', Effect: 'Allow', Resource: '*' },
        ],
      },
    });
  });
});

describe('KitProvider: one provider per stack, a role per set of statements', () => {
  test('every resource type shares 5 functions and 1 state machine', () => {
    const stack = testStack();
    for (let i = 0; i < 4; i++) resource(stack, `R${i}`, [read(`arn:aws:amplify:us-east-1:123456789012:apps/a${i}`)], `Custom::CdkDevtoolsT${i % 2}`);
    const template = Template.fromStack(stack);
    expect(footprintOf(template)).toEqual({ functions: 5, stateMachines: 1 });
    const tokens = new Set(Object.values<any>({ ...template.findResources('Custom::CdkDevtoolsT0'), ...template.findResources('Custom::CdkDevtoolsT1') })
      .map(r => JSON.stringify(r.Properties.ServiceToken)));
    expect(tokens.size).toBe(1);
    expectNagClean(stack);
  });

  test('resources with the same statements share a role; others get their own, holding exactly their statements', () => {
    const stack = testStack();
    const a = resource(stack, 'A', [read('arn:aws:amplify:us-east-1:123456789012:apps/a')]);
    const b = resource(stack, 'B', [read('arn:aws:amplify:us-east-1:123456789012:apps/a')]);
    const c = resource(stack, 'C', [read('arn:aws:amplify:us-east-1:123456789012:apps/c')]);
    expect(a.role).toBe(b.role);
    expect(c.role).not.toBe(a.role);
    const roles = kitRolesOf(Template.fromStack(stack), 'Custom::CdkDevtoolsTest');
    expect(roles.map(r => r.statements)).toEqual([
      [{ Action: 'amplify:GetApp', Effect: 'Allow', Resource: 'arn:aws:amplify:us-east-1:123456789012:apps/a' }],
      [{ Action: 'amplify:GetApp', Effect: 'Allow', Resource: 'arn:aws:amplify:us-east-1:123456789012:apps/a' }],
      [{ Action: 'amplify:GetApp', Effect: 'Allow', Resource: 'arn:aws:amplify:us-east-1:123456789012:apps/c' }],
    ]);
    expect(roles[0].roleLogicalId).toBe(roles[1].roleLogicalId);
  });

  test('statements written with different tokens share a role when they resolve the same, also with a token object in them', () => {
    const stack = testStack();
    const arn = 'arn:aws:amplify:us-east-1:123456789012:apps/a';
    const literal = resource(stack, 'Literal', [read(arn)]);
    const lazy = resource(stack, 'Lazy', [read(Lazy.string({ produce: () => arn }))]);
    const again = resource(stack, 'Again', [read(arn)]);
    expect(lazy.role).toBe(literal.role);
    expect(again.role).toBe(literal.role);
    // A condition given as a token object (not a string): resolved, never keyed by its fields.
    const conditioned = (value: string) => new iam.PolicyStatement({
      actions: ['amplify:GetApp'], resources: [arn], conditions: { StringEquals: Lazy.any({ produce: () => ({ 'aws:ResourceTag/team': value }) }) },
    });
    const x = resource(stack, 'X', [conditioned('x')]);
    const y = resource(stack, 'Y', [conditioned('y')]);
    const x2 = resource(stack, 'X2', [conditioned('x')]);
    expect(y.role).not.toBe(x.role);
    expect(x2.role).toBe(x.role);
    expect(x.role).not.toBe(literal.role);
  });

  test('a role trusts only the handler role, lives under /cdk-devtools/, and the handlers may assume only such roles', () => {
    const stack = testStack();
    resource(stack, 'A', [read('arn:aws:amplify:us-east-1:123456789012:apps/a')]);
    const template = Template.fromStack(stack);
    const [{ roleLogicalId }] = kitRolesOf(template, 'Custom::CdkDevtoolsTest');
    const role = template.toJSON().Resources[roleLogicalId];
    expect(role.Properties.Path).toBe('/cdk-devtools/');
    const handlerRole = Object.keys(template.findResources('AWS::IAM::Role')).find(id => id.includes('HandlerRole'))!;
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: { 'Fn::Sub': `\${${handlerRole}.Arn}` } } },
    ]);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: handlerRole }],
      PolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Resource: 'arn:aws:iam::123456789012:role/cdk-devtools/*' }] },
    });
  });

  test('the role id follows the statements: changed statements move the resource to a new role', () => {
    const idFor = (app: string) => {
      const stack = testStack();
      return kitRolesOf(Template.fromStack((resource(stack, 'A', [read(`arn:aws:amplify:us-east-1:123456789012:apps/${app}`)]), stack)), 'Custom::CdkDevtoolsTest')[0].roleLogicalId;
    };
    expect(idFor('a')).toBe(idFor('a'));
    expect(idFor('a')).not.toBe(idFor('b'));
  });

  test('waits send their timeout and poll interval, and set CloudFormation\'s ServiceTimeout; other resources keep its default', () => {
    const stack = testStack();
    new KitResource(stack, 'W', { family: testFamily(), properties: {}, statements: [read('*')], wait: resolveWait(stack, { timeout: Duration.minutes(10) }) });
    resource(stack, 'N', [read('*')]);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::CdkDevtoolsTest', { ServiceTimeout: '3600', TimeoutSeconds: 600, PollIntervalSeconds: 30, QueryIntervalSeconds: Match.absent() });
    template.hasResourceProperties('Custom::CdkDevtoolsTest', { Name: 'N', ServiceTimeout: Match.absent(), TimeoutSeconds: Match.absent() });
  });

  test('a wait longer than what fits under CloudFormation\'s one hour fails at synth with the limit, why, and what to do', () => {
    const stack = testStack();
    const wait = (id: string, timeout: Duration) => resolveWait(new Construct(stack, id), { timeout });
    expect(() => wait('Max', MAX_WAIT)).not.toThrow();
    expect(() => wait('Hour', Duration.hours(1))).toThrow('TestStack/Hour: timeout must be between 1 minute and 45 minutes, got 1 hour: '
      + 'CloudFormation waits at most 1 hour for a custom resource\'s answer (ServiceTimeout), and a wait needs up to 15 minutes after its '
      + 'timeout to read once more, stop what it started and say why. Choose a timeout in that range, e.g. timeout: Duration.minutes(30), '
      + 'and follow longer work outside the deployment');
  });

  test('a wait\'s deadline, one more poll, the clean-up call and the hand-off end before CloudFormation\'s limit, with a margin', () => {
    const stack = testStack();
    new KitResource(stack, 'W', {
      family: testFamily(), properties: {}, statements: [read('*')], wait: resolveWait(stack, { timeout: MAX_WAIT, pollInterval: MAX_POLL_INTERVAL }),
    });
    const template = Template.fromStack(stack);
    const wait = Object.values<any>(template.findResources('Custom::CdkDevtoolsTest'))[0].Properties;
    const isComplete = Object.entries<any>(template.findResources('AWS::Lambda::Function')).find(([id]) => id.includes('ProviderIsComplete'))![1];
    const { IntervalSeconds, MaxAttempts } = waiterOf(template);
    // After the deadline the waiter asks again at most one interval after the call before it ended; that call
    // stops the work and explains; the framework then hands the answer to CloudFormation.
    const answeredBy = wait.TimeoutSeconds + IntervalSeconds + 2 * isComplete.Properties.Timeout + FRAMEWORK_HAND_OFF.toSeconds();
    expect({ answeredBy, limit: Number(wait.ServiceTimeout) }).toEqual({ answeredBy: 2700 + 300 + 240 + 60, limit: 3600 });
    expect(Number(wait.ServiceTimeout) - answeredBy).toBe(WAIT_MARGIN.toSeconds());
    // The framework's backstop (retries times the interval) comes no earlier than the longest answer, and before the limit.
    expect(IntervalSeconds * MaxAttempts).toBeGreaterThanOrEqual(answeredBy);
    expect(IntervalSeconds * MaxAttempts).toBeLessThan(Number(wait.ServiceTimeout));
  });
  test('a stack over CloudFormation\'s 500 resources fails at synth with what cdk-devtools added and what to do', () => {
    const stack = testStack();
    for (let i = 0; i < 250; i++) resource(stack, `R${i}`, [read(`arn:aws:amplify:us-east-1:123456789012:apps/a${i}`)]);
    expect(() => Template.fromStack(stack)).toThrow(/stack TestStack has 5\d\d resources, and CloudFormation allows 500 in one stack\. cdk-devtools custom resources in it: 250 Custom::CdkDevtoolsTest; .*another stack or a NestedStack/);
  });

  test('the provider is found through the construct tree, once per stack', () => {
    const stack = testStack();
    expect(KitProvider.of(stack)).toBe(KitProvider.of(resource(stack, 'A', [read('*')])));
  });
});

describe('credentials: handlers act as the resource\'s role', () => {
  const [sts] = handlerMocks(STSClient);
  const ROLE = 'arn:aws:iam::123456789012:role/cdk-devtools/Stack-Role-ABC';
  const creds = { AccessKeyId: 'ASIA1', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(0) };

  test('assumes the role the properties name', async () => {
    sts.on(AssumeRoleCommand, { RoleArn: ROLE }).resolves({ Credentials: creds });
    const config = clientConfig({ [ROLE_ARN_PROPERTY]: ROLE });
    await expect(config.credentials()).resolves.toMatchObject({ accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't' });
    await config.credentials();
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  test('assumes it in the session a family names (services record it as the caller), else in the default one', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: creds });
    await clientConfig({ [ROLE_ARN_PROPERTY]: ROLE }, 'cdk-devtools-run-abc').credentials();
    await clientConfig({ [ROLE_ARN_PROPERTY]: ROLE }).credentials();
    expect(sts.commandCalls(AssumeRoleCommand).map(c => c.args[0].input.RoleSessionName)).toEqual(['cdk-devtools-run-abc', 'cdk-devtools-handler']);
  });

  test('a role IAM has not propagated yet is retried; one never assumable fails with what to check', async () => {
    const sleeps: number[] = [];
    sts.on(AssumeRoleCommand).rejectsOnce(awsError('AccessDenied')).resolves({ Credentials: creds });
    await expect(assumeRole(ROLE, { sleep: async ms => { sleeps.push(ms); } })).resolves.toMatchObject({ accessKeyId: 'ASIA1' });
    expect(sleeps).toEqual([1000]);
    sts.on(AssumeRoleCommand).rejects(awsError('AccessDenied', 'not authorized to perform: sts:AssumeRole'));
    await expect(assumeRole(ROLE, { propagationMs: 5000, sleep: async ms => { sleeps.push(ms); } }))
      .rejects.toThrow(/could not assume its role .*Stack-Role-ABC: not authorized.*permissions boundary or SCP/);
  });

  test('other STS errors fail at once', async () => {
    sts.on(AssumeRoleCommand).rejects(awsError('RegionDisabledException'));
    await expect(assumeRole(ROLE, { sleep: async () => { throw new Error('no wait expected'); } })).rejects.toMatchObject({ name: 'RegionDisabledException' });
  });

  test('a resource without RoleArn is a construct/handler mismatch', () => {
    expect(() => clientConfig({})).toThrow(/property RoleArn is missing/);
  });
});

describe('routing by resource type', () => {
  test('every custom-resource type the README examples create is routed', () => {
    const created = new Set(Object.values<any>(Template.fromStack(exampleStack()).toJSON().Resources)
      .map(r => r.Type as string).filter(type => type.startsWith('Custom::CdkDevtools')));
    expect(created.size).toBeGreaterThan(10);
    expect([...created].filter(type => !RESOURCE_TYPES.includes(type))).toEqual([]);
  });

  test('an unknown type fails with what to do', async () => {
    await expect(routeOnEvent(createEvent({}, { resourceType: 'Custom::Nope' }))).rejects.toThrow(/no cdk-devtools handler serves Custom::Nope/);
  });

  test('a type that does not wait is complete at once; a wait not due answers without calling its handler', async () => {
    await expect(routeIsComplete(isCompleteEvent(createEvent({}, { resourceType: 'Custom::CdkDevtoolsConnectionLookup' }))))
      .resolves.toEqual({ IsComplete: true });
    const notDue = isCompleteEvent(createEvent({ TimeoutSeconds: 600, PollIntervalSeconds: 60 },
      { resourceType: 'Custom::CdkDevtoolsConnectionAvailability' }), { Data: { WaitStartedAt: String(Date.now() - 20_000) } });
    process.env[QUERY_INTERVAL_VARIABLE] = '10';
    try {
      await expect(routeIsComplete(notDue)).resolves.toEqual({ IsComplete: false });
    } finally {
      delete process.env[QUERY_INTERVAL_VARIABLE];
    }
  });
});

describe('withPropagationRetry: a role IAM has just propagated may lack its policy for a moment', () => {
  const [sts] = handlerMocks(STSClient);
  const ROLE = 'arn:aws:iam::123456789012:role/cdk-devtools/New';
  const creds = { AccessKeyId: 'ASIA1', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(0) };
  const noSleep = async () => undefined;

  test('after an AssumeRole that had to wait, an access-denied failure runs the call once more', async () => {
    sts.on(AssumeRoleCommand).rejectsOnce(awsError('AccessDenied')).resolves({ Credentials: creds });
    let calls = 0;
    const call = async () => {
      calls++;
      await assumeRole(ROLE, { sleep: noSleep });
      if (calls === 1) throw new Error('Reading the branch failed: AccessDeniedException: not authorized to perform: amplify:GetBranch');
      return 'done';
    };
    await expect(withPropagationRetry(call, 0, noSleep)).resolves.toBe('done');
    expect(calls).toBe(2);
  });

  test('without a propagation wait, or for another error, the failure stands', async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: creds });
    let calls = 0;
    const denied = async () => {
      calls++;
      await assumeRole(ROLE, { sleep: noSleep });
      throw awsError('AccessDeniedException');
    };
    await expect(withPropagationRetry(denied, 0, noSleep)).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(calls).toBe(1);
    sts.on(AssumeRoleCommand).rejectsOnce(awsError('AccessDenied')).resolves({ Credentials: creds });
    const other = async () => {
      calls++;
      await assumeRole(ROLE, { sleep: noSleep });
      throw awsError('ValidationException');
    };
    await expect(withPropagationRetry(other, 0, noSleep)).rejects.toMatchObject({ name: 'ValidationException' });
    expect(calls).toBe(2);
  });
});
