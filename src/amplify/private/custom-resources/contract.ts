/**
 * The properties and attributes shared by the Amplify deploy-time constructs and their handlers.
 * Resource type names are part of deployed stacks: never rename them.
 */

export const BUILD_RESOURCE_TYPE = 'Custom::CdkDevtoolsAmplifyBuild';

/** What `branch.startBuild()` sends its handler. */
export interface BuildProperties {
  readonly AppId: string;
  readonly BranchName: string;
  /** Any change starts a new build. */
  readonly Trigger: string;
  /** Why the build runs, shown in the Amplify console. */
  readonly JobReason?: string;
  /** Whether the deployment waits for the build to succeed ('true'/'false'). */
  readonly Wait: string;
}

/**
 * The attributes (`Data` keys) of a build and of a deployment, each of which watches one Amplify job. The construct
 * reads `JOB_ID` (and `JOB_ARN`); isComplete reads the others back from onEvent's `Data`.
 */
export const JOB_ATTRIBUTES = {
  APP_ID: 'AppId',
  BRANCH_NAME: 'BranchName',
  JOB_ID: 'JobId',
  JOB_ARN: 'JobArn',
  STATUS: 'Status',
  /** 'true' when isComplete waits for the job. */
  WATCH: 'Watch',
} as const;

export const BRANCH_SETTINGS_RESOURCE_TYPE = 'Custom::CdkDevtoolsAmplifyBranchSettings';

/** The branch settings CloudFormation lacks, applied with UpdateBranch. Unset keys are left alone, or restored when the old properties set them. */
export interface BranchSettingsProperties {
  readonly AppId: string;
  readonly BranchName: string;
  readonly DisplayName?: string;
  /** Content TTL in seconds, as digits. */
  readonly Ttl?: string;
  /** 'true'/'false'. */
  readonly EnableNotification?: string;
  readonly BackendEnvironmentArn?: string;
}

export const DEPLOYMENT_RESOURCE_TYPE = 'Custom::CdkDevtoolsAmplifyDeployment';

/** What `BranchDeployment` sends its handler: the zip asset to deploy to a manual-deploy branch. */
export interface DeploymentProperties {
  readonly AppId: string;
  readonly BranchName: string;
  readonly AssetBucket: string;
  readonly AssetKey: string;
  /** Whether the deployment waits for the job to succeed ('true'/'false'). */
  readonly Wait: string;
}

export const BACKEND_ENVIRONMENT_RESOURCE_TYPE = 'Custom::CdkDevtoolsAmplifyBackendEnvironment';

/** What `BackendEnvironment` sends its handler. Another app or name replaces the environment; another stack name or deployment artifacts fails. */
export interface BackendEnvironmentProperties {
  readonly AppId: string;
  readonly EnvironmentName: string;
  readonly StackName?: string;
  readonly DeploymentArtifacts?: string;
}

/** The attributes (`Data` keys) of a backend environment, which the construct reads. */
export const BACKEND_ENVIRONMENT_ATTRIBUTES = {
  BACKEND_ENVIRONMENT_ARN: 'BackendEnvironmentArn',
  ENVIRONMENT_NAME: 'EnvironmentName',
} as const;

export const DOMAIN_READINESS_RESOURCE_TYPE = 'Custom::CdkDevtoolsAmplifyDomainReadiness';

/** What a domain waits for: its DNS records being known, or the domain being AVAILABLE. */
export const DOMAIN_MODES = ['records', 'available'] as const;

/** What `Domain` sends its readiness handler. */
export interface DomainReadinessProperties {
  readonly AppId: string;
  readonly DomainName: string;
  /** One of `DOMAIN_MODES`. */
  readonly Mode: string;
  /** The mapped prefixes, in mapping order ('' is the domain itself); attributes are keyed by this index. */
  readonly Prefixes: string[];
  /** 'AMPLIFY_MANAGED' or 'CUSTOM': a custom certificate has no verification record. */
  readonly CertificateType: string;
  /**
   * The layout of the attributes the construct reads (`DOMAIN_DATA_FORMAT`). A new layout changes the property, so
   * CloudFormation updates the resource and the handler returns the new attributes (a handler's code change alone
   * sends no Update, and a stored response would lack them).
   */
  readonly DataFormat?: string;
}

/** Version 2: one `SubDomainTarget` instead of `SubDomain<i>Name/Type/Value/Prefix/Verified` per sub-domain. */
export const DOMAIN_DATA_FORMAT = '2';

/** The attributes (`Data` keys) of a domain's readiness; the construct reads the certificate record and the sub-domain target. */
export const DOMAIN_ATTRIBUTES = {
  DOMAIN_STATUS: 'DomainStatus',
  UPDATE_STATUS: 'UpdateStatus',
  STATUS_REASON: 'StatusReason',
  CERTIFICATE_RECORD_NAME: 'CertificateRecordName',
  CERTIFICATE_RECORD_TYPE: 'CertificateRecordType',
  CERTIFICATE_RECORD_VALUE: 'CertificateRecordValue',
  /** The one CloudFront target every sub-domain record points at. */
  SUB_DOMAIN_TARGET: 'SubDomainTarget',
} as const;

// Placeholder until this module's families are defined with defineFamily (issue 21 work in progress).
export const AMPLIFY_FAMILIES: readonly import('../../../core/family').Family[] = [];
