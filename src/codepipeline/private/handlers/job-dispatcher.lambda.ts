import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { dispatch, settingsFromEnv } from './job-dispatcher';

// Module scope: reused across warm invocations.
const clients = { codepipeline: new CodePipelineClient({}), lambda: new LambdaClient({}), sqs: new SQSClient({}) };

/** Invoked by the STARTED rule and the schedule: both mean "poll now"; the event's content is not used. */
export async function handler(): Promise<void> {
  await dispatch(clients, settingsFromEnv(process.env));
}
