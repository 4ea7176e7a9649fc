import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { amplifyStack, arnOf, expectOneProvider } from './support';
import * as amplify from '../../src/amplify';
import { BUILD_FAMILY } from '../../src/amplify/private/custom-resources/contract';
import { KitResource } from '../../src/core/custom-resource';
import { expectNagClean, kitRolesOf, nagErrors, waitBoundError } from '../kit';

let stack: Stack;
let app: amplify.App;
beforeEach(() => {
  stack = amplifyStack();
  app = new amplify.App(stack, 'Site');
});

const TYPE = BUILD_FAMILY.resourceType;

describe('Build', () => {
  test('one provider per stack whatever the number of builds; one role per branch, scoped to it and its jobs', () => {
    const main = app.addBranch('main');
    const dev = app.addBranch('dev');
    main.startBuild('Build', { waitForSuccess: true, timeout: Duration.minutes(30), trigger: 'v1', reason: 'deployed by CDK' });
    main.startBuild('Nightly', { trigger: 'nightly' });
    dev.startBuild('Build', { trigger: 'v2', waitForSuccess: true });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(TYPE, {
      AppId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Site'), 'AppId'] },
      BranchName: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Sitemain'), 'BranchName'] },
      Trigger: 'v1',
      JobReason: 'deployed by CDK',
      Wait: 'true',
      TimeoutSeconds: 1800,
      ServiceTimeout: '3600',
    });
    // By default the longest wait that fits CloudFormation's hour, with the wait's own 15 minutes after it.
    template.hasResourceProperties(TYPE, { Trigger: 'v2', Wait: 'true', TimeoutSeconds: 2700, ServiceTimeout: '3600' });
    template.hasResourceProperties(TYPE, { Trigger: 'nightly', Wait: 'false', TimeoutSeconds: Match.absent(), ServiceTimeout: Match.absent() });
    const roles = kitRolesOf(template, TYPE);
    const branchOf = (logicalId: string) => JSON.stringify(template.findResources(TYPE)[logicalId].Properties.BranchName).includes('Sitemain') ? 'main' : 'dev';
    const byBranch = Object.keys(template.findResources(TYPE)).map((logicalId, i) => [branchOf(logicalId), roles[i]] as const);
    // The two builds of main share main's role; dev's build has its own.
    const mainRoles = new Set(byBranch.filter(([b]) => b === 'main').map(([, r]) => r.roleLogicalId));
    const devRoles = new Set(byBranch.filter(([b]) => b === 'dev').map(([, r]) => r.roleLogicalId));
    expect(mainRoles.size).toBe(1);
    expect(devRoles.size).toBe(1);
    expect([...mainRoles][0]).not.toBe([...devRoles][0]);
    for (const [branch, role] of byBranch) {
      const arn = branch === 'main' ? 'Sitemain' : 'Sitedev';
      expect(role.statements).toEqual([{
        Action: ['amplify:GetJob', 'amplify:ListJobs', 'amplify:StartJob', 'amplify:StopJob'],
        Effect: 'Allow',
        Resource: [arnOf(arn), arnOf(arn, '/jobs/*')],
      }]);
    }
    expectOneProvider(template);
    expectNagClean(stack);
  });

  test('cdk-nag accepts only the wildcard on the branch\'s jobs, not any other wildcard in the role', () => {
    const main = app.addBranch('main');
    const build = main.startBuild('Build');
    expectNagClean(stack);
    const role = (build.node.findChild('Build') as KitResource).role.node.defaultChild as iam.CfnRole;
    const [permissions] = stack.resolve(role.policies) as Array<{ policyName: string; policyDocument: { Statement: object[] } }>;
    role.policies = [{
      policyName: permissions.policyName,
      policyDocument: { ...permissions.policyDocument, Statement: [...permissions.policyDocument.Statement, { Action: 'amplify:GetApp', Effect: 'Allow', Resource: '*' }] },
    }];
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
    expect(() => main.startBuild('LongWait', { waitForSuccess: true, timeout: Duration.minutes(46) }))
      .toThrow(waitBoundError('TestStack/Site/main/LongWait', 'timeout', '46 minutes'));
    expect(() => main.startBuild('LongestWait', { waitForSuccess: true, timeout: Duration.minutes(45) })).not.toThrow();
    expect(() => main.startBuild('LongReason', { reason: 'x'.repeat(256) })).toThrow(/reason/);
    expect(() => main.startBuild('Interval', { pollInterval: Duration.minutes(1) }))
      .toThrow('TestStack/Site/main/Interval: pollInterval only applies with waitForSuccess: true; set it or remove pollInterval');
    expect(() => main.startBuild('FastPoll', { waitForSuccess: true, pollInterval: Duration.seconds(1) }))
      .toThrow(/TestStack\/Site\/main\/FastPoll: pollInterval must be a whole number of seconds between 5 seconds and 5 minutes, got 1 second/);
  });

  test('the wait reads every 30 seconds unless pollInterval says otherwise', () => {
    const main = app.addBranch('main');
    main.startBuild('Usual', { trigger: 'a', waitForSuccess: true });
    main.startBuild('Slow', { trigger: 'b', waitForSuccess: true, pollInterval: Duration.minutes(2) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(TYPE, { Trigger: 'a', PollIntervalSeconds: 30 });
    template.hasResourceProperties(TYPE, { Trigger: 'b', PollIntervalSeconds: 120 });
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
