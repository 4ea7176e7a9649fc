import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  DevEnvironment, DevEnvironmentInstanceType, ISpace, Project, SourceRepository, SourceRepositoryBranch, WorkflowRun,
} from '../../src/codecatalyst';
import {
  BRANCH_RESOURCE_TYPE, DEV_ENVIRONMENT_RESOURCE_TYPE, PROJECT_RESOURCE_TYPE, SOURCE_REPOSITORY_RESOURCE_TYPE, SPACE_RESOURCE_TYPE,
  WORKFLOW_RUN_RESOURCE_TYPE,
} from '../../src/codecatalyst/private/custom-resources/contract';
import { kitRolesOf } from '../kit';

/** One of every CodeCatalyst construct in a project of `space`, in `stack`: its template. */
export function everyConstruct(stack: Stack, space: ISpace): Template {
  const project = new Project(stack, 'Project', { space, displayName: 'Storefront Web' });
  const repo = new SourceRepository(stack, 'Repo', { project, sourceRepositoryName: 'web' });
  new SourceRepositoryBranch(stack, 'Branch', { repository: repo, branchName: 'develop' });
  new DevEnvironment(stack, 'Env', { project, instanceType: DevEnvironmentInstanceType.STANDARD1_SMALL, repositories: [{ repository: repo }] });
  new WorkflowRun(stack, 'Run', { project, workflowName: 'Build', repository: repo, waitForSuccess: true });
  return Template.fromStack(stack);
}

/**
 * The CodeCatalyst resources of a stack with one token share one kit role, but for those that tell a rollback from a
 * change by the stack's status (a repository: of an accepted description change; the space check: with the space
 * gone), which share a second one.
 */
export function expectTwoKitRoles(template: Template): void {
  const roles = (types: string[]) => new Set(types.flatMap(t => kitRolesOf(template, t).map(r => r.roleLogicalId)));
  expect(roles([PROJECT_RESOURCE_TYPE, BRANCH_RESOURCE_TYPE, DEV_ENVIRONMENT_RESOURCE_TYPE, WORKFLOW_RUN_RESOURCE_TYPE]).size).toBe(1);
  expect(roles([SPACE_RESOURCE_TYPE, SOURCE_REPOSITORY_RESOURCE_TYPE]).size).toBe(1);
}
