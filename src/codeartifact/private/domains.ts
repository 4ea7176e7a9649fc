import { Token, TokenComparison } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { ValidationError } from '../../core/validation';
import type { IDomain } from '../domain';

/** What the app knows of a domain beyond its (often deploy-time) attributes. */
interface DomainIdentity {
  /** Whether the app defines the domain (a `Domain`), rather than importing it. */
  readonly defined: boolean;
  /** The domain's name when it is a literal, also for a defined domain whose `domainName` is a `GetAtt`. */
  readonly name?: string;
}

const identities = new WeakMap<IDomain, DomainIdentity>();

/** Records what a domain construct knows of itself, for `differentDomains`. */
export function registerDomain(domain: IDomain, identity: DomainIdentity): void {
  identities.set(domain, identity);
}

function literalName(domain: IDomain): string | undefined {
  const name = identities.get(domain)?.name ?? domain.domainName;
  return Token.isUnresolved(name) ? undefined : name;
}

/**
 * Whether two domain constructs are certainly different CodeArtifact domains. The attributes of a defined domain
 * are `GetAtt`s, which no comparison of tokens can tell apart, so this compares what the constructs know: two
 * domains the app defines are two domains, and literal names or owners that differ are different domains.
 * Anything it cannot tell (e.g. an import by a token name) counts as the same domain.
 */
export function differentDomains(a: IDomain, b: IDomain): boolean {
  if (a === b) return false;
  if (identities.get(a)?.defined && identities.get(b)?.defined) return true;
  const [nameA, nameB] = [literalName(a), literalName(b)];
  if (nameA !== undefined && nameB !== undefined && nameA !== nameB) return true;
  return Token.compareStrings(a.domainOwner, b.domainOwner) === TokenComparison.DIFFERENT;
}

/** A domain for messages: its name when literal, and its construct path. */
export function describeDomain(domain: IDomain): string {
  const name = literalName(domain);
  return name === undefined ? `the domain ${domain.node.path}` : `the domain '${name}' (${domain.node.path})`;
}

/**
 * Refuses two domain constructs that are certainly different domains (`differentDomains`), for what CodeArtifact
 * does only within one domain.
 *
 * @param where says where each is, given the descriptions of `a`'s and `b`'s domains: `upstream X is in <a>, but this
 * repository is in <b>`
 * @param action what CodeArtifact does only within one domain, e.g. `CodeArtifact links upstream repositories only within one domain`
 * @param fix how to put the two in one domain
 */
export function requireSameDomain(scope: IConstruct, a: IDomain, b: IDomain, where: (a: string, b: string) => string,
  action: string, fix: string): void {
  if (!differentDomains(a, b)) return;
  throw new ValidationError(`${where(describeDomain(a), describeDomain(b))}; ${action}. ${fix}`, scope);
}

const claims = new WeakMap<IDomain, Map<string, IConstruct>>();

/**
 * Records that `owner` takes a name that is unique within a domain (a repository name, a package group pattern),
 * and returns the construct that took it before, if any. Only literal values are recorded; a domain is known by its
 * construct, so two imports of one domain keep separate records.
 *
 * @param key the kind and the value, e.g. `repository:team`
 */
export function claimInDomain(domain: IDomain, key: string, owner: IConstruct): IConstruct | undefined {
  if (Token.isUnresolved(key)) return undefined;
  let taken = claims.get(domain);
  if (!taken) claims.set(domain, taken = new Map());
  const previous = taken.get(key);
  if (!previous) taken.set(key, owner);
  return previous;
}
