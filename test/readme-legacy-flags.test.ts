/**
 * Every other test synthesizes under the feature flags a new `cdk init` app has (test/kit/app.ts). An app made
 * before those flags runs without them: every README example, in one stack, synthesizes there too, and the
 * secrets it gives Amplify still reach CloudFormation only as dynamic references.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { VALIDATION_CONTEXT } from './kit';
import { exampleStack } from './tools/readme-blocks';

test('every README example synthesizes in an app without the feature flags of a new app', () => {
  const app = new App({ context: VALIDATION_CONTEXT });
  const template = Template.fromStack(exampleStack(app)).toJSON();
  expect(app.node.tryGetContext('@aws-cdk/core:checkSecretUsage')).toBeUndefined();
  expect(Object.keys(template.Resources).length).toBeGreaterThan(100);
  const secrets = JSON.stringify(template).match(/\{\{resolve:secretsmanager:[^}]+\}\}/g) ?? [];
  expect(secrets.length).toBeGreaterThan(0);
});
