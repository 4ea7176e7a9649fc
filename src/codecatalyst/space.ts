import { IResource, Resource } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AccessToken } from './access-token';
import { CODECATALYST_API } from './private/api-constraints';
import { SPACE_FAMILY } from './private/custom-resources/contract';
import { catalystResource } from './private/resource';
import { validateApiValue } from '../core/api-constraints';

/** A CodeCatalyst space, with the token its resources are managed with. */
export interface ISpace extends IResource {
  /**
   * The space's name (as in its URL, codecatalyst.aws/spaces/<name>).
   * @attribute
   */
  readonly spaceName: string;

  /** The token every call about the space's resources runs with. */
  readonly accessToken: AccessToken;
}

/**
 * An existing CodeCatalyst space. Spaces are never created or deleted here: a space is created once in the console
 * (it is tied to an AWS account for billing), and deleting one is irreversible and burns its name for good.
 */
export class Space extends Resource implements ISpace {
  /**
   * Uses an existing space by its name. It adds nothing to the stack: the first call about the space's resources
   * finds out whether the token works and its user sees the space. To check both before anything of the space is
   * created, pass a `SpaceCheck` of it where a space goes.
   *
   * @param spaceName the space's name (3 to 63 letters, digits and `-_.`)
   * @param accessToken the token to manage the space's resources with
   */
  public static fromSpaceName(scope: Construct, id: string, spaceName: string, accessToken: AccessToken): ISpace {
    return new Space(scope, id, spaceName, accessToken);
  }

  public readonly spaceName: string;
  public readonly accessToken: AccessToken;

  private constructor(scope: Construct, id: string, spaceName: string, accessToken: AccessToken) {
    super(scope, id);
    validateApiValue(this, CODECATALYST_API, 'NameString', 'spaceName', spaceName,
      'Use the space\'s name as it appears in its URL (codecatalyst.aws/spaces/<name>), e.g. \'acme-corp\'');
    this.spaceName = spaceName;
    this.accessToken = accessToken;
  }
}

/** Properties of a space check. */
export interface SpaceCheckProps {
  /** The space to check, e.g. `Space.fromSpaceName(this, 'Space', 'acme-corp', token)`. */
  readonly space: ISpace;
}

/**
 * Checks a space when the stack deploys: the token must be accepted (VerifySession) and its user must see the space
 * (GetSpace), else the deployment fails at once saying what to fix. A space gone since fails a deployment, but not
 * its rollback.
 *
 * The check is the space, checked: pass it where a space goes. What is created with it reads the space's name through
 * the check, so CloudFormation creates it only after the check passed. Removing the check from the stack deletes
 * nothing.
 *
 * @example
 * import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
 *
 * const token = codecatalyst.AccessToken.fromSecret(secretsmanager.Secret.fromSecretNameV2(this, 'Token', 'codecatalyst/token'));
 * const space = new codecatalyst.SpaceCheck(this, 'SpaceCheck', {
 *   space: codecatalyst.Space.fromSpaceName(this, 'Space', 'acme-corp', token),
 * });
 * new codecatalyst.Project(this, 'Project', { space, displayName: 'Storefront' });
 */
export class SpaceCheck extends Resource implements ISpace {
  /** The space's name, as the check found it: what reads it depends on the check. */
  public readonly spaceName: string;
  public readonly accessToken: AccessToken;

  /**
   * The AWS Region where the space keeps its data.
   * @attribute
   */
  public readonly spaceRegionName: string;

  constructor(scope: Construct, id: string, props: SpaceCheckProps) {
    super(scope, id);
    const check = catalystResource(this, 'Resource', { family: SPACE_FAMILY, space: props.space, properties: {}, readsStackStatus: true });
    this.spaceName = check.attr('Name');
    this.spaceRegionName = check.attr('RegionName');
    this.accessToken = props.space.accessToken;
  }
}
