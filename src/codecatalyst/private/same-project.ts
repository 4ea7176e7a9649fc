import { Token } from 'aws-cdk-lib';
import { IProject, Project } from '../project';

const literal = (value: string) => !Token.isUnresolved(value);

/**
 * Whether two project references are known to name the same project: the same construct, or imports of one name
 * in the same space. Unknown (false) when a name is a token.
 */
export function knownSameProject(a: IProject, b: IProject): boolean {
  if (a === b) return true;
  const sameSpace = a.space === b.space || (literal(a.space.spaceName) && a.space.spaceName === b.space.spaceName);
  return sameSpace && literal(a.projectName) && a.projectName === b.projectName;
}

/**
 * Whether two project references are known to name different projects: two projects this app creates, or imports
 * (or an import and a created project) with different literal names. Unknown (false) when a name is a token.
 */
export function knownDifferentProjects(a: IProject, b: IProject): boolean {
  if (a === b) return false;
  if (a instanceof Project && b instanceof Project) return true;
  return literal(a.projectName) && literal(b.projectName) && a.projectName !== b.projectName;
}

/** A project reference for messages: its construct path, and its name when that is a literal. */
export function describeProject(project: IProject): string {
  return literal(project.projectName) ? `'${project.projectName}' (${project.node.path})` : project.node.path;
}
