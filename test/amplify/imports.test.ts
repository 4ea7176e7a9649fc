import { CfnParameter, Stack, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { amplifyStack } from './support';
import * as amplify from '../../src/amplify';
import { ValidationError } from '../../src/core/validation';

const APP_ARN = 'arn:aws:amplify:eu-west-1:210987654321:apps/d1a2b3c4d5e6f7';

let stack: Stack;
beforeEach(() => {
  stack = amplifyStack();
});

function envOf(resource: { env: { account: string; region: string } }) {
  return { account: resource.env.account, region: resource.env.region };
}
const ARN_ENV = { account: '210987654321', region: 'eu-west-1' };

describe('imports from ARNs', () => {
  test('App.fromAppArn reads the id and takes account and region from the ARN', () => {
    const app = amplify.App.fromAppArn(stack, 'Site', APP_ARN);
    expect(app.appId).toBe('d1a2b3c4d5e6f7');
    expect(app.appArn).toBe(APP_ARN);
    expect(app.defaultDomain).toBe('d1a2b3c4d5e6f7.amplifyapp.com');
    expect(envOf(app)).toEqual(ARN_ENV);
    expect(app.stack).toBe(stack);
  });

  test('Branch.fromBranchArn reads app and branch (a name with a slash included) and takes the environment from the ARN', () => {
    const branch = amplify.Branch.fromBranchArn(stack, 'Feature', `${APP_ARN}/branches/feature/login`);
    expect(branch.branchName).toBe('feature/login');
    expect(branch.branchArn).toBe(`${APP_ARN}/branches/feature/login`);
    expect(branch.branchUrl).toBe('https://feature-login.d1a2b3c4d5e6f7.amplifyapp.com');
    expect(branch.app.appId).toBe('d1a2b3c4d5e6f7');
    expect(branch.app.appArn).toBe(APP_ARN);
    expect(envOf(branch)).toEqual(ARN_ENV);
    expect(envOf(branch.app)).toEqual(ARN_ENV);
  });

  test('Domain.fromDomainArn and BackendEnvironment.fromBackendEnvironmentArn read their name and app, with the ARN\'s environment', () => {
    const domain = amplify.Domain.fromDomainArn(stack, 'Domain', `${APP_ARN}/domains/example.com`);
    expect(domain.domainName).toBe('example.com');
    expect(domain.app.appId).toBe('d1a2b3c4d5e6f7');
    expect(envOf(domain)).toEqual(ARN_ENV);
    const env = amplify.BackendEnvironment.fromBackendEnvironmentArn(stack, 'Env', `${APP_ARN}/backendenvironments/staging`);
    expect(env.backendEnvironmentName).toBe('staging');
    expect(env.backendEnvironmentArn).toBe(`${APP_ARN}/backendenvironments/staging`);
    expect(env.app.appArn).toBe(APP_ARN);
    expect(envOf(env)).toEqual(ARN_ENV);
  });

  test('Webhook.fromWebhookArn reads the webhook id, with the ARN\'s environment', () => {
    const hook = amplify.Webhook.fromWebhookArn(stack, 'Hook', 'arn:aws:amplify:eu-west-1:210987654321:webhooks/0a1b2c3d-4e5f');
    expect(hook.webhookId).toBe('0a1b2c3d-4e5f');
    expect(envOf(hook)).toEqual(ARN_ENV);
  });

  test('attribute imports of an app imported from its ARN take that environment (it used to be the stack\'s)', () => {
    const app = amplify.App.fromAppArn(stack, 'Site', APP_ARN);
    const branch = amplify.Branch.fromBranchAttributes(stack, 'Main', { app, branchName: 'main' });
    const domain = amplify.Domain.fromDomainAttributes(stack, 'Domain', { app, domainName: 'example.com' });
    const env = amplify.BackendEnvironment.fromBackendEnvironmentAttributes(stack, 'Env', { app, backendEnvironmentName: 'prod' });
    for (const imported of [branch, domain, env]) expect(envOf(imported)).toEqual(ARN_ENV);
    expect(branch.branchArn).toBe(`${APP_ARN}/branches/main`);
    expect(domain.domainArn).toBe(`${APP_ARN}/domains/example.com`);
  });

  test('an attribute import with a deploy-time name still takes the environment of the app\'s literal ARN', () => {
    const app = amplify.App.fromAppArn(stack, 'Site', APP_ARN);
    const name = new CfnParameter(stack, 'Branch').valueAsString;
    expect(envOf(amplify.Branch.fromBranchAttributes(stack, 'Main', { app, branchName: name }))).toEqual(ARN_ENV);
  });

  test('attribute imports of an app defined in the stack keep the stack\'s environment', () => {
    const app = new amplify.App(stack, 'Site');
    const branch = amplify.Branch.fromBranchAttributes(stack, 'Main', { app, branchName: 'main' });
    expect(envOf(branch)).toEqual({ account: '123456789012', region: 'us-east-1' });
  });

  test('a branch imported from its ARN is served by a domain of the same app imported by itself', () => {
    const app = amplify.App.fromAppArn(stack, 'Site', APP_ARN);
    const branch = amplify.Branch.fromBranchArn(stack, 'Main', `${APP_ARN}/branches/main`);
    app.addDomain('example.com').mapRoot(branch);
    app.addWebhook('Hook', { branch });
    Template.fromStack(stack).hasResourceProperties('AWS::Amplify::Domain', {
      AppId: 'd1a2b3c4d5e6f7', SubDomainSettings: [{ BranchName: 'main', Prefix: '' }],
    });
    const other = amplify.App.fromAppArn(stack, 'Other', 'arn:aws:amplify:eu-west-1:210987654321:apps/d9z8y7x6w5v4u3');
    expect(() => other.addDomain('other.com').mapRoot(branch)).toThrow(/branch TestStack\/Main belongs to another app/);
  });

  test('a token ARN is taken as is: its parts and its environment are deploy-time selections', () => {
    const arn = new CfnParameter(stack, 'BranchArn').valueAsString;
    const branch = amplify.Branch.fromBranchArn(stack, 'Main', arn);
    expect(stack.resolve(branch.branchName)).toEqual({ 'Fn::Select': [3, { 'Fn::Split': ['/', { Ref: 'BranchArn' }] }] });
    expect(stack.resolve(branch.app.appId)).toEqual({ 'Fn::Select': [1, { 'Fn::Split': ['/', { Ref: 'BranchArn' }] }] });
    expect(Token.isUnresolved(branch.env.account)).toBe(true);
    expect(Token.isUnresolved(branch.env.region)).toBe(true);
  });
});

describe('ARNs refused at synth', () => {
  test('an app ARN without an account says what was received, what is expected and how to fix it', () => {
    expect(() => amplify.App.fromAppArn(stack, 'Site', 'arn:aws:amplify:us-west-2::apps/d123'))
      .toThrow('TestStack/Site: invalid Amplify app ARN: \'arn:aws:amplify:us-west-2::apps/d123\' has an empty account; an import takes its '
        + 'account and region from the ARN, so it must be arn:<partition>:amplify:<region>:<account>:apps/<app id>. To fix it, copy it from '
        + '`aws amplify get-app --app-id <app id>` (app.appArn), or import with App.fromAppId() in a stack of that account and region.');
  });

  test('an app ARN whose account is not 12 digits is refused, and so is a branch ARN with one', () => {
    expect(() => amplify.App.fromAppArn(stack, 'Site', 'arn:aws:amplify:us-west-2:12345:apps/d123'))
      .toThrow('TestStack/Site: invalid Amplify app ARN: \'arn:aws:amplify:us-west-2:12345:apps/d123\' has the account \'12345\', but an AWS '
        + 'account id is 12 digits (e.g. 123456789012); it must be arn:<partition>:amplify:<region>:<account>:apps/<app id>. To fix it, copy it from '
        + '`aws amplify get-app --app-id <app id>` (app.appArn), or import with App.fromAppId() in a stack of that account and region.');
    expect(() => amplify.Branch.fromBranchArn(stack, 'Main', 'arn:aws:amplify:us-west-2:12345:apps/d123/branches/main'))
      .toThrow(/TestStack\/Main: invalid Amplify branch ARN: .* has the account '12345'/);
  });

  test('a branch ARN without a region, and an app ARN in fromAppAttributes without an account', () => {
    expect(() => amplify.Branch.fromBranchArn(stack, 'Main', 'arn:aws:amplify::210987654321:apps/d123/branches/main'))
      .toThrow(/TestStack\/Main: invalid Amplify branch ARN: '.*' has an empty region; an import takes its account and region from the ARN, so it must be .*apps\/<app id>\/branches\/<branch name>\. To fix it, .*get-branch/);
    expect(() => amplify.App.fromAppAttributes(stack, 'Site', { appId: 'd123', appArn: 'arn:aws:amplify:us-west-2::apps/d123' }))
      .toThrow(/TestStack\/Site: invalid Amplify app ARN: .* has an empty account/);
  });

  test('an attribute import of an app whose literal ARN lacks the account is refused', () => {
    const app: amplify.IApp = Object.assign(Object.create(amplify.App.fromAppId(stack, 'Site', 'd123')), { appArn: 'arn:aws:amplify:us-west-2::apps/d123' });
    expect(() => amplify.Domain.fromDomainAttributes(stack, 'Domain', { app, domainName: 'example.com' }))
      .toThrow(/TestStack\/Domain: invalid Amplify app ARN: .* has an empty account/);
  });

  test('ARNs of another service, resource or shape', () => {
    expect(() => amplify.Branch.fromBranchArn(stack, 'A', `${APP_ARN}/domains/example.com`))
      .toThrow(/invalid branchArn .*: it does not continue with '\/branches\/<name>' after the app id/);
    expect(() => amplify.App.fromAppArn(stack, 'B', 'arn:aws:s3:eu-west-1:210987654321:apps/d123')).toThrow(/its service is 's3', not 'amplify'/);
    expect(() => amplify.App.fromAppArn(stack, 'C', `${APP_ARN}/branches/main`)).toThrow(/it has more than the app id after 'apps\/'/);
    expect(() => amplify.Webhook.fromWebhookArn(stack, 'D', APP_ARN)).toThrow(/its resource type is 'apps', not 'webhooks'/);
    expect(() => amplify.Domain.fromDomainArn(stack, 'E', 'd123')).toThrow(/invalid domainArn 'd123': it is not an ARN/);
  });

  test('appId and appArn of different apps', () => {
    expect(() => amplify.App.fromAppAttributes(stack, 'Site', { appId: 'd9z8y7x6w5v4u3', appArn: APP_ARN }))
      .toThrow(/^TestStack: appId 'd9z8y7x6w5v4u3' and appArn '.*' of import 'Site' name different apps \('d1a2b3c4d5e6f7' in the ARN\)/);
  });

  test('a static factory raises a ValidationError against the import it would have created in its scope', () => {
    const scope = new Construct(stack, 'Imports');
    const refused = (() => {
      try {
        amplify.Domain.fromDomainArn(scope, 'E', 'd123');
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused).toMatchObject({ constructPath: 'TestStack/Imports/E', message: expect.stringMatching(/^TestStack\/Imports\/E: invalid domainArn 'd123': it is not an ARN/) });
  });
});
