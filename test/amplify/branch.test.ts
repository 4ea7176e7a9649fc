import { CfnParameter, SecretValue, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as iam from 'aws-cdk-lib/aws-iam';
import { amplifyStack, CANARY_SECRETS } from './support';
import * as amplify from '../../src/amplify';
import { expectNagClean } from '../kit';

let stack: Stack;
let app: amplify.App;
beforeEach(() => {
  stack = amplifyStack();
  app = new amplify.App(stack, 'Site');
});

describe('Branch', () => {
  test('defaults: the construct id as name, auto build on, previews off', () => {
    app.addBranch('main');
    Template.fromStack(stack).hasResourceProperties('AWS::Amplify::Branch', {
      AppId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Site'), 'AppId'] },
      BranchName: 'main',
      EnableAutoBuild: true,
      EnablePullRequestPreview: false,
      BasicAuthConfig: Match.absent(),
      EnvironmentVariables: Match.absent(),
      Backend: Match.absent(),
    });
    expectNagClean(stack);
  });

  test('every CloudFormation property', () => {
    const ssr = new amplify.App(stack, 'Ssr', { platform: amplify.Platform.WEB_COMPUTE });
    const compute = iam.Role.fromRoleArn(stack, 'Compute', 'arn:aws:iam::123456789012:role/branch-ssr');
    const branch = ssr.addBranch('Prod', {
      branchName: 'release/2026',
      description: 'production',
      stage: amplify.Stage.PRODUCTION,
      framework: 'Next.js - SSR',
      autoBuild: false,
      pullRequestPreview: true,
      pullRequestEnvironmentName: 'pr',
      environmentVariables: { API_URL: 'https://api.example.com' },
      basicAuth: amplify.BasicAuth.fromCredentials('qa', SecretValue.secretsManager('site/qa', { jsonField: 'password' })),
      buildSpec: codebuild.BuildSpec.fromObjectToYaml({ version: 1, frontend: { phases: { build: { commands: ['npm run build'] } } } }),
      performanceMode: true,
      skewProtection: true,
      computeRole: compute,
      backendStackArn: 'arn:aws:cloudformation:us-east-1:123456789012:stack/amplify-backend/0f1e2d3c',
    });
    branch.addEnvironment('FEATURE', 'on');
    Tags.of(branch).add('stage', 'prod');
    Template.fromStack(stack).hasResourceProperties('AWS::Amplify::Branch', {
      BranchName: 'release/2026',
      Description: 'production',
      Stage: 'PRODUCTION',
      Framework: 'Next.js - SSR',
      EnableAutoBuild: false,
      EnablePullRequestPreview: true,
      PullRequestEnvironmentName: 'pr',
      EnvironmentVariables: [{ Name: 'API_URL', Value: 'https://api.example.com' }, { Name: 'FEATURE', Value: 'on' }],
      BasicAuthConfig: { EnableBasicAuth: true, Username: 'qa', Password: '{{resolve:secretsmanager:site/qa:SecretString:password::}}' },
      BuildSpec: Match.stringLikeRegexp('npm run build'),
      EnablePerformanceMode: true,
      EnableSkewProtection: true,
      ComputeRoleArn: 'arn:aws:iam::123456789012:role/branch-ssr',
      Backend: { StackArn: 'arn:aws:cloudformation:us-east-1:123456789012:stack/amplify-backend/0f1e2d3c' },
      Tags: [{ Key: 'stage', Value: 'prod' }],
    });
  });

  test('a generated branch password lives in Secrets Manager', () => {
    app.addBranch('staging', { basicAuth: amplify.BasicAuth.fromGeneratedPassword('qa') });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    const branch = Object.values<any>(template.findResources('AWS::Amplify::Branch'))[0];
    expect(JSON.stringify(branch.Properties.BasicAuthConfig.Password)).toContain('{{resolve:secretsmanager:');
    expectNagClean(stack);
  });

  test('attributes: ARN, name and URL', () => {
    const branch = app.addBranch('Feature', { branchName: 'feature/login' });
    expect(stack.resolve(branch.branchArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SiteFeature/), 'Arn'] });
    expect(stack.resolve(branch.branchName)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SiteFeature/), 'BranchName'] });
    expect(stack.resolve(branch.branchUrl)).toEqual({
      'Fn::Join': ['', ['https://feature-login.', { 'Fn::GetAtt': [expect.stringMatching(/^Site[0-9A-F]{8}$/), 'DefaultDomain'] }]],
    });
    expect(branch.app).toBe(app);
  });

  test('fromBranchAttributes builds the ARN and URL from the app', () => {
    const imported = amplify.App.fromAppId(stack, 'Imported', 'd1a2b3c4d5e6f7');
    const branch = amplify.Branch.fromBranchAttributes(stack, 'Main', { app: imported, branchName: 'main' });
    expect(branch.branchName).toEqual('main');
    expect(branch.branchUrl).toEqual('https://main.d1a2b3c4d5e6f7.amplifyapp.com');
    expect(stack.resolve(branch.branchArn)).toEqual('arn:aws:amplify:us-east-1:123456789012:apps/d1a2b3c4d5e6f7/branches/main');
    expect(() => amplify.Branch.fromBranchAttributes(stack, 'Bad', { app: imported, branchName: '' })).toThrow(/invalid branchName/);
  });

  test('a branch of an imported app', () => {
    const imported = amplify.App.fromAppId(stack, 'Imported', 'd1a2b3c4d5e6f7');
    imported.addBranch('dev');
    Template.fromStack(stack).hasResourceProperties('AWS::Amplify::Branch', { AppId: 'd1a2b3c4d5e6f7', BranchName: 'dev' });
  });

  test('an empty id: says what the id is and what a branch name must be', () => {
    expect(() => app.addBranch('')).toThrow(
      "TestStack/Site: a branch's construct id is '', but the id is the branch name unless branchName is set, and an Amplify branch "
      + 'name has 1 to 255 characters. Pass the Git branch as `git branch --show-current` prints it, e.g. addBranch(\'main\'), or a construct '
      + "id and the name: addBranch('Main', { branchName: 'main' })");
  });

  test('a token id: says to pass a literal id and the deploy-time name as branchName', () => {
    const name = new CfnParameter(stack, 'BranchName').valueAsString;
    expect(() => app.addBranch(name)).toThrow(new RegExp(
      '^TestStack/Site: a branch\'s construct id is a value known only at deploy time \\(\\$\\{Token\\[.*\\]\\}\\), and construct ids must be '
      + 'literals\\. Pass a literal id and the deploy-time name as branchName: addBranch\\(\'Preview\', \\{ branchName: param\\.valueAsString \\}\\)$'));
    app.addBranch('Preview', { branchName: name });
    Template.fromStack(stack).hasResourceProperties('AWS::Amplify::Branch', { BranchName: { Ref: 'BranchName' } });
  });

  test('accepts pullRequestEnvironmentName with previews off, as Amplify does: it is kept for when previews are turned on', () => {
    app.addBranch('C', { pullRequestEnvironmentName: 'pr' });
    Template.fromStack(stack).hasResourceProperties('AWS::Amplify::Branch', {
      BranchName: 'C', EnablePullRequestPreview: false, PullRequestEnvironmentName: 'pr',
    });
  });

  test('fails values the API rejects and settings that cannot take effect', () => {
    expect(() => app.addBranch('A', { branchName: 'x'.repeat(256) })).toThrow(/TestStack\/Site\/A: invalid branchName/);
    expect(() => app.addBranch('B', { pullRequestPreview: true, pullRequestEnvironmentName: 'x'.repeat(21) }))
      .toThrow(/invalid pullRequestEnvironmentName: .* 21 characters; Amplify Hosting allows 0 to 20/);
    expect(() => app.addBranch('D', { backendStackArn: 'my-backend' })).toThrow(/invalid backendStackArn/);
    expect(() => app.addBranch('E', { framework: 'x'.repeat(256) })).toThrow(/invalid framework/);
    expect(() => app.addBranch('F', { description: 'x'.repeat(1001) })).toThrow(/invalid description/);
    expect(() => app.addBranch('G', { basicAuth: amplify.BasicAuth.fromCredentials('qa', SecretValue.unsafePlainText(CANARY_SECRETS.password)) }))
      .toThrow(/TestStack\/Site\/G: `basicAuth password` would be written to the template in plain text/);
    const branch = app.addBranch('H', { environmentVariables: { A: '1' } });
    expect(() => branch.addEnvironment('A', '2')).toThrow(/environment variable 'A' is already set/);
  });

  test('fails a compute role on a branch of a static app', () => {
    const compute = iam.Role.fromRoleArn(stack, 'Compute', 'arn:aws:iam::123456789012:role/ssr');
    expect(() => app.addBranch('main', { computeRole: compute }))
      .toThrow(/TestStack\/Site\/main: computeRole is set but the app's platform is WEB/);
  });
});

describe('Webhook', () => {
  test('builds a branch of its app; attributes ARN, id and URL', () => {
    const main = app.addBranch('main');
    const hook = app.addWebhook('Cms', { branch: main, description: 'rebuild on publish' });
    Template.fromStack(stack).hasResourceProperties('AWS::Amplify::Webhook', {
      AppId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Site'), 'AppId'] },
      BranchName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Sitemain'), 'BranchName'] },
      Description: 'rebuild on publish',
    });
    expect(stack.resolve(hook.webhookArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SiteCms/), 'Arn'] });
    expect(stack.resolve(hook.webhookId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SiteCms/), 'WebhookId'] });
    expect(stack.resolve(hook.webhookUrl)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^SiteCms/), 'WebhookUrl'] });
    expectNagClean(stack);
  });

  test('fails a branch of another app and a long description', () => {
    const other = new amplify.App(stack, 'Other');
    const branch = other.addBranch('main');
    expect(() => app.addWebhook('Hook', { branch })).toThrow(/TestStack\/Site\/Hook: branch TestStack\/Other\/main belongs to another app/);
    expect(() => other.addWebhook('Long', { branch, description: 'x'.repeat(1001) })).toThrow(/invalid description/);
  });
});
