import * as path from 'path';
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { amplifyStack } from './support';
import * as amplify from '../../src/amplify';
import {
  BACKEND_ENVIRONMENT_FAMILY, BRANCH_SETTINGS_FAMILY, BUILD_FAMILY, DEPLOYMENT_FAMILY, DOMAIN_READINESS_FAMILY,
} from '../../src/amplify/private/custom-resources/contract';
import type { Family, RequestOf } from '../../src/core/family';
import { asCloudFormationProperties } from '../kit';

// The construct renders each resource's properties and the handler parses them with one function: what a construct
// renders (with its references as the strings CloudFormation would put in their place) must parse, to what it meant.

/** An intrinsic (`Ref`, `Fn::GetAtt`, `Fn::Join`...) as the string CloudFormation would deliver: here its JSON. */
function delivered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(delivered);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return JSON.stringify(value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, delivered(v)]));
  }
  return value;
}

function propertiesOf(stack: Stack, type: string): Record<string, any>[] {
  return Object.values(Template.fromStack(stack).findResources(type)).map(r => asCloudFormationProperties(delivered(r.Properties) as object));
}

/** What the handlers of a family read from the properties of its resources in a stack. */
function parsedOf<F extends Family>(stack: Stack, family: F): RequestOf<F>[] {
  return propertiesOf(stack, family.resourceType).map(props => family.parse(props) as RequestOf<F>);
}

/** The attribute names the constructs of a stack read from resources of a type (`Fn::GetAtt` of them). */
function attributesRead(stack: Stack, type: string): string[] {
  const template = Template.fromStack(stack).toJSON();
  const ids = new Set(Object.entries<{ Type: string }>(template.Resources).filter(([, r]) => r.Type === type).map(([id]) => id));
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v && typeof v === 'object') {
      const getAtt = (v as Record<string, unknown>)['Fn::GetAtt'];
      if (Array.isArray(getAtt) && ids.has(getAtt[0])) found.add(String(getAtt[1]));
      // Outputs and kit role policies write references as Fn::Sub: `${Id.Attribute}`.
      const sub = (v as Record<string, unknown>)['Fn::Sub'];
      const text = Array.isArray(sub) ? sub[0] : sub;
      if (typeof text === 'string') {
        for (const [, id, attribute] of text.matchAll(/\$\{([A-Za-z0-9]+)\.([A-Za-z0-9.]+)\}/g)) if (ids.has(id)) found.add(attribute);
      }
      Object.values(v).forEach(walk);
    }
  };
  walk(template);
  return [...found].sort();
}

describe('the Amplify handler contract', () => {
  test('a build and a deployment parse to what the constructs meant, and are read by the job attributes', () => {
    const stack = amplifyStack();
    const app = new amplify.App(stack, 'Site');
    const main = app.addBranch('main');
    const build = main.startBuild('Build', { waitForSuccess: true, trigger: 'v1', reason: 'release' });
    new amplify.BranchDeployment(stack, 'Deploy', { branch: new amplify.App(stack, 'Manual').addBranch('main'), path: path.join(__dirname, 'fixtures', 'site') });
    new CfnOutput(stack, 'Job', { value: build.jobId });
    const [parsed] = parsedOf(stack, BUILD_FAMILY);
    expect(parsed).toEqual({ appId: expect.stringContaining('AppId'), branchName: expect.stringContaining('BranchName'), trigger: 'v1', jobReason: 'release', wait: true });
    expect(parsedOf(stack, DEPLOYMENT_FAMILY)).toEqual([
      { appId: expect.any(String), branchName: expect.any(String), assetBucket: expect.any(String), assetKey: expect.stringMatching(/\.zip$/), wait: true },
    ]);
    for (const family of [BUILD_FAMILY, DEPLOYMENT_FAMILY]) {
      for (const attribute of attributesRead(stack, family.resourceType)) expect(family.attributes).toContain(attribute);
    }
    expect(attributesRead(stack, BUILD_FAMILY.resourceType)).toEqual(['JobId']);
  });

  test('branch settings and backend environments parse to what the constructs meant', () => {
    const stack = amplifyStack();
    const app = new amplify.App(stack, 'Site');
    const staging = app.addBackendEnvironment('Staging', { backendEnvironmentName: 'staging', stackName: 'amplify-site-staging' });
    app.addBranch('main', { displayName: 'Production', ttl: Duration.minutes(5), notifications: false, backendEnvironment: staging });
    expect(parsedOf(stack, BRANCH_SETTINGS_FAMILY)).toEqual([{
      appId: expect.any(String),
      branchName: expect.any(String),
      managed: { displayName: 'Production', ttl: '300', enableNotification: false, backendEnvironmentArn: expect.stringContaining('BackendEnvironmentArn') },
    }]);
    expect(parsedOf(stack, BACKEND_ENVIRONMENT_FAMILY)).toEqual([
      { appId: expect.any(String), environmentName: 'staging', stackName: 'amplify-site-staging', deploymentArtifacts: undefined },
    ]);
    const environmentAttributes: readonly string[] = BACKEND_ENVIRONMENT_FAMILY.attributes;
    expect(attributesRead(stack, BACKEND_ENVIRONMENT_FAMILY.resourceType).every(a => environmentAttributes.includes(a))).toBe(true);
  });

  test('a domain readiness parses to what the construct meant, and the records it reads are domain attributes', () => {
    const stack = amplifyStack();
    const app = new amplify.App(stack, 'Site');
    const domain = app.addDomain('example.com', { createOutputs: true, waitForAvailability: true });
    domain.mapRoot(app.addBranch('main'));
    domain.mapSubDomain(app.addBranch('dev'), 'dev');
    expect(parsedOf(stack, DOMAIN_READINESS_FAMILY).sort((a, b) => a.mode.localeCompare(b.mode))).toEqual([
      { appId: expect.any(String), domainName: expect.stringContaining('DomainName'), mode: 'available', prefixes: ['', 'dev'], customCertificate: false },
      { appId: expect.any(String), domainName: expect.stringContaining('DomainName'), mode: 'records', prefixes: ['', 'dev'], customCertificate: false },
    ]);
    expect(attributesRead(stack, DOMAIN_READINESS_FAMILY.resourceType)).toEqual(
      ['CertificateRecordName', 'CertificateRecordType', 'CertificateRecordValue', 'SubDomainTarget'].sort());
  });
});
