import {
  CreateDevEnvironmentCommand, CreateDevEnvironmentRequest, CreateProjectCommand, CreateProjectRequest, CreateSourceRepositoryBranchCommand,
  CreateSourceRepositoryBranchRequest, CreateSourceRepositoryCommand, CreateSourceRepositoryRequest, DeleteDevEnvironmentCommand,
  DeleteDevEnvironmentRequest, DeleteProjectCommand, DeleteProjectRequest, DeleteSourceRepositoryCommand, DeleteSourceRepositoryRequest,
  GetDevEnvironmentCommand, GetDevEnvironmentRequest, GetProjectCommand, GetProjectRequest, GetSourceRepositoryCloneUrlsCommand,
  GetSourceRepositoryCloneUrlsRequest, GetSourceRepositoryCommand, GetSourceRepositoryRequest, GetSpaceCommand, GetSpaceRequest,
  GetWorkflowRunCommand, GetWorkflowRunRequest, ListDevEnvironmentsCommand, ListDevEnvironmentsRequest, ListProjectsCommand, ListProjectsRequest,
  ListSourceRepositoryBranchesCommand, ListSourceRepositoryBranchesRequest, ListWorkflowsCommand, ListWorkflowsRequest, StartDevEnvironmentCommand,
  StartDevEnvironmentRequest, StartWorkflowRunCommand, StartWorkflowRunRequest, StopDevEnvironmentCommand, StopDevEnvironmentRequest,
  UpdateDevEnvironmentCommand, UpdateDevEnvironmentRequest, UpdateProjectCommand, UpdateProjectRequest, VerifySessionCommand,
} from '@aws-sdk/client-codecatalyst';
import { AwsStub } from 'aws-sdk-client-mock';
import { CODECATALYST_API } from '../../../../src/codecatalyst/private/api-constraints';
import { awsError } from '../../sdk';
import { attemptRequest, droppedConnection, FakeService, SDK_MAX_ATTEMPTS, VirtualClock } from '../world';

/** A user a bearer token belongs to. */
export interface FakeTokenOwner {
  readonly user: string;
  /** An expired (or revoked) token: every call, VerifySession first, is refused. */
  expired?: boolean;
  /** When the token expires (an SSO access token), on the fake's clock; from then on every call is refused. */
  expiresAt?: number;
}

export interface FakeBranch {
  readonly name: string;
  readonly ref: string;
  readonly headCommitId: string;
}

export interface FakeRepository {
  readonly name: string;
  description?: string;
  readonly branches: Map<string, FakeBranch>;
  /** Commits the repository has (a branch can start at any of them). */
  readonly commits: string[];
}

export type DevEnvironmentStatus = 'PENDING' | 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | 'FAILED' | 'DELETING' | 'DELETED';

export interface FakeDevEnvironment {
  readonly id: string;
  readonly creator: string;
  alias?: string;
  ides: Array<{ name?: string; runtime?: string }>;
  instanceType: string;
  inactivityTimeoutMinutes: number;
  readonly storageGiB: number;
  readonly repositories: Array<{ repositoryName?: string; branchName?: string }>;
  readonly vpcConnectionName?: string;
  status: DevEnvironmentStatus;
  statusReason?: string;
  readonly clientToken?: string;
}

export interface FakeWorkflow {
  readonly id: string;
  readonly name: string;
  readonly sourceRepositoryName: string;
  readonly sourceBranchName: string;
  status: 'ACTIVE' | 'INVALID';
}

/** How runs end: after the three running statuses, in this status, or never (HANG: IN_PROGRESS for ever). */
export type RunPlan = 'SUCCEEDED' | 'FAILED' | 'STOPPED' | 'CANCELLED' | 'HANG';

export interface FakeWorkflowRun {
  readonly id: string;
  readonly workflowId: string;
  status: string;
  readonly plan: RunPlan;
  readonly clientToken?: string;
}

export interface FakeProject {
  readonly name: string;
  readonly displayName: string;
  description: string;
  readonly repositories: Map<string, FakeRepository>;
  readonly devEnvironments: Map<string, FakeDevEnvironment>;
  readonly workflows: FakeWorkflow[];
  readonly runs: FakeWorkflowRun[];
}

export interface FakeSpace {
  readonly name: string;
  readonly regionName: string;
  readonly projects: Map<string, FakeProject>;
}

