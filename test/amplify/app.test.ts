import { CfnParameter, SecretValue, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import * as iam from 'aws-cdk-lib/aws-iam';
import { amplifyStack, CANARY_SECRETS } from './support';
import * as amplify from '../../src/amplify';
import { expectNagClean } from '../kit';

let stack: Stack;
beforeEach(() => {
  stack = amplifyStack();
});

const gitHub = () => amplify.SourceCodeProvider.gitHub({
  owner: 'acme', repository: 'site', accessToken: SecretValue.secretsManager('amplify/github-access-token'),
});
const buildSpec = () => codebuild.BuildSpec.fromObjectToYaml({
  version: 1,
  frontend: {
    phases: { build: { commands: ['npm ci', 'npm run build'] } },
    artifacts: { baseDirectory: 'dist', files: ['**/*'] },
  },
});
const appProps = (stack_: Stack) => Template.fromStack(stack_).findResources('AWS::Amplify::App');
const onlyApp = (stack_: Stack) => Object.values<any>(appProps(stack_))[0].Properties;

describe('App defaults', () => {
  test('a manual-deployment app with a service role, platform WEB and basic auth off', () => {
    new amplify.App(stack, 'Site');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Amplify::App', {
      Name: 'Site',
      Platform: 'WEB',
      IAMServiceRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('SiteRole'), 'Arn'] },
      BasicAuthConfig: { EnableBasicAuth: false },
      Repository: Match.absent(),
      AccessToken: Match.absent(),
      OauthToken: Match.absent(),
      ComputeRoleArn: Match.absent(),
      EnvironmentVariables: Match.absent(),
      CustomRules: Match.absent(),
      CustomHeaders: Match.absent(),
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'amplify.amazonaws.com' } })] },
    });
    template.resourceCountIs('AWS::IAM::Role', 1);
    expectNagClean(stack);
  });

  test('attributes come from the resource', () => {
    const app = new amplify.App(stack, 'Site');
    expect(stack.resolve(app.appId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Site/), 'AppId'] });
    expect(stack.resolve(app.appArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Site/), 'Arn'] });
    expect(stack.resolve(app.defaultDomain)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Site/), 'DefaultDomain'] });
    expect(stack.resolve(app.appName)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Site/), 'AppName'] });
    expect(app.grantPrincipal).toBe(app.role);
  });

  test('name, description, cache, build compute type, branch auto deletion and tags', () => {
    const app = new amplify.App(stack, 'Site', {
      appName: 'marketing-site',
      description: 'the marketing site',
      cacheConfigType: amplify.CacheConfigType.AMPLIFY_MANAGED_NO_COOKIES,
      buildComputeType: amplify.BuildComputeType.LARGE_16GB,
      autoBranchDeletion: true,
    });
    Tags.of(app).add('team', 'web');
    Template.fromStack(stack).hasResourceProperties('AWS::Amplify::App', {
      Name: 'marketing-site',
      Description: 'the marketing site',
      CacheConfig: { Type: 'AMPLIFY_MANAGED_NO_COOKIES' },
      JobConfig: { BuildComputeType: 'LARGE_16GB' },
      EnableBranchAutoDeletion: true,
      Tags: [{ Key: 'team', Value: 'web' }],
    });
  });

  test('fails a name or description the API rejects', () => {
    expect(() => new amplify.App(stack, 'A', { appName: 'x'.repeat(256) })).toThrow(/TestStack\/A: invalid appName: .* 256 characters; Amplify Hosting allows 1 to 255/);
    expect(() => new amplify.App(stack, 'B', { description: 'x'.repeat(1001) })).toThrow(/invalid description.*1001 characters/);
  });
});

