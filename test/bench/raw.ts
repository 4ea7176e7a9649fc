import { CfnCustomResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';

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
export function rawCustomResource(stack: Stack, i: number, actions: string[], resources: string[], properties: Record<string, string>): void {
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