/** The limits of a space's billing tier (ServiceQuotaExceededException, HTTP 402). */
export interface TierLimit {
  readonly projects?: number;
  readonly devEnvironments?: number;
}

/** Statuses a run passes through before its plan's end, one per poll. */
const RUN_STATUSES = ['VALIDATING', 'PROVISIONING', 'IN_PROGRESS'];
/**
 * What the SDK's standard retry strategy retries among CodeCatalyst's documented errors, and `TimeoutError`, the
 * error of a request whose response never arrived (a transient error to the SDK, `@smithy/service-error-classification`).
 */
const SDK_RETRIED = ['ThrottlingException', 'TimeoutError'];

/** What the SDK's HTTP handler throws when a response does not arrive in time: the request may have been carried out. */
function lostResponse(operation: string): Error {
  return Object.assign(new Error(`${operation}: the connection timed out before the response arrived`), { name: 'TimeoutError', $metadata: {} });
}

/** A command class, as `mock.on()` takes it. */
type CommandClass<I> = new (input: I) => { readonly input: I };

/**
 * CodeCatalyst as the handlers see it. There is no IAM: a request is authorised by its bearer token (read from the
 * client's `token` provider as the SDK would send it), whose user needs a role in the space (all of it) or in the
 * project. An unknown or expired token (an SSO access token past its `expiresAt`) is refused everywhere; the API reference documents only 403 for refusals,
 * so the fake names the error `AccessDeniedException` for a missing role and `UnauthorizedException` for a bad token
 * (what the SDK names an undocumented 401), so that tests can tell them apart.
 *
 * Projects take their name from the display name (lower case, spaces to '-'); a new repository has a `main` branch;
 * dev environments progress at each `tick()` (PENDING, STARTING, RUNNING; STOPPING, STOPPED; DELETING, DELETED, then
 * gone); workflow runs go VALIDATING, PROVISIONING, IN_PROGRESS, then `runPlan`'s end. Inputs are checked against
 * CODECATALYST_API as they arrive (ValidationException).
 */
export class FakeCodeCatalyst extends FakeService {
  /** The name CodeCatalyst derives from a display name (the rule is undocumented: lower case, spaces to '-'). */
  public static projectNameOf(displayName: string): string {
    return displayName.toLowerCase().replace(/ /g, '-');
  }

  public readonly spaces = new Map<string, FakeSpace>();
  /** Bearer tokens to their users. */
  public readonly tokens = new Map<string, FakeTokenOwner>();
  /** Roles by user: `space` (a space administrator) or `space/project` (a project contributor). */
  public readonly roles = new Map<string, Set<string>>();
  public tierLimit: TierLimit = {};
  /** How new runs end. */
  public runPlan: RunPlan = 'SUCCEEDED';
  /** Dev environments in this status do not progress (for waits that never end). */
  public holdStatus: DevEnvironmentStatus | undefined;
  /** When set, environments that start end FAILED with this reason instead of RUNNING. */
  public failStarts: string | undefined;
  /** Every token a request carried, in order (to check which token the handler used). */
  public readonly tokensSeen: string[] = [];
  private caller: string | undefined;
  private readonly conflicts = new Map<string, number>();
  private readonly lost = new Map<string, number>();
  private nextId = 1;

  constructor(clock: VirtualClock) {
    super('CodeCatalyst', clock, {
      throttling: 'ThrottlingException', accessDenied: 'AccessDeniedException', validation: 'ValidationException', notFound: 'ResourceNotFoundException',
    }, CODECATALYST_API);
    // No IAM: every request passes FakeService's policy check; the bearer token is checked instead.
    this.policy = [{ actions: ['*'], resources: ['*'] }];
  }

  public addSpace(name: string, regionName = 'us-west-2'): FakeSpace {
    const space: FakeSpace = { name, regionName, projects: new Map() };
    this.spaces.set(name, space);
    return space;
  }

  public addUser(token: string, user: string): FakeTokenOwner {
    const owner: FakeTokenOwner = { user };
    this.tokens.set(token, owner);
    return owner;
  }

  /** Gives a user a role in a whole space, or in one project of it. */
  public grant(user: string, space: string, project?: string): void {
    this.roles.set(user, new Set([...this.roles.get(user) ?? [], project ? `${space}/${project}` : space]));
  }

  public revoke(user: string): void {
    this.roles.delete(user);
  }

