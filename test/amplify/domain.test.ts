import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import { scanApp, twoBranchSite } from './support';
import * as amplify from '../../src/amplify';
import { expectNagClean, testApp } from '../kit';

let stack: Stack;
let app: amplify.App;
let main: amplify.Branch;
let dev: amplify.Branch;
beforeEach(() => ({ stack, app, main, dev } = twoBranchSite()));

const domainProps = (s: Stack) => Object.values<any>(Template.fromStack(s).findResources('AWS::Amplify::Domain'))[0].Properties;

describe('Domain', () => {
  test('maps the root and sub-domains; auto sub-domains off by default', () => {
    const domain = app.addDomain('example.com');
    domain.mapRoot(main);
    domain.mapSubDomain(dev);
    domain.mapSubDomain(main, 'www');
    expect(domainProps(stack)).toEqual({
      AppId: { 'Fn::GetAtt': [expect.stringMatching(/^Site/), 'AppId'] },
      DomainName: 'example.com',
      EnableAutoSubDomain: false,
      SubDomainSettings: [
        { BranchName: { 'Fn::GetAtt': [expect.stringMatching(/^Sitemain/), 'BranchName'] }, Prefix: '' },
        { BranchName: { 'Fn::GetAtt': [expect.stringMatching(/^Sitedev/), 'BranchName'] }, Prefix: 'dev' },
        { BranchName: { 'Fn::GetAtt': [expect.stringMatching(/^Sitemain/), 'BranchName'] }, Prefix: 'www' },
      ],
    });
    expectNagClean(stack);
  });

  test('sub-domains from props and an explicit domain name', () => {
    app.addDomain('Domain', { domainName: 'shop.example.org', subDomains: [{ branch: main, prefix: '' }, { branch: dev }] });
    expect(domainProps(stack)).toMatchObject({ DomainName: 'shop.example.org', SubDomainSettings: [{ Prefix: '' }, { Prefix: 'dev' }] });
  });

  test('auto sub-domains with patterns and the app role by default', () => {
    app.addDomain('example.com', { enableAutoSubdomain: true, subDomains: [{ branch: main, prefix: '' }] });
    const role = iam.Role.fromRoleArn(stack, 'Dns', 'arn:aws:iam::123456789012:role/amplify-dns');
    app.addDomain('example.org', { enableAutoSubdomain: true, autoSubdomainCreationPatterns: ['feature/*'], autoSubDomainIamRole: role })
      .mapRoot(main);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Amplify::Domain', {
      DomainName: 'example.com',
      EnableAutoSubDomain: true,
      AutoSubDomainCreationPatterns: ['*', 'pr*'],
      AutoSubDomainIAMRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('SiteRole'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Amplify::Domain', {
      DomainName: 'example.org', AutoSubDomainCreationPatterns: ['feature/*'], AutoSubDomainIAMRole: 'arn:aws:iam::123456789012:role/amplify-dns',
    });
  });

  test('attributes: ARN, name, status, update status and certificate verification record', () => {
    const domain = app.addDomain('example.com');
    domain.mapRoot(main);
    const attr = (value: string) => (stack.resolve(value) as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][1];
    expect(attr(domain.domainArn)).toEqual('Arn');
    expect(attr(domain.domainName)).toEqual('DomainName');
    expect(attr(domain.domainStatus)).toEqual('DomainStatus');
    expect(attr(domain.domainStatusReason)).toEqual('StatusReason');
    expect(attr(domain.domainUpdateStatus)).toEqual('UpdateStatus');
    expect(attr(domain.certificateVerificationDnsRecord)).toEqual('CertificateRecord');
    expect(domain.app).toBe(app);
  });

  test('fromDomainAttributes', () => {
    const imported = amplify.App.fromAppId(stack, 'Imported', 'd1a2b3c4d5e6f7');
    const domain = amplify.Domain.fromDomainAttributes(stack, 'D', { app: imported, domainName: 'example.com' });
    expect(domain.domainName).toEqual('example.com');
    expect(stack.resolve(domain.domainArn)).toEqual('arn:aws:amplify:us-east-1:123456789012:apps/d1a2b3c4d5e6f7/domains/example.com');
    expect(() => amplify.Domain.fromDomainAttributes(stack, 'Bad', { app: imported, domainName: 'https://x' })).toThrow(/invalid domainName/);
  });

  test('a custom certificate from us-east-1', () => {
    const owned = new acm.Certificate(stack, 'Cert', { domainName: 'example.com', validation: acm.CertificateValidation.fromDns() });
    app.addDomain('example.com', { customCertificate: owned }).mapRoot(main);
    const imported = acm.Certificate.fromCertificateArn(stack, 'Imported', 'arn:aws:acm:us-east-1:123456789012:certificate/abc');
    app.addDomain('example.org', { customCertificate: imported }).mapRoot(main);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Amplify::Domain', {
      DomainName: 'example.com', CertificateSettings: { CertificateType: 'CUSTOM', CustomCertificateArn: { Ref: Match.stringLikeRegexp('Cert') } },
    });
    template.hasResourceProperties('AWS::Amplify::Domain', {
      DomainName: 'example.org', CertificateSettings: { CertificateType: 'CUSTOM', CustomCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' },
    });
  });

  test('fails a certificate in a known region other than us-east-1', () => {
    const imported = acm.Certificate.fromCertificateArn(stack, 'Imported', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc');
    expect(() => app.addDomain('example.com', { customCertificate: imported }))
      .toThrow(/TestStack\/Site\/example.com: customCertificate is in eu-west-1, but Amplify Hosting only uses ACM certificates from us-east-1/);
    const cdkApp = scanApp(testApp());
    const euStack = new Stack(cdkApp, 'Eu', { env: { account: '123456789012', region: 'eu-west-1' } });
    const euApp = new amplify.App(euStack, 'Site');
    const owned = new acm.Certificate(euStack, 'Cert', { domainName: 'example.com', validation: acm.CertificateValidation.fromDns() });
    expect(() => euApp.addDomain('example.com', { customCertificate: owned })).toThrow(/customCertificate is in eu-west-1/);
  });

  test('fails invalid names, prefixes and settings', () => {
    expect(() => app.addDomain('https://example.com')).toThrow(/invalid domainName: 'https:\/\/example.com' does not match the pattern/);
    expect(() => app.addDomain('D1', { domainName: `${'a'.repeat(61)}.com` })).toThrow(/invalid domainName: .* 65 characters/);
    expect(() => app.addDomain('D2', { domainName: 'example.net', autoSubdomainCreationPatterns: ['*'] }))
      .toThrow(/take effect only with enableAutoSubdomain: true/);
    const domain = app.addDomain('example.io');
    domain.mapRoot(main);
    expect(() => domain.mapRoot(dev)).toThrow(/the prefix '' is already mapped/);
    expect(() => domain.mapSubDomain(dev, '-bad')).toThrow(/invalid sub-domain prefix '-bad'/);
    const feature = app.addBranch('Feature', { branchName: 'feature/x' });
    expect(() => domain.mapSubDomain(feature)).toThrow(/invalid sub-domain prefix 'feature\/x'.*pass a prefix explicitly/);
    domain.mapSubDomain(feature, 'feature-x');
    const other = new amplify.App(stack, 'Other').addBranch('main');
    expect(() => domain.mapSubDomain(other)).toThrow(/belongs to another app/);
  });

  test('fails a prefix that repeats the domain name, saying to pass only the prefix', () => {
    const domain = app.addDomain('example.com');
    expect(() => domain.mapSubDomain(main, 'www.example.com')).toThrow(
      "TestStack/Site/example.com: invalid sub-domain prefix 'www.example.com': it ends with the domain name 'example.com', and Amplify "
      + 'puts the prefix in front of the domain name, so the branch would be served at www.example.com.example.com. Pass only the prefix: '
      + "mapSubDomain(branch, 'www')");
    expect(() => domain.mapSubDomain(main, 'WWW.Example.com.')).toThrow(/Pass only the prefix: mapSubDomain\(branch, 'WWW'\)/);
    expect(() => domain.mapSubDomain(main, 'example.com')).toThrow(
      /invalid sub-domain prefix 'example.com': it is the domain name itself, .* Serve the branch at the domain itself with mapRoot\(branch\)/);
    domain.mapSubDomain(main, 'www.example'); // www.example.example.com: odd, but a valid name
  });

  test('fails synthesis when no branch is mapped', () => {
    app.addDomain('example.com');
    expect(() => Template.fromStack(stack)).toThrow(/domain 'example.com' serves no branch: call mapRoot\(branch\) or mapSubDomain\(branch, prefix\)/);
  });
});
