import { ActionableError, classifyError, ErrorKind, messageOf } from '../../../core/runtime/handler';

/** What to do about a failed CodeArtifact call, by the kind of error the kit classifies it as. */
const NEXT_STEP: Record<ErrorKind, string> = {
  'throttled': 'CodeArtifact is throttling or briefly unavailable (the SDK already retried); redeploy in a few minutes.',
  'unavailable': 'CodeArtifact is throttling or briefly unavailable (the SDK already retried); redeploy in a few minutes.',
  'not-found': 'Check that the domain, its owner account and the repository exist, and that the repository is deployed first.',
  'access-denied': 'The resource\'s role, which the handler acts as, lacks a permission; if the repository is in another account, its domain and repository policies '
    + 'must allow this account too.',
  'quota': 'A CodeArtifact quota is reached; request an increase in Service Quotas or remove unused resources.',
  'conflict': 'Another operation changed the same package; redeploy once it has finished.',
  'other': 'Fix the property CodeArtifact rejects and redeploy.',
};

/** Turns a CodeArtifact error into a message that says what to do about it. */
export function codeArtifactFailure(what: string, subject: string, err: unknown): ActionableError {
  return new ActionableError(what, subject, messageOf(err), NEXT_STEP[classifyError(err)]);
}
