import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ValidationError } from './validation';

/** What an import expects of an ARN, for messages. */
export interface ArnExpectation {
  /** What the ARN names, e.g. `CodeArtifact repository`. */
  readonly what: string;
  /** The expected form, e.g. `arn:<partition>:codeartifact:<region>:<account>:repository/<domain>/<repository>`. */
  readonly format: string;
  /** Where to find a complete ARN, or what to call instead. */
  readonly fix: string;
}

/** An AWS account id: exactly 12 digits. */
const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/**
 * Refuses a literal ARN without an account or a region, or whose account is not 12 digits. An import takes its
 * environment (`env.account`, `env.region`) from its ARN, and the service needs both: without them, or with a
 * truncated account, grants, endpoints and the account that owns the resource would be wrong. Token ARNs are
 * accepted: their parts are only known at deploy time.
 *
 * @param scope the scope the import is created in, and `id` its id: the error names the import's path
 */
export function requireArnEnvironment(scope: IConstruct, id: string, arn: string, expected: ArnExpectation): void {
  if (Token.isUnresolved(arn)) return;
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return; // not an ARN at all: the caller's format check says so
  const missing = [parts[4] ? undefined : 'account', parts[3] ? undefined : 'region'].filter(m => m !== undefined);
  if (missing.length === 0) {
    if (ACCOUNT_ID_PATTERN.test(parts[4])) return;
    throw new ValidationError(`invalid ${expected.what} ARN: '${arn}' has the account '${parts[4]}', but an AWS account id is 12 digits `
      + `(e.g. 123456789012); it must be ${expected.format}. ${expected.fix}`, scope, id);
  }
  throw new ValidationError(`invalid ${expected.what} ARN: '${arn}' has an empty ${missing.join(' and an empty ')}; `
    + `an import takes its account and region from the ARN, so it must be ${expected.format}. ${expected.fix}`, scope, id);
}
