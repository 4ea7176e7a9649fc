import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NagSuppressions } from 'cdk-nag';
import { CustomActionType, CustomActionTypeProps, ICustomActionType, JobWorker } from '../../src/codepipeline';
import { ValidationError } from '../../src/core/validation';
import { expectNagClean, testApp, testStack } from '../kit';

const BASE: CustomActionTypeProps = {
  category: codepipeline.ActionCategory.DEPLOY,
  provider: 'AcmeDeployer',
  version: '1',
  artifactBounds: { minInputs: 1, maxInputs: 1, minOutputs: 0, maxOutputs: 0 },
};
const TYPE_ARN = 'arn:aws:codepipeline:us-east-1:123456789012:actiontype:Custom/Deploy/AcmeDeployer/1';

let stack: Stack;
beforeEach(() => {
  stack = testStack();
});

/** The user's function: its own nag findings are the user's business, not the worker's. */
function userFunction(id = 'Deployer', timeout?: Duration): lambda.Function {
  const fn = new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ status: "SUCCEEDED" });'),
    timeout,
  });
  NagSuppressions.addResourceSuppressions(fn, [
    { id: 'AwsSolutions-L1', reason: 'a test stand-in for the user\'s function' },
    { id: 'AwsSolutions-IAM4', reason: 'a test stand-in for the user\'s function' },
  ], true);
  return fn;
}

function plainType(props: Partial<CustomActionTypeProps> = {}): ICustomActionType {
  return new CustomActionType(stack, 'Type', { ...BASE, ...props });
}

function queryableType(): ICustomActionType {
  return plainType({
    configurationProperties: [
      { name: 'Environment', required: true, queryable: true },
      { name: 'ApiToken', required: true, secret: true },
      { name: 'Region', required: false },
    ],
  });
}