  public addProject(spaceName: string, displayName: string, description = ''): FakeProject {
    const name = FakeCodeCatalyst.projectNameOf(displayName);
    const project: FakeProject = { name, displayName, description, repositories: new Map(), devEnvironments: new Map(), workflows: [], runs: [] };
    this.space(spaceName).projects.set(name, project);
    return project;
  }

  public addRepository(spaceName: string, projectName: string, name: string, description?: string): FakeRepository {
    const commit = this.commitId();
    const repository: FakeRepository = {
      name, description, commits: [commit], branches: new Map([['main', { name: 'main', ref: 'refs/heads/main', headCommitId: commit }]]),
    };
    this.project(spaceName, projectName).repositories.set(name, repository);
    return repository;
  }

  public addWorkflow(spaceName: string, projectName: string, name: string, repository: string, branch: string, id?: string): FakeWorkflow {
    const workflow: FakeWorkflow = { id: id ?? this.uuid(), name, sourceRepositoryName: repository, sourceBranchName: branch, status: 'ACTIVE' };
    this.project(spaceName, projectName).workflows.push(workflow);
    return workflow;
  }

  /** The next `count` requests of `operation` fail with ConflictException (409), as another change in progress would. */
  public conflictNext(operation: string, count = 1): void {
    this.conflicts.set(operation, count);
  }

  /**
   * The next `count` requests of `operation` are carried out, then their responses are lost: the client sees a
   * `TimeoutError`, which the SDK retries (so a create without a client token meets what its first attempt made).
   */
  public loseResponse(operation: string, count = 1): void {
    this.lost.set(operation, count);
  }

  /** Every dev environment of a project that is not gone (DELETED counts as gone). */
  public liveEnvironments(spaceName: string, projectName: string): FakeDevEnvironment[] {
    return [...this.spaces.get(spaceName)?.projects.get(projectName)?.devEnvironments.values() ?? []].filter(e => e.status !== 'DELETED');
  }

  public override tick(): void {
    for (const space of this.spaces.values()) {
      for (const project of space.projects.values()) {
        for (const env of [...project.devEnvironments.values()]) {
          if (env.status === this.holdStatus) continue;
          switch (env.status) {
            case 'PENDING': env.status = 'STARTING'; break;
            case 'STARTING':
              if (this.failStarts) {
                env.status = 'FAILED';
                env.statusReason = this.failStarts;
              } else {
                env.status = 'RUNNING';
              }
              break;
            case 'STOPPING': env.status = 'STOPPED'; break;
            case 'DELETING': env.status = 'DELETED'; break;
            case 'DELETED': project.devEnvironments.delete(env.id); break;
            default: break;
          }
        }
        for (const run of project.runs) {
          const at = RUN_STATUSES.indexOf(run.status);
          if (at < 0) continue;
          if (at < RUN_STATUSES.length - 1) run.status = RUN_STATUSES[at + 1];
          else if (run.plan !== 'HANG') run.status = run.plan;
        }
      }
    }
  }

  public snapshot(): unknown {
    return [...this.spaces.values()].map(s => ({
      space: s.name,
      projects: [...s.projects.values()].map(p => ({
        name: p.name,
        displayName: p.displayName,
        description: p.description,
        repositories: [...p.repositories.values()].map(r => ({ name: r.name, description: r.description, branches: [...r.branches.keys()] })),
        devEnvironments: [...p.devEnvironments.values()].map(e => ({ id: e.id, status: e.status, instanceType: e.instanceType, alias: e.alias })),
        runs: p.runs.map(r => ({ id: r.id, status: r.status })),
      })),
    }));
  }

  // ---- operations -------------------------------------------------------------------------------------------

  public verifySession(input: object) {
    return this.handle('VerifySession', input, false, undefined, owner => ({ identity: `user-id-of-${owner.user}` }));
  }

  public getSpace(input: GetSpaceRequest) {
    return this.handle('GetSpace', input, false, { space: input.name!, anyProject: true }, () => {
      const space = this.space(input.name);
      return { name: space.name, regionName: space.regionName, displayName: space.name };
    });
  }

