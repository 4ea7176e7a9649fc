import { CreateProjectCommand, DeleteProjectCommand, GetProjectCommand, ListProjectsCommand, UpdateProjectCommand } from '@aws-sdk/client-codecatalyst';
import { PROJECT_FAMILY, ProjectRequest } from './contract';
import { createOnce, Found } from './create-once';
import { call, callFailed, CodeCatalystSession, isGone, openSession, withConflictRetry } from './session';
import type { DataOf } from '../../../core/family';
import { logEvent } from '../../../core/runtime/handler';
import type { OnEventRequest, OnEventResponse } from '../../../core/runtime/types';
import { NAME_PATTERN } from '../patterns';

/** A space or project name. */
const NAME = new RegExp(NAME_PATTERN);

/** The physical id of a project: its space and the name CodeCatalyst derived, so that another space is another project. */
export function projectPhysicalId(spaceName: string, name: string): string {
  return `${spaceName}/${name}`;
}

/**
 * The space and name a physical id this handler returned names (undefined for anything else, such as the provider
 * framework's failed-create marker).
 */
export function projectOf(physicalId: string | undefined): { spaceName: string; name: string } | undefined {
  const [spaceName, name, ...rest] = (physicalId ?? '').split('/');
  return rest.length === 0 && name !== undefined && NAME.test(spaceName) && NAME.test(name) ? { spaceName, name } : undefined;
}

/**
 * A project: CreateProject, then its description kept with UpdateProject; another space or display name is another
 * project (a replacement; the physical id is the space and the name CodeCatalyst derives from the display name).
 * An Update whose physical id names a project of the same space and display name updates it, whatever the old
 * properties say (a rollback may send the old project an Update from the replacement's properties); one deleted
 * outside the stack is created again. Delete deletes it, and one already gone is deleted. (A project the stack
 * retains never gets the Delete: CloudFormation skips it.) A create is safe against a lost response (`createOnce`).
 *
 * A Delete of an id this handler never returned (CloudFormation cancelled the Create, and invented an id) deletes
 * nothing: a project records no creator, token or tag, so nothing proves that one of the display name is this
 * stack's; a later deployment that creates it again fails at once with how to delete or use it.
 */
export async function onProjectEvent(event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('codecatalyst project', event);
  const existing = projectOf(event.PhysicalResourceId);
  if (event.RequestType === 'Delete') {
    if (existing) {
      await deleteProject(event, existing.spaceName, existing.name);
    } else {
      console.log(`${event.PhysicalResourceId} is no project this handler created: deleting nothing. If CloudFormation cancelled the Create, a `
        + `project '${String(event.ResourceProperties.DisplayName)}' it may have made stays (nothing proves it is this stack's)`);
    }
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const project = PROJECT_FAMILY.parse(event.ResourceProperties);
  const session = await openSession(event.ResourceProperties, project.token, true);
  if (event.RequestType === 'Update' && existing && existing.spaceName === project.spaceName) {
    const { name } = existing;
    const subject = subjectOf(project.spaceName, name);
    let current: { displayName?: string; description?: string } | undefined;
    try {
      current = await withConflictRetry(() => session.client.send(new GetProjectCommand({ spaceName: project.spaceName, name })));
    } catch (err) {
      if (!isGone(err)) throw callFailed(err, { what: 'Reading the project', subject, session });
      console.log(`${subject} was deleted outside the stack: creating it again`);
    }
    if (current && current.displayName === project.displayName) {
      if (project.description !== (current.description ?? '')) {
        if (project.description === '') {
          console.log(`the description of ${subject} was removed from the template; the API cannot clear a description, so it stays`);
        } else {
          await call({ what: 'Updating the project\'s description', subject, session },
            () => session.client.send(new UpdateProjectCommand({ spaceName: project.spaceName, name, description: project.description })));
        }
      }
      return { PhysicalResourceId: event.PhysicalResourceId, Data: projectData(name) };
    }
  }
  return createProject(session, project);
}

function subjectOf(spaceName: string, name: string): string {
  return `project '${name}' in space '${spaceName}'`;
}

async function createProject(session: CodeCatalystSession, project: ProjectRequest): Promise<OnEventResponse> {
  const name = await createOnce({
    context: {
      what: 'Creating the project',
      subject: `project '${project.displayName}' in space '${project.spaceName}'`,
      session,
      notFound: `The space '${project.spaceName}' is not visible to the token's user; check Space.fromSpaceName`,
      conflict: 'A project with this display name probably exists already: choose another displayName, or use the existing project with '
        + 'Project.fromProjectAttributes',
    },
    find: () => findProject(session, project),
    create: async () => {
      const created = await session.client.send(new CreateProjectCommand({
        spaceName: project.spaceName, displayName: project.displayName, description: project.description || undefined,
      }));
      if (!created.name) throw new Error(`CreateProject returned no name for project '${project.displayName}'`);
      console.log(`created ${subjectOf(project.spaceName, created.name)}`);
      return created.name;
    },
  });
  return { PhysicalResourceId: projectPhysicalId(project.spaceName, name), Data: projectData(name) };
}

function projectData(name: string): DataOf<typeof PROJECT_FAMILY> {
  return { Name: name };
}

/**
 * The project of the space whose display name is the request's, ignoring case (CodeCatalyst derives the name, and so
 * what conflicts, from it), as ListProjects lists it; as asked when its display name and description are the request's.
 */
async function findProject(session: CodeCatalystSession, project: ProjectRequest): Promise<Found<string> | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await session.client.send(new ListProjectsCommand({ spaceName: project.spaceName, maxResults: 100, nextToken }));
    const found = page.items?.find(p => (p.displayName ?? p.name ?? '').toLowerCase() === project.displayName.toLowerCase());
    if (found?.name) {
      return {
        value: found.name,
        name: `project '${found.name}'`,
        asAsked: found.displayName === project.displayName && (found.description ?? '') === project.description,
        wayOut: 'If nothing in it is needed, delete it (with everything in it) and deploy again: aws codecatalyst delete-project --space-name '
          + `${project.spaceName} --name ${found.name}; or use it in place of this Project: Project.fromProjectAttributes(this, 'Project', { space, projectName: '${found.name}' })`,
      };
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

async function deleteProject(event: OnEventRequest, spaceName: string, name: string): Promise<void> {
  const session = await openSession(event.ResourceProperties, PROJECT_FAMILY.parse(event.ResourceProperties).token, true);
  try {
    await withConflictRetry(() => session.client.send(new DeleteProjectCommand({ spaceName, name })));
    console.log(`deleted ${subjectOf(spaceName, name)}`);
  } catch (err) {
    if (isGone(err)) {
      console.log(`${subjectOf(spaceName, name)} is already gone`);
      return;
    }
    throw callFailed(err, { what: 'Deleting the project', subject: subjectOf(spaceName, name), session });
  }
}
