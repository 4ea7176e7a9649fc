import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import { IRepository, PackageManager, Repository } from '../../src/codeartifact';
import { testStack } from '../kit';

const ARN = 'arn:aws:codeartifact:eu-west-1:222222222222:repository/shared/team';
const ARGS = '--domain "$CODEARTIFACT_DOMAIN" --domain-owner "$CODEARTIFACT_DOMAIN_OWNER" --region "$CODEARTIFACT_REGION"';
const TOKEN = `export CODEARTIFACT_AUTH_TOKEN="$(aws codeartifact get-authorization-token ${ARGS} --query authorizationToken --output text)"`;

describe('loginSettings', () => {
  let stack: Stack;
  let repository: IRepository;
  beforeEach(() => {
    stack = testStack();
    repository = Repository.fromRepositoryArn(stack, 'Repo', ARN);
  });

  const values = (manager: PackageManager, options = {}) => {
    const login = repository.loginSettings(manager, options);
    return {
      endpoint: stack.resolve(login.endpoint),
      variables: Object.fromEntries(Object.entries(login.environmentVariables).map(([k, v]) => [k, stack.resolve(v.value)])),
      commands: login.commands,
    };
  };
  const endpoint = (format: string) => ({
    'Fn::Join': ['', ['https://shared-222222222222.d.codeartifact.eu-west-1.', { Ref: 'AWS::URLSuffix' }, `/${format}/team/`]],
  });
  const common = (format: string) => ({
    CODEARTIFACT_DOMAIN: 'shared',
    CODEARTIFACT_DOMAIN_OWNER: '222222222222',
    CODEARTIFACT_REPOSITORY: 'team',
    CODEARTIFACT_REGION: 'eu-west-1',
    CODEARTIFACT_REPOSITORY_URL: endpoint(format),
  });

  test.each([
    [PackageManager.NPM, 'npm'], [PackageManager.PIP, 'pypi'], [PackageManager.TWINE, 'pypi'], [PackageManager.NUGET, 'nuget'],
    [PackageManager.DOTNET, 'nuget'], [PackageManager.SWIFT, 'swift'],
  ])('%s logs in with the AWS CLI', (manager, format) => {
    expect(values(manager)).toEqual({
      endpoint: endpoint(format),
      variables: common(format),
      commands: [`aws codeartifact login --tool ${manager} ${ARGS} --repository "$CODEARTIFACT_REPOSITORY"`],
    });
  });

  test('maven writes settings.xml reading the token from the environment', () => {
    const login = values(PackageManager.MAVEN);
    expect(login.variables).toEqual(common('maven'));
    expect(login.commands).toEqual([TOKEN, expect.stringMatching(/^mkdir -p ~\/.m2 && echo '<settings>.*<password>\$\{env.CODEARTIFACT_AUTH_TOKEN\}<\/password>.*<url>\$\{env.CODEARTIFACT_REPOSITORY_URL\}<\/url>.*' > ~\/.m2\/settings.xml$/)]);
  });

  test('gradle exports the token', () => {
    expect(values(PackageManager.GRADLE)).toEqual({ endpoint: endpoint('maven'), variables: common('maven'), commands: [TOKEN] });
  });

  test('cargo configures a registry with a credential provider', () => {
    const login = values(PackageManager.CARGO);
    expect(login.variables).toEqual({
      ...common('cargo'),
      CARGO_REGISTRIES_CODEARTIFACT_INDEX: { 'Fn::Join': ['', ['sparse+https://shared-222222222222.d.codeartifact.eu-west-1.', { Ref: 'AWS::URLSuffix' }, '/cargo/team/']] },
      CARGO_REGISTRIES_CODEARTIFACT_CREDENTIAL_PROVIDER: 'cargo:token-from-stdout aws codeartifact get-authorization-token --domain shared '
        + '--domain-owner 222222222222 --region eu-west-1 --query authorizationToken --output text',
      CARGO_REGISTRY_DEFAULT: 'codeartifact',
    });
    expect(login.commands).toEqual(['mkdir -p ~/.cargo && printf \'[source.crates-io]\\nreplace-with = "codeartifact"\\n\' >> ~/.cargo/config.toml']);
  });

  test('ruby sets the gem host, API key and Bundler credentials', () => {
    const login = values(PackageManager.RUBY);
    expect(login.variables).toEqual({ ...common('ruby'), RUBYGEMS_HOST: endpoint('ruby') });
    expect(login.commands).toEqual([
      TOKEN,
      'export GEM_HOST_API_KEY="Bearer $CODEARTIFACT_AUTH_TOKEN"',
      'if command -v bundle >/dev/null; then bundle config set --global "$CODEARTIFACT_REPOSITORY_URL" "aws:$CODEARTIFACT_AUTH_TOKEN"; fi',
    ]);
  });

  test('a token duration is passed on', () => {
    expect(values(PackageManager.NPM, { tokenDuration: Duration.hours(1) }).commands[0]).toMatch(/--duration-seconds 3600$/);
    expect(values(PackageManager.GRADLE, { tokenDuration: Duration.seconds(0) }).commands[0]).toContain('--duration-seconds 0 --query');
  });

  test.each([[Duration.minutes(10), /shorter than the 15 minutes/], [Duration.hours(13), /invalid tokenDuration: 46800 is out of range; CodeArtifact allows 0 to 43200\. Use Duration.minutes\(15\) to Duration.hours\(12\), or Duration.seconds\(0\)/]])(
    'fails a token duration of %s', (tokenDuration, error) => {
      expect(() => repository.loginSettings(PackageManager.NPM, { tokenDuration })).toThrow(error);
    });

  test('the settings plug into a CodeBuild project', () => {
    const login = repository.loginSettings(PackageManager.NPM);
    new codebuild.Project(stack, 'Build', {
      environmentVariables: login.environmentVariables,
      buildSpec: codebuild.BuildSpec.fromObject({ version: '0.2', phases: { install: { commands: login.commands }, build: { commands: ['npm ci'] } } }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CodeBuild::Project', {
      Environment: {
        EnvironmentVariables: [
          { Name: 'CODEARTIFACT_DOMAIN', Type: 'PLAINTEXT', Value: 'shared' },
          { Name: 'CODEARTIFACT_DOMAIN_OWNER', Type: 'PLAINTEXT', Value: '222222222222' },
          { Name: 'CODEARTIFACT_REPOSITORY', Type: 'PLAINTEXT', Value: 'team' },
          { Name: 'CODEARTIFACT_REGION', Type: 'PLAINTEXT', Value: 'eu-west-1' },
          { Name: 'CODEARTIFACT_REPOSITORY_URL', Type: 'PLAINTEXT', Value: endpoint('npm') },
        ],
      },
    });
  });
});
