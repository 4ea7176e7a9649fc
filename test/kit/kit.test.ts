import {
  CodeStarConnectionsClient, CreateConnectionCommand, GetConnectionCommand, ListConnectionsCommand,
} from '@aws-sdk/client-codestar-connections';
import { CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import {
  asCloudFormationProperties, awsError, createEvent, deleteEvent, expectNagClean, expectValidSdkInputs,
  isCompleteEvent, nagErrors, resetStrict, sdkInputProblems, strictMock, testApp, testStack, updateEvent,
} from '.';
import { VALIDATOR_GLOBAL } from './environment';
import { CODECONNECTIONS_API } from '../../src/codeconnections/private/api-constraints';

describe('testApp: every template passes CloudFormation validation', () => {
  test('fails an unknown property on an L1', () => {
    const stack = testStack();
    new CfnResource(stack, 'Bucket', { type: 'AWS::S3::Bucket', properties: { NotAProperty: 'x' } });
    expect(() => Template.fromStack(stack)).toThrow(/NotAProperty.*was unexpected/s);
  });

  test('fails a missing required property', () => {
    const stack = testStack();
    new CfnResource(stack, 'Connection', { type: 'AWS::CodeConnections::Connection', properties: { ProviderType: 'GitHub' } });
    expect(() => Template.fromStack(stack)).toThrow(/ConnectionName/);
  });

  test('fails an unknown resource type', () => {
    const stack = testStack();
    new CfnResource(stack, 'Thing', { type: 'AWS::CodeConnections::Nothing', properties: {} });
    expect(() => Template.fromStack(stack)).toThrow(/AWS::CodeConnections::Nothing/);
  });

  test('fails a property of the wrong type', () => {
    const stack = testStack();
    new CfnResource(stack, 'Bucket', { type: 'AWS::S3::Bucket', properties: { BucketName: { nested: true } } });
    expect(() => Template.fromStack(stack)).toThrow(/BucketName/);
  });

  test('passes a valid template', () => {
    const stack = testStack();
    new CfnResource(stack, 'Bucket', { type: 'AWS::S3::Bucket', properties: { BucketName: 'valid-name' } });
    Template.fromStack(stack).resourceCountIs('AWS::S3::Bucket', 1);
  });

  test('testStack has a concrete environment', () => {
    const stack = testStack(testApp(), 'Env');
    expect(stack.account).toBe('123456789012');
    expect(stack.region).toBe('us-east-1');
  });
});

describe('nag', () => {
  test('reports an unsuppressed AwsSolutions error', () => {
    const stack = testStack();
    new s3.Bucket(stack, 'Bucket', { removalPolicy: RemovalPolicy.DESTROY });
    expect(nagErrors(stack)).toEqual(expect.arrayContaining([expect.stringMatching(/AwsSolutions-S1/), expect.stringMatching(/AwsSolutions-S10/)]));
  });

  test('is clean when findings are suppressed with a reason', () => {
    const stack = testStack();
    const bucket = new s3.Bucket(stack, 'Bucket', { enforceSSL: true });
    NagSuppressions.addResourceSuppressions(bucket, [{ id: 'AwsSolutions-S1', reason: 'a test bucket receives no traffic worth logging' }]);
    expectNagClean(stack);
  });
});

describe('custom-resource events', () => {
  const props = { Name: 'n', Count: 3, Wait: true, Nested: { Limit: 5 }, List: [1, 'a'] };

  test('turns numbers and booleans into strings, as CloudFormation does', () => {
    expect(asCloudFormationProperties(props)).toEqual({ Name: 'n', Count: '3', Wait: 'true', Nested: { Limit: '5' }, List: ['1', 'a'] });
  });

  test('builds Create, Update, Delete and isComplete events', () => {
    const create = createEvent(props, { resourceType: 'Custom::X' });
    expect(create).toMatchObject({ RequestType: 'Create', ResourceType: 'Custom::X', ResourceProperties: { Count: '3' } });
    expect(create.ResourceProperties.ServiceToken).toMatch(/^arn:aws:lambda:/);
    expect(updateEvent('id-1', props, { Name: 'old' })).toMatchObject({ RequestType: 'Update', PhysicalResourceId: 'id-1', OldResourceProperties: { Name: 'old' } });
    expect(deleteEvent('id-1', props)).toMatchObject({ RequestType: 'Delete', PhysicalResourceId: 'id-1' });
    expect(isCompleteEvent(create, { PhysicalResourceId: 'id-2', Data: { A: 'b' } })).toMatchObject({ RequestType: 'Create', PhysicalResourceId: 'id-2', Data: { A: 'b' } });
  });
});

describe('SDK mocks and the API constraint check', () => {
  const mock = strictMock(CodeStarConnectionsClient);
  const client = new CodeStarConnectionsClient({ region: 'us-east-1' });
  beforeEach(() => resetStrict(mock));

  test('a strict mock rejects a command nobody set up', async () => {
    await expect(client.send(new ListConnectionsCommand({}))).rejects.toThrow(/unexpected SDK command/);
  });

  test('passes valid inputs', async () => {
    mock.on(GetConnectionCommand).resolves({});
    await client.send(new GetConnectionCommand({ ConnectionArn: 'arn:aws:codeconnections:us-east-1:123456789012:connection/abc' }));
    expectValidSdkInputs(mock, CODECONNECTIONS_API);
    expect(mock).toHaveReceivedCommandTimes(GetConnectionCommand, 1);
  });

  test('rejects a too-long name, a missing required member and an unknown enum value', async () => {
    mock.on(CreateConnectionCommand).resolves({});
    mock.on(GetConnectionCommand).resolves({});
    await client.send(new CreateConnectionCommand({ ConnectionName: 'c'.repeat(33), ProviderType: 'GitHubCloud' as any }));
    await client.send(new GetConnectionCommand({} as any));
    expect(sdkInputProblems(mock, CODECONNECTIONS_API)).toEqual([
      expect.stringMatching(/^CreateConnection ProviderType: 'GitHubCloud' is not one of /),
      expect.stringMatching(/^CreateConnection ConnectionName: .* has 33 characters; CodeConnections allows 1 to 32 characters$/),
      'GetConnection ConnectionArn: required by CodeConnections but missing',
    ]);
  });

  test('awsError builds an error handlers can branch on', () => {
    const error = awsError('ResourceNotFoundException', 'gone');
    expect(error).toMatchObject({ name: 'ResourceNotFoundException', message: 'gone', $fault: 'client' });
  });
});

test('CloudFormation\'s validator is loaded once per jest worker (test/kit/environment.ts): the instance every test file gets', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect(require('@aws/cloudformation-validate')).toBe((globalThis as Record<string, unknown>)[VALIDATOR_GLOBAL]);
  expect(VALIDATOR_GLOBAL in globalThis).toBe(true);
});
