import { IResource, Resource, Token } from 'aws-cdk-lib';
import { CfnRepositoryLink } from 'aws-cdk-lib/aws-codestarconnections';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { IConnection } from './connection';
import { CODECONNECTIONS_API } from './private/api-constraints';
import { idFromArn, parseArn } from './private/arn';
import { validateApiValue } from '../core/api-constraints';

/**
 * A link between a connection and one repository, the basis of CloudFormation Git sync; defined here or imported.
 */
export interface IRepositoryLink extends IResource {
  /**
   * The ARN of the repository link.
   * @attribute
   */
  readonly repositoryLinkArn: string;

  /**
   * The id (a UUID) of the repository link.
   * @attribute
   */
  readonly repositoryLinkId: string;
}

/**
 * Properties of a repository link.
 */
export interface RepositoryLinkProps {
  /** The connection to the repository's provider. Its provider type cannot change later. */
  readonly connection: IConnection;

  /** The repository's owner (user or organisation) at the provider (1 to 255 characters). Changing it replaces the link. */
  readonly owner: string;

  /** The repository's name (1 to 128 characters). Changing it replaces the link. */
  readonly repositoryName: string;

  /**
   * The key that encrypts the link's data. Its key policy must let CodeConnections use it.
   * @default - an AWS owned key
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Defines a repository link (`AWS::CodeStarConnections::RepositoryLink`), which Git sync configurations use.
 */
export class RepositoryLink extends Resource implements IRepositoryLink {
  /** Imports a repository link by ARN (`…:repository-link/<id>`, under either prefix). */
  public static fromRepositoryLinkArn(scope: Construct, id: string, repositoryLinkArn: string): IRepositoryLink {
    if (!Token.isUnresolved(repositoryLinkArn) && !parseArn(repositoryLinkArn, 'repository-link')) {
      throw new Error(`${scope.node.path}/${id}: '${repositoryLinkArn}' is not a repository link ARN; expected `
        + 'arn:<partition>:codestar-connections:<region>:<account>:repository-link/<id> (or the same under codeconnections)');
    }
    class Import extends Resource implements IRepositoryLink {
      public readonly repositoryLinkArn = repositoryLinkArn;
      public readonly repositoryLinkId = idFromArn(repositoryLinkArn);
    }
    return new Import(scope, id, { environmentFromArn: Token.isUnresolved(repositoryLinkArn) ? undefined : repositoryLinkArn });
  }

  public readonly repositoryLinkArn: string;
  public readonly repositoryLinkId: string;

  /**
   * The provider type of the linked repository, as CodeConnections reports it.
   * @attribute
   */
  public readonly repositoryLinkProviderType: string;

  constructor(scope: Construct, id: string, props: RepositoryLinkProps) {
    super(scope, id);
    validateApiValue(this, CODECONNECTIONS_API, 'OwnerId', 'owner', props.owner, 'Give the owner as the provider shows it (1 to 255 characters).');
    validateApiValue(this, CODECONNECTIONS_API, 'RepositoryName', 'repositoryName', props.repositoryName,
      'Give the repository name without its owner (1 to 128 characters).');
    if (!Token.isUnresolved(props.repositoryName) && props.repositoryName.includes('/')) {
      throw new Error(`${this.node.path}: repositoryName is the name alone, got '${props.repositoryName}'; pass the part before '/' as owner`);
    }
    const resource = new CfnRepositoryLink(this, 'Resource', {
      connectionArn: props.connection.connectionArn,
      ownerId: props.owner,
      repositoryName: props.repositoryName,
      encryptionKeyArn: props.encryptionKey?.keyArn,
    });
    this.repositoryLinkArn = resource.attrRepositoryLinkArn;
    this.repositoryLinkId = resource.attrRepositoryLinkId;
    this.repositoryLinkProviderType = resource.attrProviderType;
  }
}
