import { Resource, Stack, Token } from 'aws-cdk-lib';
import { CfnSyncConfiguration } from 'aws-cdk-lib/aws-codestarconnections';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CODECONNECTIONS_API } from './private/api-constraints';
import { IRepositoryLink } from './repository-link';
import { validateApiValue } from '../core/api-constraints';
import { validateGitBranchName } from '../core/git';
import { acceptNagFindings } from '../core/nag';
import { ValidationError } from '../core/validation';

/** The service that performs CloudFormation Git sync, and so assumes the sync role. */
const GIT_SYNC_PRINCIPAL = 'cloudformation.sync.codeconnections.amazonaws.com';

/** CloudFormation's rule for a stack name (its own limit is 128 characters; Git sync's `ResourceName` allows 100). */
const STACK_NAME = /^[A-Za-z][-A-Za-z0-9]*$/;

/** What the sync does on a new commit. */
export enum TriggerResourceUpdateOn {
  /** Update the stack on any change to the branch. */
  ANY_CHANGE = 'ANY_CHANGE',
  /** Update the stack only when the deployment file or the template it names changes. */
  FILE_CHANGE = 'FILE_CHANGE',
}

/**
 * Properties of a sync configuration.
 */
export interface SyncConfigurationProps {
  /** The link to the repository that holds the template and deployment file. */
  readonly repositoryLink: IRepositoryLink;

  /** The branch to sync from: a Git branch name of 1 to 255 characters, e.g. `main`. */
  readonly branch: string;

  /** The path of the deployment file in the repository, e.g. `deployment-file.yaml`. */
  readonly configFile: string;

  /**
   * The name of the CloudFormation stack that Git sync creates and updates: 1 to 100 letters, digits and hyphens,
   * starting with a letter (CloudFormation's rule for stack names). At most one
   * sync configuration may target a stack; changing it replaces the configuration.
   */
  readonly stackName: string;

  /**
   * Post the deployment status to the provider's commit (as a check or status).
   * @default false
   */
  readonly publishDeploymentStatus?: boolean;

  /**
   * Which commits update the stack.
   * @default TriggerResourceUpdateOn.ANY_CHANGE
   */
  readonly triggerResourceUpdateOn?: TriggerResourceUpdateOn;

  /**
   * The role Git sync assumes. It must trust `cloudformation.sync.codeconnections.amazonaws.com`.
   * @default - a role with what Git sync needs for this stack: change sets on it, and its EventBridge rules
   */
  readonly role?: iam.IRole;
}

/**
 * Defines a CloudFormation Git sync configuration (`AWS::CodeStarConnections::SyncConfiguration`): a stack that
 * follows a template in a repository branch.
 *
 * It references its repository link, so CloudFormation deletes it before the link (a link cannot be deleted
 * while a sync configuration uses it).
 */
export class SyncConfiguration extends Resource {
  /**
   * The role Git sync assumes; add the permissions the synced template's resources need to it. The library's own
   * statements are in a policy of their own, whose cdk-nag findings it accepts one by one, so cdk-nag reports what
   * you add.
   */
  public readonly role: iam.IRole;

  /**
   * The name of the synced stack.
   * @attribute
   */
  public readonly syncConfigurationStackName: string;

  constructor(scope: Construct, id: string, props: SyncConfigurationProps) {
    super(scope, id);
    const branchFix = 'Give the branch name alone, as `git branch` shows it, e.g. main, without refs/heads/.';
    validateApiValue(this, CODECONNECTIONS_API, 'BranchName', 'branch', props.branch, branchFix);
    validateGitBranchName(this, 'branch', props.branch, branchFix);
    validateStackName(this, props.stackName);
    if (!Token.isUnresolved(props.configFile) && (props.configFile.trim() === '' || props.configFile.startsWith('/'))) {
      throw new ValidationError(`configFile is a path relative to the repository root, such as 'deployment-file.yaml', got '${props.configFile}'`, this);
    }
    const created = props.role ? undefined : this.createRole(props.stackName);
    this.role = props.role ?? created!.role;
    const resource = new CfnSyncConfiguration(this, 'Resource', {
      repositoryLinkId: props.repositoryLink.repositoryLinkId,
      branch: props.branch,
      configFile: props.configFile,
      resourceName: props.stackName,
      syncType: 'CFN_STACK_SYNC',
      roleArn: this.role.roleArn,
      publishDeploymentStatus: props.publishDeploymentStatus === undefined ? undefined : (props.publishDeploymentStatus ? 'ENABLED' : 'DISABLED'),
      triggerResourceUpdateOn: props.triggerResourceUpdateOn,
    });
    // The role's policies must exist before Git sync first uses it.
    resource.node.addDependency(this.role);
    if (created) resource.node.addDependency(created.policy);
    this.syncConfigurationStackName = props.stackName;
  }

