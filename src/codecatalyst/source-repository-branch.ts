import { Resource, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { validateBranchName } from './private/branch-name';
import { BRANCH_FAMILY } from './private/custom-resources/contract';
import { catalystResource } from './private/resource';
import { ISourceRepository } from './source-repository';
import { ValidationError } from '../core/validation';

/** Properties of a branch. */
export interface SourceRepositoryBranchProps {
  /** The repository, hosted by CodeCatalyst (linked repositories cannot be branched through the API). */
  readonly repository: ISourceRepository;

  /** The branch's name (1 to 100 characters, a valid Git branch name), e.g. `release/1.x`. */
  readonly branchName: string;

  /**
   * The commit the branch starts at. Only where it starts: changing it later changes nothing.
   * @default - the head of the repository's default branch
   */
  readonly headCommitId?: string;
}

/**
 * A branch of a CodeCatalyst-hosted repository.
 *
 * The API cannot delete branches: a branch removed from the stack, or replaced by another name, stays in the
 * repository (delete it with Git or in the console). A branch that exists already is taken as it is.
 */
export class SourceRepositoryBranch extends Resource {
  /**
   * The branch's name.
   * @attribute
   */
  public readonly branchName: string;

  /**
   * The branch's full Git reference, e.g. `refs/heads/release/1.x`.
   * @attribute
   */
  public readonly branchRef: string;

  /**
   * The commit the branch pointed at when it was created (or taken over).
   * @attribute
   */
  public readonly branchHeadCommitId: string;

  constructor(scope: Construct, id: string, props: SourceRepositoryBranchProps) {
    super(scope, id);
    validateBranchName(this, 'branchName', props.branchName, 'Use a Git branch name of at most 100 characters, e.g. \'release/1.x\'');
    if (props.headCommitId !== undefined && !Token.isUnresolved(props.headCommitId) && !/^[0-9a-f]{40}$/.test(props.headCommitId)) {
      throw new ValidationError(`invalid headCommitId: '${props.headCommitId}' is not a full Git commit id (40 lower-case hex digits). `
        + 'Pass the full id (git rev-parse <commit>), or leave headCommitId out to start at the default branch\'s head', this);
    }
    const repository = props.repository;
    const resource = catalystResource(this, 'Resource', {
      family: BRANCH_FAMILY,
      space: repository.project.space,
      properties: {
        ProjectName: repository.project.projectName,
        RepositoryName: repository.sourceRepositoryName,
        BranchName: props.branchName,
        HeadCommitId: props.headCommitId,
      },
    });
    this.branchName = resource.attr('Name');
    this.branchRef = resource.attr('GitRef');
    this.branchHeadCommitId = resource.attr('HeadCommitId');
  }
}
