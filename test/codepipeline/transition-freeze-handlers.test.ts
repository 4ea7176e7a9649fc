import {
  CodePipelineClient, DisableStageTransitionCommand, EnableStageTransitionCommand, GetPipelineStateCommand, ListTagsForResourceCommand,
  TagResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-codepipeline';
import { mockPipelineTags } from './fake-pipeline-control';
import { CODEPIPELINE_API } from '../../src/codepipeline/private/api-constraints';
import { TRANSITION_FREEZE_FAMILY } from '../../src/codepipeline/private/custom-resources/contract';
import { decodeReason, encodeReason } from '../../src/codepipeline/private/custom-resources/freeze-owners';
import { onTransitionFreezeEvent } from '../../src/codepipeline/private/custom-resources/transition-freeze';
import { awsError, createEvent, deleteEvent, expectValidSdkInputs, handlerMocks, updateEvent } from '../kit';

const [mock] = handlerMocks(CodePipelineClient);
const client = () => new CodePipelineClient({ region: 'us-east-1' });
const options = { resourceType: TRANSITION_FREEZE_FAMILY.resourceType };
const props = { PipelineName: 'release', StageName: 'Staging', TransitionType: 'Outbound', Reason: 'Holiday freeze (CHG-1)' };
const inbound = { ...props, TransitionType: 'Inbound' };
const ID = 'release/Staging/Outbound';
const IN_ID = 'release/Staging/Inbound';
const PIPELINE_ARN = 'arn:aws:codepipeline:us-east-1:123456789012:release';
const noSleep = { sleep: async () => undefined };

/** The pipeline's tags (two to a page of ListTagsForResource). */
let tags: Map<string, string>;
/** The inbound transition's state GetPipelineState shows. */
let inboundState: { enabled: boolean; disabledReason?: string };

beforeEach(() => {
  tags = new Map([['team', 'platform']]);
  inboundState = { enabled: true };
  mockPipelineTags(mock, tags, 2);
  mock.on(GetPipelineStateCommand).callsFake(() => ({ stageStates: [{ stageName: 'Build' }, { stageName: 'Staging', inboundTransitionState: inboundState }] }));
  mock.on(DisableStageTransitionCommand).resolves({});
  mock.on(EnableStageTransitionCommand).resolves({});
});

/** The freeze's records among the pipeline's tags. */
const records = () => [...tags.keys()].filter(k => k.startsWith('cdk-devtools/freeze/'));
const as = (logicalId: string, event: ReturnType<typeof createEvent>) => ({ ...event, LogicalResourceId: logicalId });

test('Create records the freeze as a holder, then disables the transition with the reason, and returns its identity', async () => {
  expect(await onTransitionFreezeEvent(client(), createEvent(props, options))).toEqual({
    PhysicalResourceId: ID, Data: { PipelineName: 'release', StageName: 'Staging', TransitionType: 'Outbound' },
  });
  expect(records()).toEqual([expect.stringMatching(/^cdk-devtools\/freeze\/[0-9a-f]{12}\/[0-9a-f]{16}\/reason$/), expect.stringMatching(/\/before$/)]);
  expect(mock).toHaveReceivedCommandWith(TagResourceCommand, { resourceArn: PIPELINE_ARN });
  expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, {
    pipelineName: 'release', stageName: 'Staging', transitionType: 'Outbound', reason: 'Holiday freeze (CHG-1)',
  });
  // The record comes before the disable (see freeze-owners.ts).
  const order = mock.calls().map(c => c.args[0].constructor.name);
  expect(order.indexOf('TagResourceCommand')).toBeLessThan(order.indexOf('DisableStageTransitionCommand'));
  // CodePipeline shows no outbound state: nothing to read.
  expect(mock).not.toHaveReceivedCommand(GetPipelineStateCommand);
  expectValidSdkInputs(mock, CODEPIPELINE_API);
});

test('Delete of the last holder enables the transition and removes the record', async () => {
  await onTransitionFreezeEvent(client(), createEvent(props, options));
  expect(await onTransitionFreezeEvent(client(), deleteEvent(ID, props, options))).toEqual({ PhysicalResourceId: ID });
  expect(mock).toHaveReceivedCommandWith(EnableStageTransitionCommand, { pipelineName: 'release', stageName: 'Staging', transitionType: 'Outbound' });
  expect(records()).toEqual([]);
  expect(tags.get('team')).toBe('platform');
  expectValidSdkInputs(mock, CODEPIPELINE_API);
});

