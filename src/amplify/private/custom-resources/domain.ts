import { AmplifyClient, DomainAssociation, GetDomainAssociationCommand } from '@aws-sdk/client-amplify';
import { DOMAIN_READINESS_FAMILY, DomainMode } from './contract';
import type { DataOf } from '../../../core/family';
import {
  ActionableError, isNotFound, logEvent, messageOf, pollAgainAfter, pollFailureAdvice, startWait, waitExpired,
} from '../../../core/runtime/handler';
import { TIMEOUT_PROPERTY } from '../../../core/runtime/properties';
import type { IsCompleteRequest, IsCompleteResponse, OnEventRequest, OnEventResponse } from '../../../core/runtime/types';

/** Update states that mean the domain has settled; anything else, known or not, is still in progress. */
const SETTLED_UPDATE_STATES = ['UPDATE_COMPLETE'];

/** A DNS record split into its parts; `name` is fully qualified, without the trailing dot. */
export interface ParsedRecord {
  readonly name: string;
  readonly type: string;
  readonly value: string;
}

/**
 * Splits a record as Amplify formats it, `<name> <TYPE> <value>`. The domain itself has an empty name
 * (` CNAME d1.cloudfront.net`); a name may be relative to the domain (`www`) or fully qualified
 * (`_abc.example.com.`). Returns undefined for an empty record (not known yet).
 */
export function parseDnsRecord(record: string | undefined, domainName: string): ParsedRecord | undefined {
  if (record === undefined || record.trim() === '') return undefined;
  const parts = record.trim().split(/\s+/);
  let name: string;
  let type: string;
  let value: string;
  if (parts.length === 3 && !/^\s/.test(record)) {
    [name, type, value] = parts;
  } else if (parts.length === 2) {
    [type, value] = parts;
    name = '';
  } else {
    throw new Error(`unexpected DNS record format from Amplify: '${record}' (expected '<name> <TYPE> <value>')`);
  }
  return { name: qualify(name, domainName), type: type.toUpperCase(), value };
}

function qualify(name: string, domainName: string): string {
  const domain = domainName.replace(/\.$/, '').toLowerCase();
  const bare = name.replace(/\.$/, '');
  const lower = bare.toLowerCase();
  if (bare === '' || lower === domain) return domain;
  if (lower.endsWith(`.${domain}`) || name.endsWith('.')) return bare;
  return `${bare}.${domain}`;
}

function physicalId(appId: string, domainName: string, mode: DomainMode): string {
  return `${appId}/domains/${domainName}/${mode}`;
}

/**
 * Starts the wait; the reading happens in isComplete. Delete does nothing: the domain belongs to
 * AWS::Amplify::Domain. The physical id depends only on the app, the domain and the mode, so an
 * update (a new sub-domain, say) re-reads in place.
 */
