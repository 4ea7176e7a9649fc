/**
 * The properties and attributes shared by the CodeCatalyst custom resources and their handlers: the constructs
 * build the properties as these interfaces and read the attributes by these names; the handlers read the
 * properties only through the `parse…` functions and return the attributes by the same names.
 * Resource type names, property and attribute names are part of deployed stacks: never rename them.
 *
 * No property carries the bearer token: only the ARN of the secret that holds it (and the JSON field, or the name of
 * the SSO session whose sign-in it holds).
 */
import { optionalString, parseBoolean, parseInteger, requireString } from '../../../core/runtime/handler';

export const SPACE_RESOURCE_TYPE = 'Custom::CdkDevtoolsCodeCatalystSpace';
export const PROJECT_RESOURCE_TYPE = 'Custom::CdkDevtoolsCodeCatalystProject';
export const SOURCE_REPOSITORY_RESOURCE_TYPE = 'Custom::CdkDevtoolsCodeCatalystSourceRepository';
export const BRANCH_RESOURCE_TYPE = 'Custom::CdkDevtoolsCodeCatalystBranch';
export const DEV_ENVIRONMENT_RESOURCE_TYPE = 'Custom::CdkDevtoolsCodeCatalystDevEnvironment';
export const WORKFLOW_RUN_RESOURCE_TYPE = 'Custom::CdkDevtoolsCodeCatalystWorkflowRun';

/** What every CodeCatalyst resource sends: where its token is, and its space. */
export interface TokenProperties {
  /** The secret whose value (or JSON field) is the bearer token, or which holds an SSO session. */
  readonly TokenSecretArn: string;
  /** The JSON field of the secret that holds the token; absent: the whole SecretString is the token. */
  readonly TokenJsonField?: string;
  /**
   * Present when the secret holds the document `aws sso login` caches for this `sso-session` (the handlers refresh
   * its access token and write it back); the name appears only in the commands the messages print.
   */
  readonly TokenSsoSession?: string;
  readonly SpaceName: string;
}

/** A resource's own properties: what its construct adds to the token's and the space's (`catalystResource`). */
export type OwnProperties<T extends TokenProperties> = Omit<T, keyof TokenProperties>;

/** Where the token is, as the handlers read it. */
export interface TokenSource {
  readonly secretArn: string;
  readonly jsonField?: string;
  /** The SSO session whose sign-in the secret holds; absent: the secret holds the bearer token itself. */
  readonly ssoSession?: string;
}

export function parseTokenSource(props: Record<string, unknown>): TokenSource {
  return {
    secretArn: requireString(props, 'TokenSecretArn'),
    jsonField: optionalString(props, 'TokenJsonField'),
    ssoSession: optionalString(props, 'TokenSsoSession'),
  };
}

/** What `Space.fromSpaceName` sends its check. */
export type SpaceProperties = TokenProperties;

export interface SpaceRequest {
  readonly spaceName: string;
}

export function parseSpaceProperties(props: Record<string, unknown>): SpaceRequest {
  return { spaceName: requireString(props, 'SpaceName') };
}

export const SPACE_ATTRIBUTES = {
  name: 'Name',
  regionName: 'RegionName',
} as const;

/** What `Project` sends its handler. */
export interface ProjectProperties extends TokenProperties {
  readonly DisplayName: string;
  readonly Description?: string;
}

export interface ProjectRequest {
  readonly spaceName: string;
  readonly displayName: string;
  /** '' when the construct gives none (the API cannot clear a description: the last one stays). */
  readonly description: string;
}

export function parseProjectProperties(props: Record<string, unknown>): ProjectRequest {
  return {
    spaceName: requireString(props, 'SpaceName'),
    displayName: requireString(props, 'DisplayName'),
    description: optionalString(props, 'Description') ?? '',
  };
}

/** The project's physical id is `<space>/<name>`: constructs read the project name from `Name`, never from the Ref. */
export const PROJECT_ATTRIBUTES = {
  name: 'Name',
} as const;

/** What `SourceRepository` sends its handler. */
export interface SourceRepositoryProperties extends TokenProperties {
  readonly ProjectName: string;
  readonly RepositoryName: string;
  readonly Description?: string;
}

export interface SourceRepositoryRequest {
  readonly spaceName: string;
  readonly projectName: string;
  readonly repositoryName: string;
  readonly description?: string;
}

export function parseSourceRepositoryProperties(props: Record<string, unknown>): SourceRepositoryRequest {
  return {
    spaceName: requireString(props, 'SpaceName'),
    projectName: requireString(props, 'ProjectName'),
    repositoryName: requireString(props, 'RepositoryName'),
    description: optionalString(props, 'Description'),
  };
}

export const SOURCE_REPOSITORY_ATTRIBUTES = {
  name: 'Name',
  cloneUrlHttps: 'CloneUrlHttps',
} as const;

/** What `SourceRepositoryBranch` sends its handler. */
export interface BranchProperties extends TokenProperties {
  readonly ProjectName: string;
  readonly RepositoryName: string;
  readonly BranchName: string;
  readonly HeadCommitId?: string;
}

export interface BranchRequest {
  readonly spaceName: string;
  readonly projectName: string;
  readonly repositoryName: string;
  readonly branchName: string;
  readonly headCommitId?: string;
}

export function parseBranchProperties(props: Record<string, unknown>): BranchRequest {
  return {
    spaceName: requireString(props, 'SpaceName'),
    projectName: requireString(props, 'ProjectName'),
    repositoryName: requireString(props, 'RepositoryName'),
    branchName: requireString(props, 'BranchName'),
    headCommitId: optionalString(props, 'HeadCommitId'),
  };
}

