import { Duration, IResource, RemovalPolicy, Resource, Size, SizeRoundingBehavior, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DevEnvironmentInstanceType } from './dev-environment-instance-type';
import { Ide } from './ide';
import { CODECATALYST_API } from './private/api-constraints';
import { validateBranchName } from './private/branch-name';
import { catalystResource } from './private/resource';
import { IProject } from './project';
import { validateApiValue } from '../core/api-constraints';
import { DEV_ENVIRONMENT_FAMILY } from './private/custom-resources/contract';
import { describeProject, knownDifferentProjects } from './private/same-project';
import { ISourceRepository } from './source-repository';
import { resolveWait } from '../core/custom-resource';
import { ValidationError } from '../core/validation';
import { WaitOptions } from '../wait';

/** The state a deployment leaves a dev environment in. */
export enum DevEnvironmentState {
  /** Running: its user can connect at once; it uses compute minutes until it stops (at the latest after the inactivity timeout). */
  RUNNING = 'RUNNING',
  /** Stopped: it keeps its storage and uses no compute minutes; its user starts it when they need it. */
  STOPPED = 'STOPPED',
}

/** A repository cloned into a dev environment. */
export interface DevEnvironmentRepository {
  /** The repository. */
  readonly repository: ISourceRepository;

  /**
   * The branch to check out.
   * @default - the repository's default branch
   */
  readonly branchName?: string;
}

/** An existing dev environment, as `DevEnvironment.fromDevEnvironmentAttributes` imports it. */
export interface DevEnvironmentAttributes {
  /** The project the environment belongs to. */
  readonly project: IProject;

  /** The environment's id (a UUID), as the console shows it. */
  readonly devEnvironmentId: string;
}

/** A dev environment, defined here or imported. */
export interface IDevEnvironment extends IResource {
  /**
   * The environment's id (a UUID).
   * @attribute
   */
  readonly devEnvironmentId: string;

  /** The project the environment belongs to. */
  readonly project: IProject;
}

/** Properties of a dev environment. */
export interface DevEnvironmentProps extends WaitOptions {
  /** The project the environment belongs to. */
  readonly project: IProject;

  /** The compute. Changing it updates the environment in place, restarting it when it runs. */
  readonly instanceType: DevEnvironmentInstanceType;

  /**
   * The persistent storage (the home directory and the repositories): 16, 32 or 64 GiB. It cannot change after
   * creation: another size creates another environment (a replacement; see `removalPolicy`).
   * @default Size.gibibytes(16)
   */
  readonly persistentStorage?: Size;

  /**
   * The IDE. Changing it updates the environment in place.
   * @default Ide.VS_CODE
   */
  readonly ide?: Ide;

  /**
   * How long the environment may be idle before CodeCatalyst stops it: whole minutes, 0 to 1200 (20 hours).
   * Changing it updates the environment in place, restarting it when it runs.
   * @default Duration.minutes(15)
   */
  readonly inactivityTimeout?: Duration;

  /**
   * A name for the environment (1 to 128 letters, digits and `-_.`), shown in the console. Changes apply in place
   * without a restart; removing it clears it.
   * @default - no alias
   */
  readonly alias?: string;

  /**
   * The repositories to clone into the environment. They are cloned once, at creation: another list creates
   * another environment (a replacement).
   * @default - none
   */
  readonly repositories?: DevEnvironmentRepository[];

  /**
   * The space's VPC connection the environment runs in, by name. Another one creates another environment.
   * @default - no VPC connection
   */
  readonly vpcConnectionName?: string;

  /**
   * The state each deployment that creates the environment or changes this leaves it in (Start or Stop, waited
   * for). Deployments that change nothing else leave the environment's current state alone (it may have stopped
   * after its inactivity timeout). The environment always waits, for its state or, on delete, to be gone: at most
   * `timeout` (20 minutes by default), reading its status every `pollInterval` (15 seconds by default).
   * @default DevEnvironmentState.RUNNING
   */
  readonly desiredState?: DevEnvironmentState;

  /**
   * What happens to the environment, and the work on its storage, when it leaves the stack or is replaced. By default
   * it is kept then, and deleted by the rollback of the deployment that created it (no work is on it yet), also when
   * CloudFormation stopped waiting for it; `RemovalPolicy.RETAIN` keeps it then too, running until its inactivity
   * timeout stops it.
   * @default RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
}

abstract class DevEnvironmentBase extends Resource implements IDevEnvironment {
  public abstract readonly devEnvironmentId: string;
  public abstract readonly project: IProject;
}

const STORAGE_SIZES = [16, 32, 64];

/**
 * A CodeCatalyst dev environment: a cloud workstation with an IDE and the project's repositories.
 *
 * A dev environment belongs to the user who creates it, here the space token's user: only they can connect to it
 * (from the console, My dev environments). Give each developer their own stack, or token, for their environments.
 */
export class DevEnvironment extends DevEnvironmentBase {
  /** Uses an existing dev environment of a project by its id. */
  public static fromDevEnvironmentAttributes(scope: Construct, id: string, attrs: DevEnvironmentAttributes): IDevEnvironment {
    validateApiValue(scope, CODECATALYST_API, 'Uuid', 'devEnvironmentId', attrs.devEnvironmentId, 'Pass the environment\'s id (a UUID) as the console shows it');
    class Import extends DevEnvironmentBase {
      public readonly devEnvironmentId = attrs.devEnvironmentId;
      public readonly project = attrs.project;
    }
    return new Import(scope, id);
  }

