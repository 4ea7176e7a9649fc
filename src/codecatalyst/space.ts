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
   * Uses an existing space, checked when the stack deploys: the token must be accepted (VerifySession) and its user
   * must see the space (GetSpace), else the deployment fails at once saying what to fix. Resources of the space
   * depend on the check. Removing it from the stack deletes nothing.
   *
   * @param spaceName the space's name (3 to 63 letters, digits and `-_.`)
   * @param accessToken the token to manage the space's resources with
   */
  public static fromSpaceName(scope: Construct, id: string, spaceName: string, accessToken: AccessToken): ISpace {
    return new Space(scope, id, spaceName, accessToken);
  }

  public readonly spaceName: string;
  public readonly accessToken: AccessToken;

  /**
   * The AWS Region where the space keeps its data.
   * @attribute
   */
  public readonly spaceRegionName: string;

  private constructor(scope: Construct, id: string, spaceName: string, accessToken: AccessToken) {
    super(scope, id);
    validateApiValue(this, CODECATALYST_API, 'NameString', 'spaceName', spaceName,
      'Use the space\'s name as it appears in its URL (codecatalyst.aws/spaces/<name>), e.g. \'acme-corp\'');
    const check = catalystResource(this, 'Check', {
      family: SPACE_FAMILY, space: { spaceName, accessToken }, properties: {}, readsStackStatus: true,
    });
    this.spaceName = check.attr('Name');
    this.spaceRegionName = check.attr('RegionName');
    this.accessToken = accessToken;
  }
}