describe('source code providers', () => {
  test('GitHub uses the GitHub App accessToken as a dynamic reference', () => {
    new amplify.App(stack, 'Site', { sourceCodeProvider: gitHub() });
    const props = onlyApp(stack);
    expect(props.Repository).toEqual('https://github.com/acme/site');
    expect(props.AccessToken).toEqual('{{resolve:secretsmanager:amplify/github-access-token:SecretString:::}}');
    expect(props.OauthToken).toBeUndefined();
  });

  test('GitLab and Bitbucket use an oauthToken', () => {
    new amplify.App(stack, 'Lab', {
      sourceCodeProvider: amplify.SourceCodeProvider.gitLab({
        owner: 'acme/web', repository: 'site', oauthToken: SecretValue.secretsManager('gitlab', { jsonField: 'token' }),
      }),
    });
    new amplify.App(stack, 'Bucket', {
      sourceCodeProvider: amplify.SourceCodeProvider.bitbucket({
        owner: 'acme', repository: 'site', oauthToken: SecretValue.secretsManager('bitbucket'),
      }),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Amplify::App', {
      Name: 'Lab',
      Repository: 'https://gitlab.com/acme/web/site',
      OauthToken: '{{resolve:secretsmanager:gitlab:SecretString:token::}}',
      AccessToken: Match.absent(),
    });
    template.hasResourceProperties('AWS::Amplify::App', {
      Name: 'Bucket', Repository: 'https://bitbucket.org/acme/site', OauthToken: '{{resolve:secretsmanager:bitbucket:SecretString:::}}',
    });
  });

  test('CodeCommit grants the service role pull access to the repository and sends no token', () => {
    const repo = new codecommit.Repository(stack, 'Repo', { repositoryName: 'site' });
    new amplify.App(stack, 'Site', { sourceCodeProvider: amplify.SourceCodeProvider.codeCommit({ repository: repo }) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Amplify::App', {
      Repository: { 'Fn::GetAtt': [Match.stringLikeRegexp('Repo'), 'CloneUrlHttp'] },
      AccessToken: Match.absent(),
      OauthToken: Match.absent(),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'codecommit:GitPull', Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('Repo'), 'Arn'] } }] },
      Roles: [{ Ref: Match.stringLikeRegexp('SiteRole') }],
    });
    expectNagClean(stack);
  });

  test('fails a token given in plain text', () => {
    expect(() => new amplify.App(stack, 'Site', {
      sourceCodeProvider: amplify.SourceCodeProvider.gitHub({
        owner: 'acme', repository: 'site', accessToken: SecretValue.unsafePlainText(CANARY_SECRETS.gitHubToken),
      }),
    })).toThrow(/TestStack\/Site: `accessToken` would be written to the template in plain text.*SecretValue.secretsManager/);
    expect(() => new amplify.App(stack, 'Lab', {
      sourceCodeProvider: amplify.SourceCodeProvider.gitLab({
        owner: 'acme', repository: 'site', oauthToken: SecretValue.unsafePlainText(CANARY_SECRETS.gitLabToken),
      }),
    })).toThrow(/`oauthToken` would be written to the template in plain text/);
    expect(() => new amplify.App(stack, 'Ssm', {
      sourceCodeProvider: amplify.SourceCodeProvider.bitbucket({ owner: 'acme', repository: 'site', oauthToken: SecretValue.ssmSecure('/bitbucket') }),
    })).toThrow(/TestStack\/Ssm: `oauthToken` is an SSM SecureString reference, which CloudFormation does not resolve in Amplify resources/);
  });

  test('fails an owner or repository that is not a repository path, naming the app and the factory call', () => {
    const token = SecretValue.secretsManager('t');
    const owner = amplify.SourceCodeProvider.gitHub({ owner: 'https://github.com/acme', repository: 'site', accessToken: token });
    expect(() => new amplify.App(stack, 'A', { sourceCodeProvider: owner })).toThrow(
      "TestStack/A: SourceCodeProvider.gitHub() got the owner 'https://github.com/acme', which is not the owner's part of a repository URL "
      + '(https://github.com/<owner>/<repository>). Give it as it appears there, without the host, spaces or a trailing \'.git\', '
      + "e.g. owner: 'acme', repository: 'site'");
    const dotGit = amplify.SourceCodeProvider.gitHub({ owner: 'acme', repository: 'site.git', accessToken: token });
    expect(() => new amplify.App(stack, 'B', { sourceCodeProvider: dotGit })).toThrow(
      "TestStack/B: SourceCodeProvider.gitHub() got the repository 'site.git', which is more than the repository's name. "
      + "Give only the name, without '/' or '.git': repository: 'site'");
    const nested = amplify.SourceCodeProvider.gitLab({ owner: 'acme', repository: 'a/b', oauthToken: token });
    expect(() => new amplify.App(stack, 'C', { sourceCodeProvider: nested }))
      .toThrow(/TestStack\/C: SourceCodeProvider.gitLab\(\) got the repository 'a\/b', .*repository: 'b' \(a group path belongs in owner: 'acme\/a'\)$/);
    const spaces = amplify.SourceCodeProvider.bitbucket({ owner: 'acme', repository: 'my site', oauthToken: token });
    expect(() => new amplify.App(stack, 'D', { sourceCodeProvider: spaces }))
      .toThrow(/TestStack\/D: SourceCodeProvider.bitbucket\(\) got the repository 'my site', which is not .*\(https:\/\/bitbucket.org\/<owner>\/<repository>\)/);
  });
});