  public createProject(input: CreateProjectRequest) {
    return this.handle('CreateProject', input, true, { space: input.spaceName! }, () => {
      const space = this.space(input.spaceName);
      const name = FakeCodeCatalyst.projectNameOf(input.displayName!);
      if (space.projects.has(name)) throw awsError('ConflictException', `A project named ${name} already exists in the space`);
      if (this.tierLimit.projects !== undefined && space.projects.size >= this.tierLimit.projects) {
        throw awsError('ServiceQuotaExceededException', 'You have reached the maximum number of projects for your tier');
      }
      const project = this.addProject(space.name, input.displayName!, input.description ?? '');
      return { spaceName: space.name, name: project.name, displayName: project.displayName, description: project.description };
    });
  }

  public listProjects(input: ListProjectsRequest) {
    return this.handle('ListProjects', input, false, { space: input.spaceName!, anyProject: true }, () => {
      const all = [...this.space(input.spaceName).projects.values()];
      const start = Number(input.nextToken ?? '0');
      const size = input.maxResults ?? 100;
      const items = all.slice(start, start + size).map(p => ({ name: p.name, displayName: p.displayName, description: p.description }));
      return { items, ...(start + size < all.length ? { nextToken: String(start + size) } : {}) };
    });
  }

  public getProject(input: GetProjectRequest) {
    return this.handle('GetProject', input, false, { space: input.spaceName!, project: input.name }, () => {
      const p = this.project(input.spaceName, input.name);
      return { spaceName: input.spaceName, name: p.name, displayName: p.displayName, description: p.description };
    });
  }

  public updateProject(input: UpdateProjectRequest) {
    return this.handle('UpdateProject', input, true, { space: input.spaceName!, project: input.name }, () => {
      const p = this.project(input.spaceName, input.name);
      if (input.description !== undefined) p.description = input.description;
      return { spaceName: input.spaceName, name: p.name, displayName: p.displayName, description: p.description };
    });
  }

  public deleteProject(input: DeleteProjectRequest) {
    return this.handle('DeleteProject', input, true, { space: input.spaceName!, project: input.name }, () => {
      const p = this.project(input.spaceName, input.name);
      this.space(input.spaceName).projects.delete(p.name);
      return { spaceName: input.spaceName, name: p.name, displayName: p.displayName };
    });
  }

  public createSourceRepository(input: CreateSourceRepositoryRequest) {
    return this.handle('CreateSourceRepository', input, true, { space: input.spaceName!, project: input.projectName }, () => {
      const p = this.project(input.spaceName, input.projectName);
      if (p.repositories.has(input.name!)) throw awsError('ConflictException', `A source repository named ${input.name} already exists`);
      const r = this.addRepository(input.spaceName!, p.name, input.name!, input.description);
      return { spaceName: input.spaceName, projectName: p.name, name: r.name, description: r.description };
    });
  }

  public getSourceRepository(input: GetSourceRepositoryRequest) {
    return this.handle('GetSourceRepository', input, false, { space: input.spaceName!, project: input.projectName }, () => {
      const r = this.repository(input.spaceName, input.projectName, input.name);
      return {
        spaceName: input.spaceName,
        projectName: input.projectName,
        name: r.name,
        description: r.description,
        lastUpdatedTime: this.clock.date(),
        createdTime: this.clock.date(),
      };
    });
  }

  public getSourceRepositoryCloneUrls(input: GetSourceRepositoryCloneUrlsRequest) {
    return this.handle('GetSourceRepositoryCloneUrls', input, false, { space: input.spaceName!, project: input.projectName }, () => {
      const r = this.repository(input.spaceName, input.projectName, input.sourceRepositoryName);
      return { https: `https://git.us-west-2.codecatalyst.aws/v1/${input.spaceName}/${input.projectName}/${r.name}` };
    });
  }

  public deleteSourceRepository(input: DeleteSourceRepositoryRequest) {
    return this.handle('DeleteSourceRepository', input, true, { space: input.spaceName!, project: input.projectName }, () => {
      const r = this.repository(input.spaceName, input.projectName, input.name);
      this.project(input.spaceName, input.projectName).repositories.delete(r.name);
      return { spaceName: input.spaceName, projectName: input.projectName, name: r.name };
    });
  }

  public createSourceRepositoryBranch(input: CreateSourceRepositoryBranchRequest) {
    return this.handle('CreateSourceRepositoryBranch', input, true, { space: input.spaceName!, project: input.projectName }, () => {
      const r = this.repository(input.spaceName, input.projectName, input.sourceRepositoryName);
      if (r.branches.has(input.name!)) throw awsError('ConflictException', `A branch named ${input.name} already exists`);
      const head = input.headCommitId ?? r.branches.get('main')?.headCommitId ?? r.commits[0];
      if (!r.commits.includes(head)) throw awsError('ResourceNotFoundException', `Commit ${head} not found`);
      const branch: FakeBranch = { name: input.name!, ref: `refs/heads/${input.name}`, headCommitId: head };
      r.branches.set(branch.name, branch);
      return { ...branch, lastUpdatedTime: this.clock.date() };
    });
  }

