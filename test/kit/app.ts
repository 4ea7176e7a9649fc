import { App, AppProps, Stack, StackProps } from 'aws-cdk-lib';

/** The account and region every test stack deploys to unless a test says otherwise. */
export const TEST_ENV = { account: '123456789012', region: 'us-east-1' };

/**
 * Context every test and integ app uses.
 *
 * `strictCfnValidateErrors` makes aws-cdk-lib run CloudFormation's own offline validator on every
 * synthesized template and throw on unknown types, unknown or missing properties and wrong types.
 * Creation and annotation stack traces are off so that nothing synthesized carries a machine path.
 */
export const STRICT_CONTEXT: Record<string, unknown> = {
  '@aws-cdk/core:strictCfnValidateErrors': true,
  'aws:cdk:disable-creation-stack-traces': true,
  'aws:cdk:disable-stack-trace': true,
};

/** An App whose every template must pass CloudFormation's validator when synthesized. */
export function testApp(props: AppProps = {}): App {
  return new App({ ...props, context: { ...STRICT_CONTEXT, ...props.context } });
}

/** A stack in a strict test app, with a concrete environment (so ARNs and regions resolve). */
export function testStack(app: App = testApp(), id = 'TestStack', props: StackProps = {}): Stack {
  return new Stack(app, id, { env: TEST_ENV, ...props });
}
