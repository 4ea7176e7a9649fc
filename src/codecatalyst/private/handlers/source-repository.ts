import {
  CreateSourceRepositoryCommand, DeleteSourceRepositoryCommand, GetSourceRepositoryCloneUrlsCommand, GetSourceRepositoryCommand,
} from '@aws-sdk/client-codecatalyst';
import { parseSourceRepositoryProperties, SOURCE_REPOSITORY_ATTRIBUTES, SourceRepositoryRequest } from './contract';
import { createOnce, Found } from './create-once';
import { call, callFailed, CodeCatalystSession, isGone, openSession, withConflictRetry } from './session';
import { ActionableError, logEvent } from '../../../core/handlers/runtime';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

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
 */
export async function onSourceRepositoryEvent(event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('codecatalyst source repository', event);
  if (event.RequestType === 'Delete') {
    const repository = parseSourceRepositoryProperties(event.ResourceProperties);
    if (event.PhysicalResourceId === repositoryPhysicalId(repository)) await deleteRepository(event, repository);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const repository = parseSourceRepositoryProperties(event.ResourceProperties);
  const session = await openSession(event.ResourceProperties, true);
  const id = repositoryPhysicalId(repository);
  if (event.RequestType === 'Update' && event.PhysicalResourceId === id) {
    const old = parseSourceRepositoryProperties(event.OldResourceProperties ?? {});
    if (old.description !== repository.description) await checkDescription(session, repository, old);
    return { PhysicalResourceId: id, Data: await repositoryData(session, repository) };
  }
  await createRepository(session, repository);
  return { PhysicalResourceId: id, Data: await repositoryData(session, repository) };
}

async function createRepository(session: CodeCatalystSession, repository: SourceRepositoryRequest): Promise<void> {
  await createOnce({
    context: {
      what: 'Creating the source repository',
      subject: subjectOf(repository),
      session,
      notFound: `The project '${repository.projectName}' does not exist in space '${repository.spaceName}' or the token's user cannot see it`,
      conflict: 'A repository with this name probably exists already: choose another name, or use the existing repository with '
        + 'SourceRepository.fromSourceRepositoryName',
    },
    find: () => findRepository(session, repository),
    create: async () => {
      await session.client.send(new CreateSourceRepositoryCommand({
        spaceName: repository.spaceName, projectName: repository.projectName, name: repository.repositoryName, description: repository.description,
      }));
      console.log(`created ${subjectOf(repository)}`);
    },
  });
}

/** The repository of the request's name as it is now (undefined when there is none); as asked when it has the request's description. */
async function findRepository(session: CodeCatalystSession, repository: SourceRepositoryRequest): Promise<Found<void> | undefined> {
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
    value: undefined,
    name: `source repository '${repositoryName}'`,
    asAsked: (current.description ?? undefined) === repository.description,
    wayOut: `If nothing in it is needed, delete it (with its code) and deploy again: aws codecatalyst delete-source-repository --space-name ${spaceName} `
      + `--project-name ${projectName} --name ${repositoryName}; or use it in place of this SourceRepository: `
      + `SourceRepository.fromSourceRepositoryName(this, 'Repository', project, '${repositoryName}')`,
  };
}

async function checkDescription(session: CodeCatalystSession, repository: SourceRepositoryRequest, old: SourceRepositoryRequest): Promise<void> {
  const current = await call({ what: 'Reading the source repository', subject: subjectOf(repository), session },
    () => session.client.send(new GetSourceRepositoryCommand({
      spaceName: repository.spaceName, projectName: repository.projectName, name: repository.repositoryName,
    })));
  if ((current.description ?? undefined) === repository.description) return;
  throw new ActionableError('Changing the description', subjectOf(repository),
    `the CodeCatalyst API cannot update a source repository, and replacing it would replace its code (it has '${current.description ?? ''}', `
    + `the template now says '${repository.description ?? ''}')`,
    `Change the description in the CodeCatalyst console first (the deployment then succeeds), or put back '${old.description ?? ''}'`);
}

async function repositoryData(session: CodeCatalystSession, repository: SourceRepositoryRequest): Promise<Record<string, string>> {
  const urls = await call({ what: 'Reading the clone URL', subject: subjectOf(repository), session },
    () => session.client.send(new GetSourceRepositoryCloneUrlsCommand({
      spaceName: repository.spaceName, projectName: repository.projectName, sourceRepositoryName: repository.repositoryName,
    })));
  return { [SOURCE_REPOSITORY_ATTRIBUTES.name]: repository.repositoryName, [SOURCE_REPOSITORY_ATTRIBUTES.cloneUrlHttps]: urls.https ?? '' };
}

async function deleteRepository(event: OnEventRequest, repository: SourceRepositoryRequest): Promise<void> {
  const session = await openSession(event.ResourceProperties, true);
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
