import { Stack, Token } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import { IConstruct } from 'constructs';

/**
 * Fails when a pipeline is known to live in another account or region than the stack: the custom resources act with
 * a kit role of the stack's account, through clients of the stack's region. Unresolved values pass.
 */
export function checkSameEnvironment(scope: IConstruct, construct: string, pipeline: codepipeline.IPipeline): void {
  const stack = Stack.of(scope);
  const differs = (a: string, b: string) => !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b;
  const { account, region } = pipeline.env;
  if (differs(account, stack.account) || differs(region, stack.region)) {
    throw new Error(`${scope.node.path}: the pipeline ${pipeline.pipelineName} is in account ${account}, region ${region}, but this stack deploys to `
      + `account ${stack.account}, region ${stack.region}; a ${construct} acts in its own stack's account and region. Define it in a stack `
      + `of the pipeline's account and region (env: { account: '${account}', region: '${region}' })`);
  }
}