describe('build spec and environment', () => {
  test('renders the build spec as YAML', () => {
    new amplify.App(stack, 'Site', { buildSpec: buildSpec() });
    expect(onlyApp(stack).BuildSpec).toEqual([
      'version: 1', 'frontend:', '  phases:', '    build:', '      commands:', '        - npm ci', '        - npm run build',
      '  artifacts:', '    baseDirectory: dist', '    files:', '      - "**/*"', '',
    ].join('\n'));
  });

  test('fails a build spec file name and a build spec over 25000 characters', () => {
    expect(() => new amplify.App(stack, 'A', { buildSpec: codebuild.BuildSpec.fromSourceFilename('amplify.yml') }))
      .toThrow(/TestStack\/A: `buildSpec` must be inline/);
    expect(() => new amplify.App(stack, 'B', { buildSpec: codebuild.BuildSpec.fromObjectToYaml({ version: 1, x: 'y'.repeat(25000) }) }))
      .toThrow(/invalid buildSpec: .* characters; Amplify Hosting allows 1 to 25000/s);
  });

  test('environment variables from props and addEnvironment(), duplicates rejected', () => {
    const app = new amplify.App(stack, 'Site', { environmentVariables: { NODE_VERSION: '22' } });
    app.addEnvironment('API_URL', 'https://api.example.com');
    expect(() => app.addEnvironment('NODE_VERSION', '20')).toThrow(/TestStack\/Site: environment variable 'NODE_VERSION' is already set \(to '22'\)/);
    expect(() => app.addEnvironment('X'.repeat(256), 'v')).toThrow(/invalid environment variable name/);
    expect(() => app.addEnvironment('', 'v')).toThrow(/names cannot be empty/);
    expect(() => app.addEnvironment('BIG', 'v'.repeat(5501))).toThrow(/invalid environment variable 'BIG'.*5501 characters/);
    expect(onlyApp(stack).EnvironmentVariables).toEqual([
      { Name: 'NODE_VERSION', Value: '22' }, { Name: 'API_URL', Value: 'https://api.example.com' },
    ]);
  });
});

