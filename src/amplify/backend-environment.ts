import { IResource, RemovalPolicy, Resource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { App, IApp } from './app';
import { AMPLIFY_API } from './private/api-constraints';
import { BACKEND_ENVIRONMENT_ARN, childImportProps, parseAmplifyArn } from './private/arn';
import { validateApiValue } from '../core/api-constraints';
import { KitResource } from '../core/custom-resource';
import { BACKEND_ENVIRONMENT_FAMILY } from './private/custom-resources/contract';

/**
 * An Amplify Gen 1 backend environment, defined in this app or imported.
 */
export interface IBackendEnvironment extends IResource {
  /**
   * The backend environment's ARN.
   * @attribute
   */
  readonly backendEnvironmentArn: string;

  /**
   * The backend environment's name.
   * @attribute
   */
  readonly backendEnvironmentName: string;

  /** The app the environment belongs to. */
  readonly app: IApp;
}

/** Attributes of an existing backend environment. */
export interface BackendEnvironmentAttributes {
  /** The app the environment belongs to. */
  readonly app: IApp;

  /** The environment's name. */
  readonly backendEnvironmentName: string;
}

/** Options of a backend environment, for `app.addBackendEnvironment()`. */
export interface BackendEnvironmentOptions {
  /** The environment's name, 1 to 255 characters, unique in the app. */
  readonly backendEnvironmentName: string;

  /**
   * The name of the AWS CloudFormation stack of the environment's backend. Fixed once the environment exists:
   * changing it fails the deployment (use a new `backendEnvironmentName` instead).
   * @default - none
   */
  readonly stackName?: string;

  /**
   * The name of the deployment artifacts of the environment. Fixed once the environment exists: changing it fails
   * the deployment (use a new `backendEnvironmentName` instead).
   * @default - none
   */
  readonly deploymentArtifacts?: string;

  /**
   * What happens to the environment when it leaves the stack. Deleting an environment does not delete its
   * backend stack; it only unlinks it from the app.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** Properties of a backend environment. */
export interface BackendEnvironmentProps extends BackendEnvironmentOptions {
  /** The app; an Amplify Gen 1 app (the API is unavailable to Gen 2 apps). */
  readonly app: IApp;
}

/** Where an environment's name comes from, for messages. */
const ENVIRONMENT_NAME_SOURCE = 'Pass the name as `amplify env list` (the Gen 1 CLI) prints it, e.g. staging';

abstract class BackendEnvironmentBase extends Resource implements IBackendEnvironment {
  public abstract readonly backendEnvironmentArn: string;
  public abstract readonly backendEnvironmentName: string;
  public abstract readonly app: IApp;
}

/**
 * Defines an Amplify Gen 1 backend environment, which CloudFormation has no type for.
 *
 * The API cannot update an environment. Another name (or app) replaces it: the new environment is created, then
 * the old one is deleted in CloudFormation's clean-up (or kept, with `RemovalPolicy.RETAIN`). Another `stackName` or
 * `deploymentArtifacts` under the same name fails the deployment, changing nothing, with the way out: the
 * environment is never deleted and created again behind the removal policy, and the rollback finds it as it was.
 * To move an environment to another backend stack, give it a new `backendEnvironmentName`.
 *
 * @example
 * const staging = app.addBackendEnvironment('Staging', { backendEnvironmentName: 'staging', stackName: 'amplify-myapp-staging' });
 * app.addBranch('develop', { backendEnvironment: staging });
 */
export class BackendEnvironment extends BackendEnvironmentBase {
  /**
   * Imports a backend environment from its app and name. Its ARN is `<app ARN>/backendenvironments/<name>`, and its
   * account and region are those of that ARN when the app's ARN is literal (an app imported with `App.fromAppArn()`),
   * else the app's.
   */
  public static fromBackendEnvironmentAttributes(scope: Construct, id: string, attrs: BackendEnvironmentAttributes): IBackendEnvironment {
    const arn = `${attrs.app.appArn}/backendenvironments/${attrs.backendEnvironmentName}`;
    class Import extends BackendEnvironmentBase {
      public readonly app = attrs.app;
      public readonly backendEnvironmentName = attrs.backendEnvironmentName;
      public readonly backendEnvironmentArn = arn;
    }
    const imported = new Import(scope, id, childImportProps(scope, id, attrs.app));
    validateApiValue(imported, AMPLIFY_API, 'EnvironmentName', 'backendEnvironmentName', attrs.backendEnvironmentName, ENVIRONMENT_NAME_SOURCE);
    return imported;
  }

  /**
   * Imports a backend environment from its ARN,
   * `arn:<partition>:amplify:<region>:<account>:apps/<app id>/backendenvironments/<environment name>`. The import's
   * account and region (`env`) are the ARN's; a literal ARN without them is refused. Its `app` is an import of the
   * app in the ARN.
   *
   * A token ARN is not checked: the app id and environment name are then the deploy-time second and fourth
   * `/`-separated parts of the ARN, and `env.account` and `env.region` are deploy-time parts of it too.
   */
  public static fromBackendEnvironmentArn(scope: Construct, id: string, backendEnvironmentArn: string): IBackendEnvironment {
    const parts = parseAmplifyArn(scope, id, BACKEND_ENVIRONMENT_ARN, backendEnvironmentArn);
    class Import extends BackendEnvironmentBase {
      public readonly app: IApp;
      public readonly backendEnvironmentName = parts.name;
      public readonly backendEnvironmentArn = backendEnvironmentArn;
      constructor() {
        super(scope, id, { environmentFromArn: backendEnvironmentArn });
        this.app = App.fromAppAttributes(this, 'App', { appId: parts.id, appArn: parts.appArn });
      }
    }
    return new Import();
  }

  public readonly backendEnvironmentArn: string;
  public readonly backendEnvironmentName: string;
  public readonly app: IApp;

  constructor(scope: Construct, id: string, props: BackendEnvironmentProps) {
    super(scope, id);
    validateApiValue(this, AMPLIFY_API, 'EnvironmentName', 'backendEnvironmentName', props.backendEnvironmentName,
      'Name the environment after its stage, e.g. staging or prod, as `amplify env add` would; each name is unique in the app');
    validateApiValue(this, AMPLIFY_API, 'StackName', 'stackName', props.stackName,
      'Pass the name of the backend\'s CloudFormation stack as `amplify env get --name <env>` prints it (StackName), not its ARN');
    validateApiValue(this, AMPLIFY_API, 'DeploymentArtifacts', 'deploymentArtifacts', props.deploymentArtifacts,
      'Pass the name of the deployment bucket as `amplify env get --name <env>` prints it (DeploymentBucketName), or leave it out');
    this.app = props.app;
    const resource = new KitResource(this, 'Resource', {
      family: BACKEND_ENVIRONMENT_FAMILY,
      properties: {
        AppId: props.app.appId,
        EnvironmentName: props.backendEnvironmentName,
        StackName: props.stackName,
        DeploymentArtifacts: props.deploymentArtifacts,
      },
      // IAM authorizes the backend-environment actions on the app (resource type `apps`).
      statements: [new iam.PolicyStatement({
        actions: ['amplify:CreateBackendEnvironment', 'amplify:GetBackendEnvironment', 'amplify:DeleteBackendEnvironment'],
        resources: [props.app.appArn],
      })],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.backendEnvironmentArn = resource.attr('BackendEnvironmentArn');
    this.backendEnvironmentName = resource.attr('EnvironmentName');
  }
}
