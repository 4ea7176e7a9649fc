import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';

/** The buckets of an integ pipeline: its source (versioned, as S3 sources need), its artifacts and its deploy target. */
export interface PipelineBuckets {
  readonly sources: s3.Bucket;
  readonly artifacts: s3.Bucket;
  readonly site: s3.Bucket;
}

/** Short-lived buckets for an integ pipeline, emptied and deleted with the stack. */
export function pipelineBuckets(stack: Stack): PipelineBuckets {
  const bucketProps: s3.BucketProps = {
    enforceSSL: true, encryption: s3.BucketEncryption.S3_MANAGED, removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true,
  };
  const sources = new s3.Bucket(stack, 'Sources', { ...bucketProps, versioned: true });
  const artifacts = new s3.Bucket(stack, 'Artifacts', bucketProps);
  const site = new s3.Bucket(stack, 'Site', bucketProps);
  NagSuppressions.addResourceSuppressions([sources, artifacts, site], [
    { id: 'AwsSolutions-S1', reason: 'buckets of a short-lived integ test need no access log' },
  ]);
  return { sources, artifacts, site };
}
