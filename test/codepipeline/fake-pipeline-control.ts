import {
  ListPipelineExecutionsCommand, ListPipelineExecutionsInput, ListPipelineExecutionsOutput, ListTagsForResourceCommand, ListTagsForResourceInput,
  ListTagsForResourceOutput, StartPipelineExecutionCommand, StartPipelineExecutionInput, StartPipelineExecutionOutput, TagResourceCommand,
  TagResourceInput, UntagResourceCommand, UntagResourceInput,
} from '@aws-sdk/client-codepipeline';
import { AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { AwsStub } from 'aws-sdk-client-mock';
import { awsError, FakeCodePipeline, FakeIam, route, VirtualClock } from '../kit';

/**
 * What the pipeline-control families need of CodePipeline beyond the kit's `FakeCodePipeline`, as the API model
 * documents it:
 * - who started an execution: `ListPipelineExecutions` returns each execution's trigger, whose detail for a
 *   StartPipelineExecution call is the caller's ARN, `arn:aws:sts::<account>:assumed-role/<role>/<session>`;
 * - the pipeline's tags (`TagResource`, `UntagResource`, `ListTagsForResource`), with AWS's tag rules: at most 50 per
 *   resource, keys of 1 to 128 and values of at most 256 letters, digits, spaces and `_.:/=+-@`.
 * The transitions' state stays the kit fake's: GetPipelineState shows only inbound transitions, as the API does.
 */
export class FakePipelineControl extends FakeCodePipeline {
  /** The ARN a role session calls as (the kit's `FakeIam` records no session names; `recordSessions` adds them). */
  public static callerOf(input: AssumeRoleCommandInput): string {
    return `arn:aws:sts::123456789012:assumed-role/${(input.RoleArn ?? '').split('/').pop()}/${input.RoleSessionName}`;
  }

  /** The trigger of each execution, by id. */
  public readonly triggers = new Map<string, { triggerType: 'StartPipelineExecution' | 'Webhook'; triggerDetail: string }>();
  /** The tags of each pipeline, by name. */
  public readonly tags = new Map<string, Map<string, string>>();

  constructor(clock: VirtualClock) {
    super(clock);
  }

  /** An execution started by a push to the source (not through the API): its trigger is a webhook. */
  public override startPipelineExecution(input: StartPipelineExecutionInput): StartPipelineExecutionOutput {
    return this.start(input, { triggerType: 'Webhook', triggerDetail: 'arn:aws:codepipeline:us-east-1:123456789012:webhook:source' });
  }

  public listPipelineExecutions(input: ListPipelineExecutionsInput): ListPipelineExecutionsOutput {
    this.admit('ListPipelineExecutions', input, 'codepipeline:ListPipelineExecutions', FakeCodePipeline.pipelineArn(input.pipelineName ?? ''), false);
    const pipeline = this.pipelines.get(input.pipelineName ?? '');
    if (!pipeline) throw this.notFound(`Pipeline ${input.pipelineName}`);
    const newestFirst = [...pipeline.executions].reverse();
    const from = Number(input.nextToken ?? 0);
    const page = newestFirst.slice(from, from + (input.maxResults ?? 100));
    return {
      pipelineExecutionSummaries: page.map(e => ({
        pipelineExecutionId: e.pipelineExecutionId,
        status: e.status,
        startTime: new Date(e.startedAt),
        trigger: this.triggers.get(e.pipelineExecutionId),
      })),
      nextToken: from + page.length < newestFirst.length ? String(from + page.length) : undefined,
    };
  }

  public tagResource(input: TagResourceInput): void {
    const tags = this.tagsOf('TagResource', input, 'codepipeline:TagResource', true);
    const next = new Map(tags);
    for (const tag of input.tags ?? []) {
      if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(tag.value ?? '') || !/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u.test(tag.key ?? '')) {
        throw awsError('InvalidTagsException', `Tag ${tag.key}=${tag.value} has characters tags do not allow`);
      }
      next.set(tag.key!, tag.value!);
    }
    if (next.size > 50) throw awsError('TooManyTagsException', 'A resource has at most 50 tags');
    input.tags?.forEach(t => tags.set(t.key!, t.value!));
  }

  public untagResource(input: UntagResourceInput): void {
    const tags = this.tagsOf('UntagResource', input, 'codepipeline:UntagResource', true);
    input.tagKeys?.forEach(k => tags.delete(k));
  }

  public listTagsForResource(input: ListTagsForResourceInput): ListTagsForResourceOutput {
    const all = [...this.tagsOf('ListTagsForResource', input, 'codepipeline:ListTagsForResource', false).entries()].map(([key, value]) => ({ key, value }));
    const from = Number(input.nextToken ?? 0);
    const page = all.slice(from, from + (input.maxResults ?? 50));
    return { tags: page, nextToken: from + page.length < all.length ? String(from + page.length) : undefined };
  }

  /** Routes the CodePipeline commands of a mock to this fake: the kit fake's, plus the ones above. */
  public override wire(mock: AwsStub<any, any, any>): this {
    super.wire(mock);
    route(mock, StartPipelineExecutionCommand, input => this.start(input, { triggerType: 'StartPipelineExecution', triggerDetail: lastCaller ?? 'unknown' }));
    route(mock, ListPipelineExecutionsCommand, input => this.listPipelineExecutions(input));
    route(mock, TagResourceCommand, input => { this.tagResource(input); return {}; });
    route(mock, UntagResourceCommand, input => { this.untagResource(input); return {}; });
    route(mock, ListTagsForResourceCommand, input => this.listTagsForResource(input));
    return this;
  }

  private start(
    input: StartPipelineExecutionInput, trigger: { triggerType: 'StartPipelineExecution' | 'Webhook'; triggerDetail: string },
  ): StartPipelineExecutionOutput {
    const out = super.startPipelineExecution(input);
    if (!this.triggers.has(out.pipelineExecutionId!)) this.triggers.set(out.pipelineExecutionId!, trigger);
    return out;
  }

  private tagsOf(operation: string, input: { resourceArn?: string }, action: string, write: boolean): Map<string, string> {
    this.admit(operation, input, action, input.resourceArn ?? '', write);
    const name = (input.resourceArn ?? '').split(':').pop() ?? '';
    if (!this.pipelines.has(name)) throw awsError('ResourceNotFoundException', `Pipeline ${name} not found`);
    let tags = this.tags.get(name);
    if (!tags) this.tags.set(name, tags = new Map());
    return tags;
  }
}

