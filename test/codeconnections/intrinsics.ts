/**
 * Evaluates the intrinsic functions of a synthesized value as CloudFormation would in us-east-1 of account
 * 123456789012 (the test stacks' environment), with `Fn::GetAtt` answered from `attributes`
 * (`'<logicalId>.<attribute>'` → value). Tests then compare what a statement will say once deployed, not
 * how it is spelled: `Fn::Join`, `Fn::Select`, `Fn::Split` and the pseudo parameters; anything else fails.
 */
export function deployed(value: unknown, attributes: Record<string, string> = {}): unknown {
  const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012', 'AWS::URLSuffix': 'amazonaws.com' };
  const evaluate = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(evaluate);
    if (!v || typeof v !== 'object') return v;
    const entries = Object.entries(v);
    const [key, arg] = entries[0] ?? [];
    if (entries.length !== 1 || !key.startsWith('Fn::') && key !== 'Ref') return Object.fromEntries(entries.map(([k, x]) => [k, evaluate(x)]));
    const args = evaluate(arg);
    switch (key) {
      case 'Ref': {
        const found = pseudo[args as string] ?? attributes[args as string];
        if (found === undefined) throw new Error(`deployed: no value for Ref ${String(args)}`);
        return found;
      }
      case 'Fn::GetAtt': {
        const name = (args as string[]).join('.');
        if (attributes[name] === undefined) throw new Error(`deployed: no value for Fn::GetAtt ${name}`);
        return attributes[name];
      }
      case 'Fn::Join': {
        const [separator, parts] = args as [string, string[]];
        return parts.join(separator);
      }
      case 'Fn::Split': {
        const [separator, text] = args as [string, string];
        return text.split(separator);
      }
      case 'Fn::Select': {
        const [index, list] = args as [number | string, unknown[]];
        if (Number(index) >= list.length) throw new Error(`deployed: Fn::Select ${index} of ${list.length} items`);
        return list[Number(index)];
      }
      default:
        throw new Error(`deployed: ${key} is not evaluated here`);
    }
  };
  return evaluate(value);
}
