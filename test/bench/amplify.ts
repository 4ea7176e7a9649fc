import * as alpha from '@aws-cdk/aws-amplify-alpha';
import { SecretValue, Stack } from 'aws-cdk-lib';
import { CfnApp, CfnBranch } from 'aws-cdk-lib/aws-amplify';
import * as iam from 'aws-cdk-lib/aws-iam';
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