/** A string of the template, with its tokens (`Fn::Join` parts) written as `{Ref:Id}`. */
function joined(value: any): string {
  const parts: any[] = typeof value === 'string' ? [value] : value['Fn::Join'][1];
  return parts.map(p => (typeof p === 'string' ? p : JSON.stringify(p).replace(/"/g, ''))).join('');
}

/** What the rules of the worker `id` invoke the shared dispatcher with (both rules pass the same). */
function workerInput(template: Template, id = 'Worker'): any {
  const rules = Object.entries(template.findResources('AWS::Events::Rule')).filter(([logicalId]) => logicalId.startsWith(id) && !logicalId.startsWith(`${id}2`));
  const inputs = rules.map(([, rule]) => JSON.parse(joined(rule.Properties.Targets[0].Input)));
  expect(inputs).toHaveLength(2);
  expect(inputs[1]).toEqual(inputs[0]);
  return inputs[0];
}

function dispatcherOf(template: Template): Record<string, any> {
  const functions = template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler', Runtime: 'nodejs24.x' } });
  const list = Object.values(functions);
  expect(list).toHaveLength(1);
  return list[0].Properties;
}

describe('JobWorker', () => {
  test('a dispatcher on Node.js 24 with the type, the function and the secrets it must redact, and a timeout past the function\'s', () => {
    const handler = userFunction('Deployer', Duration.minutes(5));
    new JobWorker(stack, 'Worker', { actionType: queryableType(), handler, queryParam: { Environment: 'prod' } });
    const template = Template.fromStack(stack);
    const dispatcher = dispatcherOf(template);
    expect(dispatcher.Timeout).toBe(360);
    expect(dispatcher.MemorySize).toBe(256);
    expect(dispatcher.Environment.Variables).toEqual({
      FOLLOW_UP_GROUP: expect.stringMatching(/^TestStack-cdkdevtoolsJobWorkers-FollowUps-/),
      FOLLOW_UP_ROLE: { 'Fn::GetAtt': [expect.stringMatching(/^cdkdevtoolsJobWorkersFollowUpRole/), 'Arn'] },
    });
    expect(workerInput(template)).toEqual({
      worker: {
        category: 'Deploy',
        provider: 'AcmeDeployer',
        version: '1',
        queryParam: { Environment: 'prod' },
        maxBatchSize: 10,
        functionName: `{Fn::GetAtt:[${stack.getLogicalId(handler.node.defaultChild as lambda.CfnFunction)},Arn]}`,
        secretProperties: ['ApiToken'],
        metricDimension: 'Deploy/AcmeDeployer/1/prod',
        pendingQueueUrl: expect.stringMatching(/^\{Ref:WorkerPendingQueue/),
      },
    });
    expect(dispatcher.DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^cdkdevtoolsJobWorkersDeadLetterQueue/), 'Arn'] } });
    expect(dispatcher.LoggingConfig).toEqual({ LogGroup: { Ref: expect.stringMatching(/^cdkdevtoolsJobWorkersLogs/) } });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2, Qualifier: '$LATEST' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    expectNagClean(stack);
  });

  test('without a queryable property: no queryParam, the given batch size, and no secrets to redact', () => {
    new JobWorker(stack, 'Worker', { actionType: plainType(), handler: userFunction(), maxJobsPerPoll: 3 });
    const { worker } = workerInput(Template.fromStack(stack));
    expect(worker.queryParam).toBeUndefined();
    expect(worker.maxBatchSize).toBe(3);
    expect(worker.secretProperties).toEqual([]);
    expect(worker.metricDimension).toBe('Deploy/AcmeDeployer/1');
  });

  test('the default handler timeout is Lambda\'s 3 seconds for a function that sets none, plus a minute', () => {
    new JobWorker(stack, 'Worker', { actionType: plainType(), handler: userFunction() });
    expect(dispatcherOf(Template.fromStack(stack)).Timeout).toBe(63);
  });

  test('an imported function: 14 minutes unless handlerTimeout says otherwise; an imported type without properties redacts everything', () => {
    const type = CustomActionType.fromCustomActionTypeAttributes(stack, 'Imported', { category: codepipeline.ActionCategory.BUILD, provider: 'Acme', version: '2' });
    const fn = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:123456789012:function:acme-worker');
    new JobWorker(stack, 'Worker', { actionType: type, handler: fn, handlerTimeout: Duration.minutes(2) });
    let template = Template.fromStack(stack);
    expect(dispatcherOf(template).Timeout).toBe(180);
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 180 });
    expect(workerInput(template).worker).toMatchObject({ secretProperties: '*', functionName: 'arn:aws:lambda:us-east-1:123456789012:function:acme-worker' });

    stack = testStack(testApp(), 'Other');
    const type2 = CustomActionType.fromCustomActionTypeAttributes(stack, 'Imported', { category: codepipeline.ActionCategory.BUILD, provider: 'Acme', version: '2' });
    new JobWorker(stack, 'Worker', { actionType: type2, handler: lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:123456789012:function:acme-worker') });
    template = Template.fromStack(stack);
    expect(dispatcherOf(template).Timeout).toBe(900);
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 900 });
  });

  test('the STARTED rule matches the action type\'s started executions; the schedule polls every interval; both go to the dispatcher with the DLQ', () => {
    new JobWorker(stack, 'Worker', { actionType: plainType(), handler: userFunction(), pollInterval: Duration.minutes(5) });
    const template = Template.fromStack(stack);
    const target = {
      Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^cdkdevtoolsJobWorkersDispatcher'), 'Arn'] },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkerDeadLetterQueue'), 'Arn'] } },
      RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
    };
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.codepipeline'],
        'detail-type': ['CodePipeline Action Execution State Change'],
        'detail': { state: ['STARTED'], type: { owner: ['Custom'], category: ['Deploy'], provider: ['AcmeDeployer'], version: ['1'] } },
      },
      Targets: [Match.objectLike(target)],
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)', Targets: [Match.objectLike(target)] });
    template.resourceCountIs('AWS::Events::Rule', 2);
    template.resourceCountIs('AWS::Lambda::Permission', 2);
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
  });

  /**
   * What a worker with no jobs costs: the Lambda invocations its schedules make in a 30-day month (each schedule's
   * runs times its targets). The STARTED rule and the follow-up schedules run only when there is work.
   */
  function idleInvocationsPerMonth(template: Template): number {
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter(r => r.Properties.ScheduleExpression);
    return rules.reduce((sum, rule) => {
      const [, count, unit] = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(rule.Properties.ScheduleExpression)!;
      const minutes = Number(count) * (unit.startsWith('minute') ? 1 : unit.startsWith('hour') ? 60 : 1440);
      return sum + (30 * 24 * 60 / minutes) * rule.Properties.Targets.length;
    }, 0);
  }

  test('the default safety poll is every 10 minutes: idle, a worker makes 4,320 invocations a month (43,200 at one minute)', () => {
    new JobWorker(stack, 'Worker', { actionType: plainType(), handler: userFunction() });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(10 minutes)' });
    expect(idleInvocationsPerMonth(template)).toBe(4_320);

    const fast = testStack();
    stack = fast;
    new JobWorker(fast, 'Worker', { actionType: plainType(), handler: userFunction(), pollInterval: Duration.minutes(1) });
    expect(idleInvocationsPerMonth(Template.fromStack(fast))).toBe(43_200);
  });

  test('follow-ups: a schedule group of the dispatcher\'s own (deleted with it), a role only EventBridge Scheduler of this account '
    + 'assumes for it, which may only invoke the dispatcher, and the dispatcher may only create schedules there and pass that role', () => {
    new JobWorker(stack, 'Worker', { actionType: plainType(), handler: userFunction() });
    const template = Template.fromStack(stack);
    const group = template.findResources('AWS::Scheduler::ScheduleGroup');
    expect(Object.keys(group)).toEqual([expect.stringMatching(/^cdkdevtoolsJobWorkersFollowUps/)]);
    const [groupId] = Object.keys(group);
    expect(group[groupId]).toMatchObject({ DeletionPolicy: 'Delete', Properties: { Name: expect.stringMatching(/^TestStack-cdkdevtoolsJobWorkers-FollowUps-[0-9A-F]{8}$/) } });
    const groupName = group[groupId].Properties.Name;

    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: {
              'aws:SourceAccount': '123456789012',
              'aws:SourceArn': { 'Fn::GetAtt': [groupId, 'Arn'] },
            },
          },
        }],
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^cdkdevtoolsJobWorkersFollowUpRole') }],
      PolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^cdkdevtoolsJobWorkersDispatcher'), 'Arn'] } }],
      },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^cdkdevtoolsJobWorkersDispatcherRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Effect: 'Allow', Action: 'scheduler:CreateSchedule', Resource: `arn:aws:scheduler:us-east-1:123456789012:schedule/${groupName}/*` },
          {
            Effect: 'Allow',
            Action: 'iam:PassRole',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^cdkdevtoolsJobWorkersFollowUpRole'), 'Arn'] },
            Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
          },
        ]),
      },
    });
    expect(dispatcherOf(template).Environment.Variables).toMatchObject({
      FOLLOW_UP_GROUP: groupName,
      FOLLOW_UP_ROLE: { 'Fn::GetAtt': [expect.stringMatching(/^cdkdevtoolsJobWorkersFollowUpRole/), 'Arn'] },
    });
    expectNagClean(stack);

    // In a stack without an environment, the schedules' ARN has tokens for partition, region and account.
    stack = testStack(testApp(), 'Agnostic', { env: undefined });
    new JobWorker(stack, 'Worker', { actionType: plainType(), handler: userFunction() });
    expectNagClean(stack);
  });

  test('grants: PollForJobs on the type, the job calls on *, its pending queue, invoking the user\'s function only, its logs and the DLQ; no managed policy', () => {
    const handler = userFunction();
    new JobWorker(stack, 'Worker', { actionType: plainType(), handler });
    const template = Template.fromStack(stack);
    const handlerArn = { 'Fn::GetAtt': [stack.getLogicalId(handler.node.defaultChild as lambda.CfnFunction), 'Arn'] };
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^cdkdevtoolsJobWorkersDispatcherRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^cdkdevtoolsJobWorkersLogs'), 'Arn'] } },
          { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^cdkdevtoolsJobWorkersDeadLetterQueue'), 'Arn'] } },
          { Effect: 'Allow', Action: 'codepipeline:PollForJobs', Resource: TYPE_ARN },
          {
            Effect: 'Allow',
            Action: ['codepipeline:AcknowledgeJob', 'codepipeline:GetJobDetails', 'codepipeline:PutJobFailureResult', 'codepipeline:PutJobSuccessResult'],
            Resource: '*',
          },
          {
            Effect: 'Allow',
            Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:ReceiveMessage', 'sqs:SendMessage'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkerPendingQueue'), 'Arn'] },
          },
          { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: handlerArn },
        ]),
      },
    });
    const statements = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^cdkdevtoolsJobWorkersDispatcherRole') }] } }))
      .flatMap(p => p.Properties.PolicyDocument.Statement);
    expect(statements.filter((s: any) => JSON.stringify(s.Action).includes('lambda:'))).toEqual([{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: handlerArn }]);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }] },
      ManagedPolicyArns: Match.absent(),
      Description: 'Job workers of CodePipeline custom action types',
    });
    expectNagClean(stack);
  });

  test('the dead-letter queue is SSE-encrypted, TLS only, keeps messages 14 days and lets the rules deliver', () => {
    const worker = new JobWorker(stack, 'Worker', { actionType: plainType(), handler: userFunction() });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Action: 'sqs:SendMessage', Principal: { Service: 'events.amazonaws.com' } }),
        ]),
      },
    });
    expect(worker.deadLetterQueue).toBeDefined();
  });

  test('the pending queue keeps what the dispatcher must finish later: encrypted, TLS only, hidden while one invocation works '
    + 'on an item, and moved to the dead-letter queue after its eighth try', () => {
    new JobWorker(stack, 'Worker', { actionType: plainType(), handler: userFunction('Deployer', Duration.minutes(5)) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WorkerDeadLetterQueue'), 'Arn'] }, maxReceiveCount: 8 },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: Match.stringLikeRegexp('^WorkerPendingQueue') }],
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    });
    expectNagClean(stack);
  });

  test('metrics: failed and succeeded jobs by action type, dispatcher errors, dead letters', () => {
    const worker = new JobWorker(stack, 'Worker', { actionType: queryableType(), handler: userFunction(), queryParam: { Environment: 'dev' } });
    const failed = worker.metricFailedJobs();
    expect(failed.namespace).toBe('cdk-devtools/CodePipeline');
    expect(failed.metricName).toBe('JobsFailed');
    expect(failed.dimensions).toEqual({ ActionType: 'Deploy/AcmeDeployer/1/dev' });
    expect(failed.statistic).toBe('Sum');
    expect(failed.period.toMinutes()).toBe(5);
    expect(worker.metricSucceededJobs({ period: Duration.minutes(1) }).metricName).toBe('JobsSucceeded');
    expect(worker.metricSucceededJobs({ period: Duration.minutes(1) }).period.toMinutes()).toBe(1);
    const errors = worker.metricDispatchErrors();
    expect(errors.namespace).toBe('AWS/Lambda');
    expect(errors.metricName).toBe('Errors');
    expect(stack.resolve(errors.dimensions)).toEqual({ FunctionName: { Ref: expect.stringMatching(/^cdkdevtoolsJobWorkersDispatcher/) } });
    const dead = worker.metricDeadLetters();
    expect(dead.namespace).toBe('AWS/SQS');
    expect(dead.metricName).toBe('ApproximateNumberOfMessagesVisible');
    failed.createAlarm(stack, 'FailedJobs', { threshold: 1, evaluationPeriods: 1 });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'cdk-devtools/CodePipeline', MetricName: 'JobsFailed', Dimensions: [{ Name: 'ActionType', Value: 'Deploy/AcmeDeployer/1/dev' }],
    });
  });

  test('the workers of a stack share one dispatcher, which serves each with its own settings, permissions and queues', () => {
    const deployer = userFunction('Deployer', Duration.minutes(5));
    const checker = userFunction('Checker');
    new JobWorker(stack, 'Worker', { actionType: queryableType(), handler: deployer, queryParam: { Environment: 'prod' } });
    const checks = new CustomActionType(stack, 'CheckType', { ...BASE, category: codepipeline.ActionCategory.TEST, provider: 'AcmeChecker' });
    new JobWorker(stack, 'Checks', { actionType: checks, handler: checker, maxJobsPerPoll: 2 });
    const template = Template.fromStack(stack);
    expect(Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler', Runtime: 'nodejs24.x' } }))).toHaveLength(1);
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    template.resourceCountIs('AWS::Events::Rule', 4);
    // Long enough for the slowest function (5 minutes) and the dispatcher's minute; each pending queue hides an item for its own.
    expect(dispatcherOf(template).Timeout).toBe(360);
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 360 });
    template.hasResourceProperties('AWS::SQS::Queue', { VisibilityTimeout: 63 });

    const arn = (fn: lambda.Function) => `{Fn::GetAtt:[${stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)},Arn]}`;
    expect(workerInput(template, 'Worker').worker).toMatchObject({ provider: 'AcmeDeployer', queryParam: { Environment: 'prod' }, functionName: arn(deployer) });
    expect(workerInput(template, 'Checks').worker).toMatchObject({
      category: 'Test',
      provider: 'AcmeChecker',
      maxBatchSize: 2,
      functionName: arn(checker),
      metricDimension: 'Test/AcmeChecker/1',
      pendingQueueUrl: expect.stringMatching(/^\{Ref:ChecksPendingQueue/),
    });

    const statements = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^cdkdevtoolsJobWorkersDispatcherRole') }] } }))
      .flatMap(p => p.Properties.PolicyDocument.Statement);
    const resourcesOf = (action: string) => statements
      .filter((st: any) => [st.Action].flat().includes(action))
      .flatMap((st: any) => [st.Resource].flat());
    expect(resourcesOf('codepipeline:PollForJobs').sort()).toEqual([TYPE_ARN, 'arn:aws:codepipeline:us-east-1:123456789012:actiontype:Custom/Test/AcmeChecker/1'].sort());
    const ids = (action: string) => resourcesOf(action).map((r: any) => r['Fn::GetAtt'][0]).sort();
    expect(ids('lambda:InvokeFunction')).toEqual([checker, deployer].map(fn => stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)));
    expect(ids('sqs:ReceiveMessage')).toEqual([expect.stringMatching(/^ChecksPendingQueue/), expect.stringMatching(/^WorkerPendingQueue/)]);
    expectNagClean(stack);
  });

  describe('validation', () => {
    test('fails with a ValidationError naming the worker', () => {
      expect(() => new JobWorker(stack, 'Worker', { actionType: queryableType(), handler: userFunction() })).toThrow(ValidationError);
    });

    test('a queryable type needs queryParam', () => {
      expect(() => new JobWorker(stack, 'Worker', { actionType: queryableType(), handler: userFunction() })).toThrow(
        "TestStack/Worker: missing queryParam: the action type has the queryable property 'Environment', and CodePipeline gives its jobs only "
        + "to workers that poll with a value of it. Give the value this worker serves, e.g. queryParam: { Environment: 'prod' } (one worker per value).");
    });

    test('a type without a queryable property refuses queryParam', () => {
      expect(() => new JobWorker(stack, 'Worker', { actionType: plainType(), handler: userFunction(), queryParam: { Environment: 'prod' } })).toThrow(
        'TestStack/Worker: invalid queryParam: the action type has no queryable property, got { Environment: "prod" }; PollForJobs refuses a '
        + 'query for such a type. Remove queryParam, or mark one required, non-secret property `queryable: true` in the type (which takes a new version).');
    });

    test('queryParam has exactly one entry', () => {
      const type = queryableType();
      expect(() => new JobWorker(stack, 'Worker', { actionType: type, handler: userFunction(), queryParam: { Environment: 'prod', Region: 'eu' } })).toThrow(
        "TestStack/Worker: invalid queryParam: 2 entries (Environment, Region); PollForJobs takes exactly one, the type's queryable property and the value "
        + "this worker serves. Give one, e.g. { Environment: 'prod' }, and a JobWorker per value.");
      expect(() => new JobWorker(stack, 'Worker2', { actionType: type, handler: userFunction('Other'), queryParam: {} })).toThrow(
        /TestStack\/Worker2: invalid queryParam: 0 entries \(none\)/);
    });

    test('queryParam names the queryable property', () => {
      expect(() => new JobWorker(stack, 'Worker', { actionType: queryableType(), handler: userFunction(), queryParam: { Region: 'prod' } })).toThrow(
        "TestStack/Worker: invalid queryParam: the key 'Region' is not the type's queryable property; use { Environment: \"prod\" }.");
    });

    test('the queryable value follows CodePipeline\'s rule for queryable values', () => {
      const type = queryableType();
      expect(() => new JobWorker(stack, 'Worker', { actionType: type, handler: userFunction(), queryParam: { Environment: 'prod.eu' } })).toThrow(
        "TestStack/Worker: invalid queryParam.Environment: 'prod.eu' does not match the pattern ^[A-Za-z0-9_-]+$ that CodePipeline requires. Give the value exactly as the "
        + "pipelines' actions give it, e.g. 'prod' (CodePipeline keeps queryable values to 20 letters, digits, underscores and hyphens).");
      expect(() => new JobWorker(stack, 'Worker2', { actionType: type, handler: userFunction('Other'), queryParam: { Environment: 'x'.repeat(21) } })).toThrow(
        /invalid queryParam.Environment: 'x{21}' has 21 characters; CodePipeline allows 1 to 20 characters/);
    });

    test('an imported type without properties accepts one query entry, checked against the API', () => {
      const type = CustomActionType.fromCustomActionTypeAttributes(stack, 'Imported', { category: codepipeline.ActionCategory.BUILD, provider: 'Acme', version: '2' });
      new JobWorker(stack, 'Worker', { actionType: type, handler: userFunction(), queryParam: { Stage: 'beta' } });
      expect(workerInput(Template.fromStack(stack)).worker.queryParam).toEqual({ Stage: 'beta' });
      expect(() => new JobWorker(stack, 'Worker2', { actionType: type, handler: userFunction('Other'), queryParam: { ['k'.repeat(51)]: 'beta' } })).toThrow(
        /TestStack\/Worker2: invalid queryParam key: 'k{51}' has 51 characters; CodePipeline allows 1 to 50 characters/);
    });

    test('pollInterval is whole minutes, at least one', () => {
      const type = plainType();
      expect(() => new JobWorker(stack, 'Worker', { actionType: type, handler: userFunction(), pollInterval: Duration.seconds(30) })).toThrow(
        'TestStack/Worker: invalid pollInterval: 30 seconds; an EventBridge schedule runs at most once a minute, in whole minutes. Give '
        + 'Duration.minutes(1) or more, e.g. Duration.minutes(10) (it is the safety net only: new jobs are taken as soon as their action '
        + 'starts, and work in progress is polled again a minute later).');
      expect(() => new JobWorker(stack, 'Worker2', { actionType: type, handler: userFunction('Other'), pollInterval: Duration.seconds(90) }))
        .toThrow(/invalid pollInterval: 1 minute 30 seconds;/);
    });

    test('maxJobsPerPoll is at least 1', () => {
      expect(() => new JobWorker(stack, 'Worker', { actionType: plainType(), handler: userFunction(), maxJobsPerPoll: 0 })).toThrow(
        'TestStack/Worker: invalid maxJobsPerPoll: 0 is out of range; CodePipeline allows at least 1. Give a whole number such as 10: the '
        + 'dispatcher runs that many jobs at once, each in its own invocation of your function.');
    });

    test('the function\'s timeout leaves the dispatcher a minute within Lambda\'s 15', () => {
      const type = plainType();
      expect(() => new JobWorker(stack, 'Worker', { actionType: type, handler: userFunction('Deployer', Duration.minutes(15)) })).toThrow(
        "TestStack/Worker: invalid handler: the function's timeout is 15 minutes; the dispatcher waits for the function within Lambda's 15 minutes "
        + 'and needs 1 minute to report, so a job may take at most 14 minutes per invocation. Give the function a timeout of Duration.minutes(14) '
        + "or less, and for longer work answer IN_PROGRESS with a continuationToken: CodePipeline sends a new job with it, up to the action's own time-out.");
      const fn = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:123456789012:function:acme-worker');
      expect(() => new JobWorker(stack, 'Worker2', { actionType: type, handler: fn, handlerTimeout: Duration.minutes(20) })).toThrow(
        /TestStack\/Worker2: invalid handlerTimeout: handlerTimeout is 20 minutes;/);
    });

    test('handlerTimeout may not be shorter than the function\'s own', () => {
      expect(() => new JobWorker(stack, 'Worker', { actionType: plainType(), handler: userFunction('Deployer', Duration.minutes(5)), handlerTimeout: Duration.minutes(1) })).toThrow(
        "TestStack/Worker: invalid handlerTimeout: 1 minute is less than the function's own timeout (5 minutes), so the dispatcher could give up on "
        + "a run that is still going. Remove handlerTimeout (the function's timeout is used), or set it to 5 minutes.");
    });
  });
});
