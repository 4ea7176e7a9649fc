import { IConstruct } from 'constructs';
import { CODECATALYST_API } from './api-constraints';
import { validateApiValue } from '../../core/api-constraints';
import { validateGitBranchName } from '../../core/git';

/**
 * Fails at synth unless a branch name is one CodeCatalyst takes (1 to 100 characters) and Git allows; a token or an
 * absent name passes. `fix` says what to write instead.
 */
export function validateBranchName(scope: IConstruct, prop: string, name: string | undefined, fix: string): void {
  validateApiValue(scope, CODECATALYST_API, 'SourceRepositoryBranchString', prop, name, fix);
  validateGitBranchName(scope, prop, name, fix);
}
