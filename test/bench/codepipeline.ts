import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ActionCategory, CfnCustomActionType, IPipeline, Pipeline } from 'aws-cdk-lib/aws-codepipeline';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { BenchFamily } from './families';
import {
  ApprovalGate, CustomActionType, DaysOfWeek, ICustomActionType, JobWorker, PipelineExecution, StageTransitionFreeze, TransitionDirection,
} from '../../src/codepipeline';

const PIPELINE_ARN = 'arn:aws:codepipeline:us-east-1:123456789012:release';

function importedPipeline(stack: Stack): IPipeline {
  return (stack.node.tryFindChild('Release') as IPipeline | undefined) ?? Pipeline.fromPipelineArn(stack, 'Release', PIPELINE_ARN);
}

function importedType(stack: Stack): ICustomActionType {
  return (stack.node.tryFindChild('Checker') as ICustomActionType | undefined)
    ?? CustomActionType.fromCustomActionTypeAttributes(stack, 'Checker', { category: ActionCategory.TEST, provider: 'AcmeChecker', version: '1' });
}

const inline = (stack: Stack, id: string) => new lambda.Function(stack, id, {
  runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({ status: "SUCCEEDED" });'),
});

/** The CodePipeline families: custom action types (vs the raw L1), job workers and approval gates (no raw equivalent: the user's function or alarm alone). */
export const CODEPIPELINE_FAMILIES: BenchFamily[] = [
  {
    name: 'codepipeline CustomActionType',
    customResource: false,
    ours: (stack, i) => new CustomActionType(stack, `T${i}`, {
      category: ActionCategory.DEPLOY,
      provider: `Acme${i}`,
      version: '1',
      artifactBounds: { minInputs: 1, maxInputs: 1, minOutputs: 0, maxOutputs: 0 },
      configurationProperties: [{ name: 'Environment', required: true, key: true, queryable: true }, { name: 'Token', required: true, secret: true }],
    }),
    raw: (stack, i) => new CfnCustomActionType(stack, `T${i}`, {
      category: 'Deploy',
      provider: `Acme${i}`,
      version: '1',
      inputArtifactDetails: { minimumCount: 1, maximumCount: 1 },
      outputArtifactDetails: { minimumCount: 0, maximumCount: 0 },
      configurationProperties: [
        { name: 'Environment', required: true, key: true, secret: false, queryable: true },
        { name: 'Token', required: true, key: false, secret: true },
      ],
    }),
  },
  {
    name: 'codepipeline JobWorker (vs its function alone)',
    customResource: false,
    // A worker is a dozen resources (dispatcher, rules, queue, permissions): 30 fill most of a stack.
    maxInstances: 30,
    rawIsEquivalent: false,
    ours: (stack, i) => new JobWorker(stack, `W${i}`, { actionType: importedType(stack), handler: inline(stack, `F${i}`) }),
    raw: (stack, i) => inline(stack, `F${i}`),
  },
  {
    name: 'codepipeline ApprovalGate (vs its alarm alone)',
    customResource: false,
    maxInstances: 30,
    rawIsEquivalent: false,
    ours: (stack, i) => new ApprovalGate(stack, `G${i}`, {
      pipeline: importedPipeline(stack),
      stageName: `Promote${i}`,
      actionName: 'Approve',
      alarms: [new cloudwatch.Alarm(stack, `A${i}`, { metric: new cloudwatch.Metric({ namespace: 'Acme', metricName: `E${i}` }), threshold: 1, evaluationPeriods: 1 })],
      windows: [{ days: DaysOfWeek.WEEKDAYS, startTime: '09:00', endTime: '16:00' }],
    }),
    raw: (stack, i) => new cloudwatch.Alarm(stack, `A${i}`, { metric: new cloudwatch.Metric({ namespace: 'Acme', metricName: `E${i}` }), threshold: 1, evaluationPeriods: 1 }),
  },
  {
    name: 'codepipeline PipelineExecution with wait (vs AwsCustomResource StartPipelineExecution)',
    customResource: true,
    ours: (stack, i) => new PipelineExecution(stack, `Run${i}`, {
      pipeline: Pipeline.fromPipelineArn(stack, `P${i}`, `${PIPELINE_ARN}-${i}`), trigger: 'v1', waitForSuccess: true,
    }),
    raw: (stack, i) => new cr.AwsCustomResource(stack, `Run${i}`, {
      onCreate: {
        service: 'CodePipeline',
        action: 'startPipelineExecution',
        parameters: { name: `release-${i}` },
        physicalResourceId: cr.PhysicalResourceId.fromResponse('pipelineExecutionId'),
      },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [`${PIPELINE_ARN}-${i}`] }),
      installLatestAwsSdk: false,
    }),
  },
  {
    name: 'codepipeline StageTransitionFreeze (vs AwsCustomResource disable/enable)',
    customResource: true,
    ours: (stack, i) => new StageTransitionFreeze(stack, `F${i}`, {
      pipeline: importedPipeline(stack), stageName: `Stage${i}`, direction: TransitionDirection.OUTBOUND, reason: 'Holiday freeze',
    }),
    raw: (stack, i) => {
      const parameters = { pipelineName: 'release', stageName: `Stage${i}`, transitionType: 'Outbound' };
      new cr.AwsCustomResource(stack, `F${i}`, {
        onCreate: {
          service: 'CodePipeline',
          action: 'disableStageTransition',
          parameters: { ...parameters, reason: 'Holiday freeze' },
          physicalResourceId: cr.PhysicalResourceId.of(`release/Stage${i}/Outbound`),
        },
        onDelete: { service: 'CodePipeline', action: 'enableStageTransition', parameters },
        policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [`${PIPELINE_ARN}/Stage${i}`] }),
        installLatestAwsSdk: false,
      });
    },
  },
];
