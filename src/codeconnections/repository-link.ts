import { IResource, Resource, Stack, Token } from 'aws-cdk-lib';
import { CfnRepositoryLink } from 'aws-cdk-lib/aws-codestarconnections';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { IConnection } from './connection';
import { CODECONNECTIONS_API } from './private/api-constraints';
import { idFromArn, importProps } from './private/arn';
import { validateApiValue } from '../core/api-constraints';
import { ValidationError } from '../core/validation';

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
  /**
   * Imports a repository link by ARN (`…:repository-link/<id>`, under either prefix).
   *
   * The import's account and region are the ARN's; an ARN without them is refused. A token ARN is accepted
   * unchecked: the import's account and region are then the ARN's fields read at deploy time (`Fn::Select` on
   * the ARN), not the stack's.
   */
  public static fromRepositoryLinkArn(scope: Construct, id: string, repositoryLinkArn: string): IRepositoryLink {
    const props = importProps(scope, id, repositoryLinkArn, 'repository-link');
    class Import extends Resource implements IRepositoryLink {
      public readonly repositoryLinkArn = repositoryLinkArn;
      public readonly repositoryLinkId = idFromArn(repositoryLinkArn);
    }
    return new Import(scope, id, props);
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
    validateApiValue(this, CODECONNECTIONS_API, 'OwnerId', 'owner', props.owner, 'Give the user or '
      + 'organisation exactly as it appears in the repository URL, e.g. my-org for https://github.com/my-org/app.');
    validateApiValue(this, CODECONNECTIONS_API, 'RepositoryName', 'repositoryName', props.repositoryName,
      'Give the repository name as it appears in its URL, e.g. app for https://github.com/my-org/app, without the owner '
      + 'or .git.');
    if (!Token.isUnresolved(props.repositoryName) && props.repositoryName.includes('/')) {
      throw new ValidationError(`repositoryName is the name alone, got '${props.repositoryName}'; pass the part before '/' as owner`, this);
    }
    checkConnectionRegion(this, props.connection);
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

/** A repository link lives in its connection's region: CodeConnections cannot use a connection of another region. */
function checkConnectionRegion(scope: Construct, connection: IConnection): void {
  const region = connection.env.region;
  const stackRegion = Stack.of(scope).region;
  if (!Token.isUnresolved(region) && !Token.isUnresolved(stackRegion) && region !== stackRegion) {
    throw new ValidationError(`the connection ${connection.node.path} is in region ${region}, but this stack deploys to `
      + `${stackRegion}; a repository link (and a Git sync) uses a connection of its own region. Define the link in a stack of `
      + `${region} (env: { region: '${region}' }), or create a connection in ${stackRegion} and use that one`, scope);
  }
}
