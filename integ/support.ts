import { App } from 'aws-cdk-lib';
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
