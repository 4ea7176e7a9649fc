/**
 * The compute of a dev environment. Changing it restarts a running environment.
 */
export class DevEnvironmentInstanceType {
  /** The smallest: 2 vCPUs and 4 GB of memory, the console's default. */
  public static readonly STANDARD1_SMALL = new DevEnvironmentInstanceType('dev.standard1.small');
  /** The next size up from small. */
  public static readonly STANDARD1_MEDIUM = new DevEnvironmentInstanceType('dev.standard1.medium');
  /** The next size up from medium. */
  public static readonly STANDARD1_LARGE = new DevEnvironmentInstanceType('dev.standard1.large');
  /** The largest. */
  public static readonly STANDARD1_XLARGE = new DevEnvironmentInstanceType('dev.standard1.xlarge');

  /** An instance type by its API name, for one this library does not list yet (checked against the known ones at synth). */
  public static of(name: string): DevEnvironmentInstanceType {
    return new DevEnvironmentInstanceType(name);
  }

  private constructor(
    /** The API name, e.g. `dev.standard1.small`. */
    public readonly name: string,
  ) {}
}