test('an inbound transition a person disabled before the freeze is disabled again with the person\'s reason when the freeze leaves', async () => {
  inboundState = { enabled: false, disabledReason: 'Waiting for QA (ticket 7)' };
  await onTransitionFreezeEvent(client(), createEvent(inbound, options));
  expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, { transitionType: 'Inbound', reason: 'Holiday freeze (CHG-1)' });
  mock.resetHistory();
  await onTransitionFreezeEvent(client(), deleteEvent(IN_ID, inbound, options));
  expect(mock).not.toHaveReceivedCommand(EnableStageTransitionCommand);
  expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, { transitionType: 'Inbound', reason: 'Waiting for QA (ticket 7)' });
  expect(records()).toEqual([]);
});

test('an inbound transition disabled without a reason is disabled again with a generic one', async () => {
  inboundState = { enabled: false };
  await onTransitionFreezeEvent(client(), createEvent(inbound, options));
  await onTransitionFreezeEvent(client(), deleteEvent(IN_ID, inbound, options));
  expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, { reason: 'Disabled' });
  expect(mock).not.toHaveReceivedCommand(EnableStageTransitionCommand);
});

test('an inbound transition of a stage GetPipelineState does not show is enabled when the freeze leaves', async () => {
  await onTransitionFreezeEvent(client(), createEvent({ ...inbound, StageName: 'Later' }, options));
  await onTransitionFreezeEvent(client(), deleteEvent('release/Later/Inbound', { ...inbound, StageName: 'Later' }, options));
  expect(mock).toHaveReceivedCommandWith(EnableStageTransitionCommand, { stageName: 'Later' });
});

test('two holders: the first leaving keeps the transition disabled with the other\'s reason; the last restores the state before the first', async () => {
  inboundState = { enabled: false, disabledReason: 'by hand' };
  await onTransitionFreezeEvent(client(), as('Holiday', createEvent(inbound, options)));
  // Now disabled with the holiday freeze's reason: the second holder takes the state before from the first's record.
  inboundState = { enabled: false, disabledReason: 'Holiday freeze (CHG-1)' };
  await onTransitionFreezeEvent(client(), as('Audit', createEvent({ ...inbound, Reason: 'Audit (CHG-2)' }, options)));
  expect(records()).toHaveLength(4);
  mock.resetHistory();
  await onTransitionFreezeEvent(client(), as('Audit', deleteEvent(IN_ID, { ...inbound, Reason: 'Audit (CHG-2)' }, options)));
  expect(mock).not.toHaveReceivedCommand(EnableStageTransitionCommand);
  expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, { reason: 'Holiday freeze (CHG-1)' });
  mock.resetHistory();
  await onTransitionFreezeEvent(client(), as('Holiday', deleteEvent(IN_ID, inbound, options)));
  expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, { reason: 'by hand' });
  expect(mock).not.toHaveReceivedCommand(EnableStageTransitionCommand);
  expect(records()).toEqual([]);
});

test('a holder that records itself while the last one restores is applied again', async () => {
  await onTransitionFreezeEvent(client(), createEvent(props, options));
  const prefix = records()[0].split('/').slice(0, 3).join('/');
  let lists = 0;
  mock.on(ListTagsForResourceCommand).callsFake(() => {
    // The third read comes after the restore: another stack's freeze recorded itself meanwhile.
    if (++lists === 3) tags.set(`${prefix}/ffffffffffffffff/reason`, encodeReason('Late (CHG-3)'));
    return { tags: [...tags].map(([key, value]) => ({ key, value })) };
  });
  await onTransitionFreezeEvent(client(), deleteEvent(ID, props, options));
  const order = mock.calls().map(c => c.args[0].constructor.name).filter(n => n.endsWith('StageTransitionCommand'));
  expect(order.slice(-2)).toEqual(['EnableStageTransitionCommand', 'DisableStageTransitionCommand']);
  expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, { reason: 'Late (CHG-3)' });
});

test('an Update of the reason holds again with the new reason and keeps the state before; another direction is a new physical id', async () => {
  inboundState = { enabled: false, disabledReason: 'by hand' };
  await onTransitionFreezeEvent(client(), createEvent(inbound, options));
  inboundState = { enabled: false, disabledReason: 'Holiday freeze (CHG-1)' };
  const inPlace = await onTransitionFreezeEvent(client(), updateEvent(IN_ID, { ...inbound, Reason: 'Audit' }, inbound, options));
  expect(inPlace.PhysicalResourceId).toBe(IN_ID);
  expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, { transitionType: 'Inbound', reason: 'Audit' });
  expect(records()).toHaveLength(2);
  const moved = await onTransitionFreezeEvent(client(), updateEvent(IN_ID, { ...inbound, TransitionType: 'Outbound' }, inbound, options));
  expect(moved.PhysicalResourceId).toBe(ID);
  expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, { transitionType: 'Outbound', reason: 'Holiday freeze (CHG-1)' });
  expect(records()).toHaveLength(4);
  expect(mock).not.toHaveReceivedCommand(EnableStageTransitionCommand);
  // CloudFormation's clean-up releases the old transition, which goes back to the person's disable.
  await onTransitionFreezeEvent(client(), deleteEvent(IN_ID, { ...inbound, Reason: 'Audit' }, options));
  expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, { transitionType: 'Inbound', reason: 'by hand' });
  expectValidSdkInputs(mock, CODEPIPELINE_API);
});

