import { Stack, Token } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CODEPIPELINE_API } from './private/api-constraints';
import { checkSameEnvironment } from './private/same-environment';
import { validateApiValue } from '../core/api-constraints';
import { KitResource, resolveWait } from '../core/custom-resource';
import { WaitOptions } from '../wait';
import { EXECUTION_FAMILY } from './private/custom-resources/contract';

/**
 * What `PipelineExecution`'s kit role may do on the pipeline: start, read, explain a failure, find the runs a cancelled
 * request started, and stop its own execution.
 */
const PIPELINE_EXECUTION_ACTIONS = [
  'codepipeline:StartPipelineExecution',
  'codepipeline:GetPipelineExecution',
  'codepipeline:GetPipelineState',
  'codepipeline:ListActionExecutions',
  'codepipeline:ListPipelineExecutions',
  'codepipeline:StopPipelineExecution',
];

/** Properties of a `PipelineExecution`. */
export interface PipelineExecutionProps extends WaitOptions {
  /** The pipeline to start, in this stack's account and region (defined here or imported by name or ARN). */
  readonly pipeline: codepipeline.IPipeline;

  /**
   * Any change of this value starts a new execution, e.g. a hash of what the pipeline should deploy.
   * @default - an execution only when the resource is created (and when `variables` change)
   */
  readonly trigger?: string;

  /**
   * Pipeline-level variables for the execution, by name (pipeline type V2: each must be declared by the pipeline;
   * for a pipeline this app defines, synth checks both).
   * Names are 1 to 128 letters, digits and `@-_`; values 1 to 1000 characters; at most 50 variables. A change of a
   * value starts a new execution.
   * @default - the pipeline's defaults
   */
  readonly variables?: Record<string, string>;

  /**
   * Whether the deployment waits for the execution to succeed. A failed, stopped or superseded execution then fails
   * the deployment, with the failed stage, action and error and a link to the execution. The wait reads the status
   * every `pollInterval`; after `timeout` (45 minutes by default) the execution is stopped (running actions finish)
   * and the deployment fails. Leave it off for a pipeline that runs longer.
   * @default false
   */
  readonly waitForSuccess?: boolean;
}

/**
 * Starts a pipeline execution when the stack deploys, and again whenever `trigger` or `variables` change; optionally
 * waits for it to succeed. CloudFormation has no resource for this: creating or updating a pipeline starts it only when
 * its source changes.
 *
 * Each execution is its own resource (its physical id includes the execution id), so a new trigger replaces the
 * resource, and a rollback to the previous trigger starts nothing. A retried request starts no second execution
 * (StartPipelineExecution's client request token is derived from the request and the run). An execution cannot be
 * deleted: deleting the resource (on a rollback, the stack's deletion, or the clean-up after a new trigger) stops the
 * execution when it is still running, without abandoning running actions, and leaves an ended one alone.
 *
 * When another resource fails while this one waits, CloudFormation stops waiting: it rolls a Create back with a
 * Delete of a physical id it makes up, and an Update with an Update back to the old properties, so the execution id
 * is lost. Each run is started in a role session named after the stack, the resource and the run, which CodePipeline
 * records as the execution's trigger; the rollback finds the run by that session and stops it.
 *
 * @example
 * import { Duration } from 'aws-cdk-lib';
 * import { IPipeline } from 'aws-cdk-lib/aws-codepipeline';
 * declare const pipeline: IPipeline;
 *
 * new codepipeline.PipelineExecution(this, 'Release', {
 *   pipeline,
 *   trigger: 'v1.2.0',
 *   waitForSuccess: true,
 *   timeout: Duration.minutes(30),
 * });
 */
export class PipelineExecution extends Construct {
  /**
   * The id of the execution this deployment started (or, when nothing of the run changed, the one it started before).
   * @attribute
   */
  public readonly pipelineExecutionId: string;

  /**
   * The execution in the CodePipeline console.
   * @attribute
   */
  public readonly consoleUrl: string;