describe('custom rules and headers', () => {
  test('presets and rules render in order', () => {
    const app = new amplify.App(stack, 'Site', {
      customRules: [amplify.CustomRule.redirectHost('https://example.com', 'https://www.example.com')],
    });
    app.addCustomRule(new amplify.CustomRule({ source: '/docs/<*>', target: '/guide/<*>', condition: '<DE>' }));
    app.addCustomRule(amplify.CustomRule.SINGLE_PAGE_APPLICATION_REDIRECT);
    app.addCustomRule(amplify.CustomRule.notFoundPage());
    expect(onlyApp(stack).CustomRules).toEqual([
      { Source: 'https://example.com/<*>', Target: 'https://www.example.com/<*>', Status: '301' },
      { Source: '/docs/<*>', Target: '/guide/<*>', Status: '301', Condition: '<DE>' },
      { Source: '</^[^.]+$/>', Target: '/index.html', Status: '200' },
      { Source: '/<*>', Target: '/404.html', Status: '404-200' },
    ]);
  });

  // Amplify's "region-based redirects" example, written as the alpha's addCustomRule() would take it.
  test('a region-based redirect takes the country code in angle brackets, one country per rule', () => {
    const amplifyApp = new amplify.App(stack, 'MyApp');
    amplifyApp.addCustomRule(new amplify.CustomRule({
      source: '/documents', target: '/documents/us/', status: amplify.RedirectStatus.TEMPORARY_REDIRECT, condition: '<US>',
    }));
    amplifyApp.addCustomRule(new amplify.CustomRule({
      source: '/documents', target: '/documents/ca/', status: amplify.RedirectStatus.TEMPORARY_REDIRECT, condition: '<CA>',
    }));
    expect(onlyApp(stack).CustomRules).toEqual([
      { Source: '/documents', Target: '/documents/us/', Status: '302', Condition: '<US>' },
      { Source: '/documents', Target: '/documents/ca/', Status: '302', Condition: '<CA>' },
    ]);
  });

  test('a country code without brackets, several countries or a wildcard are refused with the fix; tokens pass', () => {
    const app = new amplify.App(stack, 'Site');
    const rule = (condition: string) => () => app.addCustomRule(new amplify.CustomRule({ source: '/documents', target: '/documents/us/', condition }));
    expect(rule('US')).toThrow("TestStack/Site: customRules[0]: the CustomRule got the condition 'US': Amplify expects the country code in "
      + "angle brackets: write condition: '<US>'");
    expect(rule('us')).toThrow(/write condition: '<US>'/);
    expect(rule('US,CA')).toThrow("TestStack/Site: customRules[0]: the CustomRule got the condition 'US,CA': a rule takes one country: add "
      + "one rule per country, with condition: '<US>', '<CA>' (rules apply in order, and the first that matches wins)");
    expect(rule('<US><CA>')).toThrow(/a rule takes one country/);
    expect(rule('<*>')).toThrow(/Amplify has no wildcard country; leave condition out to match every country/);
    expect(rule('United States')).toThrow(/Amplify expects a two-letter ISO 3166-1 country code in angle brackets, like '<US>'/);
    const token = new CfnParameter(stack, 'Country').valueAsString;
    expect(rule(token)).not.toThrow();
    expect(rule('')).not.toThrow();
  });

  test('fails rules the API rejects', () => {
    const app = new amplify.App(stack, 'Site');
    expect(() => app.addCustomRule(new amplify.CustomRule({ source: '', target: '/x' })))
      .toThrow(/TestStack\/Site: invalid customRules\[0\].source: '' has 0 characters/);
    const noScheme = amplify.CustomRule.redirectHost('example.com', 'https://www.example.com');
    expect(() => app.addCustomRule(noScheme)).toThrow(
      "TestStack/Site: customRules[0]: CustomRule.redirectHost() got the from host 'example.com', which is not a scheme and a host alone. "
      + "Give it as the browser shows it, without a path, e.g. 'https://example.com'");
    expect(() => new amplify.App(stack, 'Other', { customRules: [amplify.CustomRule.redirectHost('https://a.com', 'https://b.com/path')] }))
      .toThrow(/TestStack\/Other: customRules\[0\]: CustomRule.redirectHost\(\) got the to host 'https:\/\/b.com\/path', .* e.g. 'https:\/\/b.com'$/);
  });

  test('custom headers render as YAML with quoted values', () => {
    const app = new amplify.App(stack, 'Site', {
      customHeaders: [{ pattern: '**', headers: { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } }],
    });
    app.addCustomHeader({ pattern: '*.js', headers: { 'Cache-Control': 'public, max-age=31536000, immutable' } });
    expect(onlyApp(stack).CustomHeaders).toEqual([
      'customHeaders:',
      '  - pattern: "**"',
      '    headers:',
      '      - key: "Strict-Transport-Security"',
      '        value: "max-age=31536000; includeSubDomains"',
      '  - pattern: "*.js"',
      '    headers:',
      '      - key: "Cache-Control"',
      '        value: "public, max-age=31536000, immutable"',
      '',
    ].join('\n'));
  });

  test('fails an empty header pattern or header list', () => {
    const app = new amplify.App(stack, 'Site');
    expect(() => app.addCustomHeader({ pattern: '', headers: { a: 'b' } })).toThrow(/pattern cannot be empty; use '\*\*'/);
    expect(() => app.addCustomHeader({ pattern: '**', headers: {} })).toThrow(/pattern '\*\*' list no header/);
  });
});

