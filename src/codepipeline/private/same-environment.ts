import { Stack, Token } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import { IConstruct } from 'constructs';
import { CODEPIPELINE_API } from './api-constraints';
import { validateApiValue } from '../../core/api-constraints';

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

/** What a transition freeze (at once or on a schedule) checks at synth: the pipeline's environment, the stage and the reason. */
export function checkTransitionFreeze(
  scope: IConstruct, construct: string, pipeline: codepipeline.IPipeline, stageName: string, reason?: string,
): void {
  checkSameEnvironment(scope, construct, pipeline);
  validateApiValue(scope, CODEPIPELINE_API, 'StageName', 'stageName', stageName,
    'Use the name of one of the pipeline\'s stages, e.g. \'Staging\'');
  validateApiValue(scope, CODEPIPELINE_API, 'DisabledReason', 'reason', reason,
    'Write the reason with letters, digits, spaces and !@().*?- only, e.g. \'Holiday freeze (CHG-1234)\'; put other details in the change ticket');
}