test.each(['PipelineNotFoundException', 'ResourceNotFoundException', 'StageNotFoundException'])(
  'an Update of the transition CloudFormation holds, whose pipeline or stage is gone (%s), holds nothing and succeeds; a Create fails',
  async name => {
    mock.on(ListTagsForResourceCommand).rejects(awsError(name));
    const log = jest.spyOn(console, 'log');
    // An update of the reason, or the rollback of one (the pipeline deleted outside the stack): nothing is left to hold.
    await expect(onTransitionFreezeEvent(client(), updateEvent(ID, { ...props, Reason: 'Audit' }, props, options))).resolves.toEqual({
      PhysicalResourceId: ID, Data: { PipelineName: 'release', StageName: 'Staging', TransitionType: 'Outbound' },
    });
    expect(log.mock.calls.flat().join('\n')).toMatch(/is gone with its stage or pipeline \(deleted outside the stack\): nothing to hold/);
    // Another transition (a new physical id), or a new freeze, on a pipeline or stage that does not exist is a mistake.
    await expect(onTransitionFreezeEvent(client(), updateEvent(ID, inbound, props, options))).rejects.toThrow(/Disabling a stage transition failed/);
    await expect(onTransitionFreezeEvent(client(), createEvent(props, options))).rejects.toThrow(/Disabling a stage transition failed/);
  },
);

describe('the rollback of an Update CloudFormation stopped waiting for (another resource failed)', () => {
  const onOutbound = { ...props, RoleArn: 'arn:aws:iam::123456789012:role/outbound' };
  const onInbound = { ...inbound, RoleArn: 'arn:aws:iam::123456789012:role/inbound' };

  test('the Update back to the id CloudFormation holds releases the transition the cancelled Update held, with that Update\'s role', async () => {
    inboundState = { enabled: false, disabledReason: 'by hand' };
    await onTransitionFreezeEvent(client(), createEvent(onOutbound, options));
    // The cancelled Update holds the inbound transition; CloudFormation never learns its id.
    expect((await onTransitionFreezeEvent(client(), updateEvent(ID, onInbound, onOutbound, options))).PhysicalResourceId).toBe(IN_ID);
    expect(records()).toHaveLength(4);
    const clientFor = jest.fn(() => client());
    const back = await onTransitionFreezeEvent(client(), updateEvent(ID, onOutbound, onInbound, options), { clientFor });
    expect(back.PhysicalResourceId).toBe(ID);
    expect(clientFor).toHaveBeenCalledWith(expect.objectContaining({ RoleArn: onInbound.RoleArn, TransitionType: 'Inbound' }));
    // Only the outbound freeze's record is left; the inbound transition goes back to the person's disable.
    expect(records()).toHaveLength(2);
    expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, { transitionType: 'Inbound', reason: 'by hand' });
    expect(mock).not.toHaveReceivedCommandWith(EnableStageTransitionCommand, { transitionType: 'Outbound' });
    expectValidSdkInputs(mock, CODEPIPELINE_API);
  });

  test('a forward Update to another transition releases nothing: CloudFormation\'s clean-up Delete does', async () => {
    await onTransitionFreezeEvent(client(), createEvent(onOutbound, options));
    const clientFor = jest.fn(() => client());
    await onTransitionFreezeEvent(client(), updateEvent(ID, onInbound, onOutbound, options), { clientFor });
    expect(clientFor).not.toHaveBeenCalled();
    expect(records()).toHaveLength(4);
    expect(mock).not.toHaveReceivedCommand(EnableStageTransitionCommand);
  });

  test('a release that fails does not fail the rollback: the log says what to remove and enable by hand', async () => {
    await onTransitionFreezeEvent(client(), createEvent(onOutbound, options));
    await onTransitionFreezeEvent(client(), updateEvent(ID, onInbound, onOutbound, options));
    mock.on(EnableStageTransitionCommand).rejects(awsError('AccessDeniedException'));
    const log = jest.spyOn(console, 'log');
    const back = onTransitionFreezeEvent(client(), updateEvent(ID, onOutbound, onInbound, options));
    await expect(back).resolves.toMatchObject({ PhysicalResourceId: ID });
    expect(log.mock.calls.flat().join('\n'))
      .toMatch(/could not release the inbound transition of stage Staging of pipeline release .*remove the pipeline's tags cdk-devtools\/freeze\/[0-9a-f]{12}\/[0-9a-f]{16}\/\* and enable it in the console/);
  });
});

