import { IResource, Resource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IApp } from './app';
import { AMPLIFY_API } from './private/api-constraints';
import { validateApiValue } from '../core/api-constraints';
import { KitResource } from '../core/custom-resource';
import { BackendEnvironmentFunction } from './private/handlers/backend-environment-function';
import { BACKEND_ENVIRONMENT_RESOURCE_TYPE, BackendEnvironmentProperties } from './private/handlers/contract';

/**
 * An Amplify Gen 1 backend environment, defined in this app.
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
  readonly environmentName: string;

  /** The app the environment belongs to. */
  readonly app: IApp;
}

/** Options of a backend environment, for `app.addBackendEnvironment()`. */
export interface BackendEnvironmentOptions {
  /** The environment's name, 1 to 255 characters, unique in the app. */
  readonly environmentName: string;

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
}

/** Properties of a backend environment. */
export interface BackendEnvironmentProps extends BackendEnvironmentOptions {
  /** The app; an Amplify Gen 1 app (the API is unavailable to Gen 2 apps). */
  readonly app: IApp;
}

/**
 * Defines an Amplify Gen 1 backend environment, which CloudFormation has no type for.
 *
 * A backend environment cannot be updated: changing any property creates a new environment and deletes
 * the old one, so change `environmentName` together with `stackName` or `deploymentArtifacts`.
 *
 * @example
 * const staging = app.addBackendEnvironment('Staging', { environmentName: 'staging', stackName: 'amplify-myapp-staging' });
 */
export class BackendEnvironment extends Resource implements IBackendEnvironment {
  public readonly backendEnvironmentArn: string;
  public readonly environmentName: string;
  public readonly app: IApp;

  constructor(scope: Construct, id: string, props: BackendEnvironmentProps) {
    super(scope, id);
    validateApiValue(this, AMPLIFY_API, 'EnvironmentName', 'environmentName', props.environmentName, 'use 1 to 255 characters');
    validateApiValue(this, AMPLIFY_API, 'StackName', 'stackName', props.stackName, 'use 1 to 255 characters');
    validateApiValue(this, AMPLIFY_API, 'DeploymentArtifacts', 'deploymentArtifacts', props.deploymentArtifacts, 'use 1 to 1000 characters');
    this.app = props.app;
    const properties: BackendEnvironmentProperties = {
      AppId: props.app.appId,
      EnvironmentName: props.environmentName,
      StackName: props.stackName,
      DeploymentArtifacts: props.deploymentArtifacts,
    };
    const environmentArn = Stack.of(this).formatArn({
      service: 'amplify',
      resource: 'apps',
      resourceName: `${props.app.appId}/backendenvironments/${props.environmentName}`,
    });
    const resource = new KitResource(this, 'Resource', {
      family: {
        family: 'AmplifyBackendEnvironment',
        onEvent: (s, i, functionProps) => new BackendEnvironmentFunction(s, i, functionProps),
      },
      resourceType: BACKEND_ENVIRONMENT_RESOURCE_TYPE,
      properties: { ...properties },
      statements: [
        // IAM may authorize CreateBackendEnvironment on the app or on the environment: both, scoped to this one.
        new iam.PolicyStatement({ actions: ['amplify:CreateBackendEnvironment'], resources: [props.app.appArn, environmentArn] }),
        new iam.PolicyStatement({ actions: ['amplify:GetBackendEnvironment', 'amplify:DeleteBackendEnvironment'], resources: [environmentArn] }),
      ],
    });
    this.backendEnvironmentArn = resource.resource.getAttString('BackendEnvironmentArn');
    this.environmentName = resource.resource.getAttString('EnvironmentName');
  }
}
