import { Aspects, IAspect, Stack, Stage } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';

/**
 * Apply cdk-nag's AwsSolutions pack to a scope (an integ or platform app, or a stack).
 *
 * Findings become error and warning annotations at synth; the CDK CLI fails on errors.
 */
export function applyNag(scope: IConstruct): void {
  const aspects = Aspects.of(scope);
  if (!aspects.all.some((a: IAspect) => a instanceof AwsSolutionsChecks)) {
    aspects.add(new AwsSolutionsChecks({ verbose: true, reports: false }));
  }
}

/**
 * The unsuppressed AwsSolutions errors of a stack, as `path: finding` lines.
 *
 * Call it once all constructs are defined: it synthesizes the stack.
 */
export function nagErrors(stack: Stack): string[] {
  applyNag(Stage.of(stack) ?? stack);
  return Annotations.fromStack(stack)
    .findError('*', Match.stringLikeRegexp('AwsSolutions-'))
    .map(m => `${m.id}: ${String(m.entry.data).split('\n')[0]}`);
}

/** Fails the test when cdk-nag's AwsSolutions pack reports an unsuppressed error in the stack. */
export function expectNagClean(stack: Stack): void {
  expect(nagErrors(stack)).toEqual([]);
}
