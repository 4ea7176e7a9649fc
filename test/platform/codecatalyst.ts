import { App, Duration, Size, Stack, StackProps } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  AccessToken, DevEnvironment, DevEnvironmentInstanceType, DevEnvironmentState, Ide, Project, SourceRepository, SourceRepositoryBranch, Space,
  SpaceCheck, Workflow, WorkflowRun,
} from '../../src/codecatalyst';

/** The context key that turns the CodeCatalyst part on: the name of the organisation's existing space. */
export const CODECATALYST_SPACE_CONTEXT = 'cdk-devtools-platform:codecatalystSpace';

export interface DeveloperWorkspaceStackProps extends StackProps {
  /** The organisation's CodeCatalyst space (CodeCatalyst is closed to new customers: only accounts that have one use it). */
  readonly spaceName: string;
}

/**
 * The team's CodeCatalyst project: the storefront repository with its release branch, a stopped dev environment for
 * the on-call engineer, and the repository's Build workflow run on every release of the platform.
 */
export class DeveloperWorkspaceStack extends Stack {
  constructor(scope: Construct, id: string, props: DeveloperWorkspaceStackProps) {
    super(scope, id, props);
    // The on-call engineer's SSO session (`aws sso login --sso-session codecatalyst`), seeded as the codecatalyst README shows.
    const token = AccessToken.fromSsoSession(secretsmanager.Secret.fromSecretNameV2(this, 'Session', 'platform/codecatalyst-sso-session'));
    // Checked first: a refused token or an unseen space fails the deployment before anything is created in the space.
    const space = new SpaceCheck(this, 'SpaceCheck', { space: Space.fromSpaceName(this, 'Space', props.spaceName, token) });
    const project = new Project(this, 'Storefront', { space, displayName: 'Storefront', description: 'The web shop and its release workflow' });
    const repository = new SourceRepository(this, 'Web', { project, sourceRepositoryName: 'storefront-web', description: 'The storefront front end' });
    const release = new SourceRepositoryBranch(this, 'Release', { repository, branchName: 'release/2026' });
    new DevEnvironment(this, 'OnCall', {
      project,
      instanceType: DevEnvironmentInstanceType.STANDARD1_MEDIUM,
      persistentStorage: Size.gibibytes(32),
      ide: Ide.VS_CODE,
      inactivityTimeout: Duration.minutes(30),
      alias: 'on-call',
      repositories: [{ repository, branchName: 'release/2026' }],
      desiredState: DevEnvironmentState.STOPPED,
    }).node.addDependency(release);
    new WorkflowRun(this, 'Build', {
      project,
      workflow: Workflow.fromName(repository, 'Build', 'main'),
      trigger: 'platform-2026.11',
      waitForSuccess: true,
      timeout: Duration.minutes(30),
    });
  }
}

/** Adds the CodeCatalyst part of the platform when the app's context names a space. */
export function addDeveloperWorkspace(app: App, env: { account: string; region: string }): Stack[] {
  const spaceName = app.node.tryGetContext(CODECATALYST_SPACE_CONTEXT) as string | undefined;
  return spaceName ? [new DeveloperWorkspaceStack(app, 'DeveloperWorkspace', { env, spaceName })] : [];
}
