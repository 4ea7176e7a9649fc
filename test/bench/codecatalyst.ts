import { CustomResource, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { BenchFamily } from './families';
import { AccessToken, DevEnvironment, DevEnvironmentInstanceType, IProject, ISpace, Project, Space } from '../../src/codecatalyst';

function space(stack: Stack): ISpace {
  const existing = stack.node.tryFindChild('Space') as ISpace | undefined;
  if (existing) return existing;
  const secret = secretsmanager.Secret.fromSecretNameV2(stack, 'Token', 'bench/codecatalyst');
  return Space.fromSpaceName(stack, 'Space', 'acme', AccessToken.fromSecret(secret));
}

function project(stack: Stack): IProject {
  return (stack.node.tryFindChild('Storefront') as IProject | undefined) ?? Project.fromProjectAttributes(stack, 'Storefront', { space: space(stack), projectName: 'storefront' });
}

/**
 * The raw side: CloudFormation has no CodeCatalyst type and AwsCustomResource cannot send a bearer token, so a user
 * writes a custom resource of their own; this is its template side (one shared function, no handler logic).
 */
function handwritten(stack: Stack, id: string, properties: Record<string, unknown>): void {
  const fn = (stack.node.tryFindChild('CatalystFn') as lambda.Function | undefined) ?? new lambda.Function(stack, 'CatalystFn', {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({});'),
  });
  new CustomResource(stack, id, { serviceToken: fn.functionArn, resourceType: 'Custom::CodeCatalyst', properties });
}

/** The CodeCatalyst families, beside a hand-written custom resource (no raw equivalent exists). */
export const CODECATALYST_FAMILIES: BenchFamily[] = [
  {
    name: 'codecatalyst Project (vs a hand-written custom resource)',
    customResource: true,
    rawIsEquivalent: false,
    ours: (stack, i) => new Project(stack, `P${i}`, { space: space(stack), displayName: `Team ${i}` }),
    raw: (stack, i) => handwritten(stack, `P${i}`, { SpaceName: 'acme', DisplayName: `Team ${i}` }),
  },
  {
    name: 'codecatalyst DevEnvironment (vs a hand-written custom resource)',
    customResource: true,
    rawIsEquivalent: false,
    ours: (stack, i) => new DevEnvironment(stack, `E${i}`, {
      project: project(stack), instanceType: DevEnvironmentInstanceType.STANDARD1_SMALL, alias: `env-${i}`,
    }),
    raw: (stack, i) => handwritten(stack, `E${i}`, {
      SpaceName: 'acme', ProjectName: 'storefront', InstanceType: 'dev.standard1.small', StorageGiB: 16, Alias: `env-${i}`,
    }),
  },
];
