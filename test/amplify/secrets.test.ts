import { App, CfnOutput, SecretValue, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CfnApp } from 'aws-cdk-lib/aws-amplify';
import { amplifyStack, CANARY_SECRETS, scanApp, secretProblems, templatesOf, templatesScanned } from './support';
import * as amplify from '../../src/amplify';
import { testApp, testStack } from '../kit';

describe('the secret scan that runs after every amplify test file', () => {
  test('finds a canary secret anywhere in a template', () => {
    // A lax app: the strict validator would itself refuse some leaks, and the scan must not rely on it.
    const app = new App();
    const stack = new Stack(app, 'TestStack');
    new CfnApp(stack, 'Raw', { name: 'raw' });
    new CfnOutput(stack, 'Leak', { value: `token=${CANARY_SECRETS.gitHubToken}` });
    expect(secretProblems(templatesOf(app))).toEqual([expect.stringMatching(/TestStack.template.json: contains the secret value ghp_Ca\.\.\./)]);
  });

  test('finds a secret property that is not a dynamic reference', () => {
    const app = new App();
    const stack = new Stack(app, 'TestStack');
    new CfnApp(stack, 'Raw', { name: 'raw', accessToken: 'not-a-reference', basicAuthConfig: { enableBasicAuth: true, username: 'u', password: 'p' } });
    // The lax validator still warns about the hard-coded password on the console; that warning is expected here.
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const templates = templatesOf(app);
    expect(consoleError).toHaveBeenCalledWith(expect.stringMatching(/BasicAuthConfig\.Password: Property 'Password' should not be a hardcoded string[\s\S]*W2501/));
    consoleError.mockRestore();
    expect(secretProblems(templates, [])).toEqual([
      expect.stringMatching(/Raw.AccessToken is not a dynamic reference/),
      expect.stringMatching(/Raw.BasicAuthConfig.Password is not a dynamic reference/),
    ]);
  });

  test('passes the templates of an app that uses every secret-bearing prop', () => {
    const stack = amplifyStack();
    const app = new amplify.App(stack, 'Site', {
      sourceCodeProvider: amplify.SourceCodeProvider.gitHub({ owner: 'o', repository: 'r', accessToken: SecretValue.secretsManager('gh') }),
      basicAuth: amplify.BasicAuth.fromCredentials('u', SecretValue.secretsManager('pw', { jsonField: 'password' })),
      autoBranchCreation: { basicAuth: amplify.BasicAuth.fromGeneratedPassword('preview') },
    });
    app.addBranch('main', { basicAuth: amplify.BasicAuth.fromGeneratedPassword('qa') });
    const cdkApp = scanApp(stack.node.root as App);
    expect(secretProblems(templatesOf(cdkApp))).toEqual([]);
    expect(templatesScanned()).toBe(0); // the file-wide scan runs after this test, over every app the file built
  });
});

describe.each([true, false])('with @aws-cdk/core:checkSecretUsage %s', (checkSecretUsage) => {
  function site(props: amplify.AppProps): Template {
    const app = scanApp(testApp({ context: { '@aws-cdk/core:checkSecretUsage': checkSecretUsage } }));
    const stack = testStack(app);
    new amplify.App(stack, 'Site', props);
    return Template.fromStack(stack);
  }

  test('a GitHub accessToken reaches the template as a dynamic reference', () => {
    const template = site({
      sourceCodeProvider: amplify.SourceCodeProvider.gitHub({ owner: 'o', repository: 'r', accessToken: SecretValue.secretsManager('gh') }),
    });
    template.hasResourceProperties('AWS::Amplify::App', { AccessToken: '{{resolve:secretsmanager:gh:SecretString:::}}' });
  });

  test('a GitLab oauthToken reaches the template as a dynamic reference', () => {
    const template = site({
      sourceCodeProvider: amplify.SourceCodeProvider.gitLab({ owner: 'o', repository: 'r', oauthToken: SecretValue.secretsManager('gl') }),
    });
    template.hasResourceProperties('AWS::Amplify::App', { OauthToken: '{{resolve:secretsmanager:gl:SecretString:::}}' });
  });

  test('BasicAuth.fromCredentials reaches the template as a dynamic reference', () => {
    const template = site({
      basicAuth: amplify.BasicAuth.fromCredentials('u', SecretValue.secretsManager('pw', { jsonField: 'password' })),
    });
    template.hasResourceProperties('AWS::Amplify::App', {
      BasicAuthConfig: { EnableBasicAuth: true, Username: 'u', Password: '{{resolve:secretsmanager:pw:SecretString:password::}}' },
    });
  });

  test('BasicAuth.fromGeneratedPassword reaches the template as a dynamic reference to the new secret', () => {
    const template = site({ basicAuth: amplify.BasicAuth.fromGeneratedPassword('u') });
    template.hasResourceProperties('AWS::Amplify::App', {
      BasicAuthConfig: {
        EnableBasicAuth: true,
        Username: 'u',
        Password: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: Match.stringLikeRegexp('^SiteBasicAuth') }, ':SecretString:password::}}']] },
      },
    });
  });

  test('a plain-text secret is still refused, with the fix', () => {
    expect(() => site({ basicAuth: amplify.BasicAuth.fromCredentials('u', SecretValue.unsafePlainText(CANARY_SECRETS.password)) }))
      .toThrow(/TestStack\/Site: `basicAuth password` would be written to the template in plain text\. Keep it in Secrets Manager/);
  });
});
