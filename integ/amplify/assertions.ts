import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';

/**
 * Makes an integ app with `awsApiCall` assertions synthesize the same snapshot twice, and accepts the
 * findings of the assertion tooling (not something this library ships).
 *
 * Two things differ between two synths of the same app and are not infrastructure:
 * - integ-tests-alpha writes `salt: Date.now()` into every assertion so that it re-runs on every deployment;
 *   it is pinned here (a fresh deployment, which is what an integ run is, still runs every assertion);
 * - the CDK CLI asks the app to write `performance-counters.json` (timings) into the assembly; the app is told
 *   not to. The shared snapshot tool could ignore both instead; that change belongs to test/tools.
 */
export function stabilizeAssertions(integ: IntegTest): void {
  delete process.env.CDK_PERF_COUNTERS_FILE;
  for (const stack of integ.node.findAll().filter(Stack.isStack)) {
    for (const resource of stack.node.findAll().filter(CfnResource.isCfnResource)) {
      if (resource.cfnResourceType.startsWith('Custom::DeployAssert')) resource.addPropertyOverride('salt', 'pinned-for-snapshots');
    }
    NagSuppressions.addStackSuppressions(stack, [
      { id: 'AwsSolutions-IAM4', reason: 'the integ-tests assertion provider uses the AWS managed basic execution role for its logs' },
      { id: 'AwsSolutions-IAM5', reason: 'the integ-tests assertion provider reads Amplify resources whose ids exist only after deployment' },
      { id: 'AwsSolutions-L1', reason: 'the integ-tests assertion provider pins its own Lambda runtime' },
    ]);
  }
}
