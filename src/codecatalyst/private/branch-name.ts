import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CODECATALYST_API } from './api-constraints';
import { validateApiValue } from '../../core/api-constraints';

/** Git's rules for a branch name (git check-ref-format), beside the API's length. */
const GIT_BRANCH = /^(?!\/|.*(?:\/\/|\.\.|@\{|\.lock$|\/$|\.$))[^\s~^:?*[\\\x00-\x1f\x7f]+$/;

/**
 * Fails at synth unless a branch name is one CodeCatalyst takes (1 to 100 characters) and Git allows; a token or an
 * absent name passes. `fix` says what to write instead.
 */
export function validateBranchName(scope: IConstruct, prop: string, name: string | undefined, fix: string): void {
  validateApiValue(scope, CODECATALYST_API, 'SourceRepositoryBranchString', prop, name, fix);
  if (name !== undefined && !Token.isUnresolved(name) && !GIT_BRANCH.test(name)) {
    throw new Error(`${scope.node.path}: invalid ${prop}: '${name}' is not a valid Git branch name (no spaces, ~^:?*[\\, '..', '//', `
      + `'@{', and no leading or trailing '/', trailing '.' or '.lock'). ${fix}`);
  }
}
