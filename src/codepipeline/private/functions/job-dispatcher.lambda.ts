import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { dispatch, settingsFrom } from './job-dispatcher';

// Module scope: reused across warm invocations.
const clients = {
  codepipeline: new CodePipelineClient({}),
  lambda: new LambdaClient({}),
  sqs: new SQSClient({}),
  scheduler: new SchedulerClient({}),
};

/**
 * Invoked by a worker's STARTED rule and safety schedule and by the follow-up schedules: all mean "poll now" for the
 * worker the input names (`{ "worker": {...}, "followUp"?: n }`).
 */
export async function handler(event: unknown, context: { readonly invokedFunctionArn: string }): Promise<void> {
  const followUp = (event as { followUp?: unknown } | null | undefined)?.followUp;
  await dispatch(clients, settingsFrom(event, process.env), {
    functionArn: context.invokedFunctionArn,
    followUp: typeof followUp === 'number' ? followUp : undefined,
  });
}
