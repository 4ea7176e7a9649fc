import { IResource, RemovalPolicy, Resource, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CODECATALYST_API } from './private/api-constraints';
import { PROJECT_FAMILY } from './private/custom-resources/contract';
import { catalystResource } from './private/resource';
import { ISpace } from './space';
import { compilePattern, validateApiValue } from '../core/api-constraints';
import { ValidationError } from '../core/validation';

/** A CodeCatalyst project, defined here or imported. */
export interface IProject extends IResource {
  /**
   * The project's name: its identifier in the API and its URL, which CodeCatalyst derives from the display name.
   * @attribute
   */
  readonly projectName: string;

  /** The space the project is in. */
  readonly space: ISpace;
}

/** An existing project, as `Project.fromProjectAttributes` imports it. */
export interface ProjectAttributes {
  /** The space the project is in. */
  readonly space: ISpace;

  /** The project's name, as in its URL (codecatalyst.aws/spaces/<space>/projects/<name>), not its display name. */
  readonly projectName: string;
}

/** Properties of a project. */
export interface ProjectProps {
  /** The space to create the project in. */
  readonly space: ISpace;

  /**
   * The name people see: 3 to 63 letters, digits, spaces and `-_.`, starting and ending with a letter or digit.
   * CodeCatalyst derives the project's name from it. Changing it creates another project (a replacement; see
   * `removalPolicy` for what becomes of the old one).
   */
  readonly displayName: string;

  /**
   * What the project is for: up to 200 characters (letters, digits, spaces and `-_.,;:/+=?&$%`), starting with a
   * letter or digit. Changes are applied in place. Removing it later leaves the last description: the API cannot clear one.
   * @default - no description
   */
  readonly description?: string;

  /**
   * What happens to the project when it leaves the stack or is replaced. A project holds code, issues and workflow
   * history, so it is kept by default; with `RemovalPolicy.DESTROY`, it is deleted with everything in it. By default
   * the rollback of the deployment that created it deletes it (it holds nothing yet), so that a failed first
   * deployment leaves no project whose name fails the next one; `RemovalPolicy.RETAIN` keeps it then too.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
}

abstract class ProjectBase extends Resource implements IProject {
  public abstract readonly projectName: string;
  public abstract readonly space: ISpace;
}

/**
 * A CodeCatalyst project, created as the space's token user (who must be a Space administrator).
 *
 * @example
 * import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
 *
 * const token = codecatalyst.AccessToken.fromSecret(secretsmanager.Secret.fromSecretNameV2(this, 'Token', 'codecatalyst/token'));
 * const space = codecatalyst.Space.fromSpaceName(this, 'Space', 'acme-corp', token);
 * new codecatalyst.Project(this, 'Project', { space, displayName: 'Storefront', description: 'The web shop' });
 */
export class Project extends ProjectBase {
  /**
   * Uses an existing project of a space by its name (as in its URL, not its display name).
   */
  public static fromProjectAttributes(scope: Construct, id: string, attrs: ProjectAttributes): IProject {
    validateApiValue(scope, CODECATALYST_API, 'NameString', 'projectName', attrs.projectName,
      'Use the project\'s name as it appears in its URL (codecatalyst.aws/spaces/<space>/projects/<name>), not its display name');
    class Import extends ProjectBase {
      public readonly projectName = attrs.projectName;
      public readonly space = attrs.space;
    }
    return new Import(scope, id);
  }

  public readonly projectName: string;
  public readonly space: ISpace;

  /**
   * The project's display name.
   * @attribute
   */
  public readonly projectDisplayName: string;

  constructor(scope: Construct, id: string, props: ProjectProps) {
    super(scope, id);
    validateApiValue(this, CODECATALYST_API, 'ProjectDisplayName', 'displayName', props.displayName,
      'Use letters, digits, spaces and -_. only, starting and ending with a letter or digit, e.g. \'Storefront Web\'');
    validateDescription(this, props.description);
    const resource = catalystResource(this, 'Resource', {
      family: PROJECT_FAMILY,
      space: props.space,
      properties: { DisplayName: props.displayName, Description: props.description },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.projectName = resource.attr('Name');
    this.projectDisplayName = props.displayName;
    this.space = props.space;
  }
}

/**
 * The API's pattern for a description holds a literal newline and tab, which read badly in a message: say in words
 * what it allows (the length is the table's check).
 */
function validateDescription(scope: Construct, description: string | undefined): void {
  const fix = 'Leave the description out, or write it as e.g. \'The web shop: front end, v2\'';
  if (description !== undefined && description !== '' && !Token.isUnresolved(description)
    && !compilePattern(CODECATALYST_API.shapes.ProjectDescription.pattern!).test(description)) {
    const first = /^[a-zA-Z0-9]/.test(description) ? [] : [`starts with ${JSON.stringify(description[0])}`];
    const bad = [...new Set([...description.slice(1)].filter(c => !/[-_a-zA-Z0-9.,;:/+=?&$% \n\t\r]/.test(c)))];
    const others = bad.length > 0 ? [`has ${bad.map(c => JSON.stringify(c)).join(', ')}`] : [];
    throw new ValidationError(`invalid description: ${JSON.stringify(description.length > 80 ? `${description.slice(0, 77)}...` : description)} `
      + `${[...first, ...others].join(' and ')}; a project description starts with a letter or digit, and continues with letters, digits, `
      + `spaces, tabs, line breaks and -_.,;:/+=?&$% only. ${fix}`, scope);
  }
  validateApiValue(scope, CODECATALYST_API, 'ProjectDescription', 'description', description, fix);
}
