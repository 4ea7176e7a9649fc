import { CfnCustomResource, Stack } from 'aws-cdk-lib';
import { CfnConnection } from 'aws-cdk-lib/aws-codeconnections';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BenchFamily } from './families';
import { Connection, ProviderType } from '../../src/codeconnections';

/**
 * A hand-written provider, as raw L1s: one role and one function per stack (the raw side of the custom-resource
 * families; it has no waiter state machine, so the comparison flatters raw L1s).
 */
function rawProvider(stack: Stack): { role: iam.CfnRole; fn: lambda.CfnFunction } {
  const existing = stack.node.tryFindChild('RawProvider') as lambda.CfnFunction | undefined;
  if (existing) return { role: stack.node.findChild('RawProviderRole') as iam.CfnRole, fn: existing };
  const role = new iam.CfnRole(stack, 'RawProviderRole', {
    assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    managedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
  });
  const fn = new lambda.CfnFunction(stack, 'RawProvider', {
    runtime: 'nodejs24.x',
    handler: 'index.handler',
    role: role.attrArn,
    timeout: 120,
    code: { zipFile: 'exports.handler = async () => ({});' },
  });
  return { role, fn };
}

/** One raw custom resource with its own policy, as the kit defines it. */
function rawCustomResource(stack: Stack, i: number, actions: string[], resources: string[], properties: Record<string, string>): void {
  const { role, fn } = rawProvider(stack);
  const policy = new iam.CfnPolicy(stack, `P${i}`, {
    policyName: `p-${i}`,
    roles: [role.ref],
    policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resources }] },
  });
  const resource = new CfnCustomResource(stack, `R${i}`, { serviceToken: fn.attrArn });
  for (const [k, v] of Object.entries(properties)) resource.addPropertyOverride(k, v);
  resource.addDependency(policy);
}

/** The CodeConnections families: a connection, a connection whose deployment waits for AVAILABLE, and a lookup by name. */
export const CODECONNECTIONS_FAMILIES: BenchFamily[] = [
  {
    name: 'Connection',
    customResource: false,
    ours: (stack, i) => new Connection(stack, `C${i}`, { connectionName: `c-${i}`, providerType: ProviderType.GITHUB }),
    raw: (stack, i) => new CfnConnection(stack, `C${i}`, { connectionName: `c-${i}`, providerType: 'GitHub' }),
  },
  {
    name: 'Connection + wait for AVAILABLE',
    customResource: true,
    // The connection itself and a kit role of its own (it may read only the watched connection).
    maxBytesPerInstance: 3072,
    ours: (stack, i) => new Connection(stack, `C${i}`, { connectionName: `c-${i}`, providerType: ProviderType.GITHUB, waitForAvailability: true }),
    raw: (stack, i) => {
      const connection = new CfnConnection(stack, `C${i}`, { connectionName: `c-${i}`, providerType: 'GitHub' });
      rawCustomResource(stack, i, ['codeconnections:GetConnection', 'codestar-connections:GetConnection'],
        [connection.attrConnectionArn], { ResourceArn: connection.attrConnectionArn, Kind: 'connection' });
    },
  },
  {
    name: 'Connection.fromConnectionName',
    customResource: true,
    ours: (stack, i) => Connection.fromConnectionName(stack, `C${i}`, `c-${i}`),
    raw: (stack, i) => rawCustomResource(stack, i, ['codeconnections:ListConnections', 'codestar-connections:ListConnections'], ['*'],
      { ConnectionName: `c-${i}` }),
  },
];
