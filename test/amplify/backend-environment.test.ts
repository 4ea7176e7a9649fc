import { Match, Template } from 'aws-cdk-lib/assertions';
import { amplifyStack } from './support';
import * as amplify from '../../src/amplify';
import { expectNagClean } from '../kit';

describe('backend environment construct', () => {
  test('sends its properties, one provider for two environments, policies scoped to each environment', () => {
    const stack = amplifyStack();
    const app = new amplify.App(stack, 'Site');
    const staging = app.addBackendEnvironment('Staging', { environmentName: 'staging', stackName: 'amplify-site-staging', deploymentArtifacts: 'artifacts' });
    new amplify.BackendEnvironment(stack, 'Prod', { app, environmentName: 'prod' });
    expect(staging.app).toBe(app);
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::CdkDevtoolsAmplifyBackendEnvironment', 2);
    template.hasResourceProperties('Custom::CdkDevtoolsAmplifyBackendEnvironment', {
      AppId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Site'), 'AppId'] },
      EnvironmentName: 'staging',
      StackName: 'amplify-site-staging',
      DeploymentArtifacts: 'artifacts',
    });
    expect(Object.keys(template.findResources('AWS::Lambda::Function', {
      Properties: { Description: 'cdk-devtools AmplifyBackendEnvironment custom resource handler' },
    }))).toHaveLength(1);
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain('/backendenvironments/staging');
    expect(policies).toContain('/backendenvironments/prod');
    expect(policies).toContain('amplify:DeleteBackendEnvironment');
    expect(policies).not.toMatch(/apps\/\*|"\*"/);
    expectNagClean(stack);
  });

  test('rejects an empty or long environment name, stack name and deployment artifacts', () => {
    const stack = amplifyStack();
    const app = new amplify.App(stack, 'Site');
    expect(() => app.addBackendEnvironment('a', { environmentName: '' })).toThrow(/Site\/a: invalid environmentName.*use 1 to 255 characters/);
    expect(() => app.addBackendEnvironment('b', { environmentName: 'x'.repeat(256) })).toThrow(/environmentName/);
    expect(() => app.addBackendEnvironment('c', { environmentName: 'ok', stackName: 'x'.repeat(256) })).toThrow(/stackName/);
    expect(() => app.addBackendEnvironment('d', { environmentName: 'ok', deploymentArtifacts: '' })).toThrow(/deploymentArtifacts.*1 to 1000/);
  });
});
