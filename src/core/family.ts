/**
 * The contract of a custom-resource family, written once and read by both sides: its construct creates
 * `KitResource`s of it with properties of its type and reads the attributes it names (`attr`), and its handlers read
 * the properties with its `parse` and return its attributes (`DataOf`). The module's `entries.ts` lists each family
 * with its handlers (`handle`), and the routers find a family's module bundle by its resource type.
 *
 * This module imports nothing: constructs load it at synth, where no handler dependency may load.
 */

/** A custom-resource family of the library. Resource types and property and attribute names are part of deployed stacks: never rename them. */
export interface Family<Properties extends object = object, Request = unknown, Attribute extends string = string> {
  /** `Custom::CdkDevtools…`. */
  readonly resourceType: string;
  /** Reads the properties as the handlers receive them: CloudFormation sends every number and boolean as a string. */
  readonly parse: (properties: Record<string, unknown>) => Request;
  /** The names of the attributes (`Data`) the handlers return and the construct reads; short values only (4 KB per response). */
  readonly attributes: readonly Attribute[];
  /** Whether its resources may wait: its handlers then have an isComplete. */
  readonly waits: boolean;
  /** Type only (never set): the properties the construct sends, before CloudFormation turns them into strings. */
  readonly properties?: Properties;
}

/** What `defineFamily` is given. */
export interface FamilySpec<Request, Attribute extends string> {
  readonly resourceType: string;
  readonly parse: (properties: Record<string, unknown>) => Request;
  /** @default - none */
  readonly attributes?: readonly Attribute[];
  /** @default false */
  readonly waits?: boolean;
}

/**
 * Defines a family whose construct sends `Properties`: `defineFamily<LookupProperties>()({ resourceType, parse,
 * attributes: ['ConnectionArn'] })`. The attribute names are inferred from the list, so `attr('ConnectionArn')`
 * type-checks and a misspelt name does not.
 */
export function defineFamily<Properties extends object>() {
  return <Request, Attribute extends string = never>(spec: FamilySpec<Request, Attribute>): Family<Properties, Request, Attribute> => ({
    resourceType: spec.resourceType,
    parse: spec.parse,
    attributes: spec.attributes ?? [],
    waits: spec.waits ?? false,
  });
}

/** The properties a family's construct sends. */
export type PropertiesOf<F extends Family> = F extends Family<infer P, any, any> ? P : never;
/** What a family's handlers read from the properties. */
export type RequestOf<F extends Family> = F extends Family<any, infer R, any> ? R : never;
/** The names of a family's attributes. */
export type AttributeOf<F extends Family> = F extends Family<any, any, infer A> ? A : never;
/** The `Data` a family's handlers return: every attribute, as a string. */
export type DataOf<F extends Family> = Record<AttributeOf<F>, string>;
