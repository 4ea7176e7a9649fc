import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { dispatch, settingsFromEnv } from './job-dispatcher';

const codepipeline = new CodePipelineClient({});
const lambda = new LambdaClient({});

/** Invoked by the STARTED rule and the schedule: both mean "poll now"; the event's content is not used. */
export async function handler(): Promise<void> {
  await dispatch(codepipeline, lambda, settingsFromEnv(process.env));
}
