import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';
import { applyNag, STRICT_CONTEXT } from '../test/kit';

/**
 * The App every integ scenario uses: CloudFormation's validator in strict mode, no machine paths in
 * the snapshot, and cdk-nag's AwsSolutions pack (the CDK CLI fails the synth on its errors).
 */
export function integApp(): App {
  const app = new App({ context: STRICT_CONTEXT });
  applyNag(app);
  return app;
}

/**
 * Declares the integ test of `stacks`. Its assertion stack is integ-tests-alpha's own test harness (Lambda
 * functions that call the AWS APIs under test); its cdk-nag findings are accepted with the reasons below.
 */
export function integTest(app: App, id: string, stacks: Stack[]): IntegTest {
  const test = new IntegTest(app, id, { testCases: stacks, diffAssets: false });
  for (const stack of app.node.findAll().filter(Stack.isStack).filter(s => s.node.path.includes('DeployAssert'))) {
    NagSuppressions.addStackSuppressions(stack, [
      { id: 'AwsSolutions-IAM4', reason: 'the integ-tests assertion functions use the AWS managed basic execution role' },
      { id: 'AwsSolutions-IAM5', reason: 'the integ-tests assertion functions read the resources under test, whose ARNs they get at run time' },
      { id: 'AwsSolutions-L1', reason: 'the integ-tests assertion functions use the runtime integ-tests-alpha chooses' },
    ], true);
  }
  return test;
}
