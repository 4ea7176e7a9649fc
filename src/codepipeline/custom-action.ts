import { SecretValue, Stack } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import { Construct } from 'constructs';
import type { ICustomActionType } from './custom-action-type';
import { CODEPIPELINE_API } from './private/api-constraints';
import { validateApiValueOf } from '../core/api-constraints';
import { ValidationError } from '../core/validation';

/** An action of a type whose artifact bounds are unknown (an import without them) takes what CodePipeline allows. */
const ANY_ARTIFACTS: codepipeline.ActionArtifactBounds = { minInputs: 0, maxInputs: 5, minOutputs: 0, maxOutputs: 5 };

/**
 * What an action of a custom action type is given in a pipeline.
 *
 * Configuration comes in two maps because a value is either text or a secret, and jsii (which publishes
 * this library to other languages) has no union type: `configuration` takes the non-secret properties as
 * strings, `secretConfiguration` the secret ones as `SecretValue`s from Secrets Manager.
 */
export interface CustomActionOptions {
  /** The action's name, unique within its stage (1 to 100 letters, digits and `.@-_`). */
  readonly actionName: string;

  /**
   * The artifacts the action reads, within the type's input bounds.
   * @default - none
   */
  readonly inputs?: codepipeline.Artifact[];

  /**
   * The artifacts the action produces, within the type's output bounds.
   * @default - none
   */
  readonly outputs?: codepipeline.Artifact[];

  /**
   * The values of the type's non-secret configuration properties, by property name (each 1 to 1000
   * characters). Every required property must be given (here or, if it is secret, in `secretConfiguration`),
   * and only declared properties may be. The queryable property's value is at most 20 letters, digits,
   * underscores and hyphens: job workers poll by it.
   * @default - no non-secret values
   */
  readonly configuration?: Record<string, string>;

  /**
   * The values of the type's secret configuration properties, by property name: each a `SecretValue` from
   * Secrets Manager (`SecretValue.secretsManager(...)`, `secret.secretValue`, `secret.secretValueFromJson(...)`).
   * The pipeline template carries a `{{resolve:secretsmanager:...}}` dynamic reference that CloudFormation
   * resolves at deployment, so the secret never appears in the template; CodePipeline then shows it to no
   * one but the job worker.
   * @default - no secret values
   */
  readonly secretConfiguration?: Record<string, SecretValue>;

  /**
   * The order in which the action runs within its stage (1 to 999); actions with the same number run in
   * parallel.
   * @default 1
   */
  readonly runOrder?: number;

  /**
   * The namespace of the output variables the job worker reports (PutJobSuccessResult `outputVariables`),
   * read with `action.variable(name)`.
   * @default - one is generated from the stage and action names when a variable is read
   */
  readonly variablesNamespace?: string;
}

/** Properties of an action of a custom action type. */
export interface CustomActionProps extends CustomActionOptions {
  /** The custom action type the action runs. */
  readonly actionType: ICustomActionType;
}

/**
 * An action of a custom action type (owner `Custom`), to add to a stage of an aws-cdk-lib pipeline.
 * `actionType.action(options)` makes one too.
 *
 * Its configuration is checked at synth against the type's configuration properties: unknown names, missing
 * required ones, a secret given as text and a queryable value a worker could not poll by all fail with what
 * to change.
 */
export class CustomAction extends codepipeline.Action {
  protected readonly providedActionProperties: codepipeline.ActionProperties;
  private readonly renderedConfiguration: Record<string, string> | undefined;

  constructor(props: CustomActionProps) {
    super();
    const type = props.actionType;
    // An action is no construct: its errors are raised against its type, naming the action.
    const action = { type, name: props.actionName };
    checkApiValue(action, 'ActionName', 'actionName', props.actionName,
      'Name the action with letters, digits and . @ - _ only, e.g. \'Deploy-Staging\'.');
    checkApiValue(action, 'ActionRunOrder', 'runOrder', props.runOrder,
      'Give a run order from 1 to 999; actions with the same number run in parallel.');

    const configuration = props.configuration ?? {};
    const secrets = props.secretConfiguration ?? {};
    checkConfiguration(action, configuration, secrets);

    const rendered: Record<string, string> = { ...configuration };
    for (const [name, secret] of Object.entries(secrets)) {
      // Safe usage: checked above to be a Secrets Manager dynamic reference, which CloudFormation resolves at deployment.
      rendered[name] = secret.unsafeUnwrap();
    }
    this.renderedConfiguration = Object.keys(rendered).length > 0 ? rendered : undefined;
    this.providedActionProperties = {
      actionName: props.actionName,
      category: type.actionCategory,
      owner: 'Custom',
      provider: type.actionProvider,
      version: type.actionVersion,
      artifactBounds: type.artifactBounds ?? ANY_ARTIFACTS,
      inputs: props.inputs,
      outputs: props.outputs,
      runOrder: props.runOrder,
      variablesNamespace: props.variablesNamespace,
    };
  }

  /**
   * A reference to an output variable the job worker reports for this action (PutJobSuccessResult
   * `outputVariables`), for the configuration of a later action: `#{<namespace>.<name>}`.
   */
  public variable(variableName: string): string {
    return this.variableExpression(variableName);
  }

