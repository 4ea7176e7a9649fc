import { CreateProjectCommand, DeleteProjectCommand, GetProjectCommand, UpdateProjectCommand } from '@aws-sdk/client-codecatalyst';
import { parseProjectProperties, PROJECT_ATTRIBUTES, ProjectRequest } from './contract';
import { call, callFailed, CodeCatalystSession, isGone, openSession, withConflictRetry } from './session';
import { logEvent } from '../../../core/handlers/runtime';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';
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
 * properties say (a rollback may send the old project an Update from the replacement's properties). Delete deletes
 * it, and one already gone is deleted. (A project the stack retains never gets the Delete: CloudFormation skips it.)
 */
export async function onProjectEvent(event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('codecatalyst project', event);
  const existing = projectOf(event.PhysicalResourceId);
  if (event.RequestType === 'Delete') {
    if (existing) await deleteProject(event, existing.spaceName, existing.name);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const project = parseProjectProperties(event.ResourceProperties);
  const session = await openSession(event.ResourceProperties, true);
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
      return { PhysicalResourceId: event.PhysicalResourceId, Data: { [PROJECT_ATTRIBUTES.name]: name } };
    }
  }
  return createProject(session, project);
}

function subjectOf(spaceName: string, name: string): string {
  return `project '${name}' in space '${spaceName}'`;
}

async function createProject(session: CodeCatalystSession, project: ProjectRequest): Promise<OnEventResponse> {
  const created = await call({
    what: 'Creating the project',
    subject: `project '${project.displayName}' in space '${project.spaceName}'`,
    session,
    notFound: `The space '${project.spaceName}' is not visible to the token's user; check Space.fromSpaceName`,
    conflict: 'A project with this display name probably exists already: choose another displayName, or use the existing project with '
      + 'Project.fromProjectName',
  }, () => session.client.send(new CreateProjectCommand({
    spaceName: project.spaceName, displayName: project.displayName, description: project.description || undefined,
  })));
  if (!created.name) throw new Error(`CreateProject returned no name for project '${project.displayName}'`);
  console.log(`created ${subjectOf(project.spaceName, created.name)}`);
  return { PhysicalResourceId: projectPhysicalId(project.spaceName, created.name), Data: { [PROJECT_ATTRIBUTES.name]: created.name } };
}

async function deleteProject(event: OnEventRequest, spaceName: string, name: string): Promise<void> {
  const session = await openSession(event.ResourceProperties, true);
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
