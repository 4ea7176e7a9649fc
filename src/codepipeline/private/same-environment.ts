import { Arn, ArnFormat, IResource, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import { IConstruct } from 'constructs';
import { CODEPIPELINE_API } from './api-constraints';
import { validateApiValue } from '../../core/api-constraints';
import { ValidationError } from '../../core/validation';

/**
 * Fails when a pipeline is known to live in another account or region than the stack: the custom resources act with
 * a kit role of the stack's account, through clients of the stack's region. Unresolved values pass.
 */
export function checkSameEnvironment(scope: IConstruct, construct: string, pipeline: codepipeline.IPipeline): void {
  const elsewhere = environmentMismatch(scope, pipeline, pipeline.pipelineArn);
  if (elsewhere) {
    const { account, region } = elsewhere;
    const stack = Stack.of(scope);
    throw new ValidationError(`the pipeline ${pipeline.pipelineName} is in account ${account}, region ${region}, but this stack deploys to `
      + `account ${stack.account}, region ${stack.region}; ${/^[AEIOU]/.test(construct) ? 'an' : 'a'} ${construct} acts in its own stack's `
      + `account and region. Define it in a stack of the pipeline's account and region (env: { account: '${account}', region: '${region}' })`, scope);
  }
}

/** Fails when an alarm is known to live in another account or region than the stack, whose alarms alone the construct reads. */
export function checkAlarmsEnvironment(scope: IConstruct, construct: string, alarms: cloudwatch.IAlarm[]): void {
  for (const [i, alarm] of alarms.entries()) {
    const elsewhere = environmentMismatch(scope, alarm, alarm.alarmArn);
    if (elsewhere) {
      const stack = Stack.of(scope);
      throw new ValidationError(`alarms[${i}] is in account ${elsewhere.account}, region ${elsewhere.region}, but this stack deploys to `
        + `account ${stack.account}, region ${stack.region}; ${/^[AEIOU]/.test(construct) ? 'an' : 'a'} ${construct} reads the alarms of its `
        + 'own stack\'s account and region only. Watch an alarm defined (or imported) in this environment', scope);
    }
  }
}

/**
 * The account and region of a resource when they are known to differ from the stack's: a literal ARN's (an alarm imported
 * by its ARN keeps the stack's environment), else the resource's own. Unresolved values never differ.
 */
function environmentMismatch(scope: IConstruct, resource: IResource, arn: string): { account: string; region: string } | undefined {
  const stack = Stack.of(scope);
  const { account, region } = Token.isUnresolved(arn) ? resource.env : Arn.split(arn, ArnFormat.COLON_RESOURCE_NAME);
  const differs = (a: string | undefined, b: string) => a !== undefined && !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b;
  return differs(account, stack.account) || differs(region, stack.region) ? { account: account ?? '', region: region ?? '' } : undefined;
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

/** Where a freeze keeps what it freezes, for the check that no other freeze of the app holds the same transition. */
const FROZEN = Symbol.for('cdk-devtools.codepipeline.frozenTransition');

interface FrozenTransition {
  readonly pipeline: codepipeline.IPipeline;
  readonly stageName: string;
  readonly direction: string;
  /** A freeze holds the transition while deployed; a window only while open. */
  readonly kind: 'freeze' | 'window';
}

/** Whether two pipeline references are known to be one pipeline: one construct, or one literal name in one account and region. */
function samePipeline(a: codepipeline.IPipeline, b: codepipeline.IPipeline): boolean {
  if (a === b) return true;
  const literal = (v: string) => !Token.isUnresolved(v);
  return literal(a.pipelineName) && a.pipelineName === b.pipelineName
    && Stack.of(a).resolve(a.env.account) === Stack.of(b).resolve(b.env.account) && literal(a.env.account)
    && Stack.of(a).resolve(a.env.region) === Stack.of(b).resolve(b.env.region) && literal(a.env.region);
}

/**
 * Registers a freeze (at once or on a schedule) and checks, once the app is complete, what only holds then: that a
 * pipeline this app defines has the stage, that CloudFormation does not already disable the inbound transition
 * (`transitionToEnabled: false`), and that no other freeze of the app holds the same transition while one of them is
 * a `StageTransitionFreeze`. A transition held twice stays disabled until both holders leave, so removing one of them
 * would not lift the freeze: beside a freeze of the whole deployment, another freeze or a window is a mistake. Two
 * windows of one transition are not: each holds it while open (a nightly window and a holiday window).
 */
export function checkFreezeTarget(
  scope: IConstruct, pipeline: codepipeline.IPipeline, stageName: string, direction: string, kind: 'freeze' | 'window' = 'freeze',
): void {
  const target: FrozenTransition = { pipeline, stageName, direction, kind };
  (scope as unknown as Record<symbol, FrozenTransition>)[FROZEN] = target;
  if (Token.isUnresolved(stageName)) return;
  scope.node.addValidation({
    validate: () => {
      if (pipeline instanceof codepipeline.Pipeline) {
        const names = pipeline.stages.map(st => st.stageName);
        if (!names.includes(stageName)) {
          return [`stageName '${stageName}' is not a stage of pipeline ${pipeline.node.path} (it has ${names.map(n => `'${n}'`).join(', ') || 'no stages'}). `
            + `Give the name of one of its stages, e.g. '${names[names.length - 1] ?? 'Deploy'}', or add the stage to the pipeline`];
        }
        const cfn = pipeline.node.defaultChild as codepipeline.CfnPipeline;
        const disabled = Stack.of(pipeline).resolve(cfn.disableInboundStageTransitions) as Array<{ stageName?: string }> | undefined;
        if (direction === 'Inbound' && (disabled ?? []).some(d => d.stageName === stageName)) {
          return [`the inbound transition of stage '${stageName}' of pipeline ${pipeline.node.path} is already disabled by the pipeline `
            + '(transitionToEnabled: false), so this freeze would hold nothing of its own, and removing it would not enable the transition. '
            + 'Keep one of the two: drop transitionToEnabled: false from the stage, or this freeze'];
        }
      }
      const others = scope.node.root.node.findAll().filter(c => c !== scope).filter(c => {
        const other = (c as unknown as Record<symbol, FrozenTransition | undefined>)[FROZEN];
        return other !== undefined && other.stageName === stageName && other.direction === direction && samePipeline(other.pipeline, pipeline)
          && (kind === 'freeze' || other.kind === 'freeze');
      });
      if (others.length === 0) return [];
      return [`the ${direction.toLowerCase()} transition of stage '${stageName}' of pipeline ${pipeline.node.path} is also frozen by `
        + `${others.map(o => o.node.path).join(', ')}; it stays disabled until both are removed, so removing either would not lift the freeze. `
        + 'Keep one StageTransitionFreeze per transition and no window beside it (it holds the transition as long as it is deployed), '
        + 'or use StageTransitionFreezeWindows only (several windows of one transition are fine)'];
    },
  });
}
