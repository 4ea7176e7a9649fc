import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { UnscopedValidationError, ValidationError } from './validation';

/**
 * The documented constraints of one shape of an AWS API: type, length or value bounds, pattern, enum.
 *
 * Tables of these live beside each service (`src/<service>/private/api-constraints.ts`). Constructs
 * check props against them at synth, and the handler tests check every SDK input against the same
 * table, so a construct and its handler cannot disagree about what is valid.
 */
export interface ShapeConstraint {
  readonly type: 'string' | 'enum' | 'integer' | 'number' | 'boolean' | 'timestamp' | 'blob' | 'list' | 'map' | 'structure' | 'document';
  /** Length for strings, lists and maps; value for numbers. */
  readonly min?: number;
  /** Length for strings, lists and maps; value for numbers. */
  readonly max?: number;
  /** An ECMAScript regular expression the whole string must match. */
  readonly pattern?: string;
  /** The allowed values of an enum. */
  readonly values?: readonly string[];
  /** The shape of a list's members. */
  readonly member?: string;
  /** The shape of a map's keys. */
  readonly key?: string;
  /** The shape of a map's values. */
  readonly value?: string;
  /** The members of a structure. */
  readonly members?: Readonly<Record<string, MemberRef>>;
}

/** A member of a structure or operation input. */
export interface MemberRef {
  readonly shape: string;
  readonly required?: boolean;
}

/** The constraints of one AWS API: the input members of the operations this library calls, and their shapes. */
export interface ApiConstraints {
  /** The service's name, as it appears in messages. */
  readonly service: string;
  readonly shapes: Readonly<Record<string, ShapeConstraint>>;
  readonly operations: Readonly<Record<string, Readonly<Record<string, MemberRef>>>>;
}

/** Built-in Smithy shapes (`smithy.api#String` and friends) appear in tables under their lower-case names. */
const PRELUDE: Record<string, ShapeConstraint> = {
  string: { type: 'string' },
  boolean: { type: 'boolean' },
  integer: { type: 'integer' },
  long: { type: 'integer' },
  primitiveboolean: { type: 'boolean' },
  primitiveinteger: { type: 'integer' },
  primitivelong: { type: 'integer' },
  timestamp: { type: 'timestamp' },
  blob: { type: 'blob' },
  document: { type: 'document' },
  unit: { type: 'structure', members: {} },
};

function shapeOf(api: ApiConstraints, name: string): ShapeConstraint {
  const shape = api.shapes[name] ?? PRELUDE[name];
  if (!shape) {
    throw new Error(`the ${api.service} constraint table has no shape '${name}'`);
  }
  return shape;
}

const COMPILED = new Map<string, RegExp>();

/**
 * Compiles a model pattern. AWS models use Unicode property classes such as `\P{C}`, which JavaScript
 * only understands with the `u` flag; patterns that are not valid with it (`[\w\-]`) compile without.
 * Java-only classes are translated (`\p{IsWhitespace}` is `\s`).
 */
export function compilePattern(pattern: string): RegExp {
  let compiled = COMPILED.get(pattern);
  if (!compiled) {
    const translated = pattern.replace(/\\p\{IsWhitespace\}/g, '\\s').replace(/\\P\{IsWhitespace\}/g, '\\S');
    try {
      compiled = new RegExp(translated, 'u');
    } catch {
      compiled = new RegExp(translated);
    }
    COMPILED.set(pattern, compiled);
  }
  return compiled;
}

/** Describes a value for a message without flooding it. */
export function describeValue(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  return text !== undefined && text.length > 80 ? `${text.slice(0, 77)}...` : String(text);
}

function bounds(min: number | undefined, max: number | undefined, unit: string): string {
  if (min !== undefined && max !== undefined) return `${min} to ${max}${unit}`;
  if (min !== undefined) return `at least ${min}${unit}`;
  return `at most ${max}${unit}`;
}

