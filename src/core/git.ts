import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ValidationError } from './validation';

/** Git's rules for a branch name (git check-ref-format). Services check only the length; Git refuses the rest. */
const GIT_BRANCH = /^(?!\/|.*(?:\/\/|\.\.|@\{|\.lock$|\/$|\.$))[^\s~^:?*[\\\x00-\x1f\x7f]+$/;

/**
 * Fails at synth when a branch name breaks Git's rules; a token or an absent name passes. Check the service's
 * length first (`validateApiValue`). `fix` says what to write instead.
 */
export function validateGitBranchName(scope: IConstruct, prop: string, name: string | undefined, fix: string): void {
  if (name !== undefined && !Token.isUnresolved(name) && !GIT_BRANCH.test(name)) {
    throw new ValidationError(`invalid ${prop}: '${name}' is not a valid Git branch name (no spaces, ~^:?*[\\, '..', '//', `
      + `'@{', and no leading or trailing '/', trailing '.' or '.lock'). ${fix}`, scope);
  }
}
