import { CodeStarConnectionsClient, GetConnectionCommand } from '@aws-sdk/client-codestar-connections';
import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { isAvailabilityComplete } from '../../src/codeconnections/private/custom-resources/availability';
import { checkPollInterval, KitResource } from '../../src/core/custom-resource';
import { classifyError, pollDue, pollFailureAdvice, startWait, WAIT_STARTED_KEY } from '../../src/core/runtime/handler';
import { POLL_INTERVAL_PROPERTY, QUERY_INTERVAL_VARIABLE, TIMEOUT_PROPERTY } from '../../src/core/runtime/properties';
import { bundleRouter } from '../../src/provider/bundle';
import { awsError, handlerMocks, testApp, testFamily, testStack, waiterOf } from '../kit';

const ARN = 'arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-1111-2222-3333-444455556666';

/** An isComplete request of a wait that started at 0 (epoch ms), with the given properties. */
function request(props: Record<string, unknown>) {
  return {
    RequestType: 'Create' as const,
    ResourceType: 'Custom::X',
    LogicalResourceId: 'X',
    StackId: 's',
    RequestId: 'r',
    PhysicalResourceId: ARN,
    ResourceProperties: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, String(v)])),
    Data: { [WAIT_STARTED_KEY]: '0' },
  };
}

describe('provider identity', () => {
  /** A stack with one kit resource per poll interval given (no interval: a resource that does not wait). */
  function stackWith(intervals: Array<Duration | undefined>, type = 'Custom::X'): Stack {
    const stack = testStack(testApp(), 'S');
    intervals.forEach((interval, i) => new KitResource(stack, `R${i}`, {
      family: testFamily(type),
      properties: {},
      statements: [new iam.PolicyStatement({ actions: ['amplify:GetApp'], resources: ['*'] })],
      wait: interval ? { timeout: Duration.minutes(10), pollInterval: interval } : undefined,
    }));
    return stack;
  }

  test('resources of every family and poll interval share one provider and its ServiceToken', () => {
    const tokenOf = (interval: Duration, type: string) => {
      const props = Object.values<any>(Template.fromStack(stackWith([interval], type)).findResources(type))[0].Properties;
      return { token: props.ServiceToken, props };
    };
    const a = tokenOf(Duration.seconds(7), 'Custom::X');
    const b = tokenOf(Duration.minutes(2), 'Custom::Y');
    expect(a.token).toEqual(b.token);
    expect(a.props).toMatchObject({ [POLL_INTERVAL_PROPERTY]: 7, [TIMEOUT_PROPERTY]: 600 });
    expect(b.props).toMatchObject({ [POLL_INTERVAL_PROPERTY]: 120 });
  });

  test('the waiter calls isComplete at the shortest poll interval of the stack\'s waits, and tells the function so', () => {
    const waiter = (intervals: Array<Duration | undefined>) => waiterOf(Template.fromStack(stackWith(intervals)));
    // No wait: every request is complete at the first call, which follows onEvent at once; the interval is the default.
    expect(waiter([undefined, undefined])).toEqual({ IntervalSeconds: 30, MaxAttempts: 110, level: 'FATAL', told: '30' });
    expect(waiter([Duration.seconds(45), undefined, Duration.minutes(2), Duration.seconds(15)]))
      .toEqual({ IntervalSeconds: 15, MaxAttempts: 220, level: 'FATAL', told: '15' });
    // Attempts cover the framework's backstop (55 minutes) when the interval does not divide it.
    expect(waiter([Duration.seconds(7)])).toEqual({ IntervalSeconds: 7, MaxAttempts: 472, level: 'FATAL', told: '7' });
    expect(waiter([Duration.minutes(5)])).toEqual({ IntervalSeconds: 300, MaxAttempts: 11, level: 'FATAL', told: '300' });
  });

  test('a wait added with another poll interval changes the waiter only: the ServiceToken, the functions and the other resources stay', () => {
    const synth = (intervals: Array<Duration | undefined>) => {
      const template = Template.fromStack(stackWith(intervals));
      const first = Object.values<any>(template.findResources('Custom::X'))[0].Properties;
      return {
        token: first.ServiceToken,
        first,
        functions: Object.keys(template.findResources('AWS::Lambda::Function')).sort(),
        machines: Object.keys(template.findResources('AWS::StepFunctions::StateMachine')),
      };
    };
    const alone = synth([Duration.seconds(30)]);
    const withFaster = synth([Duration.seconds(30), Duration.seconds(10)]);
    const withNoWait = synth([Duration.seconds(30), undefined]);
    for (const other of [withFaster, withNoWait]) {
      expect(other.token).toEqual(alone.token);
      expect(other.first).toEqual(alone.first);
      expect(other.functions).toEqual(alone.functions);
      expect(other.machines).toEqual(alone.machines);
    }
    expect(alone.token).toEqual({ 'Fn::Sub': expect.stringMatching(/^\$\{cdkdevtoolsProviderframeworkonEvent[A-Za-z0-9]+\.Arn\}$/) });
  });

  test('checkPollInterval says what it got, the range and what to do', () => {
    const stack = new Stack(undefined, 'S');
    const check = (d: Duration) => checkPollInterval(stack, 'pollInterval', d, Duration.seconds(5), Duration.minutes(5));
    expect(check(Duration.seconds(7)).toSeconds()).toBe(7);
    expect(() => check(Duration.seconds(4))).toThrow('S: pollInterval must be a whole number of seconds between 5 seconds and 5 minutes, got 4 seconds; choose an interval in that range, e.g. Duration.seconds(30)');
    expect(() => check(Duration.millis(5500))).toThrow(/got 5 seconds 500 millis/);
  });
});

