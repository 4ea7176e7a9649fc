import {
  AmplifyClient, CertificateType, DomainStatus, DomainAssociation, GetDomainAssociationCommand, UpdateStatus,
} from '@aws-sdk/client-amplify';
import { AMPLIFY_API } from '../../src/amplify/private/api-constraints';
import { isDomainReady, onDomainEvent, parseDnsRecord } from '../../src/amplify/private/custom-resources/domain';
import {
  awsError, createEvent, deleteEvent, expectValidSdkInputs, handlerMocks, isCompleteEvent, updateEvent,
} from '../kit';

const [mock] = handlerMocks(AmplifyClient);
const client = new AmplifyClient({ region: 'us-east-1' });
const APP = 'd1a2b3c4d5e6f7';
const DOMAIN = 'example.com';
const ARN = `arn:aws:amplify:us-east-1:123456789012:apps/${APP}/domains/${DOMAIN}`;
const TYPE = { resourceType: 'Custom::CdkDevtoolsAmplifyDomainReadiness' };
const records = { AppId: APP, DomainName: DOMAIN, Mode: 'records', Prefixes: ['', 'www'], CertificateType: 'AMPLIFY_MANAGED', TimeoutSeconds: 1800 };
const available = { ...records, Mode: 'available', TimeoutSeconds: 3600 };
const CERT = '_c3e2d7eaf1e656b73f46cd6980fdc0e.example.com. CNAME _a1b2c3d4e5f6.xyzabc.acm-validations.aws.';
const CDN = 'd1m7bkiki6tdw1.cloudfront.net';
/** States a newer Amplify may return: the SDK's types list the known ones only, so these are typed as known ones. */
const NEW_DOMAIN_STATUS = 'SOMETHING_NEW' as DomainStatus;
const NEW_UPDATE_STATUS = 'NEW_UPDATE_STATE' as UpdateStatus;


interface Shape {
  status?: DomainStatus;
  updateStatus?: UpdateStatus;
  reason?: string;
  certificate?: string;
  certificateType?: CertificateType;
  root?: string;
  www?: string;
  verified?: boolean;
}

function association(shape: Shape = {}): { domainAssociation: DomainAssociation } {
  const certificateType = shape.certificateType ?? 'AMPLIFY_MANAGED';
  const certificateRecord = 'certificate' in shape ? shape.certificate : CERT;
  return {
    domainAssociation: {
      domainAssociationArn: ARN,
      domainName: DOMAIN,
      enableAutoSubDomain: false,
      domainStatus: shape.status ?? 'PENDING_VERIFICATION',
      updateStatus: shape.updateStatus,
      statusReason: shape.reason ?? '',
      certificateVerificationDNSRecord: certificateRecord,
      certificate: { type: certificateType, certificateVerificationDNSRecord: certificateRecord },
      subDomains: [
        { subDomainSetting: { prefix: 'www', branchName: 'main' }, dnsRecord: 'www' in shape ? shape.www! : `www CNAME ${CDN}`, verified: shape.verified ?? false },
        { subDomainSetting: { prefix: '', branchName: 'main' }, dnsRecord: 'root' in shape ? shape.root! : ` CNAME ${CDN}`, verified: shape.verified ?? false },
      ],
    },
  };
}

/** The isComplete event of a wait that started `ageMs` ago. */
function waiting(props: Record<string, unknown>, ageMs = 0, request: 'Create' | 'Update' = 'Create') {
  const event = request === 'Create' ? createEvent(props, TYPE) : updateEvent(`${APP}/domains/${DOMAIN}/${props.Mode}`, props, props, TYPE);
  return isCompleteEvent(event, {
    PhysicalResourceId: `${APP}/domains/${DOMAIN}/${props.Mode}`,
    Data: { WaitStartedAt: String(Date.now() - ageMs) },
  });
}

const READY_DATA = {
  DomainStatus: 'PENDING_VERIFICATION',
  UpdateStatus: '',
  StatusReason: '',
  CertificateRecordName: '_c3e2d7eaf1e656b73f46cd6980fdc0e.example.com',
  CertificateRecordType: 'CNAME',
  CertificateRecordValue: '_a1b2c3d4e5f6.xyzabc.acm-validations.aws.',
  SubDomainTarget: CDN,
};

