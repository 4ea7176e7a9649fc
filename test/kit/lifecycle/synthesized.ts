import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { LIFECYCLE_STACK_ID, Props } from './driver';
import { Policy, PolicyStatement } from './world';
import { testApp, testStack } from '../app';
import { asCloudFormationProperties } from '../events';
import { evaluateIntrinsics, referencedLogicalId } from '../intrinsics';

/**
 * The permissions a lifecycle world grants, taken from the construct itself: the construct is built in a strict test
 * stack from the very properties the driver sends, and the kit role its custom resource names is read back from the
 * stack (the role's inline policy and the `Grants` policy attached to it), as CloudFormation would deploy them.
 */

/** A resource of the stack the construct's properties refer to, with the attributes it has once deployed. */
export interface DeployedResource {
  /** The resource (an L2 stands for its default child). */
  readonly resource: IConstruct;
  /** Its attributes by name (`Ref` for a reference to the resource itself). */
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * Builds, in `scope`, the construct whose custom resource a family's handlers serve, from that resource's properties.
 * Build it from imports where it can; returns the attributes of the resources of the stack it has to create.
 */
export type ConstructBuilder<P extends Props> = (scope: Construct, props: P) => DeployedResource[] | void;

/** Properties the kit adds to every custom resource, which a world's properties do not carry. */
const KIT_PROPERTIES = ['ServiceToken', 'ServiceTimeout', 'RoleArn'];

/** JSON with the keys of every object sorted, to compare properties whatever order they were written in. */
function canonical(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map(k => [k, sort((v as Record<string, unknown>)[k])]));
    return v;
  };
  return JSON.stringify(sort(value));
}

/** The one stack every construct of a test file is built in (each in a scope of its own), so the provider is built once. */
const builds: { stack?: Stack; count: number } = { count: 0 };

/** The pseudo parameters of the stack the drivers play. */
const STACK_PSEUDO = { 'AWS::StackId': LIFECYCLE_STACK_ID, 'AWS::StackName': LIFECYCLE_STACK_ID.split('/')[1] };

/**
 * `policy(props)` for a lifecycle world: the statements the construct synthesizes for those properties, built once per
 * distinct set of properties (all in one stack of the test file, so the provider is built once). Fails unless one custom resource of
 * the type renders exactly these properties, so that a world's properties stay what a deployed template sends.
 *
 * Statements with a `Condition` are left out (the fakes cannot evaluate one, and leaving it out errs on refusing);
 * anything but `Allow` with `Action` and `Resource` fails.
 */
export function synthesizedPolicy<P extends Props>(resourceType: string, build: ConstructBuilder<P>): (props: P) => Policy {
  const cache = new Map<string, Policy>();
  return props => {
    const key = canonical(asCloudFormationProperties(props));
    let policy = cache.get(key);
    if (!policy) {
      const stack = builds.stack ??= testStack(testApp());
      const scope = new Construct(stack, `Props${builds.count++}`);
      const deployed = build(scope, props) ?? [];
      policy = policyOf(stack, scope, resourceType, props, deployed);
      cache.set(key, policy);
    }
    return policy;
  };
}

/** The custom resource of the type built in `scope` that renders the properties, and the policy of its kit role. */
function policyOf(stack: Stack, scope: Construct, resourceType: string, props: Props, deployed: DeployedResource[]): Policy {
  const cfnOf = (c: IConstruct) => (CfnResource.isCfnResource(c) ? c : c.node.defaultChild) as CfnResource;
  const attributes = new Map(deployed.map(d => [stack.getLogicalId(cfnOf(d.resource)), d.attributes]));
  const evaluate = (value: unknown) => evaluateIntrinsics(value, (id, attribute) => {
    const found = attributes.get(id)?.[attribute ?? 'Ref'];
    if (found === undefined) {
      throw new Error(`a value refers to ${id}${attribute ? `.${attribute}` : ''}, which the lifecycle harness cannot evaluate: build the construct `
        + 'from imports, or give the attribute as a DeployedResource');
    }
    return found;
  }, STACK_PSEUDO);
  const wanted = asCloudFormationProperties(Object.fromEntries(Object.entries(props).filter(([k]) => !KIT_PROPERTIES.includes(k))));
  const built = scope.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === resourceType);
  const candidates = built.map(resource => {
    const template = stack.resolve((resource as unknown as { _toCloudFormation(): object })._toCloudFormation()) as {
      Resources: Record<string, { Properties: Record<string, any> }>;
    };
    const { RoleArn: roleArn, ...properties } = Object.values(template.Resources)[0].Properties;
    const own = Object.fromEntries(Object.entries(properties).filter(([k]) => !KIT_PROPERTIES.includes(k)));
    const rendered = asCloudFormationProperties(evaluate(own) as object);
    return { roleArn, rendered };
  });
  const match = candidates.find(c => canonical(c.rendered) === canonical(wanted));
  if (!match) {
    const differences = candidates.map(c => [...new Set([...Object.keys(c.rendered), ...Object.keys(wanted)])]
      .filter(k => canonical(c.rendered[k]) !== canonical(wanted[k]))
      .map(k => `${k} ${JSON.stringify(c.rendered[k])} (the world: ${JSON.stringify(wanted[k])})`).join(', '));
    throw new Error(`no ${resourceType} the construct built renders the world's properties; ${differences.length === 0 ? 'it built none'
      : `it renders ${differences.join(' / ')}`}`);
  }

  const roleId = referencedLogicalId(match.roleArn);
  const cfnResources = stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c));
  const role = cfnResources.find((c): c is iam.CfnRole => c instanceof iam.CfnRole && stack.getLogicalId(c) === roleId);
  if (!role) throw new Error(`${resourceType} names no kit role of the stack (RoleArn: ${JSON.stringify(match.roleArn)})`);
  const documents: unknown[] = [
    ...((stack.resolve(role.policies) ?? []) as Array<{ policyDocument: unknown }>).map(p => p.policyDocument),
    // Grants to the role (`KitRole.grantPrincipal`) are a policy of their own, attached to it.
    ...cfnResources.filter((c): c is iam.CfnPolicy => c instanceof iam.CfnPolicy)
      .filter(p => JSON.stringify(stack.resolve(p.roles)).includes(JSON.stringify({ Ref: roleId })))
      .map(p => stack.resolve(p.policyDocument)),
  ];
  return documents.flatMap(document => ((evaluate(document) as { Statement?: unknown[] }).Statement ?? []).flatMap(statementOf));
}

/**
 * One statement of a policy document in the harness's form: a condition that only limits the request's tag keys
 * (`ForAllValues:StringLike` on `aws:TagKeys`) is kept; a statement with any other condition is left out.
 */
function statementOf(raw: unknown): PolicyStatement[] {
  const s = raw as Record<string, unknown>;
  if (s.Effect !== 'Allow' || s.Action === undefined || s.Resource === undefined || s.NotAction !== undefined || s.NotResource !== undefined) {
    throw new Error(`a kit role's statement the lifecycle harness cannot model: ${JSON.stringify(s)}`);
  }
  const list = (v: unknown) => (Array.isArray(v) ? v : [v]).map(String);
  const statement = { actions: list(s.Action), resources: list(s.Resource) };
  if (s.Condition === undefined) return [statement];
  const condition = s.Condition as Record<string, Record<string, unknown>>;
  const tagKeys = condition['ForAllValues:StringLike']?.['aws:TagKeys'];
  if (Object.keys(condition).length !== 1 || Object.keys(condition['ForAllValues:StringLike'] ?? {}).length !== 1 || tagKeys === undefined) return [];
  return [{ ...statement, tagKeys: list(tagKeys) }];
}