describe('pollDue', () => {
  const props = { [POLL_INTERVAL_PROPERTY]: 7, [TIMEOUT_PROPERTY]: 60 };
  const due = (p: Record<string, unknown>, at: number, query = 5) => pollDue(request(p), at, query);

  test('reads at the resource\'s own interval although the provider calls more often', () => {
    // Another wait of the stack polls every 5 s, so the provider calls every 5 s plus some drift; a 7 s interval
    // reads at the first call after 7, 14, 21, ...
    const calls = [0, 5.2, 10.4, 15.6, 20.8, 26, 31.2, 36.4, 41.6, 46.8];
    const reads = calls.filter(s => due(props, s * 1000));
    // 21 fell between the windows of 20.8 and 26, so that read waited for 28.
    expect(reads).toEqual([0, 10.4, 15.6, 31.2, 36.4, 46.8]);
  });

  test('a minute interval skips the calls in between', () => {
    const p = { ...props, [POLL_INTERVAL_PROPERTY]: 60, [TIMEOUT_PROPERTY]: 600 };
    expect(due(p, 0)).toBe(true);
    expect(due(p, 20_000)).toBe(false);
    expect(due(p, 61_000)).toBe(true);
    expect(due(p, 80_000)).toBe(false);
  });

  test('always reads at or after the deadline, and without the properties', () => {
    const p = { ...props, [POLL_INTERVAL_PROPERTY]: 300, [TIMEOUT_PROPERTY]: 60 };
    expect(due(p, 30_000)).toBe(false);
    expect(due(p, 60_000)).toBe(true);
    expect(due({ [TIMEOUT_PROPERTY]: 60 }, 30_000)).toBe(true);
  });

  test('the wait that sets the provider\'s interval reads at every call; an unknown query interval reads at every call', () => {
    const p = { ...props, [POLL_INTERVAL_PROPERTY]: 30, [TIMEOUT_PROPERTY]: 600 };
    expect([30, 60, 90].map(at => due(p, at * 1000, 30))).toEqual([true, true, true]);
    expect(due(p, 20_000, 0)).toBe(true);
  });

  test('reads the query interval the provider sets on the isComplete function', () => {
    const p = { ...props, [POLL_INTERVAL_PROPERTY]: 60, [TIMEOUT_PROPERTY]: 600 };
    try {
      process.env[QUERY_INTERVAL_VARIABLE] = '10';
      expect([50, 61, 70].map(at => pollDue(request(p), at * 1000))).toEqual([false, true, false]);
      process.env[QUERY_INTERVAL_VARIABLE] = '60';
      expect([50, 70].map(at => pollDue(request(p), at * 1000))).toEqual([true, true]);
    } finally {
      delete process.env[QUERY_INTERVAL_VARIABLE];
    }
  });
});

