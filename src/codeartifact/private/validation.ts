import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CODEARTIFACT_API } from './api-constraints';
import { validateApiValue } from '../../core/api-constraints';
import type { PackageFormat } from '../package-format';

/** Formats whose packages always have a namespace, and formats whose packages never have one. */
const NAMESPACE_REQUIRED = ['maven', 'swift', 'generic'];
const NAMESPACE_FORBIDDEN = ['pypi', 'nuget', 'ruby', 'cargo'];

/** Checks a package's coordinates against the API and the format's namespace rules. */
export function validatePackage(scope: Construct, format: PackageFormat, namespace: string | undefined, packageName: string): void {
  validateApiValue(scope, CODEARTIFACT_API, 'PackageName', 'packageName', packageName, 'Use 1 to 255 characters without #, / or white space.');
  validateApiValue(scope, CODEARTIFACT_API, 'PackageNamespace', 'namespace', namespace,
    'Use 1 to 255 characters without #, / or white space (an npm scope without @).');
  if (Token.isUnresolved(format.name) || Token.isUnresolved(namespace)) return;
  if (namespace?.startsWith('@')) {
    throw new Error(`${scope.node.path}: invalid namespace '${namespace}': CodeArtifact writes npm scopes without '@'; use '${namespace.slice(1)}'`);
  }
  if (namespace === undefined && NAMESPACE_REQUIRED.includes(format.name)) {
    throw new Error(`${scope.node.path}: ${format.name} packages have a namespace (got none); set \`namespace\``
      + `${format.name === 'maven' ? ' to the group ID' : ''}`);
  }
  if (namespace !== undefined && NAMESPACE_FORBIDDEN.includes(format.name)) {
    throw new Error(`${scope.node.path}: ${format.name} packages have no namespace (got '${namespace}'); remove \`namespace\``);
  }
}