describe('basic auth', () => {
  test('fromCredentials renders the password as a dynamic reference', () => {
    new amplify.App(stack, 'Site', {
      basicAuth: amplify.BasicAuth.fromCredentials('preview', SecretValue.secretsManager('site/preview', { jsonField: 'password' })),
    });
    expect(onlyApp(stack).BasicAuthConfig).toEqual({
      EnableBasicAuth: true, Username: 'preview', Password: '{{resolve:secretsmanager:site/preview:SecretString:password::}}',
    });
  });

  test('fromGeneratedPassword keeps a generated password in Secrets Manager', () => {
    new amplify.App(stack, 'Site', { basicAuth: amplify.BasicAuth.fromGeneratedPassword('preview') });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { SecretStringTemplate: '{"username":"preview"}', GenerateStringKey: 'password', ExcludeCharacters: ':' },
    });
    const password = onlyApp(stack).BasicAuthConfig.Password;
    expect(JSON.stringify(password)).toMatch(/\{\{resolve:secretsmanager:.*SecretString:password::\}\}/);
    expectNagClean(stack);
  });

  test('fails a plain-text password and a user name with a colon', () => {
    expect(() => new amplify.App(stack, 'Site', {
      basicAuth: amplify.BasicAuth.fromCredentials('preview', SecretValue.unsafePlainText(CANARY_SECRETS.password)),
    })).toThrow(/`basicAuth password` would be written to the template in plain text/);
    const colon = amplify.BasicAuth.fromCredentials('a:b', SecretValue.secretsManager('x'));
    expect(() => new amplify.App(stack, 'Colon', { basicAuth: colon })).toThrow(
      "TestStack/Colon: BasicAuth.fromCredentials() got the user name 'a:b'; Amplify joins the user name to the password with ':', "
      + "so the name must be non-empty and without ':'. Give a plain name, e.g. 'preview'");
    expect(() => new amplify.App(stack, 'Empty').addBranch('main', { basicAuth: amplify.BasicAuth.fromGeneratedPassword('') }))
      .toThrow(/TestStack\/Empty\/main: BasicAuth.fromGeneratedPassword\(\) got the user name ''; /);
  });
});

