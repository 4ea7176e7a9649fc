import { Fn, ResourceProps, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { requireArnEnvironment } from '../../core/arn';
import { ValidationError } from '../../core/validation';

/** The two IAM service prefixes CodeConnections answers to (its former name is CodeStar Connections). */
export const SERVICE_PREFIXES = ['codeconnections', 'codestar-connections'];

const ARN_PATTERN = /^arn:(aws[a-z-]*):(codeconnections|codestar-connections):([a-z0-9-]+):(\d{12}):(connection|host|repository-link)\/([A-Za-z0-9-]+)$/;

/** The parts of a literal CodeConnections ARN, or undefined when it is not one. */
export function parseArn(arn: string, resource: 'connection' | 'host' | 'repository-link'):
{ partition: string; service: string; region: string; account: string; id: string } | undefined {
  const m = ARN_PATTERN.exec(arn);
  if (!m || m[5] !== resource) return undefined;
  return { partition: m[1], service: m[2], region: m[3], account: m[4], id: m[6] };
}

const LIST_COMMANDS = {
  'connection': 'aws codeconnections list-connections',
  'host': 'aws codeconnections list-hosts',
  'repository-link': 'aws codeconnections list-repository-links',
};

/**
 * Checks that a literal ARN names a `kind` resource with an account and a region, and gives the props of its
 * import: the environment comes from the ARN, also for a token ARN, which is accepted unchecked (its account
 * and region are then read from the ARN at deploy time).
 */
export function importProps(scope: IConstruct, id: string, arn: string, kind: 'connection' | 'host' | 'repository-link'): ResourceProps {
  const what = kind.replace('-', ' ');
  const format = `arn:<partition>:codeconnections:<region>:<account>:${kind}/<id> (or the same under codestar-connections)`;
  const fix = `Copy the ${what}'s ARN from the console (Developer Tools > Settings) or from \`${LIST_COMMANDS[kind]}\`.`;
  if (Token.isUnresolved(arn)) return { environmentFromArn: arn };
  const relaxed = arn.split(':');
  const sameKind = relaxed.length === 6 && SERVICE_PREFIXES.includes(relaxed[2]) && relaxed[5].startsWith(`${kind}/`);
  if (sameKind) requireArnEnvironment(scope, id, arn, { what, format, fix });
  if (!parseArn(arn, kind)) {
    throw new ValidationError(`'${arn}' is not a ${what} ARN; expected ${format}. ${fix}`, scope, id);
  }
  return { environmentFromArn: arn };
}

/**
 * The ARN under both service prefixes. IAM matches a statement's resource only against ARNs of its own
 * prefix, and a connection is reachable under either, so grants name both forms.
 */
export function arnForms(arn: string): string[] {
  if (!Token.isUnresolved(arn)) {
    const parts = arn.split(':');
    return SERVICE_PREFIXES.map(service => [parts[0], parts[1], service, ...parts.slice(3)].join(':'));
  }
  const parts = Fn.split(':', arn, 6);
  return SERVICE_PREFIXES.map(service => Fn.join(':', [parts[0], parts[1], service, parts[3], parts[4], parts[5]]));
}

/** The resource id at the end of an ARN (`…:connection/<id>`). */
export function idFromArn(arn: string): string {
  return Token.isUnresolved(arn) ? Fn.select(1, Fn.split('/', arn, 2)) : arn.split('/')[1];
}

function arnPart(arn: string, index: number): string {
  return Token.isUnresolved(arn) ? Fn.select(index, Fn.split(':', arn, 6)) : arn.split(':')[index];
}

/**
 * The console page where a person completes a pending connection's (or host's) setup. Connections and
 * hosts are set up in the account and region of their ARN.
 */
export function setupUrl(arn: string, kind: 'connections' | 'hosts'): string {
  const account = arnPart(arn, 4);
  const region = arnPart(arn, 3);
  return Fn.join('', ['https://console.aws.amazon.com/codesuite/settings/', account, '/', region, `/${kind}/`, idFromArn(arn), '?region=', region]);
}

/** Both IAM prefixes of each action (`UseConnection` -> `codeconnections:UseConnection`, `codestar-connections:UseConnection`). */
export function bothPrefixes(actions: string[]): string[] {
  const bare = actions.map(a => a.replace(/^(codeconnections|codestar-connections):/, ''));
  return SERVICE_PREFIXES.flatMap(prefix => [...new Set(bare)].map(a => `${prefix}:${a}`));
}

