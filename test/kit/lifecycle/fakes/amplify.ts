import * as http from 'http';
import { AddressInfo } from 'net';
import {
  BackendEnvironment, Branch, CreateBackendEnvironmentCommand, CreateBackendEnvironmentRequest, CreateDeploymentCommand, CreateDeploymentRequest,
  DeleteBackendEnvironmentCommand, DeleteBackendEnvironmentRequest, DomainAssociation, DomainStatus, GetBackendEnvironmentCommand,
  GetBackendEnvironmentRequest, GetBranchCommand, GetBranchRequest, GetDomainAssociationCommand, GetDomainAssociationRequest, GetJobCommand,
  GetJobRequest, JobStatus, JobSummary, JobType, ListJobsCommand, ListJobsRequest, StartDeploymentCommand, StartDeploymentRequest, StartJobCommand,
  StartJobRequest, StopJobCommand, StopJobRequest, UpdateBranchCommand, UpdateBranchRequest,
} from '@aws-sdk/client-amplify';
import { AwsStub } from 'aws-sdk-client-mock';
import { AMPLIFY_API } from '../../../../src/amplify/private/api-constraints';
import { awsError } from '../../sdk';
import { FakeService, route, VirtualClock } from '../world';

const ACCOUNT = '123456789012';

/** How a job ends once it runs: SUCCEED, FAILED, or HANG (it keeps RUNNING, for timeouts). */
export type JobPlan = 'SUCCEED' | 'FAILED' | 'HANG';

export interface JobState {
  readonly jobId: string;
  readonly jobType: JobType;
  status: JobStatus;
  plan: JobPlan;
  readonly startTime: Date;
  /** What was uploaded to a manual deployment's zipUploadUrl. */
  upload?: Buffer;
  /** The commit message StartJob was given (the API reference: StartJob's `commitMessage`, returned in JobSummary). */
  commitMessage?: string;
}

export interface BranchState {
  readonly branchName: string;
  /** The branch as GetBranch shows it (settings CloudFormation or UpdateBranch set). */
  settings: Partial<Omit<Branch, 'branchArn' | 'branchName' | 'createTime' | 'updateTime'>>;
  /** Oldest first. */
  readonly jobs: JobState[];
  /** The content the branch serves: the upload of its last successful manual deployment. */
  deployed?: Buffer;
}

export interface DomainState {
  readonly domainName: string;
  /** The mapped prefixes ('' is the domain itself). */
  readonly prefixes: string[];
  status: DomainStatus;
  /** Whether it stays where it is (a certificate that is never validated). */
  held: boolean;
}

export interface AppState {
  readonly appId: string;
  /** Apps connected to a repository take StartJob (RELEASE); apps without one take manual deployments. */
  readonly repository: boolean;
  readonly branches: Map<string, BranchState>;
  readonly backendEnvironments: Map<string, BackendEnvironment>;
  readonly domains: Map<string, DomainState>;
}

/** Domain statuses in the order a new Amplify-managed domain goes through them. */
const DOMAIN_PROGRESS: DomainStatus[] = ['CREATING', 'REQUESTING_CERTIFICATE', 'PENDING_VERIFICATION', 'PENDING_DEPLOYMENT', 'AVAILABLE'];
const ENDED: JobStatus[] = ['SUCCEED', 'FAILED', 'CANCELLED'];

/**
 * Amplify Hosting as the handlers see it. Jobs move on each poll (`tick`): CREATED waits for
 * StartDeployment, PENDING starts when no other job of the branch runs, RUNNING ends as planned, CANCELLING
 * becomes CANCELLED; a manual deployment's upload goes to a local HTTP server (`UploadServer`). Backend
 * environments cannot be updated, and their names are unique in an app (BadRequestException). Errors as the
 * API reference documents them: NotFoundException, BadRequestException, LimitExceededException (throttling),
 * UnauthorizedException (IAM denial).
 */
