import { Token } from 'aws-cdk-lib';
import { PackageFormat } from './package-format';
import { CODEARTIFACT_API } from './private/api-constraints';
import { checkShape } from '../core/api-constraints';
import { UnscopedValidationError } from '../core/validation';

/**
 * A public package repository a CodeArtifact repository can proxy through its one external connection.
 *
 * The recommended layout is one "store" repository per public registry, used as an upstream by the
 * team repositories: a repository can have only one external connection.
 * @see https://docs.aws.amazon.com/codeartifact/latest/ug/external-connection.html
 */
export class ExternalConnection {
  /** The npm public registry (npmjs.com). */
  public static readonly NPMJS = new ExternalConnection('public:npmjs', PackageFormat.NPM);
  /** The NuGet Gallery. */
  public static readonly NUGET_ORG = new ExternalConnection('public:nuget-org', PackageFormat.NUGET);
  /** The Python Package Index. */
  public static readonly PYPI = new ExternalConnection('public:pypi', PackageFormat.PYPI);
  /** Maven Central. */
  public static readonly MAVEN_CENTRAL = new ExternalConnection('public:maven-central', PackageFormat.MAVEN);
  /** The Google Android repository. */
  public static readonly MAVEN_GOOGLE_ANDROID = new ExternalConnection('public:maven-googleandroid', PackageFormat.MAVEN);
  /** The Gradle plugins repository. */
  public static readonly MAVEN_GRADLE_PLUGINS = new ExternalConnection('public:maven-gradleplugins', PackageFormat.MAVEN);
  /** The CommonsWare Android repository. */
  public static readonly MAVEN_COMMONSWARE = new ExternalConnection('public:maven-commonsware', PackageFormat.MAVEN);
  /** The Clojars repository. */
  public static readonly MAVEN_CLOJARS = new ExternalConnection('public:maven-clojars', PackageFormat.MAVEN);
  /** RubyGems.org. */
  public static readonly RUBY_GEMS_ORG = new ExternalConnection('public:ruby-gems-org', PackageFormat.RUBY);
  /** Crates.io. */
  public static readonly CRATES_IO = new ExternalConnection('public:crates-io', PackageFormat.CARGO);

  /**
   * A connection this library does not list yet.
   * @param name the CodeArtifact name, e.g. `public:crates-io`
   * @param format the format of the packages it serves
   */
  public static of(name: string, format: PackageFormat): ExternalConnection {
    if (!Token.isUnresolved(name)) {
      if (!name.startsWith('public:')) {
        throw new UnscopedValidationError(`invalid external connection '${name}': CodeArtifact external connection names start with 'public:'; `
          + 'use one of the ExternalConnection constants or the name the CodeArtifact documentation gives');
      }
      const problems = checkShape(CODEARTIFACT_API, 'ExternalConnectionName', name, 'external connection name');
      if (problems.length > 0) {
        throw new UnscopedValidationError(`invalid ${problems.join('; ')}; use the name the CodeArtifact documentation gives, e.g. public:npmjs`);
      }
    }
    return new ExternalConnection(name, format);
  }

  /**
   * @param name the connection name as CloudFormation expects it
   * @param format the format of the packages it serves
   */
  protected constructor(public readonly name: string, public readonly format: PackageFormat) {}
}