  public listSourceRepositoryBranches(input: ListSourceRepositoryBranchesRequest) {
    return this.handle('ListSourceRepositoryBranches', input, false, { space: input.spaceName!, project: input.projectName }, () => {
      const r = this.repository(input.spaceName, input.projectName, input.sourceRepositoryName);
      const all = [...r.branches.values()];
      const start = Number(input.nextToken ?? '0');
      const size = input.maxResults ?? 50;
      const items = all.slice(start, start + size).map(b => ({ ...b, lastUpdatedTime: this.clock.date() }));
      return { items, ...(start + size < all.length ? { nextToken: String(start + size) } : {}) };
    });
  }

  public createDevEnvironment(input: CreateDevEnvironmentRequest) {
    return this.handle('CreateDevEnvironment', input, true, { space: input.spaceName!, project: input.projectName }, owner => {
      const p = this.project(input.spaceName, input.projectName);
      const known = input.clientToken ? [...p.devEnvironments.values()].find(e => e.clientToken === input.clientToken) : undefined;
      if (known) return { spaceName: input.spaceName, projectName: p.name, id: known.id };
      for (const repo of input.repositories ?? []) {
        const r = p.repositories.get(repo.repositoryName ?? '');
        if (!r) throw awsError('ResourceNotFoundException', `Source repository ${repo.repositoryName} not found`);
        if (repo.branchName && !r.branches.has(repo.branchName)) throw awsError('ResourceNotFoundException', `Branch ${repo.branchName} not found`);
      }
      const live = [...this.spaces.get(input.spaceName!)!.projects.values()].flatMap(x => [...x.devEnvironments.values()]).filter(e => e.status !== 'DELETED');
      if (this.tierLimit.devEnvironments !== undefined && live.length >= this.tierLimit.devEnvironments) {
        throw awsError('ServiceQuotaExceededException', 'You have reached the maximum number of Dev Environments for your tier');
      }
      const env: FakeDevEnvironment = {
        id: this.uuid(),
        creator: owner.user,
        alias: input.alias,
        ides: (input.ides ?? []).map(i => ({ name: i.name, runtime: i.runtime })),
        instanceType: input.instanceType!,
        inactivityTimeoutMinutes: input.inactivityTimeoutMinutes ?? 15,
        storageGiB: input.persistentStorage!.sizeInGiB!,
        repositories: (input.repositories ?? []).map(x => ({ repositoryName: x.repositoryName, branchName: x.branchName })),
        vpcConnectionName: input.vpcConnectionName,
        status: 'PENDING',
        clientToken: input.clientToken,
      };
      p.devEnvironments.set(env.id, env);
      return { spaceName: input.spaceName, projectName: p.name, id: env.id };
    });
  }

  public listDevEnvironments(input: ListDevEnvironmentsRequest) {
    return this.handle('ListDevEnvironments', input, false, { space: input.spaceName!, project: input.projectName }, () => {
      const all = [...this.project(input.spaceName, input.projectName).devEnvironments.values()];
      const start = Number(input.nextToken ?? '0');
      const size = input.maxResults ?? 50;
      const items = all.slice(start, start + size).map(e => ({
        spaceName: input.spaceName,
        projectName: input.projectName,
        id: e.id,
        lastUpdatedTime: this.clock.date(),
        creatorId: `user-id-of-${e.creator}`,
        status: e.status,
        statusReason: e.statusReason,
        repositories: e.repositories,
        alias: e.alias,
        ides: e.ides,
        instanceType: e.instanceType,
        inactivityTimeoutMinutes: e.inactivityTimeoutMinutes,
        persistentStorage: { sizeInGiB: e.storageGiB },
        vpcConnectionName: e.vpcConnectionName,
      }));
      return { items, ...(start + size < all.length ? { nextToken: String(start + size) } : {}) };
    });
  }

