import { IResource, RemovalPolicy, Resource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IApp } from './app';
import { AMPLIFY_API } from './private/api-constraints';
import { validateApiValue } from '../core/api-constraints';
import { KitResource } from '../core/custom-resource';
import { BackendEnvironmentFunction } from './private/handlers/backend-environment-function';
import { BACKEND_ENVIRONMENT_RESOURCE_TYPE, BackendEnvironmentProperties } from './private/handlers/contract';

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
   * The name of the AWS CloudFormation stack of the environment's backend.
   * @default - none
   */
  readonly stackName?: string;

  /**
   * The name of the deployment artifacts of the environment.
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

abstract class BackendEnvironmentBase extends Resource implements IBackendEnvironment {
  public abstract readonly backendEnvironmentArn: string;
  public abstract readonly backendEnvironmentName: string;
  public abstract readonly app: IApp;
}

/**
 * Defines an Amplify Gen 1 backend environment, which CloudFormation has no type for.
 *
 * The API cannot update an environment, so any property change replaces it: under the same name, the old
 * environment is deleted before the new one is created (names are unique in an app).
 *
 * @example
 * const staging = app.addBackendEnvironment('Staging', { backendEnvironmentName: 'staging', stackName: 'amplify-myapp-staging' });
 * app.addBranch('develop', { backendEnvironment: staging });
 */
export class BackendEnvironment extends BackendEnvironmentBase {
  /**
   * Imports a backend environment from its app and name. Its ARN is built in the form
   * `<app ARN>/backendenvironments/<name>`.
   */
  public static fromBackendEnvironmentAttributes(scope: Construct, id: string, attrs: BackendEnvironmentAttributes): IBackendEnvironment {
    class Import extends BackendEnvironmentBase {
      public readonly app = attrs.app;
      public readonly backendEnvironmentName = attrs.backendEnvironmentName;
      public readonly backendEnvironmentArn = `${attrs.app.appArn}/backendenvironments/${attrs.backendEnvironmentName}`;
    }
    const imported = new Import(scope, id);
    validateApiValue(imported, AMPLIFY_API, 'EnvironmentName', 'backendEnvironmentName', attrs.backendEnvironmentName, 'use 1 to 255 characters');
    return imported;
  }

  public readonly backendEnvironmentArn: string;
  public readonly backendEnvironmentName: string;
  public readonly app: IApp;

  constructor(scope: Construct, id: string, props: BackendEnvironmentProps) {
    super(scope, id);
    validateApiValue(this, AMPLIFY_API, 'EnvironmentName', 'backendEnvironmentName', props.backendEnvironmentName, 'use 1 to 255 characters');
    validateApiValue(this, AMPLIFY_API, 'StackName', 'stackName', props.stackName, 'use 1 to 255 characters');
    validateApiValue(this, AMPLIFY_API, 'DeploymentArtifacts', 'deploymentArtifacts', props.deploymentArtifacts, 'use 1 to 1000 characters');
    this.app = props.app;
    const properties: BackendEnvironmentProperties = {
      AppId: props.app.appId,
      EnvironmentName: props.backendEnvironmentName,
      StackName: props.stackName,
      DeploymentArtifacts: props.deploymentArtifacts,
    };
    const resource = new KitResource(this, 'Resource', {
      family: {
        family: 'AmplifyBackendEnvironment',
        onEvent: (s, i, functionProps) => new BackendEnvironmentFunction(s, i, functionProps),
      },
      resourceType: BACKEND_ENVIRONMENT_RESOURCE_TYPE,
      properties: { ...properties },
      // IAM authorizes the backend-environment actions on the app (resource type `apps`).
      statements: [new iam.PolicyStatement({
        actions: ['amplify:CreateBackendEnvironment', 'amplify:GetBackendEnvironment', 'amplify:DeleteBackendEnvironment'],
        resources: [props.app.appArn],
      })],
    });
    resource.resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.DESTROY);
    this.backendEnvironmentArn = resource.getAttString('BackendEnvironmentArn');
    this.backendEnvironmentName = resource.getAttString('EnvironmentName');
  }
}
