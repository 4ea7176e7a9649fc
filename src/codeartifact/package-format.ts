import { Token } from 'aws-cdk-lib';
import { CODEARTIFACT_API } from './private/api-constraints';
import { UnscopedValidationError } from '../core/validation';

/**
 * A package format CodeArtifact serves (an open set: CodeArtifact adds formats over time).
 */
export class PackageFormat {
  /** npm (JavaScript). */
  public static readonly NPM = new PackageFormat('npm');
  /** PyPI (Python: pip, twine). */
  public static readonly PYPI = new PackageFormat('pypi');
  /** Maven (Java: Maven, Gradle). */
  public static readonly MAVEN = new PackageFormat('maven');
  /** NuGet (.NET). */
  public static readonly NUGET = new PackageFormat('nuget');
  /** Generic packages (any file, published with the API). */
  public static readonly GENERIC = new PackageFormat('generic');
  /** RubyGems (Ruby: gem, Bundler). */
  public static readonly RUBY = new PackageFormat('ruby');
  /** Swift Package Manager. */
  public static readonly SWIFT = new PackageFormat('swift');
  /** Cargo (Rust). */
  public static readonly CARGO = new PackageFormat('cargo');

  /**
   * A format this library does not list yet.
   * @param name the format as the CodeArtifact API spells it, e.g. `npm`
   */
  public static of(name: string): PackageFormat {
    if (!Token.isUnresolved(name) && !/^[a-z][a-z0-9]*$/.test(name)) {
      throw new UnscopedValidationError(`invalid package format '${name}': CodeArtifact formats are lower-case words such as `
        + `${(CODEARTIFACT_API.shapes.PackageFormat.values ?? []).join(', ')}`);
    }
    return new PackageFormat(name);
  }

  /** @param name the format as the CodeArtifact API spells it */
  protected constructor(public readonly name: string) {}
}