describe('domain readiness onEvent', () => {
  test('create starts the wait with a physical id of the app, the domain and the mode, without calling Amplify', async () => {
    const result = await onDomainEvent(createEvent(records, TYPE));
    expect(result).toEqual({ PhysicalResourceId: `${APP}/domains/${DOMAIN}/records`, Data: { WaitStartedAt: expect.stringMatching(/^\d+$/) } });
    expect(mock.calls()).toHaveLength(0);
  });

  test('an update keeps the physical id and waits again (it re-reads)', async () => {
    const id = `${APP}/domains/${DOMAIN}/available`;
    const result = await onDomainEvent(updateEvent(id, available, { ...available, Prefixes: [''] }, TYPE));
    expect(result.PhysicalResourceId).toBe(id);
    expect(result.Data).toHaveProperty('WaitStartedAt');
  });

  test('delete does nothing: the domain belongs to AWS::Amplify::Domain', async () => {
    const id = `${APP}/domains/${DOMAIN}/records`;
    await expect(onDomainEvent(deleteEvent(id, records, TYPE))).resolves.toEqual({ PhysicalResourceId: id });
    await expect(isDomainReady(client, isCompleteEvent(deleteEvent(id, records, TYPE)))).resolves.toEqual({ IsComplete: true });
    expect(mock.calls()).toHaveLength(0);
  });

  test('delete when the domain is already gone succeeds without calls', async () => {
    const id = 'd9/domains/gone.example.com/available';
    await expect(onDomainEvent(deleteEvent(id, { ...available, AppId: 'd9', DomainName: 'gone.example.com' }, TYPE)))
      .resolves.toEqual({ PhysicalResourceId: id });
    expect(mock.calls()).toHaveLength(0);
  });

  test('missing or unknown properties are a construct/handler mismatch', async () => {
    await expect(onDomainEvent(createEvent({ ...records, DomainName: undefined }, TYPE))).rejects.toThrow(/property DomainName is missing/);
    await expect(onDomainEvent(createEvent({ ...records, Mode: 'dns' }, TYPE))).rejects.toThrow(/Mode should be one of records, available, got 'dns'/);
    await expect(isDomainReady(client, waiting({ ...records, Prefixes: undefined }))).rejects.toThrow(/property Prefixes is missing/);
  });
});