export class FakeAmplify extends FakeService {
  public static appArn(appId: string): string {
    return `arn:aws:amplify:us-east-1:${ACCOUNT}:apps/${appId}`;
  }

  public static branchArn(appId: string, branchName: string): string {
    return `${FakeAmplify.appArn(appId)}/branches/${encodeURIComponent(branchName)}`;
  }

  public readonly apps = new Map<string, AppState>();
  /** The HTTP status the next upload gets (then 200 again). */
  public nextUploadStatus = 200;
  /** How the jobs StartJob and CreateDeployment create will end. */
  public jobPlan: JobPlan = 'SUCCEED';
  private lastCreateTime = 0;

  constructor(clock: VirtualClock, private readonly uploads?: UploadServer) {
    super('Amplify', clock, {
      throttling: 'LimitExceededException', accessDenied: 'UnauthorizedException', validation: 'BadRequestException', notFound: 'NotFoundException',
    }, AMPLIFY_API);
    if (uploads) uploads.receiver = (path, body) => this.receiveUpload(path, body);
  }

  public addApp(appId: string, repository: boolean): AppState {
    const app: AppState = { appId, repository, branches: new Map(), backendEnvironments: new Map(), domains: new Map() };
    this.apps.set(appId, app);
    return app;
  }

  public addBranch(appId: string, branchName: string, settings: BranchState['settings'] = {}): BranchState {
    const branch: BranchState = { branchName, settings: { stage: 'PRODUCTION', displayName: branchName, ttl: '5', enableNotification: false, enableBasicAuth: false, ...settings }, jobs: [] };
    this.app(appId).branches.set(branchName, branch);
    return branch;
  }

  /** A job someone else started (a webhook build, a console deployment). */
  public addJob(appId: string, branchName: string, jobType: JobType, status: JobStatus, plan: JobPlan = 'SUCCEED'): JobState {
    const branch = this.branch(appId, branchName);
    const job: JobState = { jobId: String(branch.jobs.length + 1), jobType, status, plan, startTime: this.clock.date() };
    branch.jobs.push(job);
    return job;
  }

  public addDomain(appId: string, domainName: string, prefixes: string[]): DomainState {
    const domain: DomainState = { domainName, prefixes, status: 'CREATING', held: false };
    this.app(appId).domains.set(domainName, domain);
    return domain;
  }

  public addBackendEnvironment(appId: string, environmentName: string, stackName?: string): BackendEnvironment {
    const env = this.newEnvironment(appId, environmentName, stackName, undefined);
    this.app(appId).backendEnvironments.set(environmentName, env);
    return env;
  }

  public app(appId: string): AppState {
    const app = this.apps.get(appId);
    if (!app) throw this.notFound(`App ${appId}`);
    return app;
  }

  public branch(appId: string, branchName: string): BranchState {
    const branch = this.app(appId).branches.get(branchName);
    if (!branch) throw this.notFound(`Branch ${branchName} of app ${appId}`);
    return branch;
  }

  /** Jobs that have not ended (CREATED and CANCELLING included: Amplify counts them against the branch). */
  public activeJobs(appId: string, branchName: string): JobState[] {
    return this.branch(appId, branchName).jobs.filter(j => !ENDED.includes(j.status));
  }

  public override tick(): void {
    for (const app of this.apps.values()) {
      for (const branch of app.branches.values()) {
        for (const job of branch.jobs) {
          if (job.status === 'CANCELLING') {job.status = 'CANCELLED';} else if (job.status === 'RUNNING' && job.plan !== 'HANG') {
            job.status = job.plan;
            if (job.plan === 'SUCCEED' && job.upload) branch.deployed = job.upload;
          }
        }
        const next = branch.jobs.find(j => j.status === 'PENDING');
        if (next && !branch.jobs.some(j => j.status === 'RUNNING')) next.status = 'RUNNING';
      }
      for (const domain of app.domains.values()) {
        const at = DOMAIN_PROGRESS.indexOf(domain.status);
        if (!domain.held && at >= 0 && at < DOMAIN_PROGRESS.length - 1) domain.status = DOMAIN_PROGRESS[at + 1];
      }
    }
  }

