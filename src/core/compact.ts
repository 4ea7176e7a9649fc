import { IResolvable, IResolveContext, Stack, Token } from 'aws-cdk-lib';

/**
 * Rewrites a resolved CloudFormation value with flatter intrinsics that evaluate to the same thing, for the parts of
 * a template that repeat per instance (a kit role's policy). `cdk synth` indents templates, so every level of
 * nesting costs bytes on every line below it:
 *
 * - `Fn::Select` of a literal list (what `Fn.split(delimiter, value, assumedLength)` renders) becomes the element;
 * - `Fn::Join` with a `Ref` or `Fn::GetAtt` among its parts becomes one `Fn::Sub` string, with the parts that are
 *   neither as variables.
 *
 * A `Fn::Join` whose literal text holds a `*` keeps its form when it would need variables: cdk-nag reads the
 * variable form of `Fn::Sub` as JSON, so an acceptance could no longer name that wildcard by its ARN.
 */
export function compactIntrinsics(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compactIntrinsics);
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1) {
    const [key, arg] = entries[0];
    if (key === 'Fn::Select' && Array.isArray(arg) && arg.length === 2 && Array.isArray(arg[1])) {
      const index = typeof arg[0] === 'number' || typeof arg[0] === 'string' ? Number(arg[0]) : NaN;
      if (Number.isInteger(index) && index >= 0 && index < arg[1].length) return compactIntrinsics(arg[1][index]);
    }
    if (key === 'Fn::Join' && Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string' && Array.isArray(arg[1])) {
      return joinAsSub(arg[0], arg[1].map(compactIntrinsics));
    }
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, compactIntrinsics(v)]));
}

/** The name a `Ref` or `Fn::GetAtt` has inside `Fn::Sub` (`Logical`, `AWS::Region`, `Logical.Attribute`), if it is one. */
function subName(part: unknown): string | undefined {
  if (!part || typeof part !== 'object' || Array.isArray(part) || Object.keys(part).length !== 1) return undefined;
  const { Ref: ref, 'Fn::GetAtt': getAtt } = part as { 'Ref'?: unknown; 'Fn::GetAtt'?: unknown };
  if (typeof ref === 'string') return ref;
  if (Array.isArray(getAtt) && getAtt.length === 2 && getAtt.every(p => typeof p === 'string')) return `${getAtt[0]}.${getAtt[1]}`;
  return undefined;
}

function joinAsSub(delimiter: string, parts: unknown[]): unknown {
  const names = parts.map(subName);
  if (!names.some(n => n !== undefined)) return { 'Fn::Join': [delimiter, parts] };
  const literal = (s: string) => s.replace(/\$\{/g, '${!');
  const others = parts.filter((p, i) => typeof p !== 'string' && names[i] === undefined);
  const text = parts.filter((p): p is string => typeof p === 'string').join(delimiter);
  if (others.length > 0 && text.includes('*')) return { 'Fn::Join': [delimiter, parts] };
  // Variable names that no Ref or Fn::GetAtt of this string uses.
  const taken = new Set(names.filter((n): n is string => n !== undefined).map(n => n.split('.')[0]));
  const variables: Record<string, unknown> = {};
  let next = 0;
  const pieces = parts.map((part, i) => {
    if (typeof part === 'string') return literal(part);
    if (names[i] !== undefined) return `\${${names[i]}}`;
    let name: string;
    do name = `V${next++}`; while (taken.has(name));
    variables[name] = part;
    return `\${${name}}`;
  });
  const template = pieces.join(literal(delimiter));
  return { 'Fn::Sub': others.length > 0 ? [template, variables] : template };
}

/**
 * A reference to a resource's attribute written as the one-line `Fn::Sub` of that attribute (`${Logical.Attribute}`)
 * rather than `Fn::GetAtt`'s list, which `cdk synth` indents over four lines: for references that every instance
 * repeats (a kit resource's `ServiceToken` and `RoleArn`, a kit role's trusted principal). Any other value is written
 * as it resolves.
 */
export function compactReference(value: string): string {
  if (!Token.isUnresolved(value)) return value;
  return Token.asString(renderedOncePrepared(context => {
    const resolved = context.resolve(value);
    const name = subName(resolved);
    return name !== undefined && 'Fn::GetAtt' in resolved ? { 'Fn::Sub': `\${${name}}` } : resolved;
  }));
}

/** A string value written with `compactIntrinsics` once resolved (for outputs and properties that repeat per instance). */
export function compactString(value: string): string {
  if (!Token.isUnresolved(value)) return value;
  return Token.asString(renderedOncePrepared(context => compactIntrinsics(context.resolve(value))));
}

/**
 * A value rendered at synth, afresh while references may still change and once per stack after that. aws-cdk-lib
 * resolves every property several times: while it prepares the app (it finds the references then, and assigns those
 * to other stacks their imports), and then for the template, tree.json and validation. A value rendered before the
 * preparation (an aspect, cdk-nag, `stack.resolve` in user code) may lack an import it needs, so it is never kept;
 * each resolution while preparing renders afresh and drops what was kept (a synth with `force` prepares again).
 * `produce` must return plain data (no tokens left) that depends only on the stack it is resolved in.
 */
export function renderedOncePrepared(produce: (context: IResolveContext) => unknown): IResolvable {
  return new RenderedOncePrepared(produce);
}

class RenderedOncePrepared implements IResolvable {
  public readonly creationStack: string[] = [];
  private prepared = false;
  private readonly rendered = new Map<Stack, unknown>();

  constructor(private readonly produce: (context: IResolveContext) => unknown) {}

  public resolve(context: IResolveContext): unknown {
    if (context.preparing) {
      this.prepared = true;
      this.rendered.clear();
      return this.produce(context);
    }
    if (!this.prepared) return this.produce(context);
    const stack = Stack.of(context.scope);
    if (!this.rendered.has(stack)) this.rendered.set(stack, this.produce(context));
    return this.rendered.get(stack);
  }

  public toString(): string {
    return Token.asString(this);
  }
}
