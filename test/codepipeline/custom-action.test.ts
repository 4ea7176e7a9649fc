import { CfnParameter, Lazy, SecretValue, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { CustomAction, CustomActionOptions, CustomActionType, ICustomActionType } from '../../src/codepipeline';
import { ValidationError } from '../../src/core/validation';
import { testApp, testStack } from '../kit';

let stack: Stack;
let type: CustomActionType;
let source: codepipeline.Artifact;
let pipeline: codepipeline.Pipeline;

beforeEach(() => {
  stack = testStack();
  type = new CustomActionType(stack, 'Deployer', {
    category: codepipeline.ActionCategory.DEPLOY,
    provider: 'AcmeDeployer',
    version: '1',
    artifactBounds: { minInputs: 1, maxInputs: 1, minOutputs: 0, maxOutputs: 1 },
    configurationProperties: [
      { name: 'Environment', required: true, queryable: true },
      { name: 'ApiToken', required: true, secret: true },
      { name: 'Notes' },
      { name: 'WebhookSecret', secret: true },
    ],
  });
  source = new codepipeline.Artifact('Source');
  const bucket = new s3.Bucket(stack, 'Sources', { enforceSSL: true });
  pipeline = new codepipeline.Pipeline(stack, 'Pipeline', {
    pipelineType: codepipeline.PipelineType.V2,
    stages: [{ stageName: 'Source', actions: [new actions.S3SourceAction({ actionName: 'Fetch', bucket, bucketKey: 'app.zip', output: source })] }],
  });
});

function deployStage(action: codepipeline.IAction): void {
  pipeline.addStage({ stageName: 'Deploy', actions: [action] });
}

function deployActionOf(template: Template): any {
  const [resource] = Object.values<any>(template.findResources('AWS::CodePipeline::Pipeline'));
  return resource.Properties.Stages.find((s: any) => s.Name === 'Deploy').Actions[0];
}

const VALID: CustomActionOptions = {
  actionName: 'Deploy',
  configuration: { Environment: 'prod' },
  secretConfiguration: { ApiToken: SecretValue.secretsManager('acme/api-token') },
};

describe('the action in a pipeline', () => {
  test('renders the Custom action type id, the configuration and the secret as a dynamic reference', () => {
    const output = new codepipeline.Artifact('Report');
    deployStage(type.action({
      actionName: 'Deploy',
      inputs: [source],
      outputs: [output],
      runOrder: 2,
      configuration: { Environment: 'prod', Notes: 'nightly' },
      secretConfiguration: { ApiToken: SecretValue.secretsManager('acme/api-token', { jsonField: 'token' }) },
    }));
    const template = Template.fromStack(stack);
    expect(deployActionOf(template)).toEqual({
      Name: 'Deploy',
      ActionTypeId: { Category: 'Deploy', Owner: 'Custom', Provider: 'AcmeDeployer', Version: '1' },
      Configuration: {
        Environment: 'prod',
        Notes: 'nightly',
        ApiToken: '{{resolve:secretsmanager:acme/api-token:SecretString:token::}}',
      },
      InputArtifacts: [{ Name: 'Source' }],
      OutputArtifacts: [{ Name: 'Report' }],
      RunOrder: 2,
    });
  });

  test('a secret of the same stack is a dynamic reference to its ARN', () => {
    const secret = new secretsmanager.Secret(stack, 'Token');
    deployStage(type.action({ ...VALID, inputs: [source], secretConfiguration: { ApiToken: secret.secretValue, WebhookSecret: secret.secretValueFromJson('hook') } }));
    const template = Template.fromStack(stack);
    const secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];
    expect(deployActionOf(template).Configuration).toEqual({
      Environment: 'prod',
      ApiToken: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']] },
      WebhookSecret: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:hook::}}']] },
    });
  });

  test('new CustomAction is the same as type.action', () => {
    deployStage(new CustomAction({ ...VALID, actionType: type, inputs: [source] }));
    expect(deployActionOf(Template.fromStack(stack))).toMatchObject({
      ActionTypeId: { Category: 'Deploy', Owner: 'Custom', Provider: 'AcmeDeployer', Version: '1' },
      Configuration: { Environment: 'prod', ApiToken: '{{resolve:secretsmanager:acme/api-token:SecretString:::}}' },
      RunOrder: 1,
    });
  });

  test('output variables: variable() names them in a later action, with the namespace on this one', () => {
    const deploy = type.action({ ...VALID, inputs: [source], variablesNamespace: 'AcmeDeploy' });
    deployStage(deploy);
    pipeline.addStage({
      stageName: 'Verify',
      actions: [type.action({ actionName: 'Verify', inputs: [source], configuration: { Environment: 'prod', Notes: deploy.variable('ReleaseId') }, secretConfiguration: VALID.secretConfiguration })],
    });
    const template = Template.fromStack(stack);
    expect(deployActionOf(template).Namespace).toBe('AcmeDeploy');
    const [resource] = Object.values<any>(template.findResources('AWS::CodePipeline::Pipeline'));
    expect(resource.Properties.Stages[2].Actions[0].Configuration.Notes).toBe('#{AcmeDeploy.ReleaseId}');
  });

  test('the pipeline checks the artifacts against the type\'s bounds', () => {
    deployStage(type.action({ ...VALID }));
    expect(() => Template.fromStack(stack)).toThrow(/Deploy\/AcmeDeployer.*at least 1 input artifact/);
  });

  test('an import without its properties passes the configuration on unchecked, within CodePipeline\'s artifact limits', () => {
    const imported = CustomActionType.fromCustomActionTypeAttributes(stack, 'Imported', { category: codepipeline.ActionCategory.TEST, provider: 'Acme', version: '4' });
    deployStage(imported.action({ actionName: 'Test', inputs: [source], configuration: { Anything: 'goes' } }));
    expect(deployActionOf(Template.fromStack(stack))).toMatchObject({
      ActionTypeId: { Category: 'Test', Owner: 'Custom', Provider: 'Acme', Version: '4' },
      Configuration: { Anything: 'goes' },
    });
  });

  test('an action without configuration renders none', () => {
    const bare = new CustomActionType(stack, 'Bare', {
      category: codepipeline.ActionCategory.INVOKE,
      provider: 'Bare',
      version: '1',
      artifactBounds: { minInputs: 0, maxInputs: 0, minOutputs: 0, maxOutputs: 0 },
    });
    deployStage(bare.action({ actionName: 'Invoke' }));
    expect(deployActionOf(Template.fromStack(stack)).Configuration).toBeUndefined();
  });

  test('a token value is not checked', () => {
    const env = new CfnParameter(stack, 'Environment').valueAsString;
    deployStage(type.action({ ...VALID, inputs: [source], configuration: { Environment: env, Notes: Lazy.string({ produce: () => 'n' }) } }));
    expect(deployActionOf(Template.fromStack(stack)).Configuration.Environment).toEqual({ Ref: 'Environment' });
  });

  test('passes the strict CloudFormation validator in an app of its own', () => {
    const app = testApp();
    const other = testStack(app, 'Other');
    const t = new CustomActionType(other, 'T', { category: codepipeline.ActionCategory.BUILD, provider: 'B', version: '1', artifactBounds: { minInputs: 0, maxInputs: 1, minOutputs: 0, maxOutputs: 1 } });
    new codepipeline.Pipeline(other, 'P', {
      pipelineType: codepipeline.PipelineType.V2,
      stages: [
        { stageName: 'Source', actions: [new actions.S3SourceAction({ actionName: 'S', bucket: new s3.Bucket(other, 'B', { enforceSSL: true }), bucketKey: 'k', output: new codepipeline.Artifact('S') })] },
        { stageName: 'Build', actions: [t.action({ actionName: 'Build' })] },
      ],
    });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('configuration checks', () => {
  test.each<[string, Partial<CustomActionOptions>, string | RegExp]>([
    ['an unknown property', { configuration: { Environment: 'prod', Enviroment: 'prod' } },
      "TestStack/Deployer: action 'Deploy': unknown configuration property 'Enviroment': the action type Custom/Deploy/AcmeDeployer/1 declares "
      + "Environment, ApiToken, Notes, WebhookSecret. Fix the name, or declare the property in the type's configurationProperties (with a new "
      + 'version: a type cannot change).'],
    ['an unknown secret property', { secretConfiguration: { ApiToken: SecretValue.secretsManager('t'), Password: SecretValue.secretsManager('p') } },
      "unknown configuration property 'Password': the action type Custom/Deploy/AcmeDeployer/1 declares Environment, ApiToken, Notes, WebhookSecret."],
    ['a missing required property', { configuration: {} },
      "TestStack/Deployer: action 'Deploy': missing required configuration property 'Environment' of the action type Custom/Deploy/AcmeDeployer/1. "
      + 'Give configuration.Environment.'],
    ['two missing required properties, one secret', { configuration: {}, secretConfiguration: {} },
      "TestStack/Deployer: action 'Deploy': missing required configuration properties 'Environment', 'ApiToken' of the action type "
      + 'Custom/Deploy/AcmeDeployer/1. Give configuration.Environment and secretConfiguration.ApiToken (a SecretValue from Secrets Manager).'],
    ['a secret given as text', { configuration: { Environment: 'prod', ApiToken: 'abc' }, secretConfiguration: {} },
      "TestStack/Deployer: action 'Deploy': configuration property 'ApiToken' is secret, so it cannot be given as text in configuration (the "
      + 'template and the console would show it). Store the value in Secrets Manager and give it in secretConfiguration, e.g. '
      + "secretConfiguration: { ApiToken: SecretValue.secretsManager('my-secret') }."],
    ['a non-secret property given as a secret', { secretConfiguration: { ApiToken: SecretValue.secretsManager('t'), Notes: SecretValue.secretsManager('n') } },
      "TestStack/Deployer: action 'Deploy': configuration property 'Notes' is not secret, so CodePipeline would show the resolved secret in the "
      + 'console and in GetPipeline. Give a non-secret value in configuration.Notes, or declare the property secret: true in a new version of the type.'],
    ['a property in both maps', { configuration: { Environment: 'prod', ApiToken: 'x' } },
      "TestStack/Deployer: action 'Deploy': 'ApiToken' is given both in configuration and in secretConfiguration; a property has one value. "
      + 'Keep it in secretConfiguration (the property is secret).'],
    ['a plain-text SecretValue', { secretConfiguration: { ApiToken: SecretValue.unsafePlainText('abc') } },
      "TestStack/Deployer: action 'Deploy': invalid secretConfiguration.ApiToken: a secret property takes a SecretValue from Secrets Manager, "
      + 'got plain text (the value would be in the template). Store the value in Secrets Manager and give '
      + "SecretValue.secretsManager('<secret name or ARN>') or secret.secretValue."],
    ['an SSM SecureString', { secretConfiguration: { ApiToken: SecretValue.ssmSecure('/acme/token', '1') } },
      'invalid secretConfiguration.ApiToken: a secret property takes a SecretValue from Secrets Manager, got an SSM SecureString reference, '
      + 'which CloudFormation does not resolve in a pipeline.'],
    ['a queryable value too long', { configuration: { Environment: 'production-eu-west-1a' } },
      "TestStack/Deployer: action 'Deploy': invalid configuration.Environment: 'production-eu-west-1a' has 21 characters; CodePipeline allows "
      + "1 to 20 characters. 'Environment' is the type's queryable property, which job workers poll by; use a short id such as 'prod' or 'eu-west-1'."],
    ['a queryable value with a dot', { configuration: { Environment: 'prod.eu' } },
      "invalid configuration.Environment: 'prod.eu' does not match the pattern ^[A-Za-z0-9_-]+$ that CodePipeline requires. 'Environment' is the type's queryable property"],
    ['an empty value', { configuration: { Environment: 'prod', Notes: '' } },
      "TestStack/Deployer: action 'Deploy': invalid configuration.Notes: '' has 0 characters; CodePipeline allows 1 to 1000 characters. "
      + 'Give a non-empty value of at most 1000 characters; put longer data in an input artifact the job worker reads.'],
    ['a value too long', { configuration: { Environment: 'prod', Notes: 'n'.repeat(1001) } }, /invalid configuration\.Notes: 'n+\.\.\. has 1001 characters; CodePipeline allows 1 to 1000 characters/],
    ['a bad action name', { actionName: 'Deploy to prod' },
      "TestStack/Deployer: action 'Deploy to prod': invalid actionName: 'Deploy to prod' does not match the pattern ^[A-Za-z0-9.@\\-_]+$ that "
      + "CodePipeline requires. Name the action with letters, digits and . @ - _ only, e.g. 'Deploy-Staging'."],
    ['a run order of 1000', { runOrder: 1000 },
      "TestStack/Deployer: action 'Deploy': invalid runOrder: 1000 is out of range; CodePipeline allows 1 to 999. Give a run order from 1 to 999"],
  ])('fails with %s', (_, overrides, message) => {
    expect(() => type.action({ ...VALID, ...overrides })).toThrow(message);
  });

  test('its checks raise ValidationErrors against the action\'s type (an action is no construct), naming the action', () => {
    expect(() => type.action({ ...VALID, configuration: {} })).toThrow(ValidationError);
    expect(() => type.action({ ...VALID, configuration: {} })).toThrow(/^TestStack\/Deployer: action 'Deploy': missing required/);
    expect(() => type.action({ ...VALID, secretConfiguration: { ApiToken: SecretValue.unsafePlainText('x') } })).toThrow(ValidationError);
  });

  test('a secret from a CloudFormation parameter is refused', () => {
    const param = new CfnParameter(stack, 'Token', { noEcho: true });
    expect(() => type.action({ ...VALID, secretConfiguration: { ApiToken: SecretValue.cfnParameter(param) } })).toThrow(
      'invalid secretConfiguration.ApiToken: a secret property takes a SecretValue from Secrets Manager, got a value that is not a Secrets '
      + 'Manager reference (such as a CloudFormation parameter).');
  });

  test('an import given its properties checks actions as strictly', () => {
    const imported: ICustomActionType = CustomActionType.fromCustomActionTypeAttributes(stack, 'Imported', {
      category: codepipeline.ActionCategory.DEPLOY,
      provider: 'Acme',
      version: '2',
      configurationProperties: [{ name: 'Stack', required: true }],
    });
    expect(() => imported.action({ actionName: 'Deploy', configuration: {} }))
      .toThrow("TestStack/Imported: action 'Deploy': missing required configuration property 'Stack' of the action type Custom/Deploy/Acme/2.");
  });

  test('an import without its properties still refuses a plain-text secret', () => {
    const imported = CustomActionType.fromCustomActionTypeAttributes(stack, 'Imported', { category: codepipeline.ActionCategory.DEPLOY, provider: 'Acme', version: '2' });
    expect(() => imported.action({ actionName: 'Deploy', secretConfiguration: { Token: SecretValue.unsafePlainText('x') } }))
      .toThrow(/invalid secretConfiguration.Token: .* got plain text/);
  });

  test('a type without properties names that in the message', () => {
    const bare = new CustomActionType(stack, 'Bare', {
      category: codepipeline.ActionCategory.INVOKE,
      provider: 'Bare',
      version: '1',
      artifactBounds: { minInputs: 0, maxInputs: 0, minOutputs: 0, maxOutputs: 0 },
    });
    expect(() => bare.action({ actionName: 'Invoke', configuration: { X: 'y' } }))
      .toThrow("unknown configuration property 'X': the action type Custom/Invoke/Bare/1 declares no configuration properties.");
  });
});