  public snapshot(): unknown {
    return [...this.apps.values()].map(app => ({
      appId: app.appId,
      branches: [...app.branches.values()].map(b => ({ ...b, deployed: b.deployed?.toString() })),
      backendEnvironments: [...app.backendEnvironments.values()],
      domains: [...app.domains.values()],
    }));
  }

  public getBranch(input: GetBranchRequest) {
    this.admit('GetBranch', input, 'amplify:GetBranch', FakeAmplify.branchArn(input.appId!, input.branchName!), false);
    return { branch: this.describeBranch(input.appId!, input.branchName!) };
  }

  public updateBranch(input: UpdateBranchRequest) {
    this.admit('UpdateBranch', input, 'amplify:UpdateBranch', FakeAmplify.branchArn(input.appId!, input.branchName!), true);
    const branch = this.branch(input.appId!, input.branchName!);
    const { appId: _appId, branchName: _branchName, ...changes } = input;
    branch.settings = { ...branch.settings, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) };
    return { branch: this.describeBranch(input.appId!, input.branchName!) };
  }

  public listJobs(input: ListJobsRequest) {
    this.admit('ListJobs', input, 'amplify:ListJobs', FakeAmplify.branchArn(input.appId!, input.branchName!), false);
    const jobs = [...this.branch(input.appId!, input.branchName!).jobs].reverse();
    return { jobSummaries: jobs.slice(0, input.maxResults ?? 50).map(j => this.summary(input.appId!, input.branchName!, j)) };
  }

  public startJob(input: StartJobRequest) {
    this.admit('StartJob', input, 'amplify:StartJob', FakeAmplify.branchArn(input.appId!, input.branchName!), true);
    if (!this.app(input.appId!).repository) throw awsError('BadRequestException', 'StartJob needs an app connected to a repository');
    const job = this.addJob(input.appId!, input.branchName!, input.jobType!, 'PENDING', this.jobPlan);
    // The job keeps the commit message it was started with; JobSummary (ListJobs, GetJob) returns it, but not jobReason.
    job.commitMessage = input.commitMessage;
    return { jobSummary: this.summary(input.appId!, input.branchName!, job) };
  }

  public getJob(input: GetJobRequest) {
    this.admit('GetJob', input, 'amplify:GetJob', `${FakeAmplify.branchArn(input.appId!, input.branchName!)}/jobs/${input.jobId}`, false);
    const job = this.job(input.appId!, input.branchName!, input.jobId!);
    return { job: { summary: this.summary(input.appId!, input.branchName!, job), steps: [] } };
  }

  public stopJob(input: StopJobRequest) {
    this.admit('StopJob', input, 'amplify:StopJob', `${FakeAmplify.branchArn(input.appId!, input.branchName!)}/jobs/${input.jobId}`, true);
    const job = this.job(input.appId!, input.branchName!, input.jobId!);
    if (ENDED.includes(job.status)) throw awsError('BadRequestException', `job ${job.jobId} already ended ${job.status}`);
    job.status = 'CANCELLING';
    return { jobSummary: this.summary(input.appId!, input.branchName!, job) };
  }

  public createDeployment(input: CreateDeploymentRequest) {
    this.admit('CreateDeployment', input, 'amplify:CreateDeployment', FakeAmplify.branchArn(input.appId!, input.branchName!), true);
    if (this.app(input.appId!).repository) throw awsError('BadRequestException', 'manual deployments need an app without a repository');
    const job = this.addJob(input.appId!, input.branchName!, 'MANUAL', 'CREATED', this.jobPlan);
    if (!this.uploads) throw new Error('FakeAmplify needs an UploadServer for manual deployments');
    return { jobId: job.jobId, zipUploadUrl: `${this.uploads.url}/${input.appId}/${encodeURIComponent(input.branchName!)}/${job.jobId}?X-Amz-Signature=fake`, fileUploadUrls: {} };
  }

  public startDeployment(input: StartDeploymentRequest) {
    this.admit('StartDeployment', input, 'amplify:StartDeployment', FakeAmplify.branchArn(input.appId!, input.branchName!), true);
    const job = this.job(input.appId!, input.branchName!, input.jobId ?? '');
    if (job.status !== 'CREATED' || !job.upload) throw awsError('BadRequestException', `job ${job.jobId} is ${job.status}${job.upload ? '' : ' and has no upload'}`);
    job.status = 'PENDING';
    return { jobSummary: this.summary(input.appId!, input.branchName!, job) };
  }

  public createBackendEnvironment(input: CreateBackendEnvironmentRequest) {
    this.admit('CreateBackendEnvironment', input, 'amplify:CreateBackendEnvironment', FakeAmplify.appArn(input.appId!), true);
    const app = this.app(input.appId!);
    if (app.backendEnvironments.has(input.environmentName!)) {
      throw awsError('BadRequestException', `backend environment ${input.environmentName} already exists`);
    }
    const env = this.newEnvironment(input.appId!, input.environmentName!, input.stackName, input.deploymentArtifacts);
    app.backendEnvironments.set(input.environmentName!, env);
    return { backendEnvironment: env };
  }

  public getBackendEnvironment(input: GetBackendEnvironmentRequest) {
    this.admit('GetBackendEnvironment', input, 'amplify:GetBackendEnvironment', FakeAmplify.appArn(input.appId!), false);
    const env = this.app(input.appId!).backendEnvironments.get(input.environmentName!);
    if (!env) throw this.notFound(`Backend environment ${input.environmentName}`);
    return { backendEnvironment: env };
  }

  public deleteBackendEnvironment(input: DeleteBackendEnvironmentRequest) {
    this.admit('DeleteBackendEnvironment', input, 'amplify:DeleteBackendEnvironment', FakeAmplify.appArn(input.appId!), true);
    const app = this.app(input.appId!);
    const env = app.backendEnvironments.get(input.environmentName!);
    if (!env) throw this.notFound(`Backend environment ${input.environmentName}`);
    app.backendEnvironments.delete(input.environmentName!);
    return { backendEnvironment: env };
  }

  public getDomainAssociation(input: GetDomainAssociationRequest) {
    this.admit('GetDomainAssociation', input, 'amplify:GetDomainAssociation', `${FakeAmplify.appArn(input.appId!)}/domains/${input.domainName}`, false);
    const domain = this.app(input.appId!).domains.get(input.domainName!);
    if (!domain) throw this.notFound(`Domain ${input.domainName}`);
    return { domainAssociation: this.describeDomain(input.appId!, domain) };
  }

  /** Routes the Amplify commands of a mock to this fake. */
  public wire(mock: AwsStub<any, any, any>): this {
    route(mock, GetBranchCommand, input => this.getBranch(input));
    route(mock, UpdateBranchCommand, input => this.updateBranch(input));
    route(mock, ListJobsCommand, input => this.listJobs(input));
    route(mock, StartJobCommand, input => this.startJob(input));
    route(mock, GetJobCommand, input => this.getJob(input));
    route(mock, StopJobCommand, input => this.stopJob(input));
    route(mock, CreateDeploymentCommand, input => this.createDeployment(input));
    route(mock, StartDeploymentCommand, input => this.startDeployment(input));
    route(mock, CreateBackendEnvironmentCommand, input => this.createBackendEnvironment(input));
    route(mock, GetBackendEnvironmentCommand, input => this.getBackendEnvironment(input));
    route(mock, DeleteBackendEnvironmentCommand, input => this.deleteBackendEnvironment(input));
    route(mock, GetDomainAssociationCommand, input => this.getDomainAssociation(input));
    return this;
  }

  private receiveUpload(path: string, body: Buffer): number {
    const status = this.nextUploadStatus;
    this.nextUploadStatus = 200;
    if (status < 200 || status > 299) return status;
    // The path is /upload/<appId>/<branchName>/<jobId>, as createDeployment made it.
    const [appId, branchName, jobId] = path.split('?')[0].split('/').filter(Boolean).slice(1).map(decodeURIComponent);
    const job = this.apps.get(appId)?.branches.get(branchName)?.jobs.find(j => j.jobId === jobId);
    if (!job || job.status !== 'CREATED') return 403;
    job.upload = body;
    return 200;
  }

  private job(appId: string, branchName: string, jobId: string): JobState {
    const job = this.branch(appId, branchName).jobs.find(j => j.jobId === jobId);
    if (!job) throw this.notFound(`Job ${jobId}`);
    return job;
  }

  private summary(appId: string, branchName: string, job: JobState): JobSummary {
    return {
      jobArn: `${FakeAmplify.branchArn(appId, branchName)}/jobs/${job.jobId}`,
      jobId: job.jobId,
      jobType: job.jobType,
      status: job.status,
      startTime: job.startTime,
      commitId: 'HEAD',
      commitMessage: job.commitMessage ?? '',
      commitTime: job.startTime,
    };
  }

  private describeBranch(appId: string, branchName: string): Branch {
    const branch = this.branch(appId, branchName);
    return { branchArn: FakeAmplify.branchArn(appId, branchName), branchName, ...branch.settings } as Branch;
  }

  private newEnvironment(appId: string, environmentName: string, stackName?: string, deploymentArtifacts?: string): BackendEnvironment {
    // Creation times are distinct, as real ones are (milliseconds pass between two calls).
    this.lastCreateTime = Math.max(this.clock.now(), this.lastCreateTime + 1);
    const createTime = new Date(this.lastCreateTime);
    return {
      backendEnvironmentArn: `${FakeAmplify.appArn(appId)}/backendenvironments/${environmentName}`,
      environmentName,
      stackName,
      deploymentArtifacts,
      createTime,
      updateTime: createTime,
    };
  }

  private describeDomain(appId: string, domain: DomainState): DomainAssociation {
    const known = DOMAIN_PROGRESS.indexOf(domain.status) >= DOMAIN_PROGRESS.indexOf('PENDING_VERIFICATION');
    return {
      domainAssociationArn: `${FakeAmplify.appArn(appId)}/domains/${domain.domainName}`,
      domainName: domain.domainName,
      enableAutoSubDomain: false,
      domainStatus: domain.status,
      statusReason: '',
      certificateVerificationDNSRecord: known ? `_c3e2d7eaf1e656b73f46cd6980fdc0e0.${domain.domainName}. CNAME _x.acm-validations.aws.` : undefined,
      subDomains: domain.prefixes.map(prefix => ({
        subDomainSetting: { prefix, branchName: 'main' },
        verified: domain.status === 'AVAILABLE',
        dnsRecord: known ? `${prefix} CNAME d1abcdef.cloudfront.net` : '',
      })),
    };
  }
}

/**
 * A local stand-in for Amplify's presigned upload URLs: PUTs are handed to the current fake's receiver,
 * which answers the HTTP status. Start it once per test file with `uploadServer()`.
 */
export class UploadServer {
  public url = '';
  public receiver: ((path: string, body: Buffer) => number) | undefined;
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.statusCode = this.receiver?.(req.url ?? '', Buffer.concat(chunks)) ?? 500;
      res.end();
    });
  });

  public async start(): Promise<void> {
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/upload`;
  }

  public stop(): Promise<void> {
    return new Promise<void>(resolve => this.server.close(() => resolve()));
  }
}

/** An upload server for the test file: started before its tests, stopped after them. */
export function uploadServer(): UploadServer {
  const server = new UploadServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  return server;
}
