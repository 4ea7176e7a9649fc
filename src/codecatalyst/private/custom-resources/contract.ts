/**
 * The CodeCatalyst custom-resource families (`defineFamily`): what each construct sends, how its handlers read it
 * (`parse`), and the attributes they return. Resource type names, property and attribute names are part of deployed
 * stacks: never rename them.
 *
 * No property carries the bearer token: only the ARN of the secret that holds it (and the JSON field, or the name of
 * the SSO session whose sign-in it holds).
 */
import { defineFamily } from '../../../core/family';
import { optionalString, parseBoolean, parseInteger, requireOneOf, requireString } from '../../../core/runtime/handler';

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

/** Where the token is, as the handlers read it. */
export interface TokenSource {
  readonly secretArn: string;
  readonly jsonField?: string;
  /** The SSO session whose sign-in the secret holds; absent: the secret holds the bearer token itself. */
  readonly ssoSession?: string;
}

/** What every CodeCatalyst request holds: the token's source and the space. */
export interface CatalystRequest {
  readonly token: TokenSource;
  readonly spaceName: string;
}

/** The part of every family's `parse` that reads the token's and the space's properties. */
function catalystRequest(props: Record<string, unknown>): CatalystRequest {
  return {
    token: {
      secretArn: requireString(props, 'TokenSecretArn'),
      jsonField: optionalString(props, 'TokenJsonField'),
      ssoSession: optionalString(props, 'TokenSsoSession'),
    },
    spaceName: requireString(props, 'SpaceName'),
  };
}

/** The space check: the token must be accepted and its user must see the space. */
export const SPACE_FAMILY = defineFamily<TokenProperties>()({
  resourceType: 'Custom::CdkDevtoolsCodeCatalystSpace',
  parse: (props): CatalystRequest => catalystRequest(props),
  attributes: ['Name', 'RegionName'],
});

/** What `Project` sends its handler. */
export interface ProjectProperties extends TokenProperties {
  readonly DisplayName: string;
  readonly Description?: string;
}

export interface ProjectRequest extends CatalystRequest {
  readonly displayName: string;
  /** '' when the construct gives none (the API cannot clear a description: the last one stays). */
  readonly description: string;
}

/** A project. Its physical id is `<space>/<name>`: constructs read the project name from `Name`, never from the Ref. */
export const PROJECT_FAMILY = defineFamily<ProjectProperties>()({
  resourceType: 'Custom::CdkDevtoolsCodeCatalystProject',
  parse: (props): ProjectRequest => ({
    ...catalystRequest(props),
    displayName: requireString(props, 'DisplayName'),
    description: optionalString(props, 'Description') ?? '',
  }),
  attributes: ['Name'],
});

/** What `SourceRepository` sends its handler. */
export interface SourceRepositoryProperties extends TokenProperties {
  readonly ProjectName: string;
  readonly RepositoryName: string;
  readonly Description?: string;
}

export interface SourceRepositoryRequest extends CatalystRequest {
  readonly projectName: string;
  readonly repositoryName: string;
  readonly description?: string;
}

/** A CodeCatalyst-hosted source repository. */
export const SOURCE_REPOSITORY_FAMILY = defineFamily<SourceRepositoryProperties>()({
  resourceType: 'Custom::CdkDevtoolsCodeCatalystSourceRepository',
  parse: (props): SourceRepositoryRequest => ({
    ...catalystRequest(props),
    projectName: requireString(props, 'ProjectName'),
    repositoryName: requireString(props, 'RepositoryName'),
    description: optionalString(props, 'Description'),
  }),
  attributes: ['Name', 'CloneUrlHttps'],
});

/** What `SourceRepositoryBranch` sends its handler. */
export interface BranchProperties extends TokenProperties {
  readonly ProjectName: string;
  readonly RepositoryName: string;
  readonly BranchName: string;
  readonly HeadCommitId?: string;
}

export interface BranchRequest extends CatalystRequest {
  readonly projectName: string;
  readonly repositoryName: string;
  readonly branchName: string;
  readonly headCommitId?: string;
}

/** A branch of a hosted repository. */
export const BRANCH_FAMILY = defineFamily<BranchProperties>()({
  resourceType: 'Custom::CdkDevtoolsCodeCatalystBranch',
  parse: (props): BranchRequest => ({
    ...catalystRequest(props),
    projectName: requireString(props, 'ProjectName'),
    repositoryName: requireString(props, 'RepositoryName'),
    branchName: requireString(props, 'BranchName'),
    headCommitId: optionalString(props, 'HeadCommitId'),
  }),
  attributes: ['Name', 'GitRef', 'HeadCommitId'],
});

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

export interface DevEnvironmentRequest extends CatalystRequest {
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

/**
 * A dev environment, waited for until it is in its desired state (or gone). `AwaitedState` hands isComplete the state
 * it waits for ('' on Delete: gone).
 */
export const DEV_ENVIRONMENT_FAMILY = defineFamily<DevEnvironmentProperties>()({
  resourceType: 'Custom::CdkDevtoolsCodeCatalystDevEnvironment',
  parse: (props): DevEnvironmentRequest => {
    const state = requireOneOf(props, 'DesiredState', DESIRED_STATES);
    const raw = props.Repositories;
    if (raw !== undefined && raw !== '' && !Array.isArray(raw)) {
      throw new Error('internal error: property Repositories should be a list; upgrade cdk-devtools and redeploy');
    }
    const repositories = (Array.isArray(raw) ? raw : []).map((r: Record<string, unknown>) => ({
      repositoryName: requireString(r, 'RepositoryName'),
      branchName: optionalString(r, 'BranchName'),
    }));
    return {
      ...catalystRequest(props),
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
  },
  attributes: ['Id', 'Status', 'AwaitedState'],
  waits: true,
});

/**
 * The Data key onEvent sets ('true') when an Update started or stopped the environment itself: its waiter then only
 * waits, so that the waiter of an Update CloudFormation stopped waiting for never undoes what the rollback's Update
 * asked for.
 */
export const DRIVEN_KEY = 'Driven';

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

export interface WorkflowRunRequest extends CatalystRequest {
  readonly projectName: string;
  readonly workflowId?: string;
  readonly workflowName?: string;
  readonly repositoryName?: string;
  readonly branchName?: string;
  readonly trigger: string;
  readonly wait: boolean;
}

/** A workflow run, started on deploy and, with `Wait`, waited for. `Watch` is 'true' when isComplete waits for the run. */
export const WORKFLOW_RUN_FAMILY = defineFamily<WorkflowRunProperties>()({
  resourceType: 'Custom::CdkDevtoolsCodeCatalystWorkflowRun',
  parse: (props): WorkflowRunRequest => {
    const workflowId = optionalString(props, 'WorkflowId');
    return {
      ...catalystRequest(props),
      projectName: requireString(props, 'ProjectName'),
      workflowId,
      workflowName: workflowId ? undefined : requireString(props, 'WorkflowName'),
      repositoryName: workflowId ? undefined : requireString(props, 'RepositoryName'),
      branchName: workflowId ? undefined : requireString(props, 'BranchName'),
      trigger: String(props.Trigger ?? ''),
      wait: parseBoolean(props, 'Wait', false),
    };
  },
  attributes: ['RunId', 'WorkflowId', 'Status', 'Watch'],
  waits: true,
});

/** The module's families, which the routers serve from its bundle. */
export const CODECATALYST_FAMILIES = [
  SPACE_FAMILY, PROJECT_FAMILY, SOURCE_REPOSITORY_FAMILY, BRANCH_FAMILY, DEV_ENVIRONMENT_FAMILY, WORKFLOW_RUN_FAMILY,
];
