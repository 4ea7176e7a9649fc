import { Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import { ConfigurationPropertyType, CustomActionType } from '../../src/codepipeline';
import { CODEPIPELINE_API } from '../../src/codepipeline/private/api-constraints';
import { checkOperationInput, compilePattern } from '../../src/core/api-constraints';
import { testStack } from '../kit';

const JOB_ID = '0a1b2c3d-1111-2222-3333-444455556666';
const ACTION_TYPE_ID = { category: 'Deploy', owner: 'Custom', provider: 'AcmeDeployer', version: '1' };

/** CloudFormation's PascalCase property names to the API's camelCase member names, recursively. */
function toApiInput(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toApiInput);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k[0].toLowerCase() + k.slice(1), toApiInput(v)]));
  }
  return value;
}

test('every shape the table names is in it, and every pattern compiles', () => {
  const names = new Set(Object.keys(CODEPIPELINE_API.shapes));
  const prelude = ['boolean', 'timestamp', 'string', 'integer'];
  const referenced = [
    ...Object.values(CODEPIPELINE_API.operations).flatMap(members => Object.values(members).map(m => m.shape)),
    ...Object.values(CODEPIPELINE_API.shapes).flatMap(s => [s.member, s.key, s.value, ...Object.values(s.members ?? {}).map(m => m.shape)]),
  ].filter((s): s is string => s !== undefined);
  expect(referenced.filter(s => !names.has(s) && !prelude.includes(s))).toEqual([]);
  for (const shape of Object.values(CODEPIPELINE_API.shapes)) {
    if (shape.pattern) expect(() => compilePattern(shape.pattern!)).not.toThrow();
  }
});

test('what CustomActionType renders is a valid CreateCustomActionType input', () => {
  const stack = testStack();
  const type = new CustomActionType(stack, 'Type', {
    category: codepipeline.ActionCategory.DEPLOY,
    provider: 'p'.repeat(35),
    version: 'v'.repeat(9),
    artifactBounds: { minInputs: 0, maxInputs: 5, minOutputs: 0, maxOutputs: 5 },
    configurationProperties: Array.from({ length: 10 }, (_, i) => ({
      name: `P${i}`, required: i === 0, queryable: i === 0, secret: i === 1, key: i === 2, description: 'd'.repeat(160), type: ConfigurationPropertyType.STRING,
    })),
    entityUrlTemplate: 'https://example.com/{Config:P0}',
    executionUrlTemplate: 'https://example.com/{Config:P0}/{ExternalExecutionId}',
    revisionUrlTemplate: 'https://example.com/r',
    thirdPartyConfigurationUrl: 'https://example.com/signup',
  });
  Tags.of(type).add('team', 'platform');
  const [resource] = Object.values<any>(Template.fromStack(stack).findResources('AWS::CodePipeline::CustomActionType'));
  const input = toApiInput(resource.Properties) as Record<string, unknown>;
  expect(checkOperationInput(CODEPIPELINE_API, 'CreateCustomActionType', input)).toEqual([]);
  expect(checkOperationInput(CODEPIPELINE_API, 'DeleteCustomActionType', { category: input.category, provider: input.provider, version: input.version })).toEqual([]);
});