export async function onDomainEvent(event: OnEventRequest): Promise<OnEventResponse> {
  logEvent('amplify domain readiness', event);
  if (event.RequestType === 'Delete') {
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const { appId, domainName, mode } = DOMAIN_READINESS_FAMILY.parse(event.ResourceProperties);
  return { PhysicalResourceId: physicalId(appId, domainName, mode), Data: startWait() };
}

/** The `DomainStatus` of a domain association deleted outside the stack (not one of Amplify's statuses). */
export const GONE = 'NOT_FOUND';

/** The attributes of a domain readiness. */
type DomainData = DataOf<typeof DOMAIN_READINESS_FAMILY>;

/** The attributes of a domain association that is gone: its status, and no records. */
function goneData(): DomainData {
  return { ...Object.fromEntries(DOMAIN_READINESS_FAMILY.attributes.map(name => [name, ''])) as DomainData, DomainStatus: GONE };
}

/** A status reason longer than this is cut, so the response stays within CloudFormation's 4,096 bytes. */
const MAX_REASON = 500;

/** What one read of the domain association tells. */
interface Reading {
  readonly status: string;
  readonly updateStatus: string;
  readonly reason: string;
  readonly data: DomainData;
  /** Records not known yet, e.g. `certificate verification record`, `sub-domain 'www'`. */
  readonly unknown: string[];
  /** Records a person must still create (unverified), as `name TYPE value` lines. */
  readonly toCreate: string[];
  /** The known sub-domain records that do not fit the one-target attribute (not a CNAME, or another target). */
  readonly misfits: string[];
}

function read(association: DomainAssociation | undefined, domainName: string, prefixes: string[], customCertificate: boolean): Reading {
  const status = association?.domainStatus ?? 'UNKNOWN';
  const updateStatus = association?.updateStatus ?? '';
  const reason = (association?.statusReason ?? '').trim().replace(/\.$/, '');
  const cut = reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 3)}...` : reason;
  const unknown: string[] = [];
  const toCreate: string[] = [];
  const line = (r: ParsedRecord) => `${r.name} ${r.type} ${r.value}`;

  const custom = customCertificate || association?.certificate?.type === 'CUSTOM';
  // During a certificate change, `certificate` describes the new certificate: its record is the one to create.
  const certificateRecord = association?.certificate?.certificateVerificationDNSRecord || association?.certificateVerificationDNSRecord;
  const certificate = parseDnsRecord(certificateRecord, domainName);
  const certificateData = {
    CertificateRecordName: certificate?.name ?? '', CertificateRecordType: certificate?.type ?? '', CertificateRecordValue: certificate?.value ?? '',
  };
  if (!custom && !certificate) unknown.push('the certificate verification record');
  if (certificate && status !== 'AVAILABLE') toCreate.push(line(certificate));

  // Amplify serves every sub-domain of an association from one CloudFront distribution: each record is a CNAME
  // of `<prefix>.<domain>` to it. Data holds that one target, whatever the number of sub-domains (one attribute per
  // record passed the 4,096-byte response limit from about 19 sub-domains); the construct knows names and type.
  const targets: string[] = [];
  const misfits: string[] = [];
  prefixes.forEach(prefix => {
    const subDomain = (association?.subDomains ?? []).find(s => (s.subDomainSetting?.prefix ?? '') === prefix);
    const record = parseDnsRecord(subDomain?.dnsRecord, domainName);
    if (!record) {
      unknown.push(prefix === '' ? 'the record of the domain itself' : `the record of sub-domain '${prefix}'`);
      return;
    }
    if (!subDomain?.verified) toCreate.push(line(record));
    if (record.type !== 'CNAME' || (targets.length > 0 && record.value !== targets[0])) misfits.push(line(record));
    else if (targets.length === 0) targets.push(record.value);
  });
  const data: DomainData = { DomainStatus: status, UpdateStatus: updateStatus, StatusReason: cut, ...certificateData, SubDomainTarget: targets[0] ?? '' };
  return { status, updateStatus, reason, data, unknown, toCreate, misfits };
}

function consoleHint(appId: string, domainName: string): string {
  return `See the domain's page in the Amplify console (app ${appId}, Hosting > Custom domains > ${domainName}) `
    + `or run: aws amplify get-domain-association --app-id ${appId} --domain-name ${domainName}`;
}

/**
 * Polls GetDomainAssociation. Mode `records` completes once the records are known (the certificate
 * verification record, unless the certificate is custom, and every mapped sub-domain's record); mode
 * `available` once the domain is AVAILABLE with no update in progress. FAILED and UPDATE_FAILED fail with
 * Amplify's reason; every other status, known or not, keeps polling until the resource's timeout.
 * Throttling keeps polling. An Update that finds the domain association deleted outside the stack completes with
 * DomainStatus `NOT_FOUND` and empty records, so that neither it nor its rollback fails; a Create fails.
 * Completing returns the status, the certificate record split into name, type and
 * value, and `SubDomainTarget`, the one target every sub-domain record points at (a bounded response, whatever the
 * number of sub-domains).
 */
