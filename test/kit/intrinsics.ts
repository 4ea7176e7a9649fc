/**
 * Evaluates the intrinsic functions of a synthesized value as CloudFormation would in the test stacks'
 * environment (us-east-1 of account 123456789012): pseudo parameters, `Fn::Join`, `Fn::Split`,
 * `Fn::Select` and `Fn::Sub`, with `Ref` and `Fn::GetAtt` of resources answered by `reference`.
 */

const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::NoValue': '',
};

/** Answers `Ref` (no attribute) and `Fn::GetAtt` of a resource of the template. */
export type ReferenceResolver = (logicalId: string, attribute: string | undefined) => string;

export function evaluateIntrinsics(value: unknown, reference: ReferenceResolver, pseudo: Record<string, string> = {}): unknown {
  const parameters = { ...PSEUDO, ...pseudo };
  const named = (name: string): string => {
    if (parameters[name] !== undefined) return parameters[name];
    const [id, attribute] = name.split('.');
    return reference(id, attribute);
  };
  const evaluate = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(evaluate);
    if (!v || typeof v !== 'object') return v;
    const entries = Object.entries(v);
    const [key, arg] = entries[0] ?? [];
    if (entries.length !== 1 || (!key.startsWith('Fn::') && key !== 'Ref')) return Object.fromEntries(entries.map(([k, x]) => [k, evaluate(x)]));
    switch (key) {
      case 'Ref': return named(String(arg));
      case 'Fn::GetAtt': return named(Array.isArray(arg) ? arg.join('.') : String(arg));
      case 'Fn::Join': return (evaluate(arg[1]) as unknown[]).map(String).join(arg[0]);
      case 'Fn::Split': return String(evaluate(arg[1])).split(arg[0]);
      case 'Fn::Select': {
        const list = evaluate(arg[1]) as unknown[];
        if (Number(arg[0]) >= list.length) throw new Error(`Fn::Select ${arg[0]} of ${list.length} items`);
        return list[Number(arg[0])];
      }
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
        return String(text).replace(/\$\{([^}!]+)\}/g, (_m: string, name: string) => (vars[name] !== undefined ? String(evaluate(vars[name])) : named(name)));
      }
      default:
        throw new Error(`${key} is not evaluated here`);
    }
  };
  return evaluate(value);
}

/**
 * What a template value becomes once deployed, with `Ref`/`Fn::GetAtt` taken from `attributes`
 * (`'<logicalId>.<attribute>'` or `'<logicalId>'` → value): tests compare what a statement will say, not how
 * it is spelled. A reference without a value fails.
 */
export function deployed(value: unknown, attributes: Record<string, string> = {}): unknown {
  return evaluateIntrinsics(value, (id, attribute) => {
    const name = attribute === undefined ? id : `${id}.${attribute}`;
    if (attributes[name] === undefined) throw new Error(`deployed: no value for ${attribute === undefined ? 'Ref' : 'Fn::GetAtt'} ${name}`);
    return attributes[name];
  });
}

/**
 * The logical id of the resource a reference to an attribute names, written as `Fn::GetAtt` or as the one-line
 * `Fn::Sub` of the attribute (`${Logical.Attribute}`, as the kit writes a resource's `RoleArn`); undefined otherwise.
 */
export function referencedLogicalId(value: any): string | undefined {
  const getAtt = value?.['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return getAtt[0];
  const sub = value?.['Fn::Sub'];
  return typeof sub === 'string' ? /^\$\{([^.}!]+)\.[^}]+\}$/.exec(sub)?.[1] : undefined;
}
