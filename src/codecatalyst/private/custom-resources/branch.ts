import { CreateSourceRepositoryBranchCommand, ListSourceRepositoryBranchesCommand } from '@aws-sdk/client-codecatalyst';
import { BRANCH_FAMILY, BranchRequest } from './contract';
import { callFailed, CodeCatalystSession, openSession, withConflictRetry } from './session';
import type { DataOf } from '../../../core/family';
import { errorName, logEvent } from '../../../core/runtime/handler';
import type { OnEventRequest, OnEventResponse } from '../../../core/runtime/types';

/** The physical id of a branch: its repository's and its name. */
export function branchPhysicalId(b: BranchRequest): string {
  return `${b.spaceName}/${b.projectName}/${b.repositoryName}/${b.branchName}`;
}

function subjectOf(b: BranchRequest): string {
  return `branch '${b.branchName}' of source repository '${b.repositoryName}' (project '${b.projectName}', space '${b.spaceName}')`;
}

interface BranchData {
  readonly name?: string;
  readonly ref?: string;
  readonly headCommitId?: string;
}

/** The branch as ListSourceRepositoryBranches lists it, or undefined. */
async function findBranch(session: CodeCatalystSession, b: BranchRequest): Promise<BranchData | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await session.client.send(new ListSourceRepositoryBranchesCommand({
      spaceName: b.spaceName, projectName: b.projectName, sourceRepositoryName: b.repositoryName, nextToken, maxResults: 50,
    }));
    const found = page.items?.find(item => item.name === b.branchName || item.ref === `refs/heads/${b.branchName}`);
    if (found) return found;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

/**
 * A branch of a CodeCatalyst-hosted repository. There is no delete API: Delete leaves the branch (and says so), and
 * so does a replacement (another name or repository). A branch that exists already, from a retried request or an
 * earlier stack, is taken as it is, which deletes nothing later. The head commit is only where the branch starts:
 * changing it later changes nothing.
 */
export async function onBranchEvent(event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('codecatalyst branch', event);
  if (event.RequestType === 'Delete') {
    console.log(`the CodeCatalyst API cannot delete branches: ${event.PhysicalResourceId} stays in its repository`);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const branch = BRANCH_FAMILY.parse(event.ResourceProperties);
  const id = branchPhysicalId(branch);
  const session = await openSession(event.ResourceProperties, branch.token, true);
  const context = {
    what: 'Creating the branch',
    subject: subjectOf(branch),
    session,
    notFound: 'The repository or the head commit does not exist (branches can be created only in CodeCatalyst-hosted repositories, '
      + 'not linked ones); check repository and headCommitId',
  };
  try {
    if (event.RequestType === 'Update' && event.PhysicalResourceId === id) {
      const found = await findBranch(session, branch);
      if (found) return { PhysicalResourceId: id, Data: branchData(branch, found) };
      console.log(`${subjectOf(branch)} was deleted outside the stack: creating it again`);
    }
    const created = await withConflictRetry(async () => {
      try {
        return await session.client.send(new CreateSourceRepositoryBranchCommand({
          spaceName: branch.spaceName,
          projectName: branch.projectName,
          sourceRepositoryName: branch.repositoryName,
          name: branch.branchName,
          headCommitId: branch.headCommitId,
        }));
      } catch (err) {
        const existing = errorName(err) === 'ConflictException' ? await findBranch(session, branch) : undefined;
        if (!existing) throw err;
        console.log(`${subjectOf(branch)} exists already: taking it as it is`);
        return existing;
      }
    });
    return { PhysicalResourceId: id, Data: branchData(branch, created) };
  } catch (err) {
    throw callFailed(err, context);
  }
}

function branchData(branch: BranchRequest, found: BranchData): DataOf<typeof BRANCH_FAMILY> {
  return {
    Name: branch.branchName,
    GitRef: found.ref ?? `refs/heads/${branch.branchName}`,
    HeadCommitId: found.headCommitId ?? '',
  };
}
