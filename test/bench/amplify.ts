import * as alpha from '@aws-cdk/aws-amplify-alpha';
import { CfnOutput, SecretValue, Stack } from 'aws-cdk-lib';
import { CfnApp, CfnBranch, CfnDomain } from 'aws-cdk-lib/aws-amplify';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { BenchFamily } from './families';
import * as amplify from '../../src/amplify';

const token = SecretValue.secretsManager('bench/github-access-token');

function ours(stack: Stack, i: number): void {
  const app = new amplify.App(stack, `App${i}`, {
    sourceCodeProvider: amplify.SourceCodeProvider.gitHub({ owner: 'acme', repository: `site-${i}`, accessToken: token }),
    customRules: [amplify.CustomRule.SINGLE_PAGE_APPLICATION_REDIRECT],
  });
  app.addBranch('main', { stage: amplify.Stage.PRODUCTION });
}

/** App (service role, GitHub, SPA rule) and one branch, as this library writes them. */
export const AMPLIFY_APP_BRANCH: BenchFamily = {
  name: 'amplify App + Branch (vs raw L1s)',
  customResource: false,
  ours,
  raw(stack: Stack, i: number): void {
    const role = new iam.Role(stack, `App${i}Role`, { assumedBy: new iam.ServicePrincipal('amplify.amazonaws.com') });
    const app = new CfnApp(stack, `App${i}`, {
      name: `App${i}`,
      repository: `https://github.com/acme/site-${i}`,
      accessToken: token.unsafeUnwrap(), // a dynamic reference
      iamServiceRole: role.roleArn,
      platform: 'WEB',
      basicAuthConfig: { enableBasicAuth: false },
      customRules: [{ source: '</^[^.]+$/>', target: '/index.html', status: '200' }],
    });
    new CfnBranch(stack, `App${i}Main`, { appId: app.attrAppId, branchName: 'main', stage: 'PRODUCTION', enableAutoBuild: true, enablePullRequestPreview: false });
  },
};

/** The same resources through @aws-cdk/aws-amplify-alpha, in the "raw" column. */
export const AMPLIFY_APP_BRANCH_VS_ALPHA: BenchFamily = {
  name: 'amplify App + Branch (vs @aws-cdk/aws-amplify-alpha in the raw column)',
  customResource: false,
  ours,
  raw(stack: Stack, i: number): void {
    const app = new alpha.App(stack, `App${i}`, {
      sourceCodeProvider: new alpha.GitHubSourceCodeProvider({ owner: 'acme', repository: `site-${i}`, oauthToken: token }),
      customRules: [alpha.CustomRule.SINGLE_PAGE_APPLICATION_REDIRECT],
    });
    app.addBranch('main', { stage: 'PRODUCTION' });
  },
};

const APP_ID = 'd1a2b3c4d5e6f7';
const APP_ARN = `arn:aws:amplify:us-east-1:123456789012:apps/${APP_ID}`;

/** An app imports the Amplify app once and uses it everywhere. */
function importedApp(stack: Stack): amplify.IApp {
  return (stack.node.tryFindChild('Site') as amplify.IApp | undefined) ?? amplify.App.fromAppId(stack, 'Site', APP_ID);
}

/**
 * The Amplify deploy-time custom resources, each beside the AwsCustomResource users write by hand for the same
 * call (which neither waits nor replaces nor tolerates a resource already gone).
 */
export const AMPLIFY_CUSTOM_RESOURCE_FAMILIES: BenchFamily[] = [
  {
    name: 'amplify Build with wait (vs AwsCustomResource StartJob)',
    customResource: true,
    ours: (stack, i) => {
      amplify.Branch.fromBranchAttributes(stack, `B${i}`, { app: importedApp(stack), branchName: `b${i}` })
        .startBuild('Build', { trigger: 'v1', waitForSuccess: true });
    },
    raw: (stack, i) => {
      const call = {
        service: 'Amplify',
        action: 'startJob',
        parameters: { appId: APP_ID, branchName: `b${i}`, jobType: 'RELEASE' },
        physicalResourceId: cr.PhysicalResourceId.fromResponse('jobSummary.jobId'),
      };
      new cr.AwsCustomResource(stack, `B${i}`, {
        onCreate: call,
        onUpdate: call,
        policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [`${APP_ARN}/branches/b${i}/jobs/*`] }),
        installLatestAwsSdk: false,
      });
    },
  },
  {
    name: 'amplify BackendEnvironment (vs AwsCustomResource create/delete)',
    customResource: true,
    ours: (stack, i) => new amplify.BackendEnvironment(stack, `E${i}`, { app: importedApp(stack), backendEnvironmentName: `env${i}` }),
    raw: (stack, i) => {
      const parameters = { appId: APP_ID, environmentName: `env${i}` };
      new cr.AwsCustomResource(stack, `E${i}`, {
        onCreate: {
          service: 'Amplify',
          action: 'createBackendEnvironment',
          parameters,
          physicalResourceId: cr.PhysicalResourceId.of(`${APP_ID}/env${i}`),
        },
        onDelete: { service: 'Amplify', action: 'deleteBackendEnvironment', parameters },
        policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [APP_ARN] }),
        installLatestAwsSdk: false,
      });
    },
  },
  {
    name: 'amplify Domain with DNS record outputs (vs CfnDomain + AwsCustomResource GetDomainAssociation)',
    customResource: true,
    ours: (stack, i) => {
      const app = importedApp(stack);
      const domain = new amplify.Domain(stack, `D${i}`, { app, domainName: `site${i}.example.com`, createOutputs: true });
      domain.mapRoot(amplify.Branch.fromBranchAttributes(stack, `D${i}Main`, { app, branchName: 'main' }));
    },
    raw: (stack, i) => {
      const domain = new CfnDomain(stack, `D${i}`, {
        appId: APP_ID, domainName: `site${i}.example.com`, subDomainSettings: [{ branchName: 'main', prefix: '' }],
      });
      const read = new cr.AwsCustomResource(stack, `D${i}Records`, {
        onUpdate: {
          service: 'Amplify',
          action: 'getDomainAssociation',
          parameters: { appId: APP_ID, domainName: domain.attrDomainName },
          physicalResourceId: cr.PhysicalResourceId.of(`${APP_ID}/site${i}`),
          outputPaths: ['domainAssociation.certificateVerificationDNSRecord', 'domainAssociation.subDomains.0.dnsRecord'],
        },
        policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [domain.attrArn] }),
        installLatestAwsSdk: false,
      });
      new CfnOutput(stack, `D${i}Certificate`, { value: read.getResponseField('domainAssociation.certificateVerificationDNSRecord') });
      new CfnOutput(stack, `D${i}Root`, { value: read.getResponseField('domainAssociation.subDomains.0.dnsRecord') });
    },
  },
];
