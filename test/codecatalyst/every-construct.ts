import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import {
  AccessToken, DevEnvironment, DevEnvironmentInstanceType, ISpace, Project, SourceRepository, SourceRepositoryBranch, Space, SpaceCheck, Workflow,
  WorkflowRun,
} from '../../src/codecatalyst';
import {
  BRANCH_FAMILY, DEV_ENVIRONMENT_FAMILY, PROJECT_FAMILY, SOURCE_REPOSITORY_FAMILY, SPACE_FAMILY,
  WORKFLOW_RUN_FAMILY,
} from '../../src/codecatalyst/private/custom-resources/contract';
import { Family } from '../../src/core/family';
import { kitRolesOf } from '../kit';

/** The space of that name, checked at deploy time: a `SpaceCheck` (`<id>Check`) of `Space.fromSpaceName` (`<id>`). */
export function checkedSpace(scope: Construct, id: string, spaceName: string, token: AccessToken): SpaceCheck {
  return new SpaceCheck(scope, `${id}Check`, { space: Space.fromSpaceName(scope, id, spaceName, token) });
}

/** One of every CodeCatalyst construct in a project of `space`, in `stack`: its template. */
export function everyConstruct(stack: Stack, space: ISpace): Template {
  const project = new Project(stack, 'Project', { space, displayName: 'Storefront Web' });
  const repo = new SourceRepository(stack, 'Repo', { project, sourceRepositoryName: 'web' });
  new SourceRepositoryBranch(stack, 'Branch', { repository: repo, branchName: 'develop' });
  new DevEnvironment(stack, 'Env', { project, instanceType: DevEnvironmentInstanceType.STANDARD1_SMALL, repositories: [{ repository: repo }] });
  new WorkflowRun(stack, 'Run', { project, workflow: Workflow.fromName(repo, 'Build'), waitForSuccess: true });
  return Template.fromStack(stack);
}

/**
 * The CodeCatalyst resources of a stack with one token share one kit role, but for those that tell a rollback from a
 * change by the stack's status (a repository: of an accepted description change; the space check: with the space
 * gone), which share a second one.
 */
export function expectTwoKitRoles(template: Template): void {
  const roles = (families: Family[]) => new Set(families.flatMap(f => kitRolesOf(template, f.resourceType).map(r => r.roleLogicalId)));
  expect(roles([PROJECT_FAMILY, BRANCH_FAMILY, DEV_ENVIRONMENT_FAMILY, WORKFLOW_RUN_FAMILY]).size).toBe(1);
  expect(roles([SPACE_FAMILY, SOURCE_REPOSITORY_FAMILY]).size).toBe(1);
}
