import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IConnection } from './connection';
import { waitForFirstSync } from './private/deploy-time';
import { RepositoryLink } from './repository-link';
import { SyncConfiguration, TriggerResourceUpdateOn } from './sync-configuration';
import { resolveWait } from '../core/custom-resource';
import { ValidationError } from '../core/validation';
import { WaitOptions } from '../wait';

/**
 * Properties of a Git-synced stack.
 */
export interface StackGitSyncProps extends WaitOptions {
  /** The connection to the repository's provider. */
  readonly connection: IConnection;

  /** The repository's owner at the provider. */
  readonly owner: string;

  /** The repository's name. */
  readonly repositoryName: string;

  /** The branch whose commits update the stack (a Git branch name, e.g. `main`). */
  readonly branch: string;

  /**
   * The name of the stack Git sync creates and keeps in step with the branch: letters, digits and hyphens, starting
   * with a letter (at most 100 characters).
   */
  readonly stackName: string;

  /** The path of the CloudFormation template, relative to the repository root, e.g. `infra/template.yaml`. */
  readonly templatePath: string;

  /**
   * The path of the deployment file in the repository.
   * @default 'deployment-file.yaml'
   */
  readonly deploymentFilePath?: string;

  /**
   * Stack parameters written into the deployment file.
   * @default - none
   */
  readonly parameters?: Record<string, string>;

  /**
   * Stack tags written into the deployment file.
   * @default - none
   */
  readonly tags?: Record<string, string>;

  /**
   * Post deployment status to the provider's commits.
   * @default false
   */
  readonly publishDeploymentStatus?: boolean;

  /**
   * Which commits update the stack.
   * @default TriggerResourceUpdateOn.ANY_CHANGE
   */
  readonly triggerResourceUpdateOn?: TriggerResourceUpdateOn;

  /**
   * The role Git sync assumes.
   * @default - a role with what Git sync needs for this stack
   */
  readonly role?: iam.IRole;

  /**
   * Hold the deployment that creates the sync (or moves it to another stack) until Git sync's first sync of the stack
   * succeeded, so what depends on this construct finds the stack deployed. The deployment fails at once when the sync
   * fails or Git sync raises a sync blocker, with the synced stack's events (and the blocker's reason and the command
   * that resolves it) in the message, and after `timeout` without a sync (commit `deploymentFile` first: Git
   * sync starts once it is in the branch). Updates that keep the stack do not wait. A rollback does not delete a stack
   * Git sync created: delete it yourself if you give the sync up.
   * @default false
   */
  readonly waitForFirstSync?: boolean;

}

/**
 * Keeps a CloudFormation stack in step with a template in a Git branch (CloudFormation Git sync): the
 * repository link, the sync configuration and its role, and the deployment file to commit beside the template.
 *
 * @example
 * const sync = new StackGitSync(this, 'Sync', {
 *   connection, owner: 'my-org', repositoryName: 'infra', branch: 'main',
 *   stackName: 'network', templatePath: 'network/template.yaml', parameters: { Env: 'prod' },
 * });
 * // commit sync.deploymentFile as deployment-file.yaml in the repository
 */
export class StackGitSync extends Construct {
  /** The repository link. */
  public readonly repositoryLink: RepositoryLink;

  /** The sync configuration. */
  public readonly syncConfiguration: SyncConfiguration;

  /** The path where `deploymentFile` must be committed. */
  public readonly deploymentFilePath: string;

  /** The deployment file Git sync reads (YAML): commit it at `deploymentFilePath` in the branch. */
  public readonly deploymentFile: string;

  constructor(scope: Construct, id: string, props: StackGitSyncProps) {
    super(scope, id);
    this.deploymentFilePath = props.deploymentFilePath ?? 'deployment-file.yaml';
    this.deploymentFile = renderDeploymentFile(this, props.templatePath, props.parameters ?? {}, props.tags ?? {});
    this.repositoryLink = new RepositoryLink(this, 'RepositoryLink', {
      connection: props.connection,
      owner: props.owner,
      repositoryName: props.repositoryName,
    });
    this.syncConfiguration = new SyncConfiguration(this, 'SyncConfiguration', {
      repositoryLink: this.repositoryLink,
      branch: props.branch,
      configFile: this.deploymentFilePath,
      stackName: props.stackName,
      publishDeploymentStatus: props.publishDeploymentStatus,
      triggerResourceUpdateOn: props.triggerResourceUpdateOn,
      role: props.role,
    });
    const wait = resolveWait(this, props, { prop: 'waitForFirstSync', enabled: props.waitForFirstSync });
    if (wait) {
      const waiter = waitForFirstSync(this, 'FirstSync', {
        StackName: props.stackName, Branch: props.branch, ConfigFile: this.deploymentFilePath,
      }, wait);
      // The sync starts once its configuration (and the role it names, with its policy) exists.
      waiter.node.addDependency(this.syncConfiguration);
    }
  }
}

/** Quotes a YAML scalar when it could be read as something other than a plain string. */
function yamlString(value: string): string {
  return /^[A-Za-z0-9_./@-][A-Za-z0-9_./@ -]*$/.test(value) && !/^(true|false|yes|no|on|off|null|~|[0-9.eE+-]+)$/i.test(value) && !value.endsWith(' ')
    ? value
    : JSON.stringify(value);
}

function renderDeploymentFile(scope: Construct, templatePath: string, parameters: Record<string, string>, tags: Record<string, string>): string {
  const literal = (what: string, v: string) => {
    if (Token.isUnresolved(v)) {
      throw new ValidationError(`the deployment file is committed to the repository, so ${what} must be a literal, not a token`, scope);
    }
    return v;
  };
  if (!Token.isUnresolved(templatePath) && (templatePath.trim() === '' || /^(\/|[A-Za-z]:[\\/]|~)/.test(templatePath))) {
    throw new ValidationError(`invalid templatePath: '${templatePath}' is not a path in the repository; Git sync reads the `
      + 'template relative to the repository root. Give the path as `git ls-files` shows it, e.g. \'infra/template.yaml\'', scope);
  }
  const lines = [`template-file-path: ${yamlString(literal('templatePath', templatePath))}`];
  for (const [section, entries] of [['parameters', parameters], ['tags', tags]] as const) {
    const keys = Object.keys(entries).sort();
    if (keys.length === 0) continue;
    lines.push(`${section}:`);
    for (const key of keys) lines.push(`  ${yamlString(literal(`${section} key`, key))}: ${yamlString(literal(`${section}.${key}`, entries[key]))}`);
  }
  return lines.join('\n') + '\n';
}