describe('auto branch creation', () => {
  test('patterns, defaults and environment', () => {
    const app = new amplify.App(stack, 'Site', {
      autoBranchCreation: {
        patterns: ['feature/*'],
        environmentVariables: { STAGE: 'preview' },
        stage: amplify.Stage.DEVELOPMENT,
        framework: 'React',
        performanceMode: false,
        buildSpec: buildSpec(),
        basicAuth: amplify.BasicAuth.fromGeneratedPassword('preview'),
      },
      autoBranchDeletion: true,
    });
    app.addAutoBranchEnvironment('FEATURE_FLAGS', 'all');
    expect(() => app.addAutoBranchEnvironment('STAGE', 'x')).toThrow(/auto branch environment variable 'STAGE' is already set/);
    const config = onlyApp(stack).AutoBranchCreationConfig;
    expect(config).toMatchObject({
      EnableAutoBranchCreation: true,
      AutoBranchCreationPatterns: ['feature/*'],
      EnableAutoBuild: true,
      EnablePullRequestPreview: false,
      EnablePerformanceMode: false,
      Framework: 'React',
      Stage: 'DEVELOPMENT',
      EnvironmentVariables: [{ Name: 'STAGE', Value: 'preview' }, { Name: 'FEATURE_FLAGS', Value: 'all' }],
      BasicAuthConfig: { EnableBasicAuth: true, Username: 'preview' },
    });
    expect(config.BuildSpec).toContain('npm run build');
    Template.fromStack(stack).resourceCountIs('AWS::SecretsManager::Secret', 1);
  });

  test('fails patterns and names the API rejects', () => {
    expect(() => new amplify.App(stack, 'A', { autoBranchCreation: { patterns: [''] } }))
      .toThrow(/invalid autoBranchCreation.patterns\[0\]: '' has 0 characters/);
    expect(() => new amplify.App(stack, 'B', { autoBranchCreation: { pullRequestPreview: true, pullRequestEnvironmentName: 'x'.repeat(21) } }))
      .toThrow(/invalid autoBranchCreation.pullRequestEnvironmentName/);
  });
});

describe('roles', () => {
  test('a supplied service role is used and no role is created', () => {
    const role = iam.Role.fromRoleArn(stack, 'Existing', 'arn:aws:iam::123456789012:role/amplify-service');
    new amplify.App(stack, 'Site', { role });
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 0);
    expect(onlyApp(stack).IAMServiceRole).toEqual('arn:aws:iam::123456789012:role/amplify-service');
  });

  test('SSR platforms get a compute role, created or supplied', () => {
    const ssr = new amplify.App(stack, 'Ssr', { platform: amplify.Platform.WEB_COMPUTE });
    expect(ssr.computeRole).toBeDefined();
    const compute = iam.Role.fromRoleArn(stack, 'Compute', 'arn:aws:iam::123456789012:role/ssr');
    new amplify.App(stack, 'Dynamic', { platform: amplify.Platform.WEB_DYNAMIC, computeRole: compute });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Amplify::App', {
      Name: 'Ssr', Platform: 'WEB_COMPUTE', ComputeRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('SsrComputeRole'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Amplify::App', { Name: 'Dynamic', Platform: 'WEB_DYNAMIC', ComputeRoleArn: 'arn:aws:iam::123456789012:role/ssr' });
  });

  test('fails a compute role on a static platform', () => {
    const compute = iam.Role.fromRoleArn(stack, 'Compute', 'arn:aws:iam::123456789012:role/ssr');
    expect(() => new amplify.App(stack, 'Site', { computeRole: compute }))
      .toThrow(/TestStack\/Site: computeRole is set but the platform is WEB.*Platform.WEB_COMPUTE/);
  });
});

