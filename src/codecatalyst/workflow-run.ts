import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CODECATALYST_API } from './private/api-constraints';
import { validateBranchName } from './private/branch-name';
import { WORKFLOW_RUN_FAMILY } from './private/custom-resources/contract';
import { catalystResource } from './private/resource';
import { describeProject, knownDifferentProjects } from './private/same-project';
import { IProject } from './project';
import { ISourceRepository } from './source-repository';
import { validateApiValue } from '../core/api-constraints';
import { resolveWait } from '../core/custom-resource';
import { ValidationError } from '../core/validation';
import { WaitOptions } from '../wait';

/**
 * A CodeCatalyst workflow, for a `WorkflowRun` to run: by its name in a repository, or by its id.
 *
 * A workflow is a YAML file in a repository's `.codecatalyst/workflows/`; the API can neither create nor change one.
 */
export class Workflow {
  /**
   * The workflow of that name (the `Name` in its YAML) in the repository's `.codecatalyst/workflows/` on a branch,
   * found when the run starts.
   *
   * @param repository the repository whose `.codecatalyst/workflows/` defines the workflow
   * @param workflowName the workflow's name (1 to 100 characters)
   * @param branchName the branch the workflow is defined on; `main` when left out
   */
  public static fromName(repository: ISourceRepository, workflowName: string, branchName?: string): Workflow {
    return new Workflow(undefined, workflowName, repository, branchName ?? 'main');
  }

  /**
   * The workflow of that id.
   *
   * @param workflowId the workflow's id (a UUID)
   */
  public static fromId(workflowId: string): Workflow {
    return new Workflow(workflowId);
  }

  private constructor(
    /** The workflow's id (`fromId`); undefined for a workflow named by `fromName`. */
    public readonly workflowId?: string,
    /** The workflow's name (`fromName`); undefined for a workflow given by its id. */
    public readonly workflowName?: string,
    /** The repository that defines the workflow (`fromName`). */
    public readonly repository?: ISourceRepository,
    /** The branch the workflow is defined on (`fromName`). */
    public readonly branchName?: string,
  ) {}
}

/** Properties of a workflow run. */
export interface WorkflowRunProps extends WaitOptions {
  /** The project whose workflow runs. */
  readonly project: IProject;

  /** The workflow to run: `Workflow.fromName(repository, 'Deploy')` or `Workflow.fromId(id)`. */
  readonly workflow: Workflow;

  /**
   * Any change of this value starts a new run, e.g. the version being released.
   * @default - a run only when the resource is created (and when the workflow changes)
   */
  readonly trigger?: string;

  /**
   * Whether the deployment waits for the run to succeed; a run that ends otherwise fails the deployment with its status.
   * The wait lasts `timeout` (45 minutes by default; leave `waitForSuccess` off for a longer workflow), reading the
   * run's status every `pollInterval` (30 seconds by default). The API cannot stop a run: when the wait runs out the
   * deployment fails and the run goes on.
   * @default false
   */
  readonly waitForSuccess?: boolean;
}

/**
 * Starts a CodeCatalyst workflow run when the stack deploys, and again whenever `trigger` or the workflow changes;
 * optionally waits for it to succeed.
 *
 * Each run is its own resource: a new trigger replaces it, and a rollback to the previous trigger starts nothing. A
 * retried request starts no second run (StartWorkflowRun's client token is derived from the request). The API
 * cannot stop or delete runs: removing the resource, or rolling it back, leaves a running run to finish.
 */
export class WorkflowRun extends Construct {
  /**
   * The id of the run this deployment started (or, when nothing of the run changed, the one it started before).
   * @attribute
   */
  public readonly workflowRunId: string;

  /**
   * The id of the workflow that ran.
   * @attribute
   */
  public readonly workflowId: string;

  constructor(scope: Construct, id: string, props: WorkflowRunProps) {
    super(scope, id);
    const { workflow, project } = props;
    if (workflow.workflowId !== undefined) {
      validateApiValue(this, CODECATALYST_API, 'Uuid', 'workflowId', workflow.workflowId,
        'Pass the workflow\'s id (a UUID) to Workflow.fromId, or name it with Workflow.fromName(repository, name)');
    } else {
      const name = workflow.workflowName!;
      if (!Token.isUnresolved(name) && (name.length < 1 || name.length > 100)) {
        throw new ValidationError(`invalid workflowName: '${name}' has ${name.length} characters; `
          + 'a workflow name has 1 to 100. Use the Name of the workflow\'s YAML in Workflow.fromName(repository, name)', this);
      }
      validateBranchName(this, 'branchName', workflow.branchName,
        'Use a Git branch name of at most 100 characters in Workflow.fromName(repository, name, branchName), or leave it out for main');
      const repository = workflow.repository!;
      if (knownDifferentProjects(repository.project, project)) {
        throw new ValidationError(`invalid workflow: repository ${repository.node.path} belongs to project ${describeProject(repository.project)}, `
          + `but the run is in project ${describeProject(project)}; a run starts a workflow of its own project. Pass the repository's project `
          + 'as project, or a workflow of a repository of the run\'s project', this);
      }
    }
    const wait = resolveWait(this, props, { prop: 'waitForSuccess', enabled: props.waitForSuccess });
    const properties = {
      ProjectName: project.projectName,
      WorkflowId: workflow.workflowId,
      WorkflowName: workflow.workflowName,
      RepositoryName: workflow.repository?.sourceRepositoryName,
      BranchName: workflow.branchName,
      Trigger: props.trigger ?? 'created',
      Wait: String(wait !== undefined),
    };
    const resource = catalystResource(this, 'Run', { family: WORKFLOW_RUN_FAMILY, space: project.space, properties, wait });
    this.workflowRunId = resource.attr('RunId');
    this.workflowId = resource.attr('WorkflowId');
  }
}