  public getDevEnvironment(input: GetDevEnvironmentRequest) {
    return this.handle('GetDevEnvironment', input, false, { space: input.spaceName!, project: input.projectName }, () => {
      const e = this.environment(input);
      return {
        spaceName: input.spaceName,
        projectName: input.projectName,
        id: e.id,
        status: e.status,
        statusReason: e.statusReason,
        alias: e.alias,
        creatorId: `user-id-of-${e.creator}`,
        ides: e.ides,
        instanceType: e.instanceType,
        inactivityTimeoutMinutes: e.inactivityTimeoutMinutes,
        persistentStorage: { sizeInGiB: e.storageGiB },
        repositories: e.repositories,
        vpcConnectionName: e.vpcConnectionName,
        lastUpdatedTime: this.clock.date(),
      };
    });
  }

  public updateDevEnvironment(input: UpdateDevEnvironmentRequest) {
    return this.handle('UpdateDevEnvironment', input, true, { space: input.spaceName!, project: input.projectName }, () => {
      const e = this.environment(input);
      if (e.status === 'DELETING') throw awsError('ConflictException', `Dev Environment ${e.id} is being deleted`);
      if (input.alias !== undefined) e.alias = input.alias === '' ? undefined : input.alias;
      if (input.ides !== undefined) e.ides = input.ides.map(i => ({ name: i.name, runtime: i.runtime }));
      const restart = (input.instanceType !== undefined && input.instanceType !== e.instanceType)
        || (input.inactivityTimeoutMinutes !== undefined && input.inactivityTimeoutMinutes !== e.inactivityTimeoutMinutes);
      if (input.instanceType !== undefined) e.instanceType = input.instanceType;
      if (input.inactivityTimeoutMinutes !== undefined) e.inactivityTimeoutMinutes = input.inactivityTimeoutMinutes;
      // The reference: a new instance type or timeout restarts a running environment.
      if (restart && e.status === 'RUNNING') e.status = 'STARTING';
      return { spaceName: input.spaceName, projectName: input.projectName, id: e.id, alias: e.alias, instanceType: e.instanceType };
    });
  }

  public startDevEnvironment(input: StartDevEnvironmentRequest) {
    return this.handle('StartDevEnvironment', input, true, { space: input.spaceName!, project: input.projectName }, () => {
      const e = this.environment(input);
      if (e.status === 'STOPPING' || e.status === 'DELETING') throw awsError('ConflictException', `Dev Environment ${e.id} is ${e.status}`);
      if (e.status === 'STOPPED' || e.status === 'FAILED') {
        e.status = 'STARTING';
        e.statusReason = undefined;
      }
      return { spaceName: input.spaceName, projectName: input.projectName, id: e.id, status: e.status };
    });
  }

  public stopDevEnvironment(input: StopDevEnvironmentRequest) {
    return this.handle('StopDevEnvironment', input, true, { space: input.spaceName!, project: input.projectName }, () => {
      const e = this.environment(input);
      if (['PENDING', 'STARTING', 'DELETING'].includes(e.status)) throw awsError('ConflictException', `Dev Environment ${e.id} is ${e.status}`);
      if (e.status === 'RUNNING') e.status = 'STOPPING';
      return { spaceName: input.spaceName, projectName: input.projectName, id: e.id, status: e.status };
    });
  }

  public deleteDevEnvironment(input: DeleteDevEnvironmentRequest) {
    return this.handle('DeleteDevEnvironment', input, true, { space: input.spaceName!, project: input.projectName }, () => {
      const e = this.environment(input);
      if (e.status === 'DELETED') throw awsError('ResourceNotFoundException', `Dev Environment ${e.id} not found`);
      e.status = 'DELETING';
      return { spaceName: input.spaceName, projectName: input.projectName, id: e.id };
    });
  }

  public listWorkflows(input: ListWorkflowsRequest) {
    return this.handle('ListWorkflows', input, false, { space: input.spaceName!, project: input.projectName }, () => {
      const p = this.project(input.spaceName, input.projectName);
      const start = Number(input.nextToken ?? '0');
      const size = input.maxResults ?? 100;
      const items = p.workflows.slice(start, start + size).map(w => ({
        ...w, definition: { path: `.codecatalyst/workflows/${w.name}.yaml` }, runMode: 'QUEUED', createdTime: this.clock.date(), lastUpdatedTime: this.clock.date(),
      }));
      return { items, ...(start + size < p.workflows.length ? { nextToken: String(start + size) } : {}) };
    });
  }