export const BRANCH_ATTRIBUTES = {
  name: 'Name',
  ref: 'GitRef',
  headCommitId: 'HeadCommitId',
} as const;

/** The states a dev environment can be asked to be in. */
export const DESIRED_STATES = ['RUNNING', 'STOPPED'] as const;
export type DesiredState = typeof DESIRED_STATES[number];

/** A repository cloned into a dev environment. */
export interface DevEnvironmentRepositoryProperties {
  readonly RepositoryName: string;
  readonly BranchName?: string;
}

/** What `DevEnvironment` sends its handler (the wait's bounds are the kit's properties). */
export interface DevEnvironmentProperties extends TokenProperties {
  readonly ProjectName: string;
  readonly InstanceType: string;
  readonly StorageGiB: number;
  readonly IdeName: string;
  readonly IdeRuntime?: string;
  readonly InactivityTimeoutMinutes: number;
  readonly Alias?: string;
  readonly Repositories?: DevEnvironmentRepositoryProperties[];
  readonly VpcConnectionName?: string;
  readonly DesiredState: DesiredState;
}

export interface DevEnvironmentRequest {
  readonly spaceName: string;
  readonly projectName: string;
  readonly instanceType: string;
  readonly storageGiB: number;
  readonly ideName: string;
  readonly ideRuntime?: string;
  readonly inactivityTimeoutMinutes: number;
  /** '' when the construct gives none (UpdateDevEnvironment then clears it). */
  readonly alias: string;
  readonly repositories: Array<{ readonly repositoryName: string; readonly branchName?: string }>;
  readonly vpcConnectionName?: string;
  readonly desiredState: DesiredState;
}

export function parseDevEnvironmentProperties(props: Record<string, unknown>): DevEnvironmentRequest {
  const state = requireString(props, 'DesiredState');
  if (!(DESIRED_STATES as readonly string[]).includes(state)) {
    throw new Error(`internal error: property DesiredState should be one of ${DESIRED_STATES.join(', ')}, got '${state}'; upgrade cdk-devtools and redeploy`);
  }
  const raw = props.Repositories;
  if (raw !== undefined && raw !== '' && !Array.isArray(raw)) {
    throw new Error('internal error: property Repositories should be a list; upgrade cdk-devtools and redeploy');
  }
  const repositories = (Array.isArray(raw) ? raw : []).map((r: Record<string, unknown>) => ({
    repositoryName: requireString(r, 'RepositoryName'),
    branchName: optionalString(r, 'BranchName'),
  }));
  return {
    spaceName: requireString(props, 'SpaceName'),
    projectName: requireString(props, 'ProjectName'),
    instanceType: requireString(props, 'InstanceType'),
    storageGiB: parseInteger(props, 'StorageGiB'),
    ideName: requireString(props, 'IdeName'),
    ideRuntime: optionalString(props, 'IdeRuntime'),
    inactivityTimeoutMinutes: parseInteger(props, 'InactivityTimeoutMinutes'),
    alias: optionalString(props, 'Alias') ?? '',
    repositories,
    vpcConnectionName: optionalString(props, 'VpcConnectionName'),
    desiredState: state as DesiredState,
  };
}

export const DEV_ENVIRONMENT_ATTRIBUTES = {
  id: 'Id',
  status: 'Status',
  /** The state isComplete waits for ('' on Delete: gone). */
  awaited: 'AwaitedState',
  /**
   * 'true' when the Update's onEvent started or stopped the environment itself: its waiter then only waits, so that
   * the waiter of an Update CloudFormation stopped waiting for never undoes what the rollback's Update asked for.
   */
  driven: 'Driven',
} as const;

/** What `WorkflowRun` sends its handler (the wait's bounds are the kit's properties). */
export interface WorkflowRunProperties extends TokenProperties {
  readonly ProjectName: string;
  /** The workflow's id, or absent when it is found by name. */
  readonly WorkflowId?: string;
  readonly WorkflowName?: string;
  readonly RepositoryName?: string;
  readonly BranchName?: string;
  /** Any change starts a new run. */
  readonly Trigger: string;
  /** 'true' or 'false'. */
  readonly Wait: string;
}

export interface WorkflowRunRequest {
  readonly spaceName: string;
  readonly projectName: string;
  readonly workflowId?: string;
  readonly workflowName?: string;
  readonly repositoryName?: string;
  readonly branchName?: string;
  readonly trigger: string;
  readonly wait: boolean;
}

export function parseWorkflowRunProperties(props: Record<string, unknown>): WorkflowRunRequest {
  const workflowId = optionalString(props, 'WorkflowId');
  return {
    spaceName: requireString(props, 'SpaceName'),
    projectName: requireString(props, 'ProjectName'),
    workflowId,
    workflowName: workflowId ? undefined : requireString(props, 'WorkflowName'),
    repositoryName: workflowId ? undefined : requireString(props, 'RepositoryName'),
    branchName: workflowId ? undefined : requireString(props, 'BranchName'),
    trigger: String(props.Trigger ?? ''),
    wait: parseBoolean(props, 'Wait', false),
  };
}

export const WORKFLOW_RUN_ATTRIBUTES = {
  runId: 'RunId',
  workflowId: 'WorkflowId',
  status: 'Status',
  /** 'true' when isComplete waits for the run. */
  watch: 'Watch',
} as const;

// Placeholder until this module's families are defined with defineFamily (issue 21 work in progress).
export const CODECATALYST_FAMILIES: readonly import('../../../core/family').Family[] = [];
