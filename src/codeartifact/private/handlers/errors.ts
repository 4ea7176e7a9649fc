import { ActionableError, errorName, isRetryable, messageOf } from '../../../core/handlers/runtime';

/** Turns a CodeArtifact error into a message that says what to do about it. */
export function codeArtifactFailure(what: string, subject: string, err: unknown): ActionableError {
  const name = errorName(err);
  let next: string;
  if (isRetryable(err)) {
    next = 'CodeArtifact is throttling or briefly unavailable (the SDK already retried); redeploy in a few minutes.';
  } else if (name === 'ResourceNotFoundException') {
    next = 'Check that the domain, its owner account and the repository exist, and that the repository is deployed first.';
  } else if (name === 'AccessDeniedException') {
    next = 'The handler role lacks a permission; if the repository is in another account, its domain and repository policies '
      + 'must allow this account too.';
  } else if (name === 'ServiceQuotaExceededException') {
    next = 'A CodeArtifact quota is reached; request an increase in Service Quotas or remove unused resources.';
  } else if (name === 'ConflictException') {
    next = 'Another operation changed the same package; redeploy once it has finished.';
  } else {
    next = 'Fix the property CodeArtifact rejects and redeploy.';
  }
  return new ActionableError(what, subject, messageOf(err), next);
}
