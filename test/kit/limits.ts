import { evaluateIntrinsics } from './intrinsics';

/**
 * The limits a synthesized template meets when it deploys, measured the way the services count them:
 * CloudFormation's 500 resources and 1 MB template, and IAM's 10,240 characters of inline policy per role
 * (all of a role's inline policies together, whitespace excluded) and 10 managed policies per role. Intrinsic
 * functions are resolved to values as long as real ones, so a policy is measured as IAM will see it.
 */

/** CloudFormation's and IAM's quotas (the defaults; none of them can be raised except managed policies, to 20). */
export const DEPLOY_LIMITS = {
  resources: 500,
  templateBytes: 1024 * 1024,
  inlinePolicyCharsPerRole: 10_240,
  managedPoliciesPerRole: 10,
};

/** What one role of the template holds. */
export interface RoleLoad {
  readonly logicalId: string;
  /** Characters of every inline policy attached to the role (its `Policies` and each `AWS::IAM::Policy` naming it), resolved. */
  readonly inlineChars: number;
  readonly managedPolicies: number;
}

/** A template measured against the deploy limits. */
export interface DeployLoad {
  readonly resources: number;
  readonly templateBytes: number;
  readonly roles: RoleLoad[];
  /** Each limit the template breaks, as a sentence; empty when it deploys. */
  readonly problems: string[];
}

const STACK = {
  'AWS::StackName': 'a-stack-name-of-realistic-length',
  'AWS::StackId': 'arn:aws:cloudformation:us-east-1:123456789012:stack/a-stack-name-of-realistic-length/00000000-0000-0000-0000-000000000000',
};

/** A value as long as the longest a resource of this type returns for `Ref`/`Fn::GetAtt` (names up to 64, ARNs over 100). */
function stand(logicalId: string, attribute: string | undefined, type: string): string {
  const name = `${logicalId.toLowerCase()}-abcdefghijkl`.padEnd(64, 'x').slice(0, 64);
  const [, service = 'service', kind = 'resource'] = type.toLowerCase().split('::');
  return attribute !== undefined && /arn$/i.test(attribute) ? `arn:aws:${service}:us-east-1:123456789012:${kind}/${name}` : name;
}

/** Resolves intrinsics in a value to strings of realistic length. */
export function resolveRealistic(value: unknown, resources: Record<string, any>): unknown {
  return evaluateIntrinsics(value, (id, attribute) => stand(id, attribute, resources[id]?.Type ?? 'AWS::Unknown::Thing'), STACK);
}

/** Whether a `Roles` list (of an `AWS::IAM::Policy` or `ManagedPolicy`) names the role. */
const names = (roles: unknown, logicalId: string) => Array.isArray(roles) && roles.some(r => (r as { Ref?: string })?.Ref === logicalId);

/** Measures a synthesized template (the JSON text `cdk synth` writes) against the deploy limits. */
export function deployLoad(templateText: string): DeployLoad {
  const template = JSON.parse(templateText);
  const resources: Record<string, any> = template.Resources ?? {};
  const size = (doc: unknown) => JSON.stringify(resolveRealistic(doc, resources)).replace(/\s/g, '').length;
  const roles = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Role').map(([logicalId, role]) => {
    const own = (role.Properties?.Policies ?? []).reduce((n: number, p: any) => n + size(p.PolicyDocument), 0);
    const attached = Object.values(resources).filter(r => r.Type === 'AWS::IAM::Policy' && names(r.Properties?.Roles, logicalId))
      .reduce((n: number, p: any) => n + size(p.Properties.PolicyDocument), 0);
    const managed = (role.Properties?.ManagedPolicyArns ?? []).length
      + Object.values(resources).filter(r => r.Type === 'AWS::IAM::ManagedPolicy' && names(r.Properties?.Roles, logicalId)).length;
    return { logicalId, inlineChars: own + attached, managedPolicies: managed };
  });
  const count = Object.keys(resources).length;
  const bytes = Buffer.byteLength(templateText);
  const problems = [
    ...(count > DEPLOY_LIMITS.resources ? [`${count} resources, more than CloudFormation's ${DEPLOY_LIMITS.resources}`] : []),
    ...(bytes > DEPLOY_LIMITS.templateBytes ? [`a template of ${bytes} bytes, more than CloudFormation's ${DEPLOY_LIMITS.templateBytes}`] : []),
    ...roles.filter(r => r.inlineChars > DEPLOY_LIMITS.inlinePolicyCharsPerRole)
      .map(r => `role ${r.logicalId} has ${r.inlineChars} characters of inline policy, more than IAM's ${DEPLOY_LIMITS.inlinePolicyCharsPerRole}`),
    ...roles.filter(r => r.managedPolicies > DEPLOY_LIMITS.managedPoliciesPerRole)
      .map(r => `role ${r.logicalId} has ${r.managedPolicies} managed policies, more than IAM's ${DEPLOY_LIMITS.managedPoliciesPerRole}`),
  ];
  return { resources: count, templateBytes: bytes, roles, problems };
}