describe('monorepo', () => {
  test('appRoot sets AMPLIFY_MONOREPO_APP_ROOT and writes build spec and headers under applications', () => {
    const app = new amplify.App(stack, 'Web', {
      appRoot: 'apps/web',
      buildSpec: buildSpec(),
      environmentVariables: { NODE_VERSION: '22' },
      customHeaders: [{ pattern: '**', headers: { 'X-Frame-Options': 'DENY' } }],
    });
    app.addBranch('main', { buildSpec: buildSpec() });
    const props = onlyApp(stack);
    expect(props.EnvironmentVariables).toEqual([
      { Name: 'AMPLIFY_MONOREPO_APP_ROOT', Value: 'apps/web' }, { Name: 'NODE_VERSION', Value: '22' },
    ]);
    expect(props.BuildSpec).toEqual([
      'version: 1', 'applications:', '  - appRoot: apps/web', '    frontend:', '      phases:', '        build:', '          commands:',
      '            - npm ci', '            - npm run build', '      artifacts:', '        baseDirectory: dist', '        files:', '          - "**/*"', '',
    ].join('\n'));
    expect(props.CustomHeaders).toEqual([
      'applications:', '  - appRoot: apps/web', '    customHeaders:', '      - pattern: "**"', '        headers:',
      '          - key: "X-Frame-Options"', '            value: "DENY"', '',
    ].join('\n'));
    Template.fromStack(stack).hasResourceProperties('AWS::Amplify::Branch', {
      BuildSpec: Match.stringLikeRegexp('applications:\n  - appRoot: apps/web\n    frontend:'),
    });
  });

  test('a build spec that already lists the app root is kept; one that lists only others fails', () => {
    const listed = codebuild.BuildSpec.fromObjectToYaml({ version: 1, applications: [{ appRoot: 'apps/web', frontend: {} }] });
    new amplify.App(stack, 'Ok', { appRoot: 'apps/web', buildSpec: listed });
    expect(onlyApp(stack).BuildSpec).toContain('appRoot: apps/web');
    const other = codebuild.BuildSpec.fromObjectToYaml({ version: 1, applications: [{ appRoot: 'apps/admin', frontend: {} }] });
    expect(() => new amplify.App(stack, 'Bad', { appRoot: 'apps/web', buildSpec: other }))
      .toThrow(/TestStack\/Bad: `buildSpec` lists the app roots \["apps\/admin"\].*appRoot is 'apps\/web'/);
  });

  test('the auto branch build spec is wrapped too', () => {
    new amplify.App(stack, 'Web', { appRoot: 'apps/web', autoBranchCreation: { buildSpec: buildSpec() } });
    expect(onlyApp(stack).AutoBranchCreationConfig.BuildSpec).toContain('  - appRoot: apps/web\n');
  });

  test('fails an invalid appRoot and a conflicting AMPLIFY_MONOREPO_APP_ROOT', () => {
    expect(() => new amplify.App(stack, 'A', { appRoot: '/apps/web' })).toThrow(/TestStack\/A: invalid appRoot '\/apps\/web'/);
    expect(() => new amplify.App(stack, 'B', { appRoot: 'apps/../web' })).toThrow(/invalid appRoot/);
    expect(() => new amplify.App(stack, 'C', { appRoot: 'apps/web', environmentVariables: { AMPLIFY_MONOREPO_APP_ROOT: 'apps/x' } }))
      .toThrow(/AMPLIFY_MONOREPO_APP_ROOT is set by appRoot/);
  });
});

describe('imports', () => {
  test('fromAppId builds the ARN and default domain', () => {
    const app = amplify.App.fromAppId(stack, 'Imported', 'd1a2b3c4d5e6f7');
    expect(app.appId).toEqual('d1a2b3c4d5e6f7');
    expect(stack.resolve(app.appArn)).toEqual('arn:aws:amplify:us-east-1:123456789012:apps/d1a2b3c4d5e6f7');
    expect(app.defaultDomain).toEqual('d1a2b3c4d5e6f7.amplifyapp.com');
  });

  test('fromAppAttributes takes the environment from the ARN', () => {
    const app = amplify.App.fromAppAttributes(stack, 'Imported', {
      appId: 'd1a2b3c4d5e6f7', appArn: 'arn:aws:amplify:eu-west-1:210987654321:apps/d1a2b3c4d5e6f7', defaultDomain: 'example.amplifyapp.com',
    });
    expect(app.env).toEqual({ account: '210987654321', region: 'eu-west-1' });
    expect(app.defaultDomain).toEqual('example.amplifyapp.com');
  });

  test('fails an app id Amplify would not have issued', () => {
    expect(() => amplify.App.fromAppId(stack, 'Bad', 'my-app')).toThrow(/TestStack\/Bad: invalid appId: 'my-app' does not match the pattern/);
  });
});
