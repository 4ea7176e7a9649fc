import { IResource, RemovalPolicy, Resource, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CODECATALYST_API } from './private/api-constraints';
import { SOURCE_REPOSITORY_FAMILY } from './private/custom-resources/contract';
import { catalystResource } from './private/resource';
import { describeProject, knownSameProject } from './private/same-project';
import { IProject } from './project';
import { validateApiValue } from '../core/api-constraints';

/** A source repository of a CodeCatalyst project, defined here or imported. */
export interface ISourceRepository extends IResource {
  /**
   * The repository's name.
   * @attribute
   */
  readonly sourceRepositoryName: string;

  /** The project the repository belongs to. */
  readonly project: IProject;
}

/** An existing source repository, hosted or linked, as `SourceRepository.fromSourceRepositoryAttributes` imports it. */
export interface SourceRepositoryAttributes {
  /** The project the repository belongs to. */
  readonly project: IProject;

  /** The repository's name. */
  readonly sourceRepositoryName: string;
}

/** Properties of a source repository. */
export interface SourceRepositoryProps {
  /** The project to create the repository in. */
  readonly project: IProject;

  /**
   * The repository's name: 1 to 100 letters, digits and `_-.`, not ending in `.git`. Changing it creates another
   * repository (a replacement): with the default removal policy the old one stays, with its code.
   */
  readonly sourceRepositoryName: string;

  /**
   * What the repository holds (1 to 255 characters). The API cannot change a repository, so a later change fails the
   * deployment (nothing is replaced for a description) until the repository has the new description: change it in
   * the CodeCatalyst console first, then deploy.
   * @default - no description
   */
  readonly description?: string;

  /**
   * What happens to the repository, and its code, when it leaves the stack or is replaced (another name or project).
   * By default it is kept then, and deleted by the rollback of the deployment that created it (it holds nothing yet),
   * so that a failed first deployment leaves no repository whose name fails the next one; `RemovalPolicy.RETAIN`
   * keeps it then too.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
}

abstract class SourceRepositoryBase extends Resource implements ISourceRepository {
  public abstract readonly sourceRepositoryName: string;
  public abstract readonly project: IProject;
}

/**
 * A Git repository hosted by CodeCatalyst. It starts with one commit on its default branch, `main`.
 *
 * Repositories linked from GitHub, Bitbucket or GitLab are linked in the console and imported with
 * `fromSourceRepositoryAttributes`; the API can neither create nor delete them, nor create branches in them.
 */
export class SourceRepository extends SourceRepositoryBase {
  /** Uses an existing repository of a project, hosted or linked. */
  public static fromSourceRepositoryAttributes(scope: Construct, id: string, attrs: SourceRepositoryAttributes): ISourceRepository {
    validateRepositoryName(scope, attrs.sourceRepositoryName);
    class Import extends SourceRepositoryBase {
      public readonly sourceRepositoryName = attrs.sourceRepositoryName;
      public readonly project = attrs.project;
    }
    return new Import(scope, id);
  }

  public readonly sourceRepositoryName: string;
  public readonly project: IProject;

  /**
   * The URL to clone the repository over HTTPS (Git authenticates with a personal access token).
   * @attribute
   */
  public readonly sourceRepositoryCloneUrlHttps: string;

  /** The name as given (`sourceRepositoryName` is the created repository's, a deploy-time value). */
  private readonly nameGiven: string;

  constructor(scope: Construct, id: string, props: SourceRepositoryProps) {
    super(scope, id);
    validateRepositoryName(this, props.sourceRepositoryName);
    validateApiValue(this, CODECATALYST_API, 'SourceRepositoryDescriptionString', 'description', props.description,
      'Shorten the description, or leave it out');
    // The handler tells the rollback of an accepted description change from a new change by the stack's status.
    const resource = catalystResource(this, 'Resource', {
      family: SOURCE_REPOSITORY_FAMILY,
      space: props.project.space,
      properties: { ProjectName: props.project.projectName, RepositoryName: props.sourceRepositoryName, Description: props.description },
      readsStackStatus: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.sourceRepositoryName = resource.attr('Name');
    this.sourceRepositoryCloneUrlHttps = resource.attr('CloneUrlHttps');
    this.project = props.project;
    this.nameGiven = props.sourceRepositoryName;
    this.node.addValidation({ validate: () => this.checkUniqueName() });
  }

  /**
   * A second repository of one name in one project fails at deploy time (CodeCatalyst says it exists), after the first
   * was created; both are only known once the app is complete, wherever in it they are defined.
   */
  private checkUniqueName(): string[] {
    if (Token.isUnresolved(this.nameGiven)) return [];
    const others = this.node.root.node.findAll().filter((c): c is SourceRepository => c instanceof SourceRepository && c !== this
      && c.nameGiven === this.nameGiven && knownSameProject(c.project, this.project));
    if (others.length === 0) return [];
    return [`sourceRepositoryName '${this.nameGiven}' is also the name of ${others.map(o => o.node.path).join(', ')} in the same project `
      + `${describeProject(this.project)}; CodeCatalyst keeps one repository per name in a project. Give each a name of its own, e.g. `
      + `'${this.nameGiven}-2', or define the repository once and pass that construct where it is used`];
  }
}

function validateRepositoryName(scope: Construct, name: string): void {
  validateApiValue(scope, CODECATALYST_API, 'SourceRepositoryNameString', 'sourceRepositoryName', name,
    'Use letters, digits and _-. only, and do not end the name in .git, e.g. \'storefront-web\'');
}
