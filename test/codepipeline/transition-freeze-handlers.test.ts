import { CodePipelineClient, DisableStageTransitionCommand, EnableStageTransitionCommand } from '@aws-sdk/client-codepipeline';
import { CODEPIPELINE_API } from '../../src/codepipeline/private/api-constraints';
import { TRANSITION_FREEZE_RESOURCE_TYPE } from '../../src/codepipeline/private/handlers/contract';
import { onTransitionFreezeEvent } from '../../src/codepipeline/private/handlers/transition-freeze';
import { awsError, createEvent, deleteEvent, expectValidSdkInputs, handlerMocks, updateEvent } from '../kit';

const [mock] = handlerMocks(CodePipelineClient);
const client = () => new CodePipelineClient({ region: 'us-east-1' });
const options = { resourceType: TRANSITION_FREEZE_RESOURCE_TYPE };
const props = { PipelineName: 'release', StageName: 'Staging', TransitionType: 'Outbound', Reason: 'Holiday freeze (CHG-1)' };
const ID = 'release/Staging/Outbound';

test('Create disables the transition with the reason and returns its identity', async () => {
  mock.on(DisableStageTransitionCommand).resolves({});
  expect(await onTransitionFreezeEvent(client(), createEvent(props, options))).toEqual({
    PhysicalResourceId: ID, Data: { PipelineName: 'release', StageName: 'Staging', TransitionType: 'Outbound' },
  });
  expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, {
    pipelineName: 'release', stageName: 'Staging', transitionType: 'Outbound', reason: 'Holiday freeze (CHG-1)',
  });
  expectValidSdkInputs(mock, CODEPIPELINE_API);
});

test('an already-disabled transition is disabled again (taken over): DisableStageTransition succeeds', async () => {
  mock.on(DisableStageTransitionCommand).resolves({});
  await onTransitionFreezeEvent(client(), createEvent(props, options));
  await onTransitionFreezeEvent(client(), createEvent(props, options));
  expect(mock).toHaveReceivedCommandTimes(DisableStageTransitionCommand, 2);
});

test('an Update of the reason disables again in place; another direction is a new physical id', async () => {
  mock.on(DisableStageTransitionCommand).resolves({});
  const inPlace = await onTransitionFreezeEvent(client(), updateEvent(ID, { ...props, Reason: 'Audit' }, props, options));
  expect(inPlace.PhysicalResourceId).toBe(ID);
  const moved = await onTransitionFreezeEvent(client(), updateEvent(ID, { ...props, TransitionType: 'Inbound' }, props, options));
  expect(moved.PhysicalResourceId).toBe('release/Staging/Inbound');
  expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, { transitionType: 'Inbound', reason: 'Holiday freeze (CHG-1)' });
  expect(mock).not.toHaveReceivedCommand(EnableStageTransitionCommand);
  expectValidSdkInputs(mock, CODEPIPELINE_API);
});

test('an Update that changes nothing of the freeze (only its kit role) calls nothing', async () => {
  const result = await onTransitionFreezeEvent(client(), updateEvent(ID, { ...props, RoleArn: 'new' }, { ...props, RoleArn: 'old' }, options));
  expect(result.PhysicalResourceId).toBe(ID);
  expect(mock.calls()).toHaveLength(0);
});

test('a missing reason gets the default one', async () => {
  mock.on(DisableStageTransitionCommand).resolves({});
  await onTransitionFreezeEvent(client(), createEvent({ ...props, Reason: undefined }, options));
  expect(mock).toHaveReceivedCommandWith(DisableStageTransitionCommand, { reason: 'Frozen by cdk-devtools' });
  expectValidSdkInputs(mock, CODEPIPELINE_API);
});

test.each([
  ['PipelineNotFoundException', /Disabling a stage transition failed for the outbound transition of stage Staging of pipeline release.*does not exist/],
  ['StageNotFoundException', /has no stage of that name/],
  ['ThrottlingException', /throttling or briefly unavailable/],
  ['AccessDeniedException', /codepipeline:DisableStageTransition on the stage/],
])('a disable failing with %s says what to do', async (name, message) => {
  mock.on(DisableStageTransitionCommand).rejects(awsError(name));
  await expect(onTransitionFreezeEvent(client(), createEvent(props, options))).rejects.toThrow(message);
});

test('Delete enables the transition', async () => {
  mock.on(EnableStageTransitionCommand).resolves({});
  expect(await onTransitionFreezeEvent(client(), deleteEvent(ID, props, options))).toEqual({ PhysicalResourceId: ID });
  expect(mock).toHaveReceivedCommandWith(EnableStageTransitionCommand, { pipelineName: 'release', stageName: 'Staging', transitionType: 'Outbound' });
  expectValidSdkInputs(mock, CODEPIPELINE_API);
});

test('Delete when the transition is already enabled succeeds (EnableStageTransition is idempotent)', async () => {
  mock.on(EnableStageTransitionCommand).resolves({});
  await onTransitionFreezeEvent(client(), deleteEvent(ID, props, options));
  await expect(onTransitionFreezeEvent(client(), deleteEvent(ID, props, options))).resolves.toEqual({ PhysicalResourceId: ID });
});

test.each(['PipelineNotFoundException', 'StageNotFoundException'])('Delete when the %s is gone succeeds', async name => {
  mock.on(EnableStageTransitionCommand).rejects(awsError(name));
  await expect(onTransitionFreezeEvent(client(), deleteEvent(ID, props, options))).resolves.toEqual({ PhysicalResourceId: ID });
});

test('Delete failing otherwise fails with what to do', async () => {
  mock.on(EnableStageTransitionCommand).rejects(awsError('AccessDeniedException'));
  await expect(onTransitionFreezeEvent(client(), deleteEvent(ID, props, options))).rejects.toThrow(/codepipeline:EnableStageTransition on the stage/);
});

test('Delete of the failed-create marker enables nothing', async () => {
  const marker = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';
  expect(await onTransitionFreezeEvent(client(), deleteEvent(marker, props, options))).toEqual({ PhysicalResourceId: marker });
  expect(mock.calls()).toHaveLength(0);
});

test('a bad TransitionType is an internal error', async () => {
  await expect(onTransitionFreezeEvent(client(), createEvent({ ...props, TransitionType: 'Sideways' }, options))).rejects.toThrow(/internal error: property TransitionType/);
});