describe('domain readiness isComplete, mode "records"', () => {
  test('completes once the certificate record and every sub-domain record are known, split into name, type and value', async () => {
    mock.on(GetDomainAssociationCommand, { appId: APP, domainName: DOMAIN }).resolves(association());
    await expect(isDomainReady(client, waiting(records))).resolves.toEqual({ IsComplete: true, Data: READY_DATA });
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('a no-op update re-reads and returns the same records', async () => {
    mock.on(GetDomainAssociationCommand).resolves(association({ status: 'AVAILABLE', verified: true }));
    const result = await isDomainReady(client, waiting(records, 0, 'Update'));
    expect(result).toEqual({ IsComplete: true, Data: { ...READY_DATA, DomainStatus: 'AVAILABLE' } });
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test.each([
    ['the certificate record', { certificate: '' }],
    ['the certificate record (absent)', { certificate: undefined }],
    ['a sub-domain record', { www: '' }],
    ['the root record', { root: '   ' }],
  ])('keeps polling while %s is not published yet', async (_, shape) => {
    mock.on(GetDomainAssociationCommand).resolves(association(shape as Shape));
    await expect(isDomainReady(client, waiting(records))).resolves.toEqual({ IsComplete: false });
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('a sub-domain Amplify does not list yet keeps polling', async () => {
    mock.on(GetDomainAssociationCommand).resolves(association());
    await expect(isDomainReady(client, waiting({ ...records, Prefixes: ['', 'www', 'dev'] }))).resolves.toEqual({ IsComplete: false });
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('100 sub-domains keep the response the provider framework sends under 4,096 bytes', async () => {
    const prefixes = ['', ...Array.from({ length: 99 }, (_, i) => `feature-branch-preview-${String(i).padStart(2, '0')}`)];
    const longReason = 'x'.repeat(1000); // statusReason is at most 1,000 characters
    mock.on(GetDomainAssociationCommand).resolves({
      domainAssociation: {
        ...association({ status: 'AVAILABLE', reason: longReason }).domainAssociation,
        subDomains: prefixes.map(prefix => ({ subDomainSetting: { prefix, branchName: 'main' }, dnsRecord: `${prefix} CNAME ${CDN}`, verified: true })),
      },
    });
    const props = { ...records, Prefixes: prefixes };
    const onEvent = await onDomainEvent(createEvent(props, TYPE));
    const event = waiting(props);
    const result = await isDomainReady(client, event);
    expect(result.IsComplete).toBe(true);
    // As the provider framework answers CloudFormation: isComplete's Data merged over onEvent's.
    const response = {
      Status: 'SUCCESS',
      Reason: 'See the details in CloudWatch Log Stream: 2026/11/29/[$LATEST]0123456789abcdef0123456789abcdef',
      PhysicalResourceId: onEvent.PhysicalResourceId,
      StackId: `arn:aws:cloudformation:us-east-1:123456789012:stack/${'s'.repeat(128)}/12345678-1234-1234-1234-123456789012`,
      RequestId: '12345678-1234-1234-1234-123456789012',
      LogicalResourceId: `${'L'.repeat(200)}Records610BF05A`,
      NoEcho: false,
      Data: { ...onEvent.Data, ...result.Data },
    };
    expect(Buffer.byteLength(JSON.stringify(response))).toBeLessThan(4096);
    expect(result.Data).toMatchObject({ SubDomainTarget: CDN, StatusReason: `${'x'.repeat(497)}...` });
  });

  test('sub-domain records that are not CNAMEs of one target fail: the attributes hold one target', async () => {
    mock.on(GetDomainAssociationCommand).resolves(association({ www: 'www CNAME d2other.cloudfront.net' }));
    await expect(isDomainReady(client, waiting(records))).rejects.toThrow(
      /not CNAMEs of the one target d1m7bkiki6tdw1\.cloudfront\.net: www\.example\.com CNAME d2other\.cloudfront\.net\. Create these records yourself/);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('a custom certificate needs no verification record', async () => {
    mock.on(GetDomainAssociationCommand).resolves(association({ certificate: undefined, certificateType: 'CUSTOM', status: 'IMPORTING_CUSTOM_CERTIFICATE' }));
    const result = await isDomainReady(client, waiting({ ...records, CertificateType: 'CUSTOM' }));
    expect(result.IsComplete).toBe(true);
    expect(result.Data).toMatchObject({ CertificateRecordName: '', CertificateRecordType: '', CertificateRecordValue: '', SubDomainTarget: CDN });
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('a timeout names what Amplify has not published', async () => {
    mock.on(GetDomainAssociationCommand).resolves(association({ www: '', status: 'CREATING' }));
    await expect(isDomainReady(client, waiting(records, 1_801_000))).rejects.toThrow(
      `Reading the DNS records of an Amplify domain failed for domain ${DOMAIN} of Amplify app ${APP}: after 1800 seconds it is still CREATING `
      + 'and Amplify has not published the record of sub-domain \'www\'.');
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('a FAILED domain fails instead of waiting for records', async () => {
    mock.on(GetDomainAssociationCommand).resolves(association({ status: 'FAILED', certificate: '', reason: 'CNAMEAlreadyExists' }));
    await expect(isDomainReady(client, waiting(records))).rejects.toThrow(/the domain is FAILED: CNAMEAlreadyExists\. Check the DNS records/);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });
});

describe('domain readiness isComplete, mode "available"', () => {
  test.each<DomainStatus>([
    'PENDING_VERIFICATION', 'IN_PROGRESS', 'IMPORTING_CUSTOM_CERTIFICATE', 'PENDING_DEPLOYMENT', 'AWAITING_APP_CNAME', 'CREATING',
    'REQUESTING_CERTIFICATE', 'UPDATING', NEW_DOMAIN_STATUS,
  ])('keeps polling while the domain is %s (unknown statuses count as pending)', async status => {
    mock.on(GetDomainAssociationCommand, { appId: APP, domainName: DOMAIN }).resolves(association({ status }));
    await expect(isDomainReady(client, waiting(available))).resolves.toEqual({ IsComplete: false });
    expect(console.log).toHaveBeenCalledWith(`domain ${DOMAIN} of Amplify app ${APP} is ${status}`);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test.each<UpdateStatus>(['REQUESTING_CERTIFICATE', 'PENDING_VERIFICATION', 'IMPORTING_CUSTOM_CERTIFICATE', 'PENDING_DEPLOYMENT', 'AWAITING_APP_CNAME', NEW_UPDATE_STATUS])(
    'keeps polling while AVAILABLE with an update %s', async updateStatus => {
      mock.on(GetDomainAssociationCommand).resolves(association({ status: 'AVAILABLE', updateStatus }));
      await expect(isDomainReady(client, waiting(available))).resolves.toEqual({ IsComplete: false });
      expectValidSdkInputs(mock, AMPLIFY_API);
    });

  test.each<UpdateStatus | undefined>([undefined, 'UPDATE_COMPLETE'])('completes when AVAILABLE (update status %s) with the records', async updateStatus => {
    mock.on(GetDomainAssociationCommand).resolves(association({ status: 'AVAILABLE', updateStatus, verified: true }));
    const result = await isDomainReady(client, waiting(available));
    expect(result).toEqual({
      IsComplete: true,
      Data: { ...READY_DATA, DomainStatus: 'AVAILABLE', UpdateStatus: updateStatus ?? '' },
    });
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('FAILED fails with the reason and what to do', async () => {
    mock.on(GetDomainAssociationCommand).resolves(association({ status: 'FAILED', reason: 'One or more of the CNAMEs you provided are already associated with a different resource.' }));
    await expect(isDomainReady(client, waiting(available))).rejects.toThrow(
      `Waiting for an Amplify domain to become AVAILABLE failed for domain ${DOMAIN} of Amplify app ${APP}: the domain is FAILED: `
      + 'One or more of the CNAMEs you provided are already associated with a different resource. Check the DNS records (a CNAME of another '
      + `CloudFront distribution or a CAA record can block the certificate). See the domain's page in the Amplify console (app ${APP}, `
      + `Hosting > Custom domains > ${DOMAIN}) or run: aws amplify get-domain-association --app-id ${APP} --domain-name ${DOMAIN}. Fix the cause, then redeploy.`);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('UPDATE_FAILED fails even when the domain still reads AVAILABLE', async () => {
    mock.on(GetDomainAssociationCommand).resolves(association({ status: 'AVAILABLE', updateStatus: 'UPDATE_FAILED', reason: 'certificate not issued' }));
    await expect(isDomainReady(client, waiting(available))).rejects.toThrow(/the domain is AVAILABLE, update UPDATE_FAILED: certificate not issued\. Check the DNS records/);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('a timeout fails with the last status, its reason and the records still to create', async () => {
    mock.on(GetDomainAssociationCommand).resolves(association({ status: 'AWAITING_APP_CNAME', reason: 'waiting for the CNAME records' }));
    await expect(isDomainReady(client, waiting(available, 3_601_000))).rejects.toThrow(
      `Waiting for an Amplify domain to become AVAILABLE failed for domain ${DOMAIN} of Amplify app ${APP}: after 3600 seconds it is still `
      + 'AWAITING_APP_CNAME: waiting for the CNAME records. Create these DNS records if you have not: '
      + `_c3e2d7eaf1e656b73f46cd6980fdc0e.example.com CNAME _a1b2c3d4e5f6.xyzabc.acm-validations.aws.; example.com CNAME ${CDN}; `
      + `www.example.com CNAME ${CDN}. See the domain's page in the Amplify console`);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('throttling (LimitExceededException, ThrottlingException) keeps polling until the timeout', async () => {
    mock.on(GetDomainAssociationCommand).rejectsOnce(awsError('LimitExceededException')).rejects(awsError('ThrottlingException'));
    await expect(isDomainReady(client, waiting(available))).resolves.toEqual({ IsComplete: false });
    await expect(isDomainReady(client, waiting(available))).resolves.toEqual({ IsComplete: false });
    // At the deadline, throttling is reported as throttling: no permissions problem.
    const failure = isDomainReady(client, waiting(available, 3_601_000));
    await expect(failure).rejects.toThrow(/reading it failed: ThrottlingException.*Amplify was throttling the status reads at the wait's deadline.*Retry the deployment, or raise the wait's timeout/);
    await expect(failure).rejects.not.toThrow(/permission/i);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('a NotFound read fails: the domain was deleted outside the stack', async () => {
    mock.on(GetDomainAssociationCommand).rejects(awsError('NotFoundException', 'domain not found'));
    await expect(isDomainReady(client, waiting(available))).rejects.toThrow(
      `Waiting for an Amplify domain to become AVAILABLE failed for domain ${DOMAIN} of Amplify app ${APP}: reading it failed: `
      + 'NotFoundException: domain not found. The domain association or the app does not exist: it was deleted outside this stack. Redeploy to create it again.');
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('an update that finds the domain deleted outside the stack completes with status NOT_FOUND and no records', async () => {
    mock.on(GetDomainAssociationCommand).rejects(awsError('NotFoundException', 'domain not found'));
    // The update and its rollback (an Update back, which reads again) both complete: no UPDATE_ROLLBACK_FAILED.
    for (const props of [available, records]) {
      await expect(isDomainReady(client, waiting(props, 0, 'Update'))).resolves.toEqual({
        IsComplete: true,
        Data: { DomainStatus: 'NOT_FOUND', UpdateStatus: '', StatusReason: '', CertificateRecordName: '', CertificateRecordType: '', CertificateRecordValue: '', SubDomainTarget: '' },
      });
    }
    expectValidSdkInputs(mock, AMPLIFY_API);
  });

  test('an access error fails with the permission to check', async () => {
    mock.on(GetDomainAssociationCommand).rejects(awsError('UnauthorizedException'));
    await expect(isDomainReady(client, waiting(available))).rejects.toThrow(/amplify:GetDomainAssociation on the domain/);
    expectValidSdkInputs(mock, AMPLIFY_API);
  });
});

describe('parseDnsRecord', () => {
  test.each([
    [` CNAME ${CDN}`, 'example.com', 'CNAME', CDN],
    [`www CNAME ${CDN}`, 'www.example.com', 'CNAME', CDN],
    [`www.example.com CNAME ${CDN}`, 'www.example.com', 'CNAME', CDN],
    [`WWW.Example.com. cname ${CDN}`, 'WWW.Example.com', 'CNAME', CDN],
    ['_abc CNAME _def.acm-validations.aws.', '_abc.example.com', 'CNAME', '_def.acm-validations.aws.'],
    [CERT, '_c3e2d7eaf1e656b73f46cd6980fdc0e.example.com', 'CNAME', '_a1b2c3d4e5f6.xyzabc.acm-validations.aws.'],
    [`CNAME ${CDN}`, 'example.com', 'CNAME', CDN],
    [`a.b  CNAME\t${CDN} `, 'a.b.example.com', 'CNAME', CDN],
  ])('%j', (record, name, type, value) => {
    expect(parseDnsRecord(record, 'example.com')).toEqual({ name, type, value });
  });

  test('an empty record is not known yet; an unexpected format fails with the record', () => {
    expect(parseDnsRecord(undefined, 'example.com')).toBeUndefined();
    expect(parseDnsRecord('  ', 'example.com')).toBeUndefined();
    expect(() => parseDnsRecord('a b c d', 'example.com')).toThrow("unexpected DNS record format from Amplify: 'a b c d'");
  });
});
