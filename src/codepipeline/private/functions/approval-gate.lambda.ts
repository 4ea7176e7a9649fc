import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { DecideResult, Evaluation, GateRequest, handleGate } from './approval-gate';

// Module scope: reused across warm invocations.
const clients = { codepipeline: new CodePipelineClient({}), cloudwatch: new CloudWatchClient({}), lambda: new LambdaClient({}) };

/** The ApprovalGate state machine's evaluate and decide steps. */
export async function handler(request: GateRequest): Promise<Evaluation | DecideResult> {
  const outcome = await handleGate(clients, request);
  console.log(JSON.stringify({ step: request.step, pipelineExecutionId: request.pipelineExecutionId, approvalId: request.approvalId, outcome }));
  return outcome;
}