test('an Update that changes nothing of the freeze (only its kit role) calls nothing', async () => {
  const result = await onTransitionFreezeEvent(client(), updateEvent(ID, { ...props, RoleArn: 'new' }, { ...props, RoleArn: 'old' }, options));
  expect(result.PhysicalResourceId).toBe(ID);
  expect(mock.calls()).toHaveLength(0);
});

describe('a freeze of an earlier release (no record)', () => {
  test('an Update adopts it: it records itself with the transition enabled before, without reading the state', async () => {
    inboundState = { enabled: false, disabledReason: 'Holiday freeze (CHG-1)' };
    await onTransitionFreezeEvent(client(), updateEvent(IN_ID, { ...inbound, Reason: 'Audit' }, inbound, options));
    expect(mock).not.toHaveReceivedCommand(GetPipelineStateCommand);
    await onTransitionFreezeEvent(client(), deleteEvent(IN_ID, inbound, options));
    expect(mock).toHaveReceivedCommandWith(EnableStageTransitionCommand, { transitionType: 'Inbound' });
  });

  test('Delete enables the transition, as that release did, when no freeze is recorded', async () => {
    expect(await onTransitionFreezeEvent(client(), deleteEvent(ID, props, options))).toEqual({ PhysicalResourceId: ID });
    expect(mock).toHaveReceivedCommandWith(EnableStageTransitionCommand, { pipelineName: 'release', stageName: 'Staging', transitionType: 'Outbound' });
    expectValidSdkInputs(mock, CODEPIPELINE_API);
  });

  test('Delete leaves the transition to the freezes that are recorded', async () => {
    await onTransitionFreezeEvent(client(), as('Other', createEvent(props, options)));
    mock.resetHistory();
    await onTransitionFreezeEvent(client(), deleteEvent(ID, props, options));
    expect(mock).not.toHaveReceivedCommand(EnableStageTransitionCommand);
    expect(mock).not.toHaveReceivedCommand(UntagResourceCommand);
  });
});

test.each([
  ['the failed-create marker', 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED'],
  ['an id CloudFormation made up for a cancelled Create', 'TestStack-Resource-1A2B3C4D5E6F7'],
])('Delete of %s without a record changes nothing', async (_, physicalId) => {
  await onTransitionFreezeEvent(client(), as('Other', createEvent(props, options)));
  mock.resetHistory();
  expect(await onTransitionFreezeEvent(client(), deleteEvent(physicalId, props, options))).toEqual({ PhysicalResourceId: physicalId });
  expect(mock).not.toHaveReceivedCommand(EnableStageTransitionCommand);
  expect(mock).not.toHaveReceivedCommand(DisableStageTransitionCommand);
  expect(records()).toHaveLength(2);
});

test('Delete of an id CloudFormation made up releases what the cancelled Create recorded', async () => {
  await onTransitionFreezeEvent(client(), createEvent(props, options));
  await onTransitionFreezeEvent(client(), deleteEvent('TestStack-Resource-1A2B3C4D5E6F7', props, options));
  expect(mock).toHaveReceivedCommand(EnableStageTransitionCommand);
  expect(records()).toEqual([]);
});

test('a 300-character reason with every allowed sign is recorded in tags AWS accepts, and comes back whole', async () => {
  const reason = `Freeze!@ ().*?-${'x'.repeat(285)}`;
  inboundState = { enabled: false, disabledReason: reason };
  await onTransitionFreezeEvent(client(), createEvent({ ...inbound, Reason: reason }, options));
  for (const [key, value] of tags) {
    expect(value.length).toBeLessThanOrEqual(256);
    expect(`${key}=${value}`).toMatch(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u);
  }
  expect(records()).toHaveLength(4);
  mock.resetHistory();
  await onTransitionFreezeEvent(client(), deleteEvent(IN_ID, { ...inbound, Reason: reason }, options));
  expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, { reason });
  expect(records()).toEqual([]);
  expectValidSdkInputs(mock, CODEPIPELINE_API);
});

