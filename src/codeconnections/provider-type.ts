import { Token } from 'aws-cdk-lib';

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
   * A provider type this library does not list yet (CloudFormation may accept more than the API reference
   * documents, such as `AzureDevOps`).
   *
   * @param value the provider type as CloudFormation expects it
   * @param installed whether the provider is installed (self-hosted) and so needs a host
   */
  public static of(value: string, installed: boolean = false): ProviderType {
    if (!Token.isUnresolved(value) && !/^[A-Za-z]+$/.test(value)) {
      throw new Error(`a provider type is a single word such as 'GitHub', got '${value}'`);
    }
    return new ProviderType(value, installed);
  }

  /**
   * @param value the provider type as CloudFormation expects it
   * @param installed whether the provider is installed (self-hosted) and so needs a host
   */
  protected constructor(public readonly value: string, public readonly installed: boolean) {}
}
