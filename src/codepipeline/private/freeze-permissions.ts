import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import { OWNER_TAG_PREFIX } from './custom-resources/contract';

/**
 * What a transition freeze (at once or on a schedule) may do: change the transitions of its stage; read the
 * pipeline's state (what an inbound transition was before the first freeze); and read, add and remove the pipeline's
 * owner-record tags, only those whose keys start with `cdk-devtools/freeze/`. IAM authorizes the transition actions
 * on the stage (`<pipeline ARN>/<stage>`); the pipeline ARN is listed too so the statement holds whichever resource
 * type a partition evaluates. Nothing reaches another pipeline.
 */
export function freezeStatements(pipeline: codepipeline.IPipeline, stageName: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      actions: ['codepipeline:DisableStageTransition', 'codepipeline:EnableStageTransition'],
      resources: [pipeline.pipelineArn, `${pipeline.pipelineArn}/${stageName}`],
    }),
    new iam.PolicyStatement({
      actions: ['codepipeline:GetPipelineState', 'codepipeline:ListTagsForResource'],
      resources: [pipeline.pipelineArn],
    }),
    new iam.PolicyStatement({
      actions: ['codepipeline:TagResource', 'codepipeline:UntagResource'],
      resources: [pipeline.pipelineArn],
      conditions: { 'ForAllValues:StringLike': { 'aws:TagKeys': [`${OWNER_TAG_PREFIX}*`] } },
    }),
  ];
}
