import {
  CreateSourceRepositoryCommand, DeleteSourceRepositoryCommand, GetSourceRepositoryCloneUrlsCommand, GetSourceRepositoryCommand,
} from '@aws-sdk/client-codecatalyst';
import { SOURCE_REPOSITORY_FAMILY, SourceRepositoryRequest } from './contract';
import { createOnce, Found } from './create-once';
import { callFailed, CodeCatalystSession, isGone, openSession, withConflictRetry } from './session';
import type { DataOf } from '../../../core/family';
import { ActionableError, logEvent } from '../../../core/runtime/handler';
import { isRollingBack } from '../../../core/runtime/stack-status';
import type { OnEventRequest, OnEventResponse } from '../../../core/runtime/types';

/** The physical id of a repository: its space, project and name, so that any of them changing is another repository. */
export function repositoryPhysicalId(r: { spaceName: string; projectName: string; repositoryName: string }): string {
  return `${r.spaceName}/${r.projectName}/${r.repositoryName}`;
}

function subjectOf(r: SourceRepositoryRequest): string {
  return `source repository '${r.repositoryName}' of project '${r.projectName}' in space '${r.spaceName}'`;
}

/**
 * A source repository. The API has no update: another space, project or name is another repository (a
 * replacement; the old one is deleted only when the removal policy lets CloudFormation send the Delete), and the
 * description is kept as created: an Update that changes it succeeds only once the repository already has the new
 * description (set in the console), so that no deployment replaces a repository, and its code, for a description.
 * The rollback of such an Update succeeds (CloudFormation says the stack is rolling back), leaving the console's
 * description. An Update of a repository deleted outside the stack creates it again (empty, as a new one); a create
 * is safe against a lost response (`createOnce`).
 *
 * A Delete of an id this handler never returned (CloudFormation cancelled the Create, and invented an id) deletes
 * nothing: a repository records no creator, token or tag, so nothing proves that one of the name is this stack's.
 */