  constructor(scope: Construct, id: string, props: PipelineExecutionProps) {
    super(scope, id);
    checkSameEnvironment(this, 'PipelineExecution', props.pipeline);
    const wait = resolveWait(this, props, { prop: 'waitForSuccess', enabled: props.waitForSuccess });
    const variables = props.variables ?? {};
    for (const [name, value] of Object.entries(variables)) {
      validateApiValue(this, CODEPIPELINE_API, 'PipelineVariableName', 'variables (a name)', name,
        'Use the name the pipeline declares for the variable, e.g. DEPLOY_ENV');
      validateApiValue(this, CODEPIPELINE_API, 'PipelineVariableValue', `variables['${name}']`, value,
        'Leave the variable out to use the pipeline\'s default, or pass a value such as \'prod\'');
    }
    validateApiValue(this, CODEPIPELINE_API, 'PipelineVariableList', 'variables', Object.keys(variables).length > 0 ? Object.entries(variables).map(([name, value]) => ({ name, value })) : undefined,
      'Pass only the variables that differ from the pipeline\'s defaults');
    if (props.pipeline instanceof codepipeline.Pipeline && Object.keys(variables).length > 0) {
      const pipeline = props.pipeline;
      this.node.addValidation({ validate: () => checkDeclaredVariables(pipeline, Object.keys(variables)) });
    }
    const resource = new KitResource(this, 'Execution', {
      family: EXECUTION_FAMILY,
      properties: {
        PipelineName: props.pipeline.pipelineName,
        Trigger: props.trigger ?? 'created',
        Variables: Object.keys(variables).length > 0 ? variables : undefined,
        Wait: String(wait !== undefined),
      },
      // IAM authorizes each of these on the pipeline; none reaches another pipeline.
      statements: [new iam.PolicyStatement({ actions: PIPELINE_EXECUTION_ACTIONS, resources: [props.pipeline.pipelineArn] })],
      wait,
    });
    this.pipelineExecutionId = resource.attr('PipelineExecutionId');
    this.consoleUrl = resource.attr('ConsoleUrl');
  }
}

/**
 * StartPipelineExecution refuses variables for a V1 pipeline, and names a V2 pipeline does not declare; for a pipeline
 * this app defines both are known once it is complete (variables can be added after the execution is defined).
 */
function checkDeclaredVariables(pipeline: codepipeline.Pipeline, names: string[]): string[] {
  const cfn = pipeline.node.defaultChild as codepipeline.CfnPipeline;
  const stack = Stack.of(pipeline);
  const type = stack.resolve(cfn.pipelineType) as string | undefined;
  if (Token.isUnresolved(type)) return [];
  if (type !== codepipeline.PipelineType.V2) {
    return [`variables (${names.join(', ')}) are given, but pipeline ${pipeline.node.path} is of type ${type ?? 'V1'} (CloudFormation's default), `
      + 'and only V2 pipelines take variables. Set pipelineType: PipelineType.V2 and declare the variables on the pipeline, e.g. '
      + `variables: [new Variable({ variableName: '${names[0]}', defaultValue: 'dev' })], or remove variables`];
  }
  const declared = ((stack.resolve(cfn.variables) ?? []) as Array<{ name?: string }>).map(v => v.name);
  const undeclared = names.filter(n => !declared.includes(n));
  if (undeclared.length === 0) return [];
  return [`variables ${undeclared.map(n => `'${n}'`).join(', ')} ${undeclared.length === 1 ? 'is' : 'are'} not declared by pipeline `
    + `${pipeline.node.path} (it declares ${declared.length > 0 ? declared.map(n => `'${n}'`).join(', ') : 'none'}), and an execution `
    + `may only set declared variables. Declare ${undeclared.length === 1 ? 'it' : 'them'} on the pipeline, e.g. `
    + `pipeline.addVariable(new Variable({ variableName: '${undeclared[0]}', defaultValue: 'dev' })), or fix the name`];
}
