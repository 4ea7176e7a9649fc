import { Arn, ArnFormat, IResource, Stack, Token } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';

/** Where a resource a rule names is known to live, when that is not the pipeline's account and region. */
export function elsewhereThanPipeline(resource: IResource, arn: string, pipeline: codepipeline.IPipeline): string | undefined {
  const { account, region } = Token.isUnresolved(arn) ? resource.env : Arn.split(arn, ArnFormat.COLON_RESOURCE_NAME);
  const differs = (a: string | undefined, b: string) => a !== undefined && !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b;
  return differs(account, pipeline.env.account) || differs(region, pipeline.env.region)
    ? `is in account ${account}, region ${region}, but the pipeline is in account ${pipeline.env.account}, region ${pipeline.env.region}`
    : undefined;
}

/** A rule granted to a pipeline, as the pipeline's check sees it. */
export interface GrantedRule {
  readonly ruleName: string;
  readonly ruleProvider: string;
}

/** Where a pipeline keeps the rules granted to it, for the check that runs once its stages are complete. */
const GRANTED = Symbol.for('cdk-devtools.codepipeline.grantedStageRules');

/** The rules a SKIP entry condition may hold (CodePipeline's considerations for stage conditions). */
const SKIP_PROVIDERS = ['LambdaInvoke', 'VariableCheck'];
/** What one condition holds at most (the API's RuleDeclarationList). */
const MAX_RULES = 5;

interface RenderedRule { readonly name?: string; readonly ruleTypeId?: { readonly provider?: string } }
interface RenderedCondition { readonly result?: string; readonly rules?: RenderedRule[] }
type ConditionKind = 'beforeEntry' | 'onSuccess' | 'onFailure';
type RenderedStage = { readonly name: string } & { readonly [kind in ConditionKind]?: { readonly conditions?: RenderedCondition[] } };

/**
 * Registers a rule granted to a pipeline and, the first time, the pipeline's check of its stage conditions once the
 * tree is complete: that the pipeline is V2, that each condition holds 1 to 5 rules, one condition per kind, that a
 * SKIP entry condition holds only LambdaInvoke and VariableCheck rules, and that every rule granted to the pipeline is
 * in one of its conditions (a grant nothing uses is a permission too many).
 */
export function registerGrantedRule(pipeline: codepipeline.Pipeline, rule: GrantedRule): void {
  const holder = pipeline as unknown as Record<symbol, GrantedRule[] | undefined>;
  let granted = holder[GRANTED];
  if (!granted) {
    const rules: GrantedRule[] = [];
    granted = rules;
    holder[GRANTED] = rules;
    pipeline.node.addValidation({ validate: () => checkStageConditions(pipeline, rules) });
  }
  if (!granted.includes(rule)) granted.push(rule);
}

function checkStageConditions(pipeline: codepipeline.Pipeline, granted: GrantedRule[]): string[] {
  const stack = Stack.of(pipeline);
  const cfn = pipeline.node.defaultChild as codepipeline.CfnPipeline;
  let stages: RenderedStage[];
  try {
    stages = stack.resolve(cfn.stages) ?? [];
  } catch (e) {
    return [(e as Error).message];
  }
  const problems: string[] = [];
  const used: RenderedRule[] = [];
  let firstCondition: string | undefined;
  for (const stage of stages) {
    for (const kind of ['beforeEntry', 'onSuccess', 'onFailure'] as const) {
      const conditions = stage[kind]?.conditions ?? [];
      const where = `stage '${stage.name}' ${kind}`;
      firstCondition ??= conditions.length > 0 ? where : undefined;
      if (conditions.length > 1) {
        problems.push(`${where} has ${conditions.length} conditions, and CodePipeline takes one per kind. Put their rules (up to ${MAX_RULES}) `
          + 'in one condition: all of its rules must pass');
      }
      for (const condition of conditions) {
        const rules = condition.rules ?? [];
        used.push(...rules);
        if (rules.length === 0 || rules.length > MAX_RULES) {
          problems.push(`${where} has a condition with ${rules.length} rules; a condition takes 1 to ${MAX_RULES}. `
            + (rules.length === 0 ? 'Add a rule, e.g. StageRule.deploymentWindow(...), or drop the condition' : 'Split the checks over the stage\'s other kinds, or combine alarms in a composite alarm'));
        }
        const skipped = rules.filter(r => !SKIP_PROVIDERS.includes(r.ruleTypeId?.provider ?? ''));
        if (kind === 'beforeEntry' && condition.result === 'SKIP' && skipped.length > 0) {
          problems.push(`${where} skips the stage (Result.SKIP) on rule${skipped.length === 1 ? '' : 's'} `
            + `${skipped.map(r => `'${r.name}' (${r.ruleTypeId?.provider})`).join(', ')}, and a SKIP entry condition takes only `
            + `${SKIP_PROVIDERS.join(' and ')} rules. Use Result.FAIL for ${skipped.length === 1 ? 'it' : 'them'}, in a condition of its own kind`);
        }
      }
    }
  }
  const pipelineType = stack.resolve(cfn.pipelineType);
  if (firstCondition && pipelineType !== codepipeline.PipelineType.V2) {
    problems.push(`the pipeline is ${pipelineType ?? 'V1'} and has stage conditions (${firstCondition}), which CodePipeline runs in V2 pipelines only. `
      + 'Set pipelineType: PipelineType.V2; for a V1 pipeline, gate a ManualApprovalAction with an ApprovalGate instead');
  }
  for (const rule of granted) {
    const name = stack.resolve(rule.ruleName);
    if (!used.some(r => r.name === name && r.ruleTypeId?.provider === rule.ruleProvider)) {
      problems.push(`stage rule '${name}' (${rule.ruleProvider}) was granted to this pipeline's role (grantTo), but no stage condition of the `
        + 'pipeline has it. Add it to a stage\'s beforeEntry, onSuccess or onFailure conditions, or drop the grantTo call');
    }
  }
  return problems;
}
