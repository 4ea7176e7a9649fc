import { SecretValue, Token } from 'aws-cdk-lib';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ValidationError } from '../core/validation';

/**
 * What a source code provider contributes to an app.
 */
export interface SourceCodeProviderConfig {
  /** The HTTPS URL of the repository. */
  readonly repository: string;

  /**
   * The GitHub App access token (GitHub only).
   * @default - no access token
   */
  readonly accessToken?: SecretValue;

  /**
   * The OAuth token of another Git provider.
   * @default - no OAuth token
   */
  readonly oauthToken?: SecretValue;
}

/**
 * Connects an Amplify app to the repository it builds from.
 *
 * Implement it to support another provider; the built-in ones come from `SourceCodeProvider`.
 */
export interface ISourceCodeProvider {
  /**
   * Called once by the app.
   *
   * @param scope the app, for any construct the provider needs
   * @param serviceRole the app's service role, for providers that grant it access to the repository
   */
  bind(scope: Construct, serviceRole: iam.IGrantable): SourceCodeProviderConfig;
}

/** A repository at a Git hosting service. */
export interface GitRepositoryOptions {
  /** The user or organisation (or GitLab group path) that owns the repository. */
  readonly owner: string;

  /** The repository's name. */
  readonly repository: string;
}

/** A GitHub repository reached through the Amplify GitHub App. */
export interface GitHubSourceCodeProviderProps extends GitRepositoryOptions {
  /**
   * A GitHub personal access token that Amplify uses once, at creation, to install the Amplify GitHub App
   * on the repository; it is not stored.
   *
   * Keep it in Secrets Manager: `SecretValue.secretsManager('github-token')`.
   */
  readonly accessToken: SecretValue;
}

/** A GitLab or Bitbucket repository. */
export interface OAuthSourceCodeProviderProps extends GitRepositoryOptions {
  /**
   * The OAuth (or personal access) token Amplify uses to create a webhook and a read-only deploy key;
   * it is not stored.
   *
   * Keep it in Secrets Manager: `SecretValue.secretsManager('gitlab-token')`.
   */
  readonly oauthToken: SecretValue;
}

/** A CodeCommit repository. */
export interface CodeCommitSourceCodeProviderProps {
  /** The repository; the app's service role is granted pull access to it. */
  readonly repository: codecommit.IRepository;
}

/**
 * The source code providers Amplify supports.
 *
 * Leave `sourceCodeProvider` out of an app for manual deployments (no repository).
 */
export abstract class SourceCodeProvider {
  /**
   * A GitHub repository, connected through the Amplify GitHub App with an `accessToken`.
   *
   * This is what AWS recommends for GitHub: apps created with a GitHub OAuth token must later be migrated by hand.
   */
  public static gitHub(props: GitHubSourceCodeProviderProps): ISourceCodeProvider {
    // Checked when an app binds it, so that a mistake is reported against that app.
    return { bind: (scope: Construct) => ({ repository: gitUrl(scope, 'gitHub', 'https://github.com', props), accessToken: props.accessToken }) };
  }

  /** A GitLab repository, connected with an `oauthToken`. */
  public static gitLab(props: OAuthSourceCodeProviderProps): ISourceCodeProvider {
    return { bind: (scope: Construct) => ({ repository: gitUrl(scope, 'gitLab', 'https://gitlab.com', props), oauthToken: props.oauthToken }) };
  }

  /** A Bitbucket repository, connected with an `oauthToken`. */
  public static bitbucket(props: OAuthSourceCodeProviderProps): ISourceCodeProvider {
    return { bind: (scope: Construct) => ({ repository: gitUrl(scope, 'bitbucket', 'https://bitbucket.org', props), oauthToken: props.oauthToken }) };
  }

  /** A CodeCommit repository: the app's service role is granted pull access, no token is needed. */
  public static codeCommit(props: CodeCommitSourceCodeProviderProps): ISourceCodeProvider {
    return {
      bind: (_scope: Construct, serviceRole: iam.IGrantable) => {
        props.repository.grantPull(serviceRole);
        return { repository: props.repository.repositoryCloneUrlHttp };
      },
    };
  }
}

/** The repository URL, refusing an owner or a repository that is not its part of the URL. */
function gitUrl(scope: Construct, factory: string, host: string, props: GitRepositoryOptions): string {
  const call = `SourceCodeProvider.${factory}()`;
  for (const [name, value] of [['owner', props.owner], ['repository', props.repository]] as const) {
    if (Token.isUnresolved(value)) continue;
    if (name === 'repository' && /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$|\.git$/.test(value)) {
      const bare = value.replace(/\.git$/, '');
      const group = bare.includes('/') ? ` (a group path belongs in owner: '${props.owner}/${bare.slice(0, bare.lastIndexOf('/'))}')` : '';
      throw new ValidationError(`${call} got the repository '${value}', which is more than the repository's name. Give only the name, without '/' `
        + `or '.git': repository: '${bare.slice(bare.lastIndexOf('/') + 1)}'${group}`, scope);
    }
    if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(value)) {
      throw new ValidationError(`${call} got the ${name} '${value}', which is not the ${name === 'owner' ? 'owner\'s' : 'repository\'s'} part of a `
        + `repository URL (${host}/<owner>/<repository>). Give it as it appears there, without the host, spaces or a trailing '.git', `
        + 'e.g. owner: \'acme\', repository: \'site\'', scope);
    }
  }
  return `${host}/${props.owner}/${props.repository}`;
}