  protected bound(_scope: Construct, _stage: codepipeline.IStage, _options: codepipeline.ActionBindOptions): codepipeline.ActionConfig {
    return { configuration: this.renderedConfiguration };
  }
}

/** An action of a custom action type, as its errors name it. */
interface ActionOfType {
  readonly type: ICustomActionType;
  readonly name: string;
}

/** A synth error in an action's props, raised against its type (the construct it is checked against), naming the action. */
function actionError(action: ActionOfType, message: string): ValidationError {
  return new ValidationError(`action '${action.name}': ${message}`, action.type);
}

/** `validateApiValue` for a prop of an action, against its type and naming the action. */
function checkApiValue(action: ActionOfType, shapeName: string, prop: string, value: unknown, fix: string): void {
  validateApiValueOf(`${action.type.node.path}: action '${action.name}'`, CODEPIPELINE_API, shapeName, prop, value, fix);
}

function checkConfiguration(action: ActionOfType, configuration: Record<string, string>, secrets: Record<string, SecretValue>): void {
  const type = action.type;
  const declared = type.configurationProperties;
  for (const name of Object.keys(configuration).filter(n => n in secrets)) {
    throw actionError(action, `'${name}' is given both in configuration and in secretConfiguration; a property has one value. `
      + `Keep it in ${declared?.find(p => p.name === name)?.secret ? 'secretConfiguration (the property is secret)' : 'configuration (the property is not secret)'}.`);
  }
  for (const [name, value] of Object.entries(configuration)) {
    checkApiValue(action, 'ActionConfigurationValue', `configuration.${name}`, value,
      'Give a non-empty value of at most 1000 characters; put longer data in an input artifact the job worker reads.');
  }
  for (const [name, secret] of Object.entries(secrets)) {
    checkSecretSource(action, name, secret);
  }
  if (!declared) return; // an import without its properties: nothing to check against

  const names = declared.map(p => p.name);
  const described = names.length > 0 ? `declares ${names.join(', ')}` : 'declares no configuration properties';
  const typeName = `Custom/${type.actionCategory}/${type.actionProvider}/${type.actionVersion}`;
  for (const name of [...Object.keys(configuration), ...Object.keys(secrets)]) {
    if (!names.includes(name)) {
      throw actionError(action, `unknown configuration property '${name}': the action type ${typeName} ${described}. `
        + 'Fix the name, or declare the property in the type\'s configurationProperties (with a new version: a type cannot change).');
    }
  }
  const missing = declared.filter(p => p.required && !(p.name in configuration) && !(p.name in secrets));
  if (missing.length > 0) {
    const how = missing.map(p => p.secret ? `secretConfiguration.${p.name} (a SecretValue from Secrets Manager)` : `configuration.${p.name}`);
    throw actionError(action, `missing required configuration propert${missing.length > 1 ? 'ies' : 'y'} `
      + `${missing.map(p => `'${p.name}'`).join(', ')} of the action type ${typeName}. Give ${how.join(' and ')}.`);
  }
  for (const p of declared) {
    if (p.secret && p.name in configuration) {
      throw actionError(action, `configuration property '${p.name}' is secret, so it cannot be given as text in configuration (the `
        + 'template and the console would show it). Store the value in Secrets Manager and give it in secretConfiguration, e.g. '
        + `secretConfiguration: { ${p.name}: SecretValue.secretsManager('my-secret') }.`);
    }
    if (!p.secret && p.name in secrets) {
      throw actionError(action, `configuration property '${p.name}' is not secret, so CodePipeline would show the resolved secret in the `
        + `console and in GetPipeline. Give a non-secret value in configuration.${p.name}, or declare the property secret: true in a new `
        + 'version of the type.');
    }
    const value = configuration[p.name];
    if (p.queryable && value !== undefined) {
      checkApiValue(action, 'QueryableConfigurationValue', `configuration.${p.name}`, value,
        `'${p.name}' is the type's queryable property, which job workers poll by; use a short id such as 'prod' or 'eu-west-1'.`);
    }
  }
}

function checkSecretSource(action: ActionOfType, name: string, secret: SecretValue): void {
  // Safe usage: resolved only to inspect its form (a dynamic reference or not); nothing is printed but the form.
  const resolved = JSON.stringify(Stack.of(action.type).resolve(secret.unsafeUnwrap()));
  if (resolved.includes('{{resolve:secretsmanager:')) return;
  let what = 'a value that is not a Secrets Manager reference (such as a CloudFormation parameter)';
  if (resolved.includes('{{resolve:ssm-secure:')) what = 'an SSM SecureString reference, which CloudFormation does not resolve in a pipeline';
  else if (resolved.startsWith('"')) what = 'plain text (the value would be in the template)';
  throw actionError(action, `invalid secretConfiguration.${name}: a secret property takes a SecretValue from Secrets Manager, got ${what}. `
    + 'Store the value in Secrets Manager and give SecretValue.secretsManager(\'<secret name or ARN>\') or secret.secretValue.');
}
