/**
 * The compute of a dev environment. Changing it restarts a running environment.
 */
export class DevEnvironmentInstanceType {
  /** 2 vCPUs, 4 GiB of memory. */
  public static readonly STANDARD1_SMALL = new DevEnvironmentInstanceType('dev.standard1.small');
  /** 4 vCPUs, 8 GiB of memory. */
  public static readonly STANDARD1_MEDIUM = new DevEnvironmentInstanceType('dev.standard1.medium');
  /** 8 vCPUs, 16 GiB of memory. */
  public static readonly STANDARD1_LARGE = new DevEnvironmentInstanceType('dev.standard1.large');
  /** 16 vCPUs, 32 GiB of memory. */
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
