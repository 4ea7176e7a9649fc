/**
 * The Amplify custom-resource families (`defineFamily`): what each construct sends, how its handlers read it, and the
 * attributes they return. Resource type names, property and attribute names are part of deployed stacks: never
 * rename them.
 */
import { defineFamily } from '../../../core/family';
import { optionalString, parseBoolean, requireOneOf, requireString } from '../../../core/runtime/handler';

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

/** The settings a branch settings resource manages, as UpdateBranch takes them; an undefined member is not managed. */
export interface ManagedBranchSettings {
  readonly displayName?: string;
  readonly ttl?: string;
  readonly enableNotification?: boolean;
  readonly backendEnvironmentArn?: string;
}

/** Branch settings' properties as the handler uses them. */
export interface BranchSettingsRequest {
  readonly appId: string;
  readonly branchName: string;
  /** The settings to apply; an undefined member is not managed. */
  readonly managed: ManagedBranchSettings;
}

/** A `Branch`'s settings that CloudFormation lacks (display name, TTL, notifications, backend environment). */
export const BRANCH_SETTINGS_FAMILY = defineFamily<BranchSettingsProperties>()({
  resourceType: 'Custom::CdkDevtoolsAmplifyBranchSettings',
  parse: (props): BranchSettingsRequest => ({
    appId: requireString(props, 'AppId'),
    branchName: requireString(props, 'BranchName'),
    managed: {
      displayName: optionalString(props, 'DisplayName'),
      ttl: optionalString(props, 'Ttl'),
      enableNotification: optionalString(props, 'EnableNotification') === undefined ? undefined : parseBoolean(props, 'EnableNotification', false),
      backendEnvironmentArn: optionalString(props, 'BackendEnvironmentArn'),
    },
  }),
});

/** What `BackendEnvironment` sends its handler. Another app or name replaces the environment; another stack name or deployment artifacts fails. */
export interface BackendEnvironmentProperties {
  readonly AppId: string;
  readonly EnvironmentName: string;
  readonly StackName?: string;
  readonly DeploymentArtifacts?: string;
}

/** A backend environment's properties as the handler uses them. */
export interface BackendEnvironmentRequest {
  readonly appId: string;
  readonly environmentName: string;
  readonly stackName?: string;
  readonly deploymentArtifacts?: string;
}

/** A Gen 1 backend environment (`BackendEnvironment`), whose ARN and name the construct reads. */
export const BACKEND_ENVIRONMENT_FAMILY = defineFamily<BackendEnvironmentProperties>()({
  resourceType: 'Custom::CdkDevtoolsAmplifyBackendEnvironment',
  parse: (props): BackendEnvironmentRequest => ({
    appId: requireString(props, 'AppId'),
    environmentName: requireString(props, 'EnvironmentName'),
    stackName: optionalString(props, 'StackName'),
    deploymentArtifacts: optionalString(props, 'DeploymentArtifacts'),
  }),
  attributes: ['BackendEnvironmentArn', 'EnvironmentName'],
});

/**
 * The attributes of a build and of a deployment, each of which watches one Amplify job. The constructs read `JobId`
 * (and `JobArn`); isComplete reads the others back from onEvent's `Data`: the app, the branch, the job's `Status`
 * when onEvent answered and `Watch`, 'true' when isComplete waits for the job.
 */
const JOB_KEYS = ['AppId', 'BranchName', 'JobId', 'JobArn', 'Status', 'Watch'] as const;

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

/** A build's properties as the handler uses them. */
export interface BuildRequest {
  readonly appId: string;
  readonly branchName: string;
  readonly trigger: string;
  readonly jobReason?: string;
  readonly wait: boolean;
}

/** A build (`Build`): a RELEASE job of a repository-connected branch, waited for with `waitForSuccess`. */
export const BUILD_FAMILY = defineFamily<BuildProperties>()({
  resourceType: 'Custom::CdkDevtoolsAmplifyBuild',
  parse: (props): BuildRequest => ({
    appId: requireString(props, 'AppId'),
    branchName: requireString(props, 'BranchName'),
    trigger: String(props.Trigger ?? ''),
    jobReason: optionalString(props, 'JobReason'),
    wait: parseBoolean(props, 'Wait', false),
  }),
  attributes: JOB_KEYS,
  waits: true,
});

