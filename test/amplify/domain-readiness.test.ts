import { CfnParameter, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { arnOf, expectOneProvider, twoBranchSite } from './support';
import * as amplify from '../../src/amplify';
import { expectNagClean, kitRolesOf, waitBoundError } from '../kit';

const TYPE = 'Custom::CdkDevtoolsAmplifyDomainReadiness';

let stack: Stack;
let app: amplify.App;
let main: amplify.Branch;
let dev: amplify.Branch;
beforeEach(() => ({ stack, app, main, dev } = twoBranchSite()));

const getAtt = (logicalId: RegExp, attr: string) => ({ 'Fn::GetAtt': [Match.stringLikeRegexp(logicalId.source), attr] });

function logicalIdOf(template: Template, type: string, props: object = {}): string {
  const found = Object.keys(template.findResources(type, { Properties: props }));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('Domain readiness', () => {
  test('a plain domain stays a single AWS::Amplify::Domain, without any custom resource or output', () => {
    app.addDomain('example.com').mapRoot(main);
    const template = Template.fromStack(stack);
    template.resourceCountIs(TYPE, 0);
    template.resourceCountIs('AWS::Lambda::Function', 0);
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    expect(template.findOutputs('*')).toEqual({});
  });

  test('records are attributes of a lazily created "records" resource that depends on the domain', () => {
    const domain = app.addDomain('example.com');
    domain.mapRoot(main);
    const root = domain.subDomainRecord('');
    domain.mapSubDomain(dev); // mapped after the resource exists: still sent
    const www = domain.subDomainRecord('dev');
    const certificate = domain.certificateVerificationRecord();
    const template = Template.fromStack(stack);
    template.resourceCountIs(TYPE, 1);
    const id = logicalIdOf(template, TYPE);
    template.hasResource(TYPE, {
      Properties: {
        AppId: getAtt(/^Site/, 'AppId'),
        // One line (Fn::Sub) rather than Fn::GetAtt's four: every domain repeats it.
        DomainName: { 'Fn::Sub': Match.stringLikeRegexp('^\\$\\{Siteexamplecom[A-Za-z0-9]+\\.DomainName\\}$') },
        Mode: 'records',
        Prefixes: ['', 'dev'],
        CertificateType: 'AMPLIFY_MANAGED',
        DataFormat: '2',
        TimeoutSeconds: 1800,
      },
      // DomainName (the domain's attribute) makes CloudFormation create the domain first: no DependsOn needed.
      DependsOn: Match.absent(),
    });
    // One target for every sub-domain (a bounded response); the names and the type are known here.
    expect(root.name).toBe('example.com');
    expect(www.name).toBe('dev.example.com');
    expect(stack.resolve(root.value)).toEqual({ 'Fn::GetAtt': [id, 'SubDomainTarget'] });
    expect(stack.resolve(www.value)).toEqual({ 'Fn::GetAtt': [id, 'SubDomainTarget'] });
    expect(www.type).toBe('CNAME');
    expect(stack.resolve(certificate.name)).toEqual({ 'Fn::GetAtt': [id, 'CertificateRecordName'] });
    expectNagClean(stack);
  });

  test('createOutputs adds one output per record, including sub-domains mapped later', () => {
    const domain = app.addDomain('example.com', { createOutputs: true, subDomains: [{ branch: main, prefix: '' }] });
    domain.mapSubDomain(dev, 'dev');
    const template = Template.fromStack(stack);
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual([
      expect.stringMatching(/^SiteexamplecomApexRecordOutput/),
      expect.stringMatching(/^SiteexamplecomCertificateVerificationRecordOutput/),
      expect.stringMatching(/^SiteexamplecomSubDomaindevRecordOutput/),
    ].sort((a, b) => String(a).localeCompare(String(b))));
    const byId = (prefix: string) => Object.entries<any>(outputs).find(([k]) => k.startsWith(prefix))![1];
    const records = logicalIdOf(template, TYPE);
    expect(byId('SiteexamplecomSubDomaindev').Value).toEqual({ 'Fn::Sub': `dev.example.com CNAME \${${records}.SubDomainTarget}` });
    expect(byId('SiteexamplecomApex').Description).toMatch(/ALIAS\/ANAME/);
    expect(byId('SiteexamplecomCertificate').Value).toEqual({
      'Fn::Sub': `\${${records}.CertificateRecordName} \${${records}.CertificateRecordType} \${${records}.CertificateRecordValue}`,
    });
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    expectNagClean(stack);
  });

  test('a prefix only known at deploy time names its output after the branch, not after the order of mapSubDomain calls', () => {
    const prefix = new CfnParameter(stack, 'Prefix').valueAsString;
    const ids = (domain: amplify.Domain) => domain.node.children.map(c => c.node.id).filter(id => id.endsWith('RecordOutput')).sort();
    const domain = app.addDomain('example.com', { createOutputs: true });
    domain.mapRoot(main);
    domain.mapSubDomain(dev, prefix);
    expect(ids(domain)).toEqual(['ApexRecordOutput', 'CertificateVerificationRecordOutput', 'SubDomain-devRecordOutput']);
    expect(() => domain.mapSubDomain(dev, Fn.join('', [prefix, '-2'])))
      .toThrow(/Site\/example.com: branch TestStack\/Site\/dev is already mapped with a prefix only known at deploy time; .*pass a literal prefix/);
  });

  test('hostedZone: certificate CNAME, sub-domain CNAME and an A alias to CloudFront for the domain itself', () => {
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' });
    const domain = app.addDomain('example.com', { hostedZone: zone });
    domain.mapRoot(main);
    domain.mapSubDomain(dev);
    const template = Template.fromStack(stack);
    const records = logicalIdOf(template, TYPE);
    const name = (attr: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [records, attr] }, '.']] });
    template.resourceCountIs('AWS::Route53::RecordSet', 3);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: 'Z123', Type: 'CNAME', Name: name('CertificateRecordName'), ResourceRecords: [{ 'Fn::GetAtt': [records, 'CertificateRecordValue'] }],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: 'Z123', Type: 'CNAME', Name: 'dev.example.com.', ResourceRecords: [{ 'Fn::GetAtt': [records, 'SubDomainTarget'] }],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: 'Z123',
      Type: 'A',
      Name: 'example.com.',
      AliasTarget: { DNSName: { 'Fn::GetAtt': [records, 'SubDomainTarget'] }, HostedZoneId: Match.anyValue() },
      ResourceRecords: Match.absent(),
    });
    expect(JSON.stringify(template.toJSON())).toContain('Z2FDTNDATAQYW2');
    expectNagClean(stack);
  });

  test('a custom certificate has no verification record: none in the zone or outputs, and asking for it fails', () => {
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' });
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc');
    const domain = app.addDomain('shop.example.com', { customCertificate: certificate, hostedZone: zone, createOutputs: true });
    domain.mapSubDomain(dev);
    expect(() => domain.certificateVerificationRecord()).toThrow(/Site\/shop.example.com: the domain uses a custom certificate, which ACM validates/);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53::RecordSet', 1);
    template.hasResourceProperties('AWS::Route53::RecordSet', { Type: 'CNAME' });
    expect(Object.keys(template.findOutputs('*'))).toHaveLength(1);
    template.hasResourceProperties(TYPE, { CertificateType: 'CUSTOM', Prefixes: ['dev'] });
  });

  test('waitForAvailability adds an "available" resource that depends on the domain and the Route 53 records', () => {
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' });
    const domain = app.addDomain('example.com', { hostedZone: zone, waitForAvailability: true, timeout: Duration.minutes(40) });
    domain.mapRoot(main);
    domain.mapSubDomain(dev);
    const template = Template.fromStack(stack);
    template.resourceCountIs(TYPE, 2);
    const wait = Object.entries<any>(template.findResources(TYPE, { Properties: { Mode: 'available' } }));
    expect(wait).toHaveLength(1);
    const [, resource] = wait[0];
    expect(resource.Properties).toMatchObject({ TimeoutSeconds: 2400, Prefixes: ['', 'dev'] });
    const recordIds = Object.keys(template.findResources('AWS::Route53::RecordSet'));
    expect(recordIds).toHaveLength(3);
    const domainId = logicalIdOf(template, 'AWS::Amplify::Domain');
    expect(resource.DependsOn).toEqual(expect.arrayContaining(recordIds));
    expect(resource.Properties.DomainName).toEqual({ 'Fn::Sub': `\${${domainId}.DomainName}` });
    // the records resource must not wait for the records (deadlock)
    const [, records] = Object.entries<any>(template.findResources(TYPE, { Properties: { Mode: 'records' } }))[0];
    for (const id of recordIds) expect(records.DependsOn ?? []).not.toContain(id);
    expectNagClean(stack);
  });

  test('waitForAvailability alone defaults to 45 minutes (the longest wait) and creates no records resource', () => {
    app.addDomain('example.com', { waitForAvailability: true }).mapRoot(main);
    const template = Template.fromStack(stack);
    template.resourceCountIs(TYPE, 1);
    template.hasResourceProperties(TYPE, { Mode: 'available', TimeoutSeconds: 2700, PollIntervalSeconds: 15, ServiceTimeout: '3600' });
  });

  test('pollInterval sets how often the wait for AVAILABLE reads; the records resource keeps its own 15 seconds', () => {
    const domain = app.addDomain('example.com', { createOutputs: true, waitForAvailability: true, pollInterval: Duration.minutes(1) });
    domain.mapRoot(main);
    const template = Template.fromStack(stack);
    template.hasResourceProperties(TYPE, { Mode: 'available', PollIntervalSeconds: 60 });
    template.hasResourceProperties(TYPE, { Mode: 'records', TimeoutSeconds: 1800, PollIntervalSeconds: 15 });
  });

  test('the handlers may only read the domain associations of the app', () => {
    app.addDomain('example.com', { createOutputs: true, waitForAvailability: true }).mapRoot(main);
    const template = Template.fromStack(stack);
    const roles = kitRolesOf(template, TYPE);
    expect(roles).toHaveLength(2);
    // The records and availability resources of a domain share one role: GetDomainAssociation on the app's domains.
    expect(new Set(roles.map(r => r.roleLogicalId)).size).toBe(1);
    expect(roles[0].statements).toEqual([{
      Action: 'amplify:GetDomainAssociation', Effect: 'Allow', Resource: arnOf('Site', '/domains/*'),
    }]);
    expectOneProvider(template);
  });

  test('one provider per stack for three domains; the domains of an app share one role, another app has its own', () => {
    for (const name of ['a.example.com', 'b.example.com', 'c.example.com']) {
      app.addDomain(name, { createOutputs: true, waitForAvailability: true }).mapRoot(main);
    }
    const other = new amplify.App(stack, 'Other');
    other.addDomain('other.example.com', { createOutputs: true }).mapRoot(other.addBranch('main'));
    const template = Template.fromStack(stack);
    template.resourceCountIs(TYPE, 7);
    const roles = kitRolesOf(template, TYPE);
    const appOf = Object.values(template.findResources(TYPE)).map(r => r.Properties.AppId['Fn::GetAtt'][0] as string);
    const roleOfApp = (prefix: string) => new Set(roles.filter((_, i) => appOf[i].startsWith(prefix)).map(r => r.roleLogicalId));
    expect(roleOfApp('Site').size).toBe(1);
    expect(roleOfApp('Other').size).toBe(1);
    expect([...roleOfApp('Site')][0]).not.toBe([...roleOfApp('Other')][0]);
    roles.forEach((role, i) => expect(role.statements).toEqual([{
      Action: 'amplify:GetDomainAssociation', Effect: 'Allow', Resource: { 'Fn::Sub': `\${${appOf[i]}.Arn}/domains/*` },
    }]));
    expectOneProvider(template);
    expectNagClean(stack);
  });

  test('validation messages', () => {
    expect(() => app.addDomain('D1', { domainName: 'example.com', timeout: Duration.minutes(5) }))
      .toThrow(/Site\/D1: timeout only applies with waitForAvailability: true/);
    expect(() => app.addDomain('D2', { domainName: 'example.com', waitForAvailability: true, timeout: Duration.hours(1) }))
      .toThrow(waitBoundError('TestStack/Site/D2', 'timeout', '1 hour'));
    expect(() => app.addDomain('D3', { domainName: 'example.com', waitForAvailability: true, timeout: Duration.seconds(30) }))
      .toThrow(waitBoundError('TestStack/Site/D3', 'timeout', '30 seconds'));
    expect(() => app.addDomain('P1', { domainName: 'example.com', pollInterval: Duration.minutes(1) }))
      .toThrow('TestStack/Site/P1: pollInterval only applies with waitForAvailability: true; set it or remove pollInterval');
    expect(() => app.addDomain('P2', { domainName: 'example.com', waitForAvailability: true, pollInterval: Duration.millis(7500) }))
      .toThrow(/TestStack\/Site\/P2: pollInterval must be a whole number of seconds between 5 seconds and 5 minutes, got 7 seconds 500 millis/);
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.org.' });
    expect(() => app.addDomain('D4', { domainName: 'example.com', hostedZone: zone }))
      .toThrow(/Site\/D4: the domain example.com is not inside the hosted zone example.org.; pass the zone of the domain/);
    expect(() => app.addDomain('D5', { domainName: 'badexample.org', hostedZone: zone })).toThrow(/not inside the hosted zone/);
    const domain = app.addDomain('D6', { domainName: 'shop.example.org', hostedZone: zone });
    domain.mapSubDomain(dev);
    expect(() => domain.subDomainRecord('www')).toThrow(/Site\/D6: no sub-domain with the prefix 'www' is mapped \(mapped prefixes: 'dev'\); map it with/);
    expect(() => domain.subDomainRecord('')).toThrow(/prefix '' is mapped/);
    const unnamed = route53.HostedZone.fromHostedZoneId(stack, 'ById', 'Z999');
    expect(() => app.addDomain('D7', { domainName: 'example.net', hostedZone: unnamed }).mapRoot(main)).not.toThrow();
  });
});