describe('a wait\'s clock starts when CloudFormation\'s request arrived', () => {
  test('the time onEvent takes to start the work counts against the wait\'s timeout', async () => {
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const router = bundleRouter([
      { family: testFamily('Custom::Slow'), onEvent: async () => { now += 5 * 60_000; return { PhysicalResourceId: 'p', Data: { ...startWait(), Id: 'x' } }; }, isComplete: async () => ({ IsComplete: true }) },
      { family: { ...testFamily('Custom::NoWait'), waits: false }, onEvent: async () => ({ PhysicalResourceId: 'q', Data: { Id: 'y' } }) },
    ]);
    const event = (type: string) => ({ ...request({}), RequestType: 'Create' as const, ResourceType: type, ResponseURL: 'u' });
    // Five minutes of upload inside onEvent: the deadline is measured from the request, as CloudFormation's is.
    await expect(router.onEvent(event('Custom::Slow'))).resolves.toEqual({ PhysicalResourceId: 'p', Data: { [WAIT_STARTED_KEY]: '1000000', Id: 'x' } });
    await expect(router.onEvent(event('Custom::NoWait'))).resolves.toEqual({ PhysicalResourceId: 'q', Data: { Id: 'y' } });
    jest.restoreAllMocks();
  });
});

describe('isComplete honours the resource\'s poll interval', () => {
  const [mock] = handlerMocks(CodeStarConnectionsClient);
  const client = new CodeStarConnectionsClient({ region: 'us-east-1' });
  afterEach(() => jest.useRealTimers());

  afterEach(() => { delete process.env[QUERY_INTERVAL_VARIABLE]; });

  test('a 7 s interval (which does not divide the backstop) works: calls between reads do not call AWS', async () => {
    mock.on(GetConnectionCommand).resolves({ Connection: { ConnectionStatus: 'PENDING', ConnectionArn: ARN } });
    const event = request({ ResourceArn: ARN, Kind: 'connection', [POLL_INTERVAL_PROPERTY]: 7, [TIMEOUT_PROPERTY]: 600 });
    process.env[QUERY_INTERVAL_VARIABLE] = '5'; // another wait of the stack polls every 5 s
    jest.useFakeTimers({ now: 19_000 });
    await expect(isAvailabilityComplete(client, event)).resolves.toEqual({ IsComplete: false });
    expect(mock).toHaveReceivedCommandTimes(GetConnectionCommand, 0);
    jest.setSystemTime(21_500);
    await expect(isAvailabilityComplete(client, event)).resolves.toEqual({ IsComplete: false });
    expect(mock).toHaveReceivedCommandTimes(GetConnectionCommand, 1);
  });
});

describe('a failed read at a wait\'s deadline', () => {
  const advice = { service: 'Amplify', notFound: 'It is gone.', permissions: 'amplify:GetJob on the job' };

  test.each([
    ['ThrottlingException', 'throttled'],
    ['LimitExceededException', 'throttled'],
    ['TooManyRequestsException', 'throttled'],
    ['ServiceUnavailableException', 'unavailable'],
    ['NotFoundException', 'not-found'],
    ['AccessDeniedException', 'access-denied'],
    ['ConflictException', 'conflict'],
    ['ServiceQuotaExceededException', 'quota'],
    ['ValidationException', 'other'],
  ])('%s is classified %s', (name, kind) => {
    expect(classifyError(awsError(name, 'x', name.startsWith('Service') && kind === 'unavailable' ? 'server' : 'client'))).toBe(kind);
  });

  test('"already exists" is a conflict', () => {
    expect(classifyError(awsError('BadRequestException', 'backend environment staging already exists'))).toBe('conflict');
    expect(classifyError(awsError('BadRequestException', 'bad value'))).toBe('other');
  });

  test('throttling says it was throttled and what to do, never permissions', () => {
    const text = pollFailureAdvice(awsError('LimitExceededException'), advice);
    expect(text).toMatch(/Amplify was throttling the status reads at the wait's deadline .*Retry the deployment, or raise the wait's timeout/);
    expect(text).not.toMatch(/permission/i);
  });

  test('access denied names the permissions; not found says it is gone; a suffix is appended', () => {
    expect(pollFailureAdvice(awsError('AccessDeniedException'), advice)).toMatch(/lacks a permission \(amplify:GetJob on the job\)/);
    expect(pollFailureAdvice(awsError('NotFoundException'), { ...advice, suffix: 'See X.' })).toBe('It is gone. See X.');
  });

});
