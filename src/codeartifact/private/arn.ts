import { ArnComponents, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ArnExpectation, requireArnEnvironment } from '../../core/arn';
import { ValidationError } from '../../core/validation';

/** What an import expects of the ARN of one type of CodeArtifact resource. */
export interface CodeArtifactArnExpectation extends ArnExpectation {
  /** The resource type, the part before the first `/`: `domain`, `repository`, `package-group`. */
  readonly resource: string;
  /** What the rest (the resource name) must match, e.g. two names for a repository: `<domain>/<repository>`. */
  readonly resourceName: RegExp;
  /**
   * The error for a token ARN, for an import that reads names from its ARN.
   * @default - a token ARN is accepted unchecked, and nothing is returned
   */
  readonly tokenError?: string;
}

/** A literal CodeArtifact ARN, split. */
export interface CodeArtifactArn extends ArnComponents {
  readonly resourceName: string;
}

/**
 * Splits and checks the ARN an import of a CodeArtifact resource is given: the service, the resource type, the
 * resource name and the environment (`requireArnEnvironment`). Errors are raised against the import: `scope` and `id`.
 */
export function parseCodeArtifactArn(scope: Construct, id: string, arn: string,
  expected: CodeArtifactArnExpectation & { tokenError: string }): CodeArtifactArn;
export function parseCodeArtifactArn(scope: Construct, id: string, arn: string, expected: CodeArtifactArnExpectation): CodeArtifactArn | undefined;
export function parseCodeArtifactArn(scope: Construct, id: string, arn: string, expected: CodeArtifactArnExpectation): CodeArtifactArn | undefined {
  if (Token.isUnresolved(arn)) {
    if (expected.tokenError === undefined) return undefined;
    throw new ValidationError(expected.tokenError, scope, id);
  }
  const parts = Stack.of(scope).splitArn(arn, ArnFormat.SLASH_RESOURCE_NAME);
  if (parts.service !== 'codeartifact' || parts.resource !== expected.resource || !expected.resourceName.test(parts.resourceName ?? '')) {
    throw new ValidationError(`'${arn}' is not a ${expected.what} ARN; expected ${expected.format}. ${expected.fix}`, scope, id);
  }
  requireArnEnvironment(scope, id, arn, expected);
  return { ...parts, resourceName: parts.resourceName! };
}
