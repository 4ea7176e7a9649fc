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

/** What a value unique within a domain is, for the message when two constructs take it. */
export interface DomainClaim {
  /** The value as messages name it, e.g. `repositoryName 'team'`. */
  readonly value: string;
  /** What the value is to the construct that takes it, e.g. `name`. */
  readonly role: string;
  /** Why it is unique, e.g. `CodeArtifact names repositories uniquely within a domain`. */
  readonly rule: string;
  /** How to fix it, given the path of the construct that took the value first. */
  readonly fix: (holder: string) => string;
}

/**
 * Records that `owner` takes a value that is unique within a domain (a repository name, a package group pattern),
 * and refuses it when another construct took it before. Only literal values are recorded; a domain is known by its
 * construct, so two imports of one domain keep separate records.
 *
 * @param key the kind and the value, e.g. `repository:team`
 */
export function claimInDomain(owner: IConstruct, domain: IDomain, key: string, claim: DomainClaim): void {
  if (Token.isUnresolved(key)) return;
  let taken = claims.get(domain);
  if (!taken) claims.set(domain, taken = new Map());
  const holder = taken.get(key);
  if (!holder) {
    taken.set(key, owner);
    return;
  }
  throw new ValidationError(`${claim.value} is already the ${claim.role} of ${holder.node.path} in ${describeDomain(domain)}; `
    + `${claim.rule}. ${claim.fix(holder.node.path)}`, owner);
}