export async function onSourceRepositoryEvent(event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('codecatalyst source repository', event);
  if (event.RequestType === 'Delete') {
    const repository = SOURCE_REPOSITORY_FAMILY.parse(event.ResourceProperties);
    if (event.PhysicalResourceId === repositoryPhysicalId(repository)) {
      await deleteRepository(event, repository);
    } else {
      console.log(`${event.PhysicalResourceId} is not the id of ${subjectOf(repository)}: deleting nothing. If CloudFormation cancelled the Create, `
        + 'a repository it may have made stays (nothing proves it is this stack\'s)');
    }
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const repository = SOURCE_REPOSITORY_FAMILY.parse(event.ResourceProperties);
  const session = await openSession(event.ResourceProperties, repository.token, true);
  const id = repositoryPhysicalId(repository);
  if (event.RequestType === 'Update' && event.PhysicalResourceId === id) {
    const old = SOURCE_REPOSITORY_FAMILY.parse(event.OldResourceProperties ?? {});
    let exists = true;
    if (old.description !== repository.description) {
      const current = await findRepository(session, repository).catch(err => {
        throw callFailed(err, { what: 'Reading the source repository', subject: subjectOf(repository), session });
      });
      exists = current !== undefined;
      if (current) await checkDescription(event, repository, old, current.value);
    }
    const data = exists ? await repositoryData(session, repository) : undefined;
    if (data) return { PhysicalResourceId: id, Data: data };
    console.log(`${subjectOf(repository)} was deleted outside the stack: creating it again`);
    await createRepository(session, repository, true);
    return { PhysicalResourceId: id, Data: await createdData(session, repository) };
  }
  await createRepository(session, repository);
  return { PhysicalResourceId: id, Data: await createdData(session, repository) };
}

async function createRepository(session: CodeCatalystSession, repository: SourceRepositoryRequest, knownAbsent = false): Promise<void> {
  await createOnce({
    knownAbsent,
    context: {
      what: 'Creating the source repository',
      subject: subjectOf(repository),
      session,
      notFound: `The project '${repository.projectName}' does not exist in space '${repository.spaceName}' or the token's user cannot see it`,
      conflict: 'A repository with this name probably exists already: choose another name, or use the existing repository with '
        + 'SourceRepository.fromSourceRepositoryAttributes',
    },
    find: () => findRepository(session, repository),
    create: async () => {
      await session.client.send(new CreateSourceRepositoryCommand({
        spaceName: repository.spaceName, projectName: repository.projectName, name: repository.repositoryName, description: repository.description,
      }));
      console.log(`created ${subjectOf(repository)}`);
      return repository.description;
    },
  });
}

/**
 * The repository of the request's name as it is now, its description the value (undefined when there is none); as
 * asked when it has the request's description.
 */
async function findRepository(session: CodeCatalystSession, repository: SourceRepositoryRequest): Promise<Found<string | undefined> | undefined> {
  let current;
  try {
    current = await session.client.send(new GetSourceRepositoryCommand({
      spaceName: repository.spaceName, projectName: repository.projectName, name: repository.repositoryName,
    }));
  } catch (err) {
    if (isGone(err)) return undefined;
    throw err;
  }
  const { spaceName, projectName, repositoryName } = repository;
  return {
    value: current.description ?? undefined,
    name: `source repository '${repositoryName}'`,
    asAsked: (current.description ?? undefined) === repository.description,
    wayOut: `If nothing in it is needed, delete it (with its code) and deploy again: aws codecatalyst delete-source-repository --space-name ${spaceName} `
      + `--project-name ${projectName} --name ${repositoryName}; or use it in place of this SourceRepository: `
      + `SourceRepository.fromSourceRepositoryAttributes(this, 'Repository', { project, sourceRepositoryName: '${repositoryName}' })`,
  };
}

/**
 * Accepts an Update that changes the description only when the repository has the new one already (set in the
 * console), or when CloudFormation rolls back an Update that was accepted so: the repository still has what the
 * rolled-back template said, and the stack is rolling back. A change the console does not have yet looks the same as
 * that rollback (the repository has the old properties' description), so only the stack's status tells them apart.
 */
async function checkDescription(
  event: OnEventRequest, repository: SourceRepositoryRequest, old: SourceRepositoryRequest, current: string | undefined,
): Promise<void> {
  if (current === repository.description) return;
  if (current === old.description && await isRollingBack(event)) {
    console.log(`the stack is rolling back: ${subjectOf(repository)} keeps '${current ?? ''}', as the API cannot change it (the template now says `
      + `'${repository.description ?? ''}'; change it in the console if it matters)`);
    return;
  }
  throw new ActionableError('Changing the description', subjectOf(repository),
    `the CodeCatalyst API cannot update a source repository, and replacing it would replace its code (it has '${current ?? ''}', `
    + `the template now says '${repository.description ?? ''}')`,
    `Change the description in the CodeCatalyst console first (the deployment then succeeds), or put back '${old.description ?? ''}'`);
}

/** The attributes the handler returns. */
type RepositoryData = DataOf<typeof SOURCE_REPOSITORY_FAMILY>;

/** The repository's attributes, or undefined when it does not exist. */
async function repositoryData(session: CodeCatalystSession, repository: SourceRepositoryRequest): Promise<RepositoryData | undefined> {
  let urls;
  try {
    urls = await withConflictRetry(() => session.client.send(new GetSourceRepositoryCloneUrlsCommand({
      spaceName: repository.spaceName, projectName: repository.projectName, sourceRepositoryName: repository.repositoryName,
    })));
  } catch (err) {
    if (isGone(err)) return undefined;
    throw callFailed(err, { what: 'Reading the clone URL', subject: subjectOf(repository), session });
  }
  return { Name: repository.repositoryName, CloneUrlHttps: urls.https ?? '' };
}

/** The attributes of a repository this request created (or took). */
async function createdData(session: CodeCatalystSession, repository: SourceRepositoryRequest): Promise<RepositoryData> {
  const data = await repositoryData(session, repository);
  if (!data) {
    throw new ActionableError('Reading the clone URL', subjectOf(repository), 'the repository this deployment created is not found',
      'Someone may have deleted it at once; retry the deployment');
  }
  return data;
}

async function deleteRepository(event: OnEventRequest, repository: SourceRepositoryRequest): Promise<void> {
  const session = await openSession(event.ResourceProperties, repository.token, true);
  try {
    await withConflictRetry(() => session.client.send(new DeleteSourceRepositoryCommand({
      spaceName: repository.spaceName, projectName: repository.projectName, name: repository.repositoryName,
    })));
    console.log(`deleted ${subjectOf(repository)}`);
  } catch (err) {
    if (isGone(err)) {
      console.log(`${subjectOf(repository)} is already gone`);
      return;
    }
    throw callFailed(err, {
      what: 'Deleting the source repository',
      subject: subjectOf(repository),
      session,
      invalid: 'A linked repository (GitHub, Bitbucket, GitLab) cannot be deleted through the API: unlink it in the CodeCatalyst console, '
        + 'or keep it with RemovalPolicy.RETAIN',
    });
  }
}
