import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { amplifyStack } from './support';
import * as amplify from '../../src/amplify';
import { expectNagClean, nagErrors } from '../kit';

let stack: Stack;
let app: amplify.App;
beforeEach(() => {
  stack = amplifyStack();
  app = new amplify.App(stack, 'Site');
});

function jobsArn(branchId: string): unknown {
  return { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp(`^Site${branchId}`), 'Arn'] }, '/jobs/*']] };
}

describe('Build', () => {
  test('one provider per stack whatever the number of branches, and one policy per branch scoped to it', () => {
    const main = app.addBranch('main');
    const dev = app.addBranch('dev');
    main.startBuild('Build', { waitForSuccess: true, timeout: Duration.minutes(30), trigger: 'v1', reason: 'deployed by CDK' });
    dev.startBuild('Build');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    expect(Object.keys(template.findResources('AWS::Lambda::Function', {
      Properties: { Description: 'cdk-devtools AmplifyBuild custom resource handler' },
    }))).toHaveLength(2);
    template.hasResourceProperties('Custom::CdkDevtoolsAmplifyBuild', {
      AppId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Site'), 'AppId'] },
      BranchName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Sitemain'), 'BranchName'] },
      Trigger: 'v1',
      JobReason: 'deployed by CDK',
      Wait: 'true',
      TimeoutSeconds: 1800,
    });
    template.hasResourceProperties('Custom::CdkDevtoolsAmplifyBuild', { Trigger: 'created', Wait: 'false', TimeoutSeconds: Match.absent() });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['amplify:ListJobs', 'amplify:StartJob', 'amplify:GetJob', 'amplify:StopJob'],
            Effect: 'Allow',
            Resource: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Sitemain'), 'Arn'] }, jobsArn('main')],
          },
        ],
      },
    });
    const amplifyPolicies = Object.values(template.findResources('AWS::IAM::Policy')).map(p => JSON.stringify(p)).filter(p => p.includes('amplify:'));
    expect(amplifyPolicies).toHaveLength(2);
    for (const policy of amplifyPolicies) expect(policy).not.toContain('"Resource":"*"');
    expectNagClean(stack);
  });

  test('cdk-nag accepts only the wildcard on the branch\'s jobs, not any other wildcard on the policy', () => {
    const main = app.addBranch('main');
    const build = main.startBuild('Build');
    const policy = build.node.findChild('Build').node.findChild('Policy') as iam.Policy;
    policy.addStatements(new iam.PolicyStatement({ actions: ['amplify:GetApp'], resources: ['*'] }));
    const errors = nagErrors(stack);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/AwsSolutions-IAM5\[Resource::\*\]/);
  });

  test('works on an imported branch and exposes the job id', () => {
    const branch = amplify.Branch.fromBranchAttributes(stack, 'Imported', { app, branchName: 'main' });
    const build = branch.startBuild('Build');
    expect(stack.resolve(build.jobId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ImportedBuild/), 'JobId'] });
    Template.fromStack(stack).hasResourceProperties('Custom::CdkDevtoolsAmplifyBuild', { BranchName: 'main' });
  });

  test('rejects a timeout without a wait, a timeout out of bounds, and a long reason', () => {
    const main = app.addBranch('main');
    expect(() => main.startBuild('Build', { timeout: Duration.minutes(5) })).toThrow(/Site\/main\/Build: timeout only applies with waitForSuccess: true/);
    expect(() => main.startBuild('LongWait', { waitForSuccess: true, timeout: Duration.hours(3) })).toThrow(/timeout must be between 1 minute and 2 hours.*got 3 hours/);
    expect(() => main.startBuild('LongReason', { reason: 'x'.repeat(256) })).toThrow(/reason/);
  });

  test('builds take the id the caller gives: reordering startBuild calls keeps every logical id', () => {
    const logicalIds = (order: string[]) => {
      const s = amplifyStack();
      const main = new amplify.App(s, 'Site').addBranch('main');
      order.forEach(id => main.startBuild(id, { trigger: id }));
      const builds = Template.fromStack(s).findResources('Custom::CdkDevtoolsAmplifyBuild');
      return Object.fromEntries(Object.entries(builds).map(([logicalId, r]) => [r.Properties.Trigger, logicalId]));
    };
    const first = logicalIds(['Release', 'Nightly']);
    const reordered = logicalIds(['Nightly', 'Release']);
    expect(first).toEqual(reordered);
    expect(first.Release).toMatch(/^SitemainRelease/);
    expect(first.Nightly).toMatch(/^SitemainNightly/);
  });

  test('a second build under the same id is refused by the construct tree', () => {
    const main = app.addBranch('main');
    main.startBuild('Build');
    expect(() => main.startBuild('Build')).toThrow(/There is already a Construct with name 'Build' in Branch \[main\]/);
  });
});
