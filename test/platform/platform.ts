import { App, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { addAmplifyPlatform } from './amplify';
import { addPackageRepositories } from './codeartifact';
import { addDeveloperWorkspace } from './codecatalyst';
import { addSourceConnections } from './codeconnections';
import { addReleasePipeline } from './codepipeline';

/** Where the example platform deploys. */
export const PLATFORM_ENV = { account: '111111111111', region: 'eu-west-1' };

/**
 * The shared delivery infrastructure of a small organisation: the stack the service modules extend.
 */
export class DeliveryFoundationStack extends Stack {
  /** Where pipelines keep their artifacts. */
  public readonly artifactBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, props);
    // Server access logs are delivered under a bucket policy, not the deprecated LogDeliveryWrite ACL (as new CDK apps do).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    NagSuppressions.addResourceSuppressions(accessLogs, [
      { id: 'AwsSolutions-S1', reason: 'this bucket receives the access logs of the others; logging it too would recurse' },
    ]);
    this.artifactBucket = new s3.Bucket(this, 'Artifacts', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'artifacts/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}

/**
 * Defines the example platform in `app`: one stack per concern, as a real organisation would split it. The
 * CodeCatalyst workspace is added only when the context `cdk-devtools-platform:codecatalystSpace` names a space.
 */
export function buildPlatform(app: App): Stack[] {
  // The release pipeline keeps its artifacts in the foundation's bucket: a strong reference, so the foundation
  // cannot be deleted under it (aws-cdk-lib warns until the strength is chosen).
  app.node.setContext('@aws-cdk/core:defaultCrossStackReferences', 'strong');
  const foundation = new DeliveryFoundationStack(app, 'DeliveryFoundation', { env: PLATFORM_ENV });
  return [
    foundation,
    ...addSourceConnections(app, PLATFORM_ENV),
    ...addAmplifyPlatform(app),
    ...addPackageRepositories(app, PLATFORM_ENV),
    ...addReleasePipeline(app, PLATFORM_ENV, foundation.artifactBucket),
    ...addDeveloperWorkspace(app, PLATFORM_ENV),
  ];
}
