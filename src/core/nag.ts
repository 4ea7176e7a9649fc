import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** A cdk-nag finding this library accepts on a resource it defines, and why. */
export interface NagAcceptance {
  /** The rule, e.g. `AwsSolutions-IAM4`. */
  readonly id: string;
  /** Why the finding is acceptable here (cdk-nag requires at least 10 characters). */
  readonly reason: string;
  /**
   * The finding-level details it applies to: exact, e.g. `Resource::*`, or a cdk-nag regex, e.g.
   * `{ regex: '/^Resource::.*\\/jobs\\/\\*$/' }` (no `g` flag: cdk-nag reuses the expression).
   * @default - every finding of the rule
   */
  readonly appliesTo?: (string | { readonly regex: string })[];
}

/**
 * Records cdk-nag suppressions on `scope` and every L1 below it, in the metadata format cdk-nag reads,
 * so users who run cdk-nag see only findings about their own resources. cdk-nag is not a dependency.
 */
export function acceptNagFindings(scope: IConstruct, acceptances: NagAcceptance[]): void {
  for (const child of scope.node.findAll()) {
    if (!CfnResource.isCfnResource(child)) continue;
    const existing = (child.getMetadata('cdk_nag') as { rules_to_suppress?: object[] } | undefined)?.rules_to_suppress ?? [];
    const added = acceptances.map(a => ({ reason: a.reason, id: a.id, ...(a.appliesTo ? { applies_to: a.appliesTo } : {}) }));
    const unique = [...new Set([...existing, ...added].map(r => JSON.stringify(r)))].map(r => JSON.parse(r));
    child.addMetadata('cdk_nag', { rules_to_suppress: unique });
  }
}

/**
 * Records cdk-nag suppressions once for a whole stack, in the template's own cdk-nag metadata (where
 * `NagSuppressions.addStackSuppressions` writes them), for findings that many resources of the library would
 * otherwise each carry. They apply to every resource of the stack, so each must name its findings exactly.
 */
export function acceptNagFindingsInStack(stack: Stack, acceptances: NagAcceptance[]): void {
  for (const a of acceptances) {
    if (!a.appliesTo?.length || a.appliesTo.includes('Resource::*')) {
      throw new Error(`a stack-wide cdk-nag acceptance of ${a.id} must name its findings by their ARN (appliesTo): '${a.reason}'`);
    }
  }
  const metadata = stack.templateOptions.metadata ?? (stack.templateOptions.metadata = {});
  const existing: object[] = metadata.cdk_nag?.rules_to_suppress ?? [];
  const added = acceptances.map(a => ({ reason: a.reason, id: a.id, applies_to: a.appliesTo }));
  const unique = [...new Set([...existing, ...added].map(r => JSON.stringify(r)))];
  if (unique.length === existing.length) return;
  metadata.cdk_nag = { ...metadata.cdk_nag, rules_to_suppress: unique.map(r => JSON.parse(r)) };
}
