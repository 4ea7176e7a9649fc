import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Connection, ProviderType } from '../../src/codeconnections';
import { testStack } from '../kit';

let stack: Stack;
beforeEach(() => {
  stack = testStack();
});

test('plugs into CodeStarConnectionsSourceAction; grantUse adds the codeconnections prefix', () => {
  const connection = new Connection(stack, 'GitHub', { providerType: ProviderType.GITHUB, waitForAvailability: true });
  const source = new codepipeline.Artifact();
  const sourceRole = new iam.Role(stack, 'SourceRole', { assumedBy: new iam.AccountRootPrincipal() });
  new codepipeline.Pipeline(stack, 'Pipeline', {
    pipelineType: codepipeline.PipelineType.V2,
    stages: [
      {
        stageName: 'Source',
        actions: [new actions.CodeStarConnectionsSourceAction({
          actionName: 'GitHub', connectionArn: connection.connectionArn, owner: 'my-org', repo: 'app', branch: 'main', output: source, role: sourceRole,
        })],
      },
      { stageName: 'Approve', actions: [new actions.ManualApprovalAction({ actionName: 'Approve' })] },
    ],
  });
  connection.grantUse(sourceRole);
  const template = Template.fromStack(stack);
  const waitId = Object.keys(template.findResources('Custom::CdkDevtoolsConnectionAvailability'))[0];
  // The pipeline reads the ARN through the wait, so it is created only once the connection is AVAILABLE.
  template.hasResourceProperties('AWS::CodePipeline::Pipeline', {
    Stages: Match.arrayWith([Match.objectLike({
      Actions: [Match.objectLike({ Configuration: Match.objectLike({ ConnectionArn: { 'Fn::GetAtt': [waitId, 'ResourceArn'] } }) })],
    })]),
  });
  const statements = Object.values<any>(template.findResources('AWS::IAM::Policy'))
    .flatMap(p => p.Properties.PolicyDocument.Statement)
    .filter((s: any) => JSON.stringify(s.Action).includes('UseConnection'));
  const actionsGranted = statements.flatMap((s: any) => [].concat(s.Action));
  expect(actionsGranted).toEqual(expect.arrayContaining(['codestar-connections:UseConnection', 'codeconnections:UseConnection']));
});

test('plugs into pipelines.CodePipelineSource.connection', () => {
  const connection = Connection.fromConnectionArn(stack, 'C', 'arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-1111-2222-3333-444455556666');
  const pipeline = new pipelines.CodePipeline(stack, 'Pipeline', {
    synth: new pipelines.ShellStep('Synth', {
      input: pipelines.CodePipelineSource.connection('my-org/app', 'main', { connectionArn: connection.connectionArn }),
      commands: ['npm ci', 'npx cdk synth'],
    }),
  });
  pipeline.buildPipeline();
  Template.fromStack(stack).hasResourceProperties('AWS::CodePipeline::Pipeline', {
    Stages: Match.arrayWith([Match.objectLike({
      Name: 'Source',
      Actions: [Match.objectLike({ Configuration: Match.objectLike({ ConnectionArn: connection.connectionArn, FullRepositoryId: 'my-org/app' }) })],
    })]),
  });
});