  public startWorkflowRun(input: StartWorkflowRunRequest) {
    return this.handle('StartWorkflowRun', input, true, { space: input.spaceName!, project: input.projectName }, () => {
      const p = this.project(input.spaceName, input.projectName);
      const known = input.clientToken ? p.runs.find(r => r.clientToken === input.clientToken) : undefined;
      if (known) return { spaceName: input.spaceName, projectName: p.name, id: known.id, workflowId: known.workflowId };
      const workflow = p.workflows.find(w => w.id === input.workflowId);
      if (!workflow) throw awsError('ResourceNotFoundException', `Workflow ${input.workflowId} not found`);
      if (workflow.status === 'INVALID') throw awsError('ValidationException', `Workflow ${workflow.id} has an invalid definition`);
      const run: FakeWorkflowRun = { id: this.uuid(), workflowId: workflow.id, status: 'VALIDATING', plan: this.runPlan, clientToken: input.clientToken };
      p.runs.push(run);
      return { spaceName: input.spaceName, projectName: p.name, id: run.id, workflowId: workflow.id };
    });
  }

  public getWorkflowRun(input: GetWorkflowRunRequest) {
    return this.handle('GetWorkflowRun', input, false, { space: input.spaceName!, project: input.projectName }, () => {
      const run = this.project(input.spaceName, input.projectName).runs.find(r => r.id === input.id);
      if (!run) throw awsError('ResourceNotFoundException', `Workflow run ${input.id} not found`);
      const ended = !RUN_STATUSES.includes(run.status);
      return {
        spaceName: input.spaceName,
        projectName: input.projectName,
        id: run.id,
        workflowId: run.workflowId,
        status: run.status,
        statusReasons: ended && run.status !== 'SUCCEEDED' ? [{}] : [],
        startTime: this.clock.date(),
        lastUpdatedTime: this.clock.date(),
      };
    });
  }

  /** Answers the handlers' CodeCatalyst calls from this fake, authorising each by the client's bearer token. */
  public wire(mock: AwsStub<any, any, any>): this {
    this.route(mock, VerifySessionCommand, i => this.verifySession(i));
    this.route(mock, GetSpaceCommand, i => this.getSpace(i));
    this.route(mock, CreateProjectCommand, i => this.createProject(i));
    this.route(mock, ListProjectsCommand, i => this.listProjects(i));
    this.route(mock, GetProjectCommand, i => this.getProject(i));
    this.route(mock, UpdateProjectCommand, i => this.updateProject(i));
    this.route(mock, DeleteProjectCommand, i => this.deleteProject(i));
    this.route(mock, CreateSourceRepositoryCommand, i => this.createSourceRepository(i));
    this.route(mock, GetSourceRepositoryCommand, i => this.getSourceRepository(i));
    this.route(mock, GetSourceRepositoryCloneUrlsCommand, i => this.getSourceRepositoryCloneUrls(i));
    this.route(mock, DeleteSourceRepositoryCommand, i => this.deleteSourceRepository(i));
    this.route(mock, CreateSourceRepositoryBranchCommand, i => this.createSourceRepositoryBranch(i));
    this.route(mock, ListSourceRepositoryBranchesCommand, i => this.listSourceRepositoryBranches(i));
    this.route(mock, CreateDevEnvironmentCommand, i => this.createDevEnvironment(i));
    this.route(mock, ListDevEnvironmentsCommand, i => this.listDevEnvironments(i));
    this.route(mock, GetDevEnvironmentCommand, i => this.getDevEnvironment(i));
    this.route(mock, UpdateDevEnvironmentCommand, i => this.updateDevEnvironment(i));
    this.route(mock, StartDevEnvironmentCommand, i => this.startDevEnvironment(i));
    this.route(mock, StopDevEnvironmentCommand, i => this.stopDevEnvironment(i));
    this.route(mock, DeleteDevEnvironmentCommand, i => this.deleteDevEnvironment(i));
    this.route(mock, ListWorkflowsCommand, i => this.listWorkflows(i));
    this.route(mock, StartWorkflowRunCommand, i => this.startWorkflowRun(i));
    this.route(mock, GetWorkflowRunCommand, i => this.getWorkflowRun(i));
    return this;
  }

  // ---- internals --------------------------------------------------------------------------------------------

