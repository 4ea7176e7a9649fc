import { Token } from 'aws-cdk-lib';
import { CODEARTIFACT_API } from './api-constraints';
import { validateApiValue } from '../../core/api-constraints';
import { ValidationError } from '../../core/validation';
import { LoginOptions, PackageManager, PackageManagerLogin } from '../login';
import { PackageFormat } from '../package-format';
import type { IRepository } from '../repository';

const FORMAT_OF: Record<PackageManager, PackageFormat> = {
  [PackageManager.NPM]: PackageFormat.NPM,
  [PackageManager.PIP]: PackageFormat.PYPI,
  [PackageManager.TWINE]: PackageFormat.PYPI,
  [PackageManager.MAVEN]: PackageFormat.MAVEN,
  [PackageManager.GRADLE]: PackageFormat.MAVEN,
  [PackageManager.NUGET]: PackageFormat.NUGET,
  [PackageManager.DOTNET]: PackageFormat.NUGET,
  [PackageManager.SWIFT]: PackageFormat.SWIFT,
  [PackageManager.CARGO]: PackageFormat.CARGO,
  [PackageManager.RUBY]: PackageFormat.RUBY,
};

/** The package managers `aws codeartifact login` configures itself. */
const CLI_LOGIN = new Set([PackageManager.NPM, PackageManager.PIP, PackageManager.TWINE, PackageManager.NUGET, PackageManager.DOTNET,
  PackageManager.SWIFT]);

const MAVEN_SETTINGS = '<settings><servers><server><id>codeartifact</id><username>aws</username>'
  + '<password>${env.CODEARTIFACT_AUTH_TOKEN}</password></server></servers>'
  + '<mirrors><mirror><id>codeartifact</id><name>CodeArtifact</name><url>${env.CODEARTIFACT_REPOSITORY_URL}</url>'
  + '<mirrorOf>*</mirrorOf></mirror></mirrors></settings>';

/** Renders the login settings of one package manager for a repository. */
export function renderLogin(repository: IRepository, manager: PackageManager, options: LoginOptions): PackageManagerLogin {
  const seconds = options.tokenDuration?.toSeconds();
  if (seconds !== undefined && !Token.isUnresolved(seconds)) {
    validateApiValue(repository, CODEARTIFACT_API, 'AuthorizationTokenDurationSeconds', 'tokenDuration', seconds,
      'Use Duration.minutes(15) to Duration.hours(12), or Duration.seconds(0) for a token that lasts as long as the build\'s '
      + 'role session.');
    if (seconds > 0 && seconds < 900) {
      throw new ValidationError(`invalid tokenDuration: ${seconds} seconds is shorter than the 15 minutes CodeArtifact `
        + 'allows; use 15 minutes to 12 hours, or zero for the length of the role session', repository);
    }
  }
  const duration = seconds !== undefined ? ` --duration-seconds ${seconds}` : '';
  const endpoint = repository.repositoryEndpoint(FORMAT_OF[manager]);
  const region = repository.env.region;
  const variables: Record<string, string> = {
    CODEARTIFACT_DOMAIN: repository.domain.domainName,
    CODEARTIFACT_DOMAIN_OWNER: repository.domain.domainOwner,
    CODEARTIFACT_REPOSITORY: repository.repositoryName,
    CODEARTIFACT_REGION: region,
    CODEARTIFACT_REPOSITORY_URL: endpoint,
  };
  const domainArgs = '--domain "$CODEARTIFACT_DOMAIN" --domain-owner "$CODEARTIFACT_DOMAIN_OWNER" --region "$CODEARTIFACT_REGION"';
  const exportToken = `export CODEARTIFACT_AUTH_TOKEN="$(aws codeartifact get-authorization-token ${domainArgs}${duration} `
    + '--query authorizationToken --output text)"';
  const commands: string[] = [];

  if (CLI_LOGIN.has(manager)) {
    commands.push(`aws codeartifact login --tool ${manager} ${domainArgs} --repository "$CODEARTIFACT_REPOSITORY"${duration}`);
  } else if (manager === PackageManager.MAVEN) {
    commands.push(exportToken, `mkdir -p ~/.m2 && echo '${MAVEN_SETTINGS}' > ~/.m2/settings.xml`);
  } else if (manager === PackageManager.GRADLE) {
    commands.push(exportToken);
  } else if (manager === PackageManager.CARGO) {
    // Cargo runs the credential provider without a shell, so the command carries the values themselves.
    variables.CARGO_REGISTRIES_CODEARTIFACT_INDEX = `sparse+${endpoint}`;
    variables.CARGO_REGISTRIES_CODEARTIFACT_CREDENTIAL_PROVIDER = 'cargo:token-from-stdout aws codeartifact get-authorization-token '
      + `--domain ${repository.domain.domainName} --domain-owner ${repository.domain.domainOwner} --region ${region}${duration} `
      + '--query authorizationToken --output text';
    variables.CARGO_REGISTRY_DEFAULT = 'codeartifact';
    commands.push('mkdir -p ~/.cargo && printf \'[source.crates-io]\\nreplace-with = "codeartifact"\\n\' >> ~/.cargo/config.toml');
  } else {
    variables.RUBYGEMS_HOST = endpoint;
    commands.push(exportToken, 'export GEM_HOST_API_KEY="Bearer $CODEARTIFACT_AUTH_TOKEN"',
      'if command -v bundle >/dev/null; then bundle config set --global "$CODEARTIFACT_REPOSITORY_URL" "aws:$CODEARTIFACT_AUTH_TOKEN"; fi');
  }
  return {
    endpoint,
    environmentVariables: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, { value: v }])),
    commands,
  };
}