  public readonly devEnvironmentId: string;
  public readonly project: IProject;

  constructor(scope: Construct, id: string, props: DevEnvironmentProps) {
    super(scope, id);
    validateApiValue(this, CODECATALYST_API, 'InstanceType', 'instanceType', props.instanceType.name,
      'Use one of the DevEnvironmentInstanceType constants, e.g. DevEnvironmentInstanceType.STANDARD1_SMALL');
    const storage = this.storageGiB(props.persistentStorage ?? Size.gibibytes(16));
    const ide = props.ide ?? Ide.VS_CODE;
    validateApiValue(this, CODECATALYST_API, 'IdeName', 'ide', ide.name, 'Use Ide.VS_CODE, Ide.cloud9(), Ide.intelliJ(), Ide.pyCharm() or Ide.goLand()');
    validateApiValue(this, CODECATALYST_API, 'IdeRuntime', 'ide runtime', ide.runtime, 'Give the runtime image\'s URI, or leave it out for the default');
    const inactivity = this.inactivityMinutes(props.inactivityTimeout ?? Duration.minutes(15));
    validateApiValue(this, CODECATALYST_API, 'CreateAlias', 'alias', props.alias,
      'Use 1 to 128 letters, digits and -_. only, starting and ending with a letter or digit, e.g. \'alice-storefront\'');
    validateApiValue(this, CODECATALYST_API, 'NameString', 'vpcConnectionName', props.vpcConnectionName,
      'Use the name of one of the space\'s VPC connections (Space settings, VPC connections)');
    for (const [i, r] of (props.repositories ?? []).entries()) {
      validateBranchName(this, `repositories[${i}].branchName`, r.branchName,
        'Use a Git branch name of at most 100 characters, or leave it out for the default branch');
      if (knownDifferentProjects(r.repository.project, props.project)) {
        throw new ValidationError(`invalid repositories[${i}]: repository ${r.repository.node.path} belongs to project `
          + `${describeProject(r.repository.project)}, but the environment is in project ${describeProject(props.project)}; a dev environment `
          + 'clones repositories of its own project only. Pass a repository of that project, e.g. '
          + 'SourceRepository.fromSourceRepositoryAttributes(this, \'Web\', { project, sourceRepositoryName: \'web\' }), or create the environment in the repository\'s project', this);
      }
    }
    // The environment's state is always awaited; it reads more often than WaitOptions' default.
    const wait = resolveWait(this, props, { defaultTimeout: Duration.minutes(20), defaultPollInterval: Duration.seconds(15) });
    const project = props.project;
    const properties = {
      ProjectName: project.projectName,
      InstanceType: props.instanceType.name,
      StorageGiB: storage,
      IdeName: ide.name,
      IdeRuntime: ide.runtime,
      InactivityTimeoutMinutes: inactivity,
      Alias: props.alias,
      Repositories: props.repositories?.map(r => ({ RepositoryName: r.repository.sourceRepositoryName, BranchName: r.branchName })),
      VpcConnectionName: props.vpcConnectionName,
      DesiredState: props.desiredState ?? DevEnvironmentState.RUNNING,
    };
    const resource = catalystResource(this, 'Resource', {
      family: DEV_ENVIRONMENT_FAMILY,
      space: project.space,
      properties,
      wait,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.devEnvironmentId = resource.attr('Id');
    this.project = project;
  }

  private storageGiB(size: Size): number {
    const gib = size.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
    if (Token.isUnresolved(gib)) return gib;
    if (!STORAGE_SIZES.includes(gib)) {
      throw new ValidationError(`invalid persistentStorage: ${gib} GiB; CodeCatalyst allows 16, 32 or 64 GiB. `
        + 'Use Size.gibibytes(16), Size.gibibytes(32) or Size.gibibytes(64)', this);
    }
    return gib;
  }

  private inactivityMinutes(timeout: Duration): number {
    const minutes = timeout.toMinutes({ integral: false });
    if (Token.isUnresolved(minutes)) return minutes;
    if (!Number.isInteger(minutes)) {
      throw new ValidationError(`invalid inactivityTimeout: ${timeout.toHumanString()} is not a whole number of minutes. Use Duration.minutes(n)`, this);
    }
    validateApiValue(this, CODECATALYST_API, 'InactivityTimeoutMinutes', 'inactivityTimeout (minutes)', minutes,
      'Choose up to Duration.hours(20), e.g. Duration.minutes(15)');
    return minutes;
  }
}