  /**
   * Like `route`, but authorised by the bearer token the client holds (`config.token()`, as the SDK's
   * httpBearerAuth signer reads it), not by IAM credentials; with the SDK's retries of throttling and dropped connections.
   */
  private route<I extends object, O>(mock: AwsStub<any, any, any>, command: CommandClass<I>, operation: (input: I) => O): void {
    mock.on(command as any).callsFake(async (input: I, getClient: () => { config: { token?: () => Promise<{ token?: string }> } }) => {
      const token = (await getClient().config.token?.())?.token;
      for (let attempt = 1; ; attempt++) {
        try {
          this.caller = token;
          return await attemptRequest(() => operation(input));
        } catch (err) {
          const name = (err as { name?: string }).name ?? '';
          if (attempt >= SDK_MAX_ATTEMPTS || !(SDK_RETRIED.includes(name) || droppedConnection(err))) {
            // As the SDK's retry middleware does: the error says how many attempts were made.
            const e = err as { $metadata?: Record<string, unknown> };
            e.$metadata = { ...e.$metadata, attempts: attempt };
            throw err;
          }
        }
      }
    });
  }

  /**
   * One request: throttling and input validation (`admit`), then the bearer token, the user's role, an injected
   * conflict, then the operation; a failure is recorded on the request. An injected lost response comes after the
   * operation was carried out.
   */
  private handle<O>(operation: string, input: object, write: boolean, scope: { space: string; project?: string; anyProject?: boolean } | undefined,
    body: (owner: FakeTokenOwner) => O): O {
    this.admit(operation, input, `codecatalyst:${operation}`, '*', write);
    const token = this.caller;
    if (token !== undefined) this.tokensSeen.push(token);
    let output: O;
    try {
      const owner = token !== undefined ? this.tokens.get(token) : undefined;
      if (!owner || owner.expired || (owner.expiresAt !== undefined && owner.expiresAt <= this.clock.now())) {
        throw awsError('UnauthorizedException', 'The security token included in the request is expired or invalid');
      }
      if (scope && !this.hasRole(owner.user, scope)) {
        throw awsError('AccessDeniedException', 'You do not have sufficient access to perform this action.');
      }
      const conflicts = this.conflicts.get(operation) ?? 0;
      if (conflicts > 0) {
        this.conflicts.set(operation, conflicts - 1);
        throw awsError('ConflictException', 'The request was denied because the requested operation would cause a conflict with the current state of a service resource. Reload and try again.');
      }
      output = body(owner);
    } catch (err) {
      const last = this.requests[this.requests.length - 1];
      this.requests[this.requests.length - 1] = { ...last, error: (err as Error).name };
      throw err;
    }
    // Carried out (the request is recorded as such), but the response never reaches the client.
    const lost = this.lost.get(operation) ?? 0;
    if (lost > 0) {
      this.lost.set(operation, lost - 1);
      throw lostResponse(operation);
    }
    return output;
  }

  private hasRole(user: string, scope: { space: string; project?: string; anyProject?: boolean }): boolean {
    const roles = this.roles.get(user) ?? new Set<string>();
    if (roles.has(scope.space)) return true;
    if (scope.anyProject) return [...roles].some(r => r.startsWith(`${scope.space}/`));
    return scope.project !== undefined && roles.has(`${scope.space}/${scope.project}`);
  }

  private space(name: string | undefined): FakeSpace {
    const space = this.spaces.get(name ?? '');
    if (!space) throw this.notFound(`Space ${name}`);
    return space;
  }

  private project(spaceName: string | undefined, name: string | undefined): FakeProject {
    const project = this.space(spaceName).projects.get(name ?? '');
    if (!project) throw this.notFound(`Project ${name}`);
    return project;
  }

  private repository(spaceName: string | undefined, projectName: string | undefined, name: string | undefined): FakeRepository {
    const repository = this.project(spaceName, projectName).repositories.get(name ?? '');
    if (!repository) throw this.notFound(`Source repository ${name}`);
    return repository;
  }

  private environment(input: { spaceName?: string; projectName?: string; id?: string }): FakeDevEnvironment {
    const env = this.project(input.spaceName, input.projectName).devEnvironments.get(input.id ?? '');
    if (!env) throw this.notFound(`Dev Environment ${input.id}`);
    return env;
  }

  private uuid(): string {
    return `00000000-0000-4000-8000-${String(this.nextId++).padStart(12, '0')}`;
  }

  private commitId(): string {
    return (this.nextId++).toString(16).padStart(40, 'c');
  }
}