/** What `BranchDeployment` sends its handler: the zip asset to deploy to a manual-deploy branch. */
export interface DeploymentProperties {
  readonly AppId: string;
  readonly BranchName: string;
  readonly AssetBucket: string;
  readonly AssetKey: string;
  /** Whether the deployment waits for the job to succeed ('true'/'false'). */
  readonly Wait: string;
}

/** A deployment's properties as the handler uses them. */
export interface DeploymentRequest {
  readonly appId: string;
  readonly branchName: string;
  readonly assetBucket: string;
  readonly assetKey: string;
  readonly wait: boolean;
}

/** A manual deployment (`BranchDeployment`) of a zip to a branch of an app without a repository, waited for with `waitForSuccess`. */
export const DEPLOYMENT_FAMILY = defineFamily<DeploymentProperties>()({
  resourceType: 'Custom::CdkDevtoolsAmplifyDeployment',
  parse: (props): DeploymentRequest => ({
    appId: requireString(props, 'AppId'),
    branchName: requireString(props, 'BranchName'),
    assetBucket: requireString(props, 'AssetBucket'),
    assetKey: requireString(props, 'AssetKey'),
    wait: parseBoolean(props, 'Wait', true),
  }),
  attributes: JOB_KEYS,
  waits: true,
});

/** What a domain waits for: its DNS records being known, or the domain being AVAILABLE. */
export const DOMAIN_MODES = ['records', 'available'] as const;
export type DomainMode = typeof DOMAIN_MODES[number];

/** What `Domain` sends its readiness handler. */
export interface DomainReadinessProperties {
  readonly AppId: string;
  readonly DomainName: string;
  /** One of `DOMAIN_MODES`. */
  readonly Mode: DomainMode;
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

/** A domain readiness's properties as the handler uses them. */
export interface DomainReadinessRequest {
  readonly appId: string;
  readonly domainName: string;
  readonly mode: DomainMode;
  /** The mapped prefixes, in mapping order ('' is the domain itself). */
  readonly prefixes: string[];
  /** A custom certificate has no verification record. */
  readonly customCertificate: boolean;
}

/**
 * A `Domain`'s readiness: its DNS records once Amplify publishes them (mode `records`), or the wait for AVAILABLE (mode
 * `available`). Its attributes are the domain's status, the certificate verification record split into name, type and
 * value, and `SubDomainTarget`, the one CloudFront target every sub-domain record points at; the construct reads the
 * records.
 */
export const DOMAIN_READINESS_FAMILY = defineFamily<DomainReadinessProperties>()({
  resourceType: 'Custom::CdkDevtoolsAmplifyDomainReadiness',
  parse: (props): DomainReadinessRequest => {
    const mode = requireOneOf(props, 'Mode', DOMAIN_MODES);
    const prefixes: unknown = props.Prefixes;
    if (!Array.isArray(prefixes)) {
      throw new Error('internal error: property Prefixes is missing from the custom resource; upgrade cdk-devtools and redeploy');
    }
    return {
      appId: requireString(props, 'AppId'),
      domainName: requireString(props, 'DomainName'),
      mode,
      prefixes: prefixes.map(p => String(p ?? '')),
      customCertificate: props.CertificateType === 'CUSTOM',
    };
  },
  attributes: [
    'DomainStatus', 'UpdateStatus', 'StatusReason', 'CertificateRecordName', 'CertificateRecordType', 'CertificateRecordValue', 'SubDomainTarget',
  ],
  waits: true,
});

/** The module's families, which the routers serve from its bundle. */
export const AMPLIFY_FAMILIES = [BRANCH_SETTINGS_FAMILY, BACKEND_ENVIRONMENT_FAMILY, BUILD_FAMILY, DEPLOYMENT_FAMILY, DOMAIN_READINESS_FAMILY];
