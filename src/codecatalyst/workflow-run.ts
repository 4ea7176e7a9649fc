import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CODECATALYST_API } from './private/api-constraints';
import { validateBranchName } from './private/branch-name';
import { WORKFLOW_RUN_FAMILY } from './private/custom-resources/contract';
import { catalystResource } from './private/resource';
import { IProject } from './project';
import { ISourceRepository } from './source-repository';
import { validateApiValue } from '../core/api-constraints';
import { resolveWait } from '../core/custom-resource';
import { ValidationError } from '../core/validation';
import { WaitOptions } from '../wait';

/** Properties of a workflow run. */
export interface WorkflowRunProps extends WaitOptions {
  /** The project whose workflow runs. */
  readonly project: IProject;

  /**
   * The workflow's name (the `Name` in its YAML), found in `repository` on `branchName`. Give this or `workflowId`.
   * @default - `workflowId` names the workflow
   */
  readonly workflowName?: string;

  /**
   * The repository whose `.codecatalyst/workflows/` holds the workflow named `workflowName`.
   * @default - required with `workflowName`
   */
  readonly repository?: ISourceRepository;

  /**
   * The branch the workflow is defined on, with `workflowName`.
   * @default 'main'
   */
  readonly branchName?: string;

  /**
   * The workflow's id (a UUID), instead of its name.
   * @default - `workflowName` names the workflow
   */
  readonly workflowId?: string;

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
    const byName = props.workflowName !== undefined;
    if (byName === (props.workflowId !== undefined)) {
      throw new ValidationError(`give either workflowName (with repository) or workflowId, ${byName ? 'not both' : 'got neither'}`, this);
    }
    if (byName && !props.repository) {
      throw new ValidationError(`workflowName '${props.workflowName}' needs the repository whose .codecatalyst/workflows/ defines it; `
        + 'pass repository (and branchName when it is not main), or identify the workflow by workflowId', this);
    }
    if (!byName && (props.repository || props.branchName)) {
      throw new ValidationError('repository and branchName only apply with workflowName; remove them, the workflowId names the workflow', this);
    }
    validateApiValue(this, CODECATALYST_API, 'Uuid', 'workflowId', props.workflowId, 'Pass the workflow\'s id (a UUID), or name it with workflowName');
    validateBranchName(this, 'branchName', props.branchName, 'Use a Git branch name of at most 100 characters, or leave it out for main');
    if (byName && !Token.isUnresolved(props.workflowName) && (props.workflowName!.length < 1 || props.workflowName!.length > 100)) {
      throw new ValidationError(`invalid workflowName: '${props.workflowName}' has ${props.workflowName!.length} characters; `
        + 'a workflow name has 1 to 100. Use the Name of the workflow\'s YAML', this);
    }
    const wait = resolveWait(this, props, { prop: 'waitForSuccess', enabled: props.waitForSuccess });
    const properties = {
      ProjectName: props.project.projectName,
      WorkflowId: props.workflowId,
      WorkflowName: props.workflowName,
      RepositoryName: props.repository?.sourceRepositoryName,
      BranchName: byName ? props.branchName ?? 'main' : undefined,
      Trigger: props.trigger ?? 'created',
      Wait: String(wait !== undefined),
    };
    const resource = catalystResource(this, 'Run', { family: WORKFLOW_RUN_FAMILY, space: props.project.space, properties, wait });
    this.workflowRunId = resource.attr('RunId');
    this.workflowId = resource.attr('WorkflowId');
  }
}
