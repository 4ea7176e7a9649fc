import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';

/**
 * The assertion stack of integ-tests-alpha is test tooling that calls the Amplify API after deployment, not
 * something this library ships; its provider's findings are accepted here with the reasons below.
 */
export function suppressAssertionFindings(integ: IntegTest): void {
  for (const stack of integ.node.findAll().filter(Stack.isStack)) {
    NagSuppressions.addStackSuppressions(stack, [
      { id: 'AwsSolutions-IAM4', reason: 'the integ-tests assertion provider uses the AWS managed basic execution role for its logs' },
      { id: 'AwsSolutions-IAM5', reason: 'the integ-tests assertion provider reads Amplify resources whose ids exist only after deployment' },
      { id: 'AwsSolutions-L1', reason: 'the integ-tests assertion provider pins its own Lambda runtime' },
    ]);
  }
}
