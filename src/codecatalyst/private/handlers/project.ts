import { CreateProjectCommand, DeleteProjectCommand, UpdateProjectCommand } from '@aws-sdk/client-codecatalyst';
import { parseProjectProperties, PROJECT_ATTRIBUTES, ProjectRequest } from './contract';
import { call, callFailed, CodeCatalystSession, isGone, openSession, withConflictRetry } from './session';
import { logEvent } from '../../../core/handlers/runtime';
import type { OnEventRequest, OnEventResponse } from '../../../core/handlers/types';

/** A project name as the API writes it (the NameString shape of the constraint table). */
const PROJECT_NAME = /^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$/;

/** Whether a physical id is a project name this handler returned (not the provider framework's failed-create marker). */
function isProjectName(physicalId: string | undefined): physicalId is string {
  return physicalId !== undefined && PROJECT_NAME.test(physicalId);
}

/**
 * A project: CreateProject, then its description kept with UpdateProject; another space or display name is another
 * project (a replacement; the name CodeCatalyst derives from the display name is the physical id). Delete deletes
 * it, and one already gone is deleted. (A project the stack retains never gets the Delete: CloudFormation skips it.)
 */
export async function onProjectEvent(event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('codecatalyst project', event);
  if (event.RequestType === 'Delete') {
    if (isProjectName(event.PhysicalResourceId)) await deleteProject(event);
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const project = parseProjectProperties(event.ResourceProperties);
  const session = await openSession(event.ResourceProperties, true);
  const old = event.RequestType === 'Update' && event.OldResourceProperties ? parseProjectProperties(event.OldResourceProperties) : undefined;
  if (old && isProjectName(event.PhysicalResourceId) && old.spaceName === project.spaceName && old.displayName === project.displayName) {
    const name = event.PhysicalResourceId;
    if (project.description !== old.description) {
      if (project.description === '') {
        console.log(`the description of project ${name} was removed from the template; the API cannot clear a description, so it stays`);
      } else {
        await call({ what: 'Updating the project\'s description', subject: subjectOf(project.spaceName, name), session },
          () => session.client.send(new UpdateProjectCommand({ spaceName: project.spaceName, name, description: project.description })));
      }
    }
    return { PhysicalResourceId: name, Data: { [PROJECT_ATTRIBUTES.name]: name } };
  }
  return createProject(session, project);
}

function subjectOf(spaceName: string, name: string): string {
  return `project '${name}' in space '${spaceName}'`;
}

async function createProject(session: CodeCatalystSession, project: ProjectRequest): Promise<OnEventResponse> {
  const created = await call({
    what: 'Creating the project', subject: `project '${project.displayName}' in space '${project.spaceName}'`, session,
    notFound: `The space '${project.spaceName}' is not visible to the token's user; check Space.fromSpaceName`,
    conflict: 'A project with this display name probably exists already: choose another displayName, or use the existing project with '
      + 'Project.fromProjectName',
  }, () => session.client.send(new CreateProjectCommand({
    spaceName: project.spaceName, displayName: project.displayName, description: project.description || undefined,
  })));
  if (!created.name) throw new Error(`CreateProject returned no name for project '${project.displayName}'`);
  console.log(`created ${subjectOf(project.spaceName, created.name)}`);
  return { PhysicalResourceId: created.name, Data: { [PROJECT_ATTRIBUTES.name]: created.name } };
}

async function deleteProject(event: OnEventRequest): Promise<void> {
  const { spaceName } = parseProjectProperties(event.ResourceProperties);
  const name = event.PhysicalResourceId!;
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
