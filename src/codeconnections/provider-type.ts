/**
 * The source provider of a connection or host.
 *
 * Cloud providers (GitHub, GitLab, Bitbucket) are used by connections directly; installed providers
 * (GitHub Enterprise Server, GitLab self-managed) need a `Host`.
 */
export class ProviderType {
  /** Bitbucket Cloud. */
  public static readonly BITBUCKET = new ProviderType('Bitbucket', false);
  /** GitHub.com (through the AWS Connector for GitHub app). */
  public static readonly GITHUB = new ProviderType('GitHub', false);
  /** GitLab.com. */
  public static readonly GITLAB = new ProviderType('GitLab', false);
  /** GitHub Enterprise Server: connections to it go through a `Host`. */
  public static readonly GITHUB_ENTERPRISE_SERVER = new ProviderType('GitHubEnterpriseServer', true);
  /** GitLab self-managed: connections to it go through a `Host`. */
  public static readonly GITLAB_SELF_MANAGED = new ProviderType('GitLabSelfManaged', true);

  /**
   * A provider type this library does not list yet, such as `AzureDevOps`: CodeConnections adds providers before
   * its API model lists them, so any single word of letters is accepted (checked where it is used).
   *
   * @param value the provider type as CloudFormation expects it, e.g. `AzureDevOps`
   * @param installed whether the provider is installed (self-hosted) and so needs a host
   */
  public static of(value: string, installed: boolean = false): ProviderType {
    return new ProviderType(value, installed);
  }

  /**
   * @param value the provider type as CloudFormation expects it
   * @param installed whether the provider is installed (self-hosted) and so needs a host
   */
  protected constructor(public readonly value: string, public readonly installed: boolean) {}
}