test('the reason mapping is one to one over every character a reason may have', () => {
  const all = 'abcXYZ019!@ ().*?-';
  expect(decodeReason(encodeReason(all))).toBe(all);
  expect(encodeReason(all)).toMatch(/^[A-Za-z0-9 _.:/=+\-@]+$/);
});

test('a missing reason gets the default one', async () => {
  await onTransitionFreezeEvent(client(), createEvent({ ...props, Reason: undefined }, options));
  expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, { reason: 'Frozen by cdk-devtools' });
  expectValidSdkInputs(mock, CODEPIPELINE_API);
});

test('a tag write refused as concurrent is tried again', async () => {
  mock.on(TagResourceCommand).rejectsOnce(awsError('ConcurrentModificationException'))
    .callsFake(input => { input.tags.forEach((t: { key: string; value: string }) => tags.set(t.key, t.value)); return {}; });
  await onTransitionFreezeEvent(client(), createEvent(props, options), noSleep);
  expect(mock).toHaveReceivedCommandTimes(TagResourceCommand, 2);
  expect(records()).toHaveLength(2);
});

test('a tag write refused as concurrent five times fails', async () => {
  mock.on(TagResourceCommand).rejects(awsError('ConcurrentModificationException'));
  await expect(onTransitionFreezeEvent(client(), createEvent(props, options), noSleep)).rejects.toThrow(/Disabling a stage transition failed.*ConcurrentModificationException/);
  expect(mock).toHaveReceivedCommandTimes(TagResourceCommand, 5);
});

test.each([
  ['PipelineNotFoundException', /Disabling a stage transition failed for the outbound transition of stage Staging of pipeline release.*does not exist/],
  ['StageNotFoundException', /has no stage of that name/],
  ['ThrottlingException', /throttling or briefly unavailable/],
  ['AccessDeniedException', /codepipeline:GetPipelineState, ListTagsForResource, TagResource and UntagResource of cdk-devtools\/freeze\/\* tags.*DisableStageTransition/],
])('a disable failing with %s says what to do, and removes the record it had just written', async (name, message) => {
  mock.on(DisableStageTransitionCommand).rejects(awsError(name));
  await expect(onTransitionFreezeEvent(client(), createEvent(props, options))).rejects.toThrow(message);
  expect(records()).toEqual([]);
});

test('a record that cannot be removed after a failed disable is named in the log', async () => {
  mock.on(DisableStageTransitionCommand).rejects(awsError('StageNotFoundException'));
  mock.on(UntagResourceCommand).rejects(awsError('AccessDeniedException'));
  const log = jest.spyOn(console, 'log');
  await expect(onTransitionFreezeEvent(client(), createEvent(props, options))).rejects.toThrow(/has no stage of that name/);
  expect(log.mock.calls.flat().join('\n')).toMatch(/could not remove the record of the failed hold .*remove the tags cdk-devtools\/freeze\//);
});

test('a pipeline with 50 tags fails the freeze saying so', async () => {
  mock.on(TagResourceCommand).rejects(awsError('TooManyTagsException'));
  await expect(onTransitionFreezeEvent(client(), createEvent(props, options))).rejects.toThrow(/at most 50 tags; remove tags the pipeline does not need/);
});

test.each(['PipelineNotFoundException', 'StageNotFoundException', 'ResourceNotFoundException'])('Delete when the %s is gone succeeds', async name => {
  await onTransitionFreezeEvent(client(), createEvent(props, options));
  mock.on(EnableStageTransitionCommand).rejects(awsError(name));
  await expect(onTransitionFreezeEvent(client(), deleteEvent(ID, props, options))).resolves.toEqual({ PhysicalResourceId: ID });
  mock.on(ListTagsForResourceCommand).rejects(awsError(name));
  await expect(onTransitionFreezeEvent(client(), deleteEvent(ID, props, options))).resolves.toEqual({ PhysicalResourceId: ID });
});

test('Delete failing otherwise fails with what to do', async () => {
  await onTransitionFreezeEvent(client(), createEvent(props, options));
  mock.on(EnableStageTransitionCommand).rejects(awsError('AccessDeniedException'));
  await expect(onTransitionFreezeEvent(client(), deleteEvent(ID, props, options))).rejects.toThrow(/Releasing a stage transition freeze failed for the outbound transition.*EnableStageTransition/);
});

test('a bad TransitionType is an internal error', async () => {
  await expect(onTransitionFreezeEvent(client(), createEvent({ ...props, TransitionType: 'Sideways' }, options))).rejects.toThrow(/internal error: property TransitionType/);
});