test.each<[string, Record<string, unknown>]>([
  ['PollForJobs', { actionTypeId: ACTION_TYPE_ID, maxBatchSize: 1, queryParam: { Environment: 'prod' } }],
  ['AcknowledgeJob', { jobId: JOB_ID, nonce: '3' }],
  ['GetJobDetails', { jobId: JOB_ID }],
  ['PutJobSuccessResult', {
    jobId: JOB_ID,
    currentRevision: { revision: 'abc', changeIdentifier: 'c1', created: new Date(0), revisionSummary: 's' },
    continuationToken: 't',
    executionDetails: { summary: 'done', externalExecutionId: 'run-1', percentComplete: 100 },
    outputVariables: { ReleaseId: 'r-1' },
  }],
  ['PutJobFailureResult', { jobId: JOB_ID, failureDetails: { type: 'JobFailed', message: 'tests failed', externalExecutionId: 'run-1' } }],
  ['GetPipelineState', { name: 'my-pipeline' }],
  ['PutApprovalResult', { pipelineName: 'p', stageName: 'Approve', actionName: 'Gate', result: { summary: '', status: 'Approved' }, token: JOB_ID }],
  ['StartPipelineExecution', {
    name: 'p',
    variables: [{ name: 'Env', value: 'prod' }],
    clientRequestToken: 'abc-1',
    sourceRevisions: [{ actionName: 'Source', revisionType: 'COMMIT_ID', revisionValue: 'abc' }],
  }],
  ['GetPipelineExecution', { pipelineName: 'p', pipelineExecutionId: JOB_ID }],
  ['DisableStageTransition', { pipelineName: 'p', stageName: 'Prod', transitionType: 'Outbound', reason: 'Release freeze (holidays)' }],
  ['EnableStageTransition', { pipelineName: 'p', stageName: 'Prod', transitionType: 'Inbound' }],
])('a valid %s input passes', (operation, input) => {
  expect(checkOperationInput(CODEPIPELINE_API, operation, input)).toEqual([]);
});

test.each<[string, Record<string, unknown>, string]>([
  ['PollForJobs', { actionTypeId: { ...ACTION_TYPE_ID, owner: 'Partner' }, maxBatchSize: 0 }, "PollForJobs actionTypeId.owner: 'Partner' is not one of AWS, ThirdParty, Custom"],
  ['PollForJobs', { actionTypeId: ACTION_TYPE_ID, maxBatchSize: 0 }, 'PollForJobs maxBatchSize: 0 is out of range; CodePipeline allows at least 1'],
  ['PollForJobs', { actionTypeId: ACTION_TYPE_ID, queryParam: { A: 'a', B: 'b' } }, 'PollForJobs queryParam: {"A":"a","B":"b"} has 2 entries; CodePipeline allows 0 to 1 entries'],
  ['PollForJobs', { actionTypeId: ACTION_TYPE_ID, queryParam: { Env: 'prod.eu' } }, "PollForJobs queryParam.Env: 'prod.eu' does not match the pattern"],
  ['AcknowledgeJob', { jobId: 'job-1', nonce: '' }, "AcknowledgeJob jobId: 'job-1' does not match the pattern"],
  ['PutJobSuccessResult', { jobId: JOB_ID, executionDetails: { percentComplete: 101 } }, 'PutJobSuccessResult executionDetails.percentComplete: 101 is out of range; CodePipeline allows 0 to 100'],
  ['PutJobFailureResult', { jobId: JOB_ID, failureDetails: { type: 'Timeout', message: 'x' } }, "PutJobFailureResult failureDetails.type: 'Timeout' is not one of JobFailed"],
  ['PutApprovalResult', { pipelineName: 'p', stageName: 's', actionName: 'a', result: { summary: 's'.repeat(513), status: 'Approved' }, token: JOB_ID },
    'PutApprovalResult result.summary'],
  ['DisableStageTransition', { pipelineName: 'p', stageName: 'Prod', transitionType: 'Outbound', reason: "Don't deploy: freeze" },
    "DisableStageTransition reason: 'Don't deploy: freeze' does not match the pattern"],
  ['EnableStageTransition', { pipelineName: 'p', stageName: 'Prod' }, 'EnableStageTransition transitionType: required by CodePipeline but missing'],
  ['StartPipelineExecution', { name: 'my pipeline' }, "StartPipelineExecution name: 'my pipeline' does not match the pattern"],
  ['GetPipelineExecution', { pipelineName: 'p', pipelineExecutionId: 'latest' }, "GetPipelineExecution pipelineExecutionId: 'latest' does not match the pattern"],
  ['GetPipelineState', { name: 'p'.repeat(101) }, 'GetPipelineState name: '],
])('an invalid %s input fails (case %#)', (operation, input, problem) => {
  expect(checkOperationInput(CODEPIPELINE_API, operation, input)).toEqual(expect.arrayContaining([expect.stringContaining(problem)]));
});