export async function isDomainReady(client: AmplifyClient, event: IsCompleteRequest): Promise<IsCompleteResponse> {
  if (event.RequestType === 'Delete') return { IsComplete: true };
  const props = event.ResourceProperties;
  const { appId, domainName, mode, prefixes, customCertificate } = DOMAIN_READINESS_FAMILY.parse(props);
  const what = mode === 'records' ? 'Reading the DNS records of an Amplify domain' : 'Waiting for an Amplify domain to become AVAILABLE';
  const subject = `domain ${domainName} of Amplify app ${appId}`;

  let association: DomainAssociation | undefined;
  try {
    ({ domainAssociation: association } = await client.send(new GetDomainAssociationCommand({ appId, domainName })));
  } catch (err) {
    if (pollAgainAfter(err, event, subject)) return { IsComplete: false };
    if (event.RequestType === 'Update' && isNotFound(err)) {
      // Deleted outside the stack: failing would fail the rollback (an Update back, which reads it again) too, and leave
      // the stack in UPDATE_ROLLBACK_FAILED. The records are gone with it.
      console.log(`${subject} is gone (deleted outside this stack): its records are empty (DomainStatus ${GONE}); `
        + 'remove the domain from the stack and add it again to create it');
      return { IsComplete: true, Data: goneData() };
    }
    throw new ActionableError(what, subject, `reading it failed: ${messageOf(err)}`, pollFailureAdvice(err, {
      service: 'Amplify',
      notFound: 'The domain association or the app does not exist: it was deleted outside this stack. Redeploy to create it again.',
      permissions: 'amplify:GetDomainAssociation on the domain',
    }));
  }

  const reading = read(association, domainName, prefixes, customCertificate);
  const { status, updateStatus, reason } = reading;
  console.log(`${subject} is ${status}${updateStatus ? ` (update ${updateStatus})` : ''}${reason ? `: ${reason}` : ''}`);
  if (status === 'FAILED' || updateStatus === 'UPDATE_FAILED') {
    throw new ActionableError(what, subject, `the domain is ${status}${updateStatus ? `, update ${updateStatus}` : ''}: ${reason || 'no reason given'}`,
      `Check the DNS records (a CNAME of another CloudFront distribution or a CAA record can block the certificate). ${consoleHint(appId, domainName)}. `
      + 'Fix the cause, then redeploy.');
  }
  const done = mode === 'records'
    ? reading.unknown.length === 0
    : status === 'AVAILABLE' && (updateStatus === '' || SETTLED_UPDATE_STATES.includes(updateStatus));
  if (done && reading.misfits.length > 0) {
    throw new ActionableError(what, subject, `Amplify gives sub-domain records that are not CNAMEs of the one target ${reading.data.SubDomainTarget}: `
      + reading.misfits.join('; '), `Create these records yourself (${consoleHint(appId, domainName)}), and report this to cdk-devtools: `
      + 'the domain\'s record attributes assume one CloudFront target per domain');
  }
  if (done) return { IsComplete: true, Data: reading.data };

  if (waitExpired(event)) {
    const seconds = props[TIMEOUT_PROPERTY];
    const why = mode === 'records'
      ? `after ${seconds} seconds it is still ${status}${reason ? ` (${reason})` : ''} and Amplify has not published ${reading.unknown.join(', ')}`
      : `after ${seconds} seconds it is still ${status}${updateStatus ? ` (update ${updateStatus})` : ''}${reason ? `: ${reason}` : ''}`;
    const records = reading.toCreate.length > 0
      ? `Create these DNS records if you have not: ${reading.toCreate.join('; ')}. `
      : '';
    throw new ActionableError(what, subject, why,
      `${records}${consoleHint(appId, domainName)}. DNS changes and certificate issuance can take a while: raise the timeout if needed, then redeploy.`);
  }
  return { IsComplete: false };
}