function isTypeOk(shape: ShapeConstraint, value: unknown): boolean {
  switch (shape.type) {
    case 'string':
    case 'enum':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && !Number.isNaN(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'timestamp':
      return value instanceof Date;
    case 'blob':
      return typeof value === 'string' || value instanceof Uint8Array;
    case 'list':
      return Array.isArray(value);
    case 'map':
    case 'structure':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return true;
  }
}

/**
 * Lists what is wrong with a value for a shape; empty when the value is valid.
 *
 * Unresolved CDK tokens are accepted: their value is only known at deploy time.
 */
export function checkShape(api: ApiConstraints, shapeName: string, value: unknown, path: string): string[] {
  const shape = shapeOf(api, shapeName);
  if (Token.isUnresolved(value)) return [];
  if (!isTypeOk(shape, value)) {
    return [`${path}: expected ${shape.type === 'enum' ? 'a string' : `a ${shape.type}`}, got ${describeValue(value)}`];
  }
  const problems: string[] = [];
  const sized = (size: number, unit: string) => {
    if ((shape.min !== undefined && size < shape.min) || (shape.max !== undefined && size > shape.max)) {
      const counted = size === 1 ? unit.replace(/s$/, '') : unit; // "1 character", "2 characters"
      problems.push(`${path}: ${describeValue(value)} has ${size}${counted}; ${api.service} allows ${bounds(shape.min, shape.max, unit)}`);
    }
  };
  switch (shape.type) {
    case 'string': {
      const text = value as string;
      sized(text.length, ' characters');
      if (shape.pattern && !compilePattern(shape.pattern).test(text)) {
        problems.push(`${path}: ${describeValue(text)} does not match the pattern ${shape.pattern} that ${api.service} requires`);
      }
      break;
    }
    case 'enum':
      if (!shape.values!.includes(value as string)) {
        problems.push(`${path}: ${describeValue(value)} is not one of ${shape.values!.join(', ')}`);
      }
      break;
    case 'integer':
    case 'number': {
      const n = value as number;
      if ((shape.min !== undefined && n < shape.min) || (shape.max !== undefined && n > shape.max)) {
        problems.push(`${path}: ${n} is out of range; ${api.service} allows ${bounds(shape.min, shape.max, '')}`);
      }
      break;
    }
    case 'list': {
      const list = value as unknown[];
      sized(list.length, ' items');
      list.forEach((item, i) => problems.push(...checkShape(api, shape.member!, item, `${path}[${i}]`)));
      break;
    }
    case 'map': {
      const entries = Object.entries(value as Record<string, unknown>);
      sized(entries.length, ' entries');
      for (const [k, v] of entries) {
        problems.push(...checkShape(api, shape.key!, k, `${path} key`));
        problems.push(...checkShape(api, shape.value!, v, `${path}.${k}`));
      }
      break;
    }
    case 'structure':
      problems.push(...checkMembers(api, shape.members ?? {}, value as Record<string, unknown>, path));
      break;
    default:
      break;
  }
  return problems;
}

function checkMembers(api: ApiConstraints, members: Readonly<Record<string, MemberRef>>, value: Record<string, unknown>, path: string): string[] {
  const problems: string[] = [];
  const prefix = path ? `${path}.` : '';
  for (const [name, ref] of Object.entries(members)) {
    const member = value[name];
    if (member === undefined) {
      if (ref.required) problems.push(`${prefix}${name}: required by ${api.service} but missing`);
      continue;
    }
    problems.push(...checkShape(api, ref.shape, member, `${prefix}${name}`));
  }
  for (const name of Object.keys(value)) {
    if (!(name in members) && value[name] !== undefined) {
      problems.push(`${prefix}${name}: not a member that ${api.service} documents here`);
    }
  }
  return problems;
}

/** Lists what is wrong with the input of one operation; empty when the input is valid. */
export function checkOperationInput(api: ApiConstraints, operation: string, input: Record<string, unknown>): string[] {
  const members = api.operations[operation];
  if (!members) {
    return [`${operation}: not in the ${api.service} constraint table; add the operation's input members to it`];
  }
  return checkMembers(api, members, input ?? {}, '').map(p => `${operation} ${p}`);
}

/**
 * Throws at synth when a literal prop value breaks its API constraint.
 *
 * The message reads `<path>: invalid <prop>: <value> has N characters; <service> allows 1 to 255 characters. <fix>`;
 * a second problem with the same value continues the sentence (`; and it does not match the pattern …`) rather
 * than repeating the prop and the value.
 *
 * @param scope the construct the prop belongs to (named in the message)
 * @param prop the prop's name as the user wrote it
 * @param fix what the user should do instead: where a valid value comes from, an example, what to drop; not
 *   the rule again, which the message already states
 */
export function validateApiValue(scope: IConstruct, api: ApiConstraints, shapeName: string, prop: string, value: unknown, fix: string): void {
  const problem = apiValueProblem(api, shapeName, prop, value);
  if (problem) throw new ValidationError(`${problem}. ${fix}`, scope);
}

/**
 * `validateApiValue` for a value that belongs to no construct (yet): the message starts with `where` (e.g. a
 * rule's name) instead of a construct path.
 */
export function validateApiValueOf(where: string, api: ApiConstraints, shapeName: string, prop: string, value: unknown, fix: string): void {
  const problem = apiValueProblem(api, shapeName, prop, value);
  if (problem) throw new UnscopedValidationError(`${where}: ${problem}. ${fix}`);
}

/** What is wrong with a value of a shape, as one sentence (`invalid …`), or undefined when nothing is. */
function apiValueProblem(api: ApiConstraints, shapeName: string, prop: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const problems = checkShape(api, shapeName, value, prop);
  if (problems.length === 0) return undefined;
  const sameValue = `${prop}: ${describeValue(value)} `;
  return `invalid ${problems.map((p, i) => (i > 0 && p.startsWith(sameValue) ? `and it ${p.slice(sameValue.length)}` : p)).join('; ')}`;
}