  private createRole(stackName: string): { role: iam.Role; policy: iam.Policy } {
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal(GIT_SYNC_PRINCIPAL),
      description: `CloudFormation Git sync of stack ${stackName}`,
    });
    const stackArn = stack.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${stackName}/*` });
    const ruleArn = stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*' });
    // The library's statements live in a policy of their own, so cdk-nag's acceptances below cover exactly them: what a
    // user adds to the role (role.addToPrincipalPolicy) lands in its default policy, and cdk-nag reports it.
    const policy = new iam.Policy(this, 'GitSyncPolicy', {
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          actions: ['cloudformation:CreateChangeSet', 'cloudformation:DeleteChangeSet', 'cloudformation:DescribeChangeSet',
            'cloudformation:DescribeStackEvents', 'cloudformation:DescribeStacks', 'cloudformation:ExecuteChangeSet',
            'cloudformation:GetTemplate', 'cloudformation:ListChangeSets'],
          resources: [stackArn],
        }),
        new iam.PolicyStatement({
          // Neither supports resource-level permissions.
          actions: ['cloudformation:ListStacks', 'cloudformation:ValidateTemplate'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          actions: ['events:PutRule', 'events:PutTargets'],
          resources: [ruleArn],
          conditions: { StringEquals: { 'events:ManagedBy': GIT_SYNC_PRINCIPAL } },
        }),
        new iam.PolicyStatement({
          actions: ['events:DescribeRule'],
          resources: [ruleArn],
        }),
      ],
    });
    const finding = (arn: string) => `Resource::${nagArn(stack, arn)}`;
    acceptNagFindings(policy, [{
      id: 'AwsSolutions-IAM5',
      reason: 'Git sync creates change sets with generated names on its one stack, manages EventBridge rules only under the '
        + 'events:ManagedBy condition, and ListStacks/ValidateTemplate have no resource-level permissions',
      appliesTo: [finding(stackArn), 'Resource::*', finding(ruleArn)],
    }]);
    return { role, policy };
  }
}

/**
 * Git sync passes the name to CloudFormation, which takes fewer names than the API's `ResourceName` (no underscore,
 * no leading digit), so the API's check alone would let a name through that fails the first sync.
 */
function validateStackName(scope: Construct, stackName: string): void {
  const fix = 'Shorten names built from several parts, and drop dots, slashes and spaces.';
  if (!Token.isUnresolved(stackName) && stackName.length > 0 && !STACK_NAME.test(stackName)) {
    const suggestion = stackName.replace(/[^-A-Za-z0-9]+/g, '-').replace(/^[^A-Za-z]+/, '') || 'network-prod';
    throw new ValidationError(`invalid stackName: '${stackName}' is not a name CloudFormation gives a stack; a stack name `
      + `has letters, digits and hyphens only and starts with a letter. Use hyphens between words and start with a letter, e.g. '${suggestion}'`, scope);
  }
  validateApiValue(scope, CODECONNECTIONS_API, 'ResourceName', 'stackName', stackName, `${fix} E.g. network-prod.`);
}

/**
 * An ARN as cdk-nag names it in a finding's `appliesTo` (`arn:<AWS::Partition>:…:<AWS::AccountId>:…`): its parts,
 * with each pseudo parameter or reference written as cdk-nag writes it.
 */
function nagArn(stack: Stack, arn: string): string {
  const resolved = stack.resolve(arn) as string | { 'Fn::Join': [string, unknown[]] };
  if (typeof resolved === 'string') return resolved;
  return resolved['Fn::Join'][1].map(part => {
    if (typeof part === 'string') return part;
    const ref = (part as { Ref?: string }).Ref;
    return ref ? `<${ref}>` : JSON.stringify(part);
  }).join(resolved['Fn::Join'][0]);
}
