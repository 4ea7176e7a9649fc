import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SQSClient } from '@aws-sdk/client-sqs';
import { dispatch, settingsFromEnv } from './job-dispatcher';

// Module scope: reused across warm invocations.
const clients = {
  codepipeline: new CodePipelineClient({}),
  lambda: new LambdaClient({}),
  sqs: new SQSClient({}),
  scheduler: new SchedulerClient({}),
};

/**
 * Invoked by the STARTED rule, the safety schedule and the follow-up schedules: all mean "poll now". Only a follow-up's
 * input (`{ "followUp": n }`) is read; the rules' events are not.
 */
export async function handler(event: unknown, context: { readonly invokedFunctionArn: string }): Promise<void> {
  const followUp = (event as { followUp?: unknown } | null | undefined)?.followUp;
  await dispatch(clients, settingsFromEnv(process.env), {
    functionArn: context.invokedFunctionArn,
    followUp: typeof followUp === 'number' ? followUp : undefined,
  });
}
