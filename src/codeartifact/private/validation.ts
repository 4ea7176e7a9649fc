import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CODEARTIFACT_API } from './api-constraints';
import { validateApiValue } from '../../core/api-constraints';
import { ValidationError } from '../../core/validation';
import type { PackageFormat } from '../package-format';

/** How to fix a description or contact information that CodeArtifact refuses. */
export const FREE_TEXT_FIX = 'Keep it on one line (CodeArtifact refuses line breaks, tabs and other control characters) and under '
  + '1000 characters; link to a README or wiki page for anything longer.';

/** What package coordinates look like, for the fix of a name, namespace or version CodeArtifact refuses. */
export const COORDINATE_FIX = 'Drop #, / and white space: write it as the package manager writes it, without a registry URL or path';

/** Why a namespace never starts with '@', for messages. */
export const NPM_SCOPE_NOTE = 'CodeArtifact writes an npm scope without its \'@\' (the package @acme/ui has the namespace \'acme\')';

/** Formats whose packages always have a namespace, and formats whose packages never have one. */
const NAMESPACE_REQUIRED = ['maven', 'swift', 'generic'];
const NAMESPACE_FORBIDDEN = ['pypi', 'nuget', 'ruby', 'cargo'];

/** Checks a package's coordinates against the API and the format's namespace rules. */
export function validatePackage(scope: Construct, format: PackageFormat, namespace: string | undefined, packageName: string): void {
  validateApiValue(scope, CODEARTIFACT_API, 'PackageName', 'packageName', packageName,
    `${COORDINATE_FIX}, and put the scope or group in \`namespace\`: for @acme/ui, packageName 'ui' and namespace 'acme'.`);
  validateApiValue(scope, CODEARTIFACT_API, 'PackageNamespace', 'namespace', namespace,
    `${COORDINATE_FIX}: the npm scope without @ (acme), the Maven group ID (com.acme.tools), or a generic namespace such as tools.`);
  if (Token.isUnresolved(format.name) || Token.isUnresolved(namespace)) return;
  if (namespace?.startsWith('@')) {
    throw new ValidationError(`invalid namespace '${namespace}': ${NPM_SCOPE_NOTE}. Drop the '@': '${namespace.slice(1)}'`, scope);
  }
  if (namespace === undefined && NAMESPACE_REQUIRED.includes(format.name)) {
    throw new ValidationError(`${format.name} packages have a namespace (got none); set \`namespace\``
      + `${format.name === 'maven' ? ' to the group ID' : ''}`, scope);
  }
  if (namespace !== undefined && NAMESPACE_FORBIDDEN.includes(format.name)) {
    throw new ValidationError(`${format.name} packages have no namespace (got '${namespace}'); remove \`namespace\``, scope);
  }
}
