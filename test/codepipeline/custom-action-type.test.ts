import { CfnParameter, Lazy, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ConfigurationPropertyType, CustomActionType, CustomActionTypeProps } from '../../src/codepipeline';
import { ValidationError } from '../../src/core/validation';
import { expectNagClean, nagErrors, testApp, testStack } from '../kit';

const BOUNDS: codepipeline.ActionArtifactBounds = { minInputs: 1, maxInputs: 1, minOutputs: 0, maxOutputs: 1 };
const BASE: CustomActionTypeProps = { category: codepipeline.ActionCategory.DEPLOY, provider: 'AcmeDeployer', version: '1', artifactBounds: BOUNDS };
const TYPE_ARN = 'arn:aws:codepipeline:us-east-1:123456789012:actiontype:Custom/Deploy/AcmeDeployer/1';
// Sorted, as aws-cdk-lib writes them under a new app's `@aws-cdk/aws-iam:minimizePolicies`.
const JOB_ACTIONS = ['codepipeline:AcknowledgeJob', 'codepipeline:GetJobDetails', 'codepipeline:PutJobFailureResult', 'codepipeline:PutJobSuccessResult'];

let stack: Stack;
beforeEach(() => {
  stack = testStack();
});

describe('CustomActionType', () => {
  test('defines the type with its identity and artifact bounds, kept when it leaves the stack', () => {
    const type = new CustomActionType(stack, 'Type', BASE);
    const template = Template.fromStack(stack);
    template.hasResource('AWS::CodePipeline::CustomActionType', {
      Properties: {
        Category: 'Deploy',
        Provider: 'AcmeDeployer',
        Version: '1',
        InputArtifactDetails: { MinimumCount: 1, MaximumCount: 1 },
        OutputArtifactDetails: { MinimumCount: 0, MaximumCount: 1 },
        ConfigurationProperties: Match.absent(),
        Settings: Match.absent(),
        Tags: Match.absent(),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    const [id] = Object.keys(template.findResources('AWS::CodePipeline::CustomActionType'));
    expect(stack.resolve(type.customActionTypeId)).toEqual({ 'Fn::GetAtt': [id, 'Id'] });
    expect(stack.resolve(type.customActionTypeArn)).toEqual(TYPE_ARN);
    expect(type.actionCategory).toBe('Deploy');
    expect(type.actionProvider).toBe('AcmeDeployer');
    expect(type.actionVersion).toBe('1');
    expect(type.artifactBounds).toEqual(BOUNDS);
    expect(type.configurationProperties).toEqual([]);
    expectNagClean(stack);
  });

  test('renders every configuration property field, the API defaults of the required booleans, the four settings and tags', () => {
    const type = new CustomActionType(stack, 'Type', {
      ...BASE,
      category: codepipeline.ActionCategory.BUILD,
      configurationProperties: [
        { name: 'Environment', required: true, key: true, queryable: true, description: 'Where to deploy', type: ConfigurationPropertyType.STRING },
        { name: 'ApiToken', required: true, secret: true, type: ConfigurationPropertyType.STRING },
        { name: 'Retries', type: ConfigurationPropertyType.NUMBER },
        { name: 'DryRun', type: ConfigurationPropertyType.BOOLEAN },
      ],
      entityUrlTemplate: 'https://deploy.example.com/envs/{Config:Environment}',
      executionUrlTemplate: 'https://deploy.example.com/envs/{Config:Environment}/runs/{ExternalExecutionId}',
      revisionUrlTemplate: 'https://deploy.example.com/envs/{Config:Environment}/settings',
      thirdPartyConfigurationUrl: 'https://deploy.example.com/signup',
    });
    Tags.of(type).add('team', 'platform');
    Template.fromStack(stack).hasResourceProperties('AWS::CodePipeline::CustomActionType', {
      Category: 'Build',
      ConfigurationProperties: [
        { Name: 'Environment', Required: true, Key: true, Secret: false, Queryable: true, Description: 'Where to deploy', Type: 'String' },
        { Name: 'ApiToken', Required: true, Key: false, Secret: true, Queryable: Match.absent(), Description: Match.absent(), Type: 'String' },
        { Name: 'Retries', Required: false, Key: false, Secret: false, Type: 'Number' },
        { Name: 'DryRun', Required: false, Key: false, Secret: false, Type: 'Boolean' },
      ],
      Settings: {
        EntityUrlTemplate: 'https://deploy.example.com/envs/{Config:Environment}',
        ExecutionUrlTemplate: 'https://deploy.example.com/envs/{Config:Environment}/runs/{ExternalExecutionId}',
        RevisionUrlTemplate: 'https://deploy.example.com/envs/{Config:Environment}/settings',
        ThirdPartyConfigurationUrl: 'https://deploy.example.com/signup',
      },
      Tags: [{ Key: 'team', Value: 'platform' }],
    });
    expectNagClean(stack);
  });

  test('renders only the settings given', () => {
    new CustomActionType(stack, 'Type', { ...BASE, thirdPartyConfigurationUrl: 'https://deploy.example.com/signup' });
    Template.fromStack(stack).hasResourceProperties('AWS::CodePipeline::CustomActionType', {
      Settings: { ThirdPartyConfigurationUrl: 'https://deploy.example.com/signup', EntityUrlTemplate: Match.absent() },
    });
  });

  test('removalPolicy DESTROY deletes the type with the stack', () => {
    new CustomActionType(stack, 'Type', { ...BASE, removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource('AWS::CodePipeline::CustomActionType', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test.each(['Build', 'Test', 'Deploy', 'Invoke', 'Compute'])('accepts category %s', category => {
    new CustomActionType(stack, 'Type', { ...BASE, category: category as codepipeline.ActionCategory });
    Template.fromStack(stack).hasResourceProperties('AWS::CodePipeline::CustomActionType', { Category: category });
  });

  const props = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `P${i}` }));
  test.each<[string, Partial<CustomActionTypeProps>, string | RegExp]>([
    ['the reserved Source category', { category: codepipeline.ActionCategory.SOURCE },
      "TestStack/Type: invalid category: 'Source' is reserved by CodePipeline for custom actions (a custom action of category Source or "
      + 'Approval does not run); custom action types take Build, Test, Deploy, Invoke or Compute. Choose the category that describes '
      + "what the job worker does, e.g. ActionCategory.DEPLOY; for a manual approval use aws-cdk-lib's ManualApprovalAction."],
    ['the reserved Approval category', { category: codepipeline.ActionCategory.APPROVAL }, /invalid category: 'Approval' is reserved by CodePipeline/],
    ['an unknown category', { category: 'Lint' as codepipeline.ActionCategory },
      "TestStack/Type: invalid category: 'Lint' is not one of Source, Build, Deploy, Test, Invoke, Approval, Compute. Use an ActionCategory constant"],
    ['a provider too long', { provider: 'p'.repeat(36) },
      `TestStack/Type: invalid provider: '${'p'.repeat(36)}' has 36 characters; CodePipeline allows 1 to 35 characters. Name the service or tool `
      + "the job worker drives in letters, digits, underscores and hyphens, e.g. 'AcmeDeployer'."],
    ['an empty provider', { provider: '' }, "invalid provider: '' has 0 characters; CodePipeline allows 1 to 35 characters; and it does not match the pattern"],
    ['a provider with a space', { provider: 'Acme Deployer' },
      "TestStack/Type: invalid provider: 'Acme Deployer' does not match the pattern ^[0-9A-Za-z_-]+$ that CodePipeline requires. Name the service"],
    ['a version too long', { version: '1234567890' },
      "TestStack/Type: invalid version: '1234567890' has 10 characters; CodePipeline allows 1 to 9 characters. Use a short version such as '1' or "
      + "'2024-06' (no dots), and a new one whenever the type changes."],
    ['a version with a dot', { version: '1.0' }, "invalid version: '1.0' does not match the pattern ^[0-9A-Za-z_-]+$ that CodePipeline requires. Use a short version"],
    ['more than 5 inputs', { artifactBounds: { ...BOUNDS, maxInputs: 6 } },
      'TestStack/Type: invalid artifactBounds.maxInputs: 6 is out of range; CodePipeline allows 0 to 5. Give each count from 0 to 5, with the '
      + 'minimum at most the maximum, e.g. { minInputs: 1, maxInputs: 1, minOutputs: 0, maxOutputs: 1 }.'],
    ['a negative minimum', { artifactBounds: { ...BOUNDS, minOutputs: -1 } }, 'invalid artifactBounds.minOutputs: -1 is out of range; CodePipeline allows 0 to 5.'],
    ['a fractional count', { artifactBounds: { ...BOUNDS, minInputs: 0.5 } }, 'invalid artifactBounds.minInputs: expected a integer, got 0.5.'],
    ['a minimum above the maximum', { artifactBounds: { ...BOUNDS, minOutputs: 2, maxOutputs: 1 } },
      'TestStack/Type: invalid artifactBounds: minOutputs 2 is more than maxOutputs 1. Raise maxOutputs to at least 2, or lower minOutputs.'],
    ['11 configuration properties', { configurationProperties: props(11) },
      'TestStack/Type: invalid configurationProperties: 11 properties, CodePipeline allows at most 10 per action type (P0, P1, P2, P3, P4, P5, '
      + 'P6, P7, P8, P9, P10). Combine related settings into one property (for example a JSON document the job worker parses), or split the action into two types.'],
    ['a property name too long', { configurationProperties: [{ name: 'n'.repeat(51) }] },
      `TestStack/Type: invalid configurationProperties[0].name: '${'n'.repeat(51)}' has 51 characters; CodePipeline allows 1 to 50 characters. `
      + "Use a short name such as 'Environment'; the description can say more."],
    ['an empty property name', { configurationProperties: [{ name: 'A' }, { name: '' }] }, "invalid configurationProperties[1].name: '' has 0 characters"],
    ['a description too long', { configurationProperties: [{ name: 'A', description: 'd'.repeat(161) }] },
      /invalid configurationProperties\[0\].description: 'd+\.\.\. has 161 characters; CodePipeline allows 1 to 160 characters\. Shorten the description to a line/],
    ['a property declared twice', { configurationProperties: [{ name: 'Env' }, { name: 'Region' }, { name: 'Env' }] },
      "TestStack/Type: invalid configurationProperties[2].name: 'Env' is declared twice; each configuration property needs its own name. "
      + "Rename one of them, e.g. 'Env2', or drop the duplicate."],
    ['two queryable properties', { configurationProperties: [{ name: 'Env', required: true, queryable: true }, { name: 'Region', required: true, queryable: true }] },
      'TestStack/Type: invalid configurationProperties: 2 properties are queryable (Env, Region); CodePipeline allows one per action type, '
      + 'because a job worker polls with a single query parameter. Keep queryable on the property workers are split by'],
    ['a queryable property that is not required', { configurationProperties: [{ name: 'Env', queryable: true }] },
      "TestStack/Type: invalid configuration property 'Env': it is queryable but not required; a queryable property must be required and "
      + 'not secret, because job workers poll by its value in plain text. Set required: true on it, or remove queryable.'],
    ['a queryable secret', { configurationProperties: [{ name: 'Env', queryable: true, secret: true }] },
      "invalid configuration property 'Env': it is queryable but not required and secret; a queryable property must be required and not "
      + 'secret, because job workers poll by its value in plain text. Set required: true and secret: false on it, or remove queryable.'],
    ['an entity URL too long', { entityUrlTemplate: `https://example.com/${'x'.repeat(2030)}` },
      /TestStack\/Type: invalid entityUrlTemplate: 'https:\/\/example\.com\/x+\.\.\. has 2050 characters; CodePipeline allows 1 to 2048 characters\. Shorten the URL/],
    ['an entity URL without a scheme', { entityUrlTemplate: 'deploy.example.com/apps' },
      "TestStack/Type: invalid entityUrlTemplate: 'deploy.example.com/apps' has no http:// or https:// scheme; the "
      + 'CodePipeline console shows it as a link as it is, and a link without a scheme leads nowhere. Write the full URL, e.g. '
      + "'https://deploy.example.com/apps'"],
    ['an execution URL with another scheme', { executionUrlTemplate: 'ftp://deploy.example.com/{ExternalExecutionId}' },
      /invalid executionUrlTemplate: 'ftp:\/\/deploy\.example\.com\/\{ExternalExecutionId\}' has no http:\/\/ or https:\/\/ scheme; .* e\.g\. 'https:\/\/deploy\.example\.com\/apps\/\{Config:Application\}'/],
    ['a revision URL that is a path', { revisionUrlTemplate: '/settings' }, /invalid revisionUrlTemplate: '\/settings' has no http:\/\/ or https:\/\/ scheme; .* e\.g\. 'https:\/\/settings'/],
    ['a third-party URL without a scheme', { thirdPartyConfigurationUrl: 'deploy.example.com/signup' }, /invalid thirdPartyConfigurationUrl: 'deploy\.example\.com\/signup' has no http/],
    ['an empty third-party URL', { thirdPartyConfigurationUrl: '' }, "invalid thirdPartyConfigurationUrl: '' has 0 characters; CodePipeline allows 1 to 2048 characters."],
    ['a template naming an undeclared property', {
      configurationProperties: [{ name: 'Env', required: true }, { name: 'Token', required: true, secret: true }],
      executionUrlTemplate: 'https://deploy.example.com/{Config:Environment}/{ExternalExecutionId}',
    }, "TestStack/Type: invalid executionUrlTemplate: 'https://deploy.example.com/{Config:Environment}/{ExternalExecutionId}' uses "
      + "{Config:Environment}, but the type declares no configuration property 'Environment'; the template can use {Config:Env}. Declare the "
      + 'property in configurationProperties (required, not secret), or fix the name.'],
    ['a template naming a property when there are none', { revisionUrlTemplate: 'https://x/{Config:Env}' },
      "uses {Config:Env}, but the type declares no configuration property 'Env'; the type has no required, non-secret property to use."],
    ['a template naming an optional property', {
      configurationProperties: [{ name: 'Env', required: true }, { name: 'Branch' }],
      entityUrlTemplate: 'https://deploy.example.com/{Config:Branch}',
    }, "TestStack/Type: invalid entityUrlTemplate: 'https://deploy.example.com/{Config:Branch}' uses {Config:Branch}, but that property is "
      + 'not required; a URL template shows a property only when every action gives it and it is not secret (the template can use '
      + "{Config:Env}). Make 'Branch' required, or take it out of the template."],
    ['a template naming a secret property', {
      configurationProperties: [{ name: 'Token', required: true, secret: true }],
      entityUrlTemplate: 'https://deploy.example.com/{Config:Token}',
    }, 'uses {Config:Token}, but that property is secret; a URL template shows a property only when every action gives it and it is not '
      + "secret (the type has no required, non-secret property to use). Make 'Token' required and not secret, or take it out of the template."],
  ])('fails with %s', (_, overrides, message) => {
    expect(() => new CustomActionType(stack, 'Type', { ...BASE, ...overrides })).toThrow(message);
  });

  test('accepts tokens without checking them', () => {
    const provider = new CfnParameter(stack, 'Provider').valueAsString;
    expect(() => new CustomActionType(stack, 'Type', {
      ...BASE,
      provider,
      version: new CfnParameter(stack, 'Version').valueAsString,
      entityUrlTemplate: Lazy.string({ produce: () => 'https://x/{Config:Nothing}' }),
    })).not.toThrow();
    Template.fromStack(stack).hasResourceProperties('AWS::CodePipeline::CustomActionType', { Provider: { Ref: 'Provider' }, Version: { Ref: 'Version' } });
  });
});

describe('imports', () => {
  test('fromCustomActionTypeAttributes: the stack\'s account and region', () => {
    const type = CustomActionType.fromCustomActionTypeAttributes(stack, 'Type', {
      category: codepipeline.ActionCategory.DEPLOY, provider: 'AcmeDeployer', version: '1',
    });
    expect(stack.resolve(type.customActionTypeArn)).toEqual(TYPE_ARN);
    expect(type.actionCategory).toBe('Deploy');
    expect(type.configurationProperties).toBeUndefined();
    expect(type.artifactBounds).toBeUndefined();
    expect(type.env).toEqual({ account: '123456789012', region: 'us-east-1' });
  });

  test('fromCustomActionTypeAttributes keeps the properties and bounds it is given', () => {
    const type = CustomActionType.fromCustomActionTypeAttributes(stack, 'Type', {
      category: codepipeline.ActionCategory.TEST,
      provider: 'Acme',
      version: '2',
      configurationProperties: [{ name: 'Suite', required: true }],
      artifactBounds: BOUNDS,
    });
    expect(type.configurationProperties).toEqual([{ name: 'Suite', required: true }]);
    expect(type.artifactBounds).toEqual(BOUNDS);
  });

  test.each<[string, any, string | RegExp]>([
    ['a bad provider', { provider: 'Acme Deployer' },
      "TestStack: invalid provider: 'Acme Deployer' does not match the pattern ^[0-9A-Za-z_-]+$ that CodePipeline requires. Give the provider "
      + 'exactly as `aws codepipeline list-action-types --action-owner-filter Custom` shows it.'],
    ['a bad version', { version: '' }, /invalid version: '' has 0 characters.* Give the version exactly as `aws codepipeline list-action-types/],
    ['duplicate properties', { configurationProperties: [{ name: 'A' }, { name: 'A' }] }, "invalid configurationProperties[1].name: 'A' is declared twice"],
    ['bad bounds', { artifactBounds: { ...BOUNDS, maxInputs: 9 } }, 'invalid artifactBounds.maxInputs: 9 is out of range'],
  ])('fromCustomActionTypeAttributes fails with %s', (_, overrides, message) => {
    expect(() => CustomActionType.fromCustomActionTypeAttributes(stack, 'Type', {
      category: codepipeline.ActionCategory.DEPLOY, provider: 'AcmeDeployer', version: '1', ...overrides,
    })).toThrow(message);
  });

  test('an import of a reserved category is not refused: it describes what exists', () => {
    expect(() => CustomActionType.fromCustomActionTypeAttributes(stack, 'Type', {
      category: codepipeline.ActionCategory.SOURCE, provider: 'Acme', version: '1',
    })).not.toThrow();
  });

  test('fromCustomActionTypeArn: identity and environment from the ARN', () => {
    const arn = 'arn:aws:codepipeline:eu-west-1:210987654321:actiontype:Custom/Test/Acme_Tests/v2';
    const type = CustomActionType.fromCustomActionTypeArn(stack, 'Type', arn);
    expect(type.actionCategory).toBe('Test');
    expect(type.actionProvider).toBe('Acme_Tests');
    expect(type.actionVersion).toBe('v2');
    expect(type.env).toEqual({ account: '210987654321', region: 'eu-west-1' });
    expect(type.customActionTypeArn).toBe(arn);
    const china = CustomActionType.fromCustomActionTypeArn(stack, 'China', 'arn:aws-cn:codepipeline:cn-north-1:210987654321:actiontype:Custom/Build/Acme/1');
    expect(china.customActionTypeArn).toBe('arn:aws-cn:codepipeline:cn-north-1:210987654321:actiontype:Custom/Build/Acme/1');
  });

  test.each([
    'arn:aws:codepipeline:us-east-1:123456789012:my-pipeline',
    'arn:aws:codepipeline:us-east-1:123456789012:actiontype:AWS/Build/CodeBuild/1',
    'arn:aws:codepipeline:us-east-1:123456789012:actiontype:Custom/Deploy/Acme',
  ])('fromCustomActionTypeArn fails for %s', arn => {
    expect(() => CustomActionType.fromCustomActionTypeArn(stack, 'Type', arn)).toThrow(
      `TestStack/Type: '${arn}' is not a custom action type ARN; expected arn:<partition>:codepipeline:<region>:<account>:actiontype:`
      + 'Custom/<category>/<provider>/<version>. Copy it from `aws codepipeline list-action-types --action-owner-filter Custom`');
  });

  test('fromCustomActionTypeArn checks the parts it parses', () => {
    expect(() => CustomActionType.fromCustomActionTypeArn(stack, 'Type', 'arn:aws:codepipeline:us-east-1:123456789012:actiontype:Custom/Deploy/Acme/1.0'))
      .toThrow("TestStack: invalid version: '1.0' does not match the pattern");
    expect(() => CustomActionType.fromCustomActionTypeArn(stack, 'Type2', 'arn:aws:codepipeline:us-east-1:123456789012:actiontype:Custom/Lint/Acme/1'))
      .toThrow("TestStack: invalid category: 'Lint' is not one of");
  });

  test('fromCustomActionTypeArn refuses an ARN without an account', () => {
    const arn = 'arn:aws:codepipeline:us-east-1::actiontype:Custom/Deploy/Acme/1';
    expect(() => CustomActionType.fromCustomActionTypeArn(stack, 'Type', arn)).toThrow(
      `TestStack/Type: invalid custom action type ARN: '${arn}' has an empty account; an import takes its account and region from the ARN`);
  });

  test('the type raises ValidationErrors against itself, an import against the scope it was given', () => {
    expect(() => new CustomActionType(stack, 'Reserved', { ...BASE, category: codepipeline.ActionCategory.SOURCE })).toThrow(ValidationError);
    expect(() => new CustomActionType(stack, 'Reserved2', { ...BASE, category: codepipeline.ActionCategory.SOURCE })).toThrow(/^TestStack\/Reserved2: /);
    expect(() => CustomActionType.fromCustomActionTypeArn(stack, 'Bad', 'arn:aws:codepipeline:us-east-1:123456789012:my-pipeline')).toThrow(ValidationError);
    expect(() => CustomActionType.fromCustomActionTypeAttributes(stack, 'Twice', {
      category: codepipeline.ActionCategory.DEPLOY, provider: 'Acme', version: '1', configurationProperties: [{ name: 'A' }, { name: 'A' }],
    })).toThrow(/^TestStack: invalid configurationProperties\[1\]\.name/);
  });

  test('fromCustomActionTypeArn refuses a token ARN, saying what to use instead', () => {
    const arn = new CfnParameter(stack, 'Arn').valueAsString;
    expect(() => CustomActionType.fromCustomActionTypeArn(stack, 'Type', arn)).toThrow(
      'TestStack/Type: a custom action type ARN must be literal, got a token: its category, provider and version are rendered in every '
      + 'action of the type. Import the type with fromCustomActionTypeAttributes({ category, provider, version }).');
  });
});

describe('grants', () => {
  test('grant scopes the given actions to the action type', () => {
    const type = new CustomActionType(stack, 'Type', BASE);
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    const grant = type.grant(role, 'codepipeline:PollForJobs');
    expect(grant.success).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'codepipeline:PollForJobs', Effect: 'Allow', Resource: TYPE_ARN }] },
    });
  });

  test('in an environment-agnostic stack, the ARN takes the partition, region and account of the deployment', () => {
    const agnostic = new Stack(testApp(), 'Agnostic');
    const type = new CustomActionType(agnostic, 'Type', BASE);
    type.grantJobWorker(new iam.Role(agnostic, 'Worker', { assumedBy: new iam.AccountRootPrincipal() }));
    const arn = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':codepipeline:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' },
        ':actiontype:Custom/Deploy/AcmeDeployer/1']],
    };
    expect(agnostic.resolve(type.customActionTypeArn)).toEqual(arn);
    Template.fromStack(agnostic).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([{ Action: 'codepipeline:PollForJobs', Effect: 'Allow', Resource: arn }]) },
    });
  });

  test('grantJobWorker: PollForJobs on the type, the job actions on *, and no cdk-nag acceptance on the grantee\'s policy', () => {
    const type = new CustomActionType(stack, 'Type', BASE);
    const role = new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const grant = type.grantJobWorker(role);
    expect(grant.principalStatements).toHaveLength(2);
    const template = Template.fromStack(stack);
    template.hasResource('AWS::IAM::Policy', {
      Properties: {
        PolicyDocument: {
          Statement: [
            { Action: 'codepipeline:PollForJobs', Effect: 'Allow', Resource: TYPE_ARN },
            { Action: JOB_ACTIONS, Effect: 'Allow', Resource: '*' },
          ],
        },
        Roles: [{ Ref: Match.stringLikeRegexp('^Worker') }],
      },
      Metadata: Match.absent(),
    });
    template.hasResource('AWS::IAM::Role', { Metadata: Match.absent() });
    // The grantee is the user's: the finding is theirs to see, and to accept as the docs show.
    expect(nagErrors(stack)).toEqual([expect.stringMatching(/^\/TestStack\/Worker\/DefaultPolicy\/Resource: AwsSolutions-IAM5\[Resource::\*\]/)]);
  });

  test('grantJobWorker to an imported role, on a type imported by ARN (the ARN as given)', () => {
    const type = CustomActionType.fromCustomActionTypeArn(stack, 'Type', 'arn:aws:codepipeline:us-east-1:123456789012:actiontype:Custom/Build/Acme/3');
    const role = iam.Role.fromRoleArn(stack, 'Worker', 'arn:aws:iam::123456789012:role/worker');
    type.grantJobWorker(role);
    Template.fromStack(stack).hasResource('AWS::IAM::Policy', {
      Properties: {
        PolicyDocument: {
          Statement: [
            { Action: 'codepipeline:PollForJobs', Resource: 'arn:aws:codepipeline:us-east-1:123456789012:actiontype:Custom/Build/Acme/3' },
            { Action: JOB_ACTIONS, Resource: '*' },
          ],
        },
        Roles: ['worker'],
      },
      Metadata: Match.absent(),
    });
  });

  test('grantJobWorker to a principal that is not a construct grants without an acceptance', () => {
    const type = new CustomActionType(stack, 'Type', BASE);
    const grant = type.grantJobWorker(new iam.ServicePrincipal('lambda.amazonaws.com'));
    expect(grant.success).toBe(false);
  });
});

describe('events', () => {
  test('onActionExecutionStateChange matches the executions of this type only', () => {
    const type = new CustomActionType(stack, 'Type', BASE);
    const topic = new sns.Topic(stack, 'Topic', { enforceSSL: true });
    const rule = type.onActionExecutionStateChange('Executions', {
      target: new targets.SnsTopic(topic),
      description: 'Acme deployer runs',
      eventPattern: { detail: { state: ['FAILED'] } },
    });
    expect(rule).toBeInstanceOf(events.Rule);
    expect(rule.node.path).toBe('TestStack/Type/Executions');
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      Description: 'Acme deployer runs',
      EventPattern: {
        'source': ['aws.codepipeline'],
        'detail-type': ['CodePipeline Action Execution State Change'],
        'detail': {
          state: ['FAILED'],
          type: { owner: ['Custom'], category: ['Deploy'], provider: ['AcmeDeployer'], version: ['1'] },
        },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^Topic') } })],
    });
  });

  test('an imported type has the same helper', () => {
    const type = CustomActionType.fromCustomActionTypeAttributes(stack, 'Type', { category: codepipeline.ActionCategory.INVOKE, provider: 'Acme', version: '7' });
    type.onActionExecutionStateChange('Executions', { ruleName: 'acme-invocations' });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      Name: 'acme-invocations',
      EventPattern: { detail: { type: { owner: ['Custom'], category: ['Invoke'], provider: ['Acme'], version: ['7'] } } },
    });
  });
});
