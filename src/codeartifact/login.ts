import { Duration } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';

/** A package manager (client) that can log in to a CodeArtifact repository. */
export enum PackageManager {
  /** npm: `aws codeartifact login --tool npm` writes the registry and token to `~/.npmrc`. */
  NPM = 'npm',
  /** pip: `aws codeartifact login --tool pip` writes the index URL to pip's configuration. */
  PIP = 'pip',
  /** twine: `aws codeartifact login --tool twine` writes the repository to `~/.pypirc`. */
  TWINE = 'twine',
  /**
   * Maven: a `~/.m2/settings.xml` (replacing any existing one) with server and mirror `codeartifact`; use that
   * id in `distributionManagement` to publish.
   */
  MAVEN = 'maven',
  /**
   * Gradle: `CODEARTIFACT_AUTH_TOKEN` and `CODEARTIFACT_REPOSITORY_URL` in the environment, for a `maven { }`
   * repository with username `aws` and the token as password.
   */
  GRADLE = 'gradle',
  /** NuGet CLI: `aws codeartifact login --tool nuget` adds the source. */
  NUGET = 'nuget',
  /** dotnet CLI: `aws codeartifact login --tool dotnet` adds the source. */
  DOTNET = 'dotnet',
  /** Swift Package Manager: `aws codeartifact login --tool swift` sets the registry and credentials. */
  SWIFT = 'swift',
  /**
   * Cargo: a registry named `codeartifact` (index, credential provider that fetches a token, default registry)
   * through `CARGO_*` variables, with crates.io replaced by it.
   */
  CARGO = 'cargo',
  /**
   * RubyGems and Bundler: `RUBYGEMS_HOST` and `GEM_HOST_API_KEY` for `gem push`, and Bundler credentials for
   * the repository URL (use it as the Gemfile `source`).
   */
  RUBY = 'ruby',
}

/** Options for logging in to a repository. */
export interface LoginOptions {
  /**
   * How long the authorization token is valid: 15 minutes to 12 hours, or zero for as long as the build's
   * role session.
   * @default Duration.hours(12)
   */
  readonly tokenDuration?: Duration;
}

/** What a build needs to log a package manager in to a repository. */
export interface PackageManagerLogin {
  /** The repository endpoint for the package manager's format. */
  readonly endpoint: string;

  /**
   * Plain (non-secret) environment variables, ready for a CodeBuild project's `environmentVariables`:
   * `CODEARTIFACT_DOMAIN`, `CODEARTIFACT_DOMAIN_OWNER`, `CODEARTIFACT_REPOSITORY`, `CODEARTIFACT_REGION`,
   * `CODEARTIFACT_REPOSITORY_URL` and the package manager's own.
   */
  readonly environmentVariables: { [name: string]: codebuild.BuildEnvironmentVariable };

  /** Shell commands for a buildspec phase (e.g. `install`); they need the AWS CLI v2 and the variables above. */
  readonly commands: string[];
}
