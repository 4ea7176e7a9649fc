import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { amplifyStack, expectOneProvider } from './support';
import * as amplify from '../../src/amplify';
import { BACKEND_ENVIRONMENT_FAMILY } from '../../src/amplify/private/custom-resources/contract';
import { expectNagClean, kitRolesOf } from '../kit';

describe('backend environment construct', () => {
  test('sends its properties, one provider for all environments, one role per app scoped to it', () => {
    const stack = amplifyStack();
    const app = new amplify.App(stack, 'Site');
    const staging = app.addBackendEnvironment('Staging', { backendEnvironmentName: 'staging', stackName: 'amplify-site-staging', deploymentArtifacts: 'artifacts' });
    new amplify.BackendEnvironment(stack, 'Prod', { app, backendEnvironmentName: 'prod' });
    new amplify.App(stack, 'Other').addBackendEnvironment('Env', { backendEnvironmentName: 'prod' });
    expect(staging.app).toBe(app);
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::CdkDevtoolsAmplifyBackendEnvironment', 3);
    template.hasResourceProperties('Custom::CdkDevtoolsAmplifyBackendEnvironment', {
      AppId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Site'), 'AppId'] },
      EnvironmentName: 'staging',
      StackName: 'amplify-site-staging',
      DeploymentArtifacts: 'artifacts',
    });
    // The environments of one app share one role, scoped to that app; another app's environment has its own.
    const roles = kitRolesOf(template, BACKEND_ENVIRONMENT_FAMILY.resourceType);
    const apps = Object.values(template.findResources(BACKEND_ENVIRONMENT_FAMILY.resourceType)).map(r => r.Properties.AppId['Fn::GetAtt'][0] as string);
    expect(roles.map(r => r.roleLogicalId)).toEqual(apps.map(a => roles[apps.indexOf(a)].roleLogicalId));
    expect(new Set(roles.map(r => r.roleLogicalId)).size).toBe(2);
    roles.forEach((role, i) => expect(role.statements).toEqual([{
      Action: ['amplify:CreateBackendEnvironment', 'amplify:DeleteBackendEnvironment', 'amplify:GetBackendEnvironment'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [apps[i], 'Arn'] },
    }]));
    expectOneProvider(template);
    template.hasResource('Custom::CdkDevtoolsAmplifyBackendEnvironment', { DeletionPolicy: 'Delete' });
    expectNagClean(stack);
  });

  test('removalPolicy RETAIN keeps the environment when it leaves the stack', () => {
    const stack = amplifyStack();
    const app = new amplify.App(stack, 'Site');
    app.addBackendEnvironment('Staging', { backendEnvironmentName: 'staging', removalPolicy: RemovalPolicy.RETAIN });
    Template.fromStack(stack).hasResource('Custom::CdkDevtoolsAmplifyBackendEnvironment', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('an imported environment builds its ARN from the app', () => {
    const stack = amplifyStack();
    const app = amplify.App.fromAppId(stack, 'Imported', 'd1a2b3c4d5e6f7');
    const env = amplify.BackendEnvironment.fromBackendEnvironmentAttributes(stack, 'Env', { app, backendEnvironmentName: 'prod' });
    expect(stack.resolve(env.backendEnvironmentArn)).toEqual('arn:aws:amplify:us-east-1:123456789012:apps/d1a2b3c4d5e6f7/backendenvironments/prod');
    expect(env.backendEnvironmentName).toBe('prod');
    expect(() => amplify.BackendEnvironment.fromBackendEnvironmentAttributes(stack, 'Bad', { app, backendEnvironmentName: '' })).toThrow(/backendEnvironmentName/);
  });

  test('a branch references its backend environment through the branch settings (UpdateBranch)', () => {
    const stack = amplifyStack();
    const app = new amplify.App(stack, 'Site');
    const staging = app.addBackendEnvironment('Staging', { backendEnvironmentName: 'staging' });
    app.addBranch('develop', { backendEnvironment: staging });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::CdkDevtoolsAmplifyBranchSettings', {
      BranchName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Sitedevelop'), 'BranchName'] },
      BackendEnvironmentArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SiteStaging'), 'BackendEnvironmentArn'] },
    });
    expectNagClean(stack);
  });

  test('a branch rejects a backend environment of another app, and one together with a Gen 2 backend stack', () => {
    const stack = amplifyStack();
    const app = new amplify.App(stack, 'Site');
    const other = new amplify.App(stack, 'Other');
    const foreign = other.addBackendEnvironment('Env', { backendEnvironmentName: 'staging' });
    expect(() => app.addBranch('a', { backendEnvironment: foreign })).toThrow(/Site\/a: backendEnvironment TestStack\/Other\/Env belongs to another app/);
    const own = app.addBackendEnvironment('Env', { backendEnvironmentName: 'staging' });
    expect(() => app.addBranch('b', { backendEnvironment: own, backendStackArn: 'arn:aws:cloudformation:us-east-1:123456789012:stack/x/1' }))
      .toThrow(/backendEnvironment \(Gen 1\) and backendStackArn \(Gen 2\) are both set/);
  });

  test('rejects an empty or long environment name, stack name and deployment artifacts', () => {
    const stack = amplifyStack();
    const app = new amplify.App(stack, 'Site');
    expect(() => app.addBackendEnvironment('a', { backendEnvironmentName: '' })).toThrow(/Site\/a: invalid backendEnvironmentName.*Name the environment after its stage, e.g. staging or prod/);
    expect(() => app.addBackendEnvironment('b', { backendEnvironmentName: 'x'.repeat(256) })).toThrow(/backendEnvironmentName/);
    expect(() => app.addBackendEnvironment('c', { backendEnvironmentName: 'ok', stackName: 'x'.repeat(256) })).toThrow(/stackName/);
    expect(() => app.addBackendEnvironment('d', { backendEnvironmentName: 'ok', deploymentArtifacts: '' })).toThrow(/deploymentArtifacts.*1 to 1000 characters.*\. Pass the name of the deployment bucket as `amplify env get --name <env>` prints it/);
  });
});