/** The caller of the last role session assumed: a handler's client assumes its role on its first call. */
let lastCaller: string | undefined;
const assumeRole = FakeIam.prototype.assumeRole;

/**
 * Makes the kit's `FakeIam` remember the session name of each role it hands out, as STS does, so that a start's
 * trigger detail names the session that started it (call in the test file; `restoreSessions` undoes it).
 */
export function recordSessions(): void {
  FakeIam.prototype.assumeRole = function (this: FakeIam, input: AssumeRoleCommandInput) {
    const out = assumeRole.call(this, input);
    lastCaller = FakePipelineControl.callerOf(input);
    return out;
  };
}

/** Undoes `recordSessions`. */
export function restoreSessions(): void {
  FakeIam.prototype.assumeRole = assumeRole;
  lastCaller = undefined;
}

/**
 * A pipeline's tags behind a plain mock, for handler tests without the fake: TagResource and UntagResource change
 * `tags`, ListTagsForResource reads it, `pageSize` to a page.
 */
export function mockPipelineTags(mock: AwsStub<any, any, any>, tags: Map<string, string>, pageSize = 50): void {
  mock.on(ListTagsForResourceCommand).callsFake((input: ListTagsForResourceInput) => {
    const all = [...tags.entries()].map(([key, value]) => ({ key, value }));
    const from = Number(input.nextToken ?? 0);
    return { tags: all.slice(from, from + pageSize), nextToken: from + pageSize < all.length ? String(from + pageSize) : undefined };
  });
  mock.on(TagResourceCommand).callsFake((input: TagResourceInput) => { input.tags?.forEach(t => tags.set(t.key!, t.value!)); return {}; });
  mock.on(UntagResourceCommand).callsFake((input: UntagResourceInput) => { input.tagKeys?.forEach(k => tags.delete(k)); return {}; });
}
