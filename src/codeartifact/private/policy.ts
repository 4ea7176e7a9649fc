import { CfnResource, IResolvable, IResolveContext, Resource, ResourceProps, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { addWarning, WarningId } from '../../core/warnings';

/** What a resource with its own policy is, for the warning an import of it gives when asked to add a statement. */
export interface OwnPolicyKind {
  /** What the resource is: `domain`, `repository`. */
  readonly what: string;
  /** The id of the warning (from `WARNINGS`). */
  readonly warning: WarningId;
}

/**
 * A CodeArtifact domain or repository: its policy is one of its own properties, so only the app that defines the
 * resource renders it (`renderResourcePolicy`). An import adds no statement, and warns.
 *
 * @internal a hidden base class of `Domain` and `Repository`
 */
export abstract class ResourceWithOwnPolicy extends Resource implements iam.IResourceWithPolicy {
  /** The resource's policy; only a resource defined in this app renders one. */
  protected policy?: iam.PolicyDocument;
  protected abstract readonly ownsPolicy: boolean;

  protected constructor(scope: Construct, id: string, props: ResourceProps, private readonly kind: OwnPolicyKind) {
    super(scope, id, props);
  }

  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    if (!this.ownsPolicy) {
      addWarning(this, this.kind.warning,
        `statement not added: the policy of the imported ${this.kind.what} ${this.node.path} is not managed by this app; `
        + `add the statement where the ${this.kind.what} is defined`);
      return { statementAdded: false };
    }
    this.policy ??= new iam.PolicyDocument();
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}

/** What a resource's own attributes are, built without reading them from the resource. */
export interface SelfAttributes {
  /** The resource's ARN, from its literal name and the stack's partition, region and account. */
  readonly Arn: string;
  /** The resource's name. */
  readonly Name: string;
  /** The resource's owner account, when it has that attribute. */
  readonly Owner?: string;
}

/**
 * Renders the policy of a CodeArtifact domain or repository, which lives in the resource's own properties.
 *
 * A statement that names the resource itself (`resources: [repository.repositoryArn]`, or a package ARN of
 * the repository) would read the resource's own attributes, and CloudFormation cannot create a resource
 * that depends on itself. Those reads are replaced with the same values built from the resource's name and
 * the stack's partition, region and account, so the policy names the resource and the template deploys.
 *
 * @param owner the domain or repository construct; its default child is the resource whose policy this is
 */
export function renderResourcePolicy(owner: IConstruct, policy: () => iam.PolicyDocument | undefined, self: SelfAttributes): IResolvable {
  const token: IResolvable = {
    creationStack: [],
    toString: () => Token.asString(token),
    resolve: (context: IResolveContext) => {
      const document = policy();
      if (!document) return undefined;
      const logicalId = context.resolve((owner.node.defaultChild as CfnResource).logicalId) as string;
      const values: Record<string, unknown> = {};
      for (const [attribute, value] of Object.entries(self)) {
        if (value !== undefined) values[attribute] = context.resolve(value);
      }
      const rendered = context.resolve(document.toJSON());
      const replaced = replaceSelfReferences(rendered, logicalId, values);
      // Only a policy that names the resource itself changes (and has joins nested by the replacement).
      return JSON.stringify(replaced) === JSON.stringify(rendered) ? rendered : flattenJoins(replaced);
    },
  };
  return token;
}

function replaceSelfReferences(value: unknown, logicalId: string, values: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map(v => replaceSelfReferences(v, logicalId, values));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [key, arg] = entries[0];
    // CodeArtifact domains and repositories return their ARN from Ref.
    if (key === 'Ref' && arg === logicalId) return values.Arn;
    if (key === 'Fn::GetAtt') {
      const [id, attribute] = typeof arg === 'string' ? arg.split('.') : arg as string[];
      if (id === logicalId && values[attribute] !== undefined) return values[attribute];
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, replaceSelfReferences(v, logicalId, values)]));
}

/** Merges `Fn::Join`s with an empty delimiter nested in one another, and joins adjacent literals, as aws-cdk-lib renders them. */
function flattenJoins(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(flattenJoins);
  if (typeof value !== 'object' || value === null) return value;
  const object = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, flattenJoins(v)]));
  const join = object['Fn::Join'] as [string, unknown[]] | undefined;
  if (Object.keys(object).length !== 1 || !join || join[0] !== '' || !Array.isArray(join[1])) return object;
  const parts: unknown[] = [];
  for (const part of join[1].flatMap(p => isEmptyJoin(p) ? (p as any)['Fn::Join'][1] : [p])) {
    if (typeof part === 'string' && typeof parts[parts.length - 1] === 'string') parts[parts.length - 1] += part;
    else parts.push(part);
  }
  return parts.length === 1 && typeof parts[0] === 'string' ? parts[0] : { 'Fn::Join': ['', parts] };
}

function isEmptyJoin(value: unknown): boolean {
  const join = (value as any)?.['Fn::Join'];
  return typeof value === 'object' && value !== null && Object.keys(value).length === 1 && Array.isArray(join) && join[0] === '' && Array.isArray(join[1]);
}
