import { App, AppProps, Stack, StackProps } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';

/** The account and region every test stack deploys to unless a test says otherwise. */
export const TEST_ENV = { account: '123456789012', region: 'us-east-1' };

/**
 * What every test and integ app sets, whatever its feature flags. `strictCfnValidateErrors` makes aws-cdk-lib run
 * CloudFormation's own offline validator on every synthesized template and throw on unknown types, unknown or
 * missing properties and wrong types. Creation and annotation stack traces are off so that nothing synthesized
 * carries a machine path.
 */
export const VALIDATION_CONTEXT: Record<string, unknown> = {
  '@aws-cdk/core:strictCfnValidateErrors': true,
  'aws:cdk:disable-creation-stack-traces': true,
  'aws:cdk:disable-stack-trace': true,
};

/**
 * Context every test and integ app uses: the feature flags of a new app, and the validator. `cdk init` writes
 * aws-cdk-lib's recommended flags into `cdk.json` (among them `@aws-cdk/core:checkSecretUsage`), so that is what
 * users synthesize the library under. `test/readme-legacy-flags.test.ts` synthesizes every README example without
 * them too, as an app made before them does.
 */
export const STRICT_CONTEXT: Record<string, unknown> = {
  ...cxapi.CURRENTLY_RECOMMENDED_FLAGS,
  ...VALIDATION_CONTEXT,
  // With this flag a construct's warnings join the validator's report, where `strictCfnValidateErrors` (ours, not a
  // user's) makes every warning fail the synth. Tests assert the warnings themselves, so they stay annotations.
  '@aws-cdk/core:annotationsInValidationReport': false,
};

/** An App whose every template must pass CloudFormation's validator when synthesized, under a new app's flags. */
export function testApp(props: AppProps = {}): App {
  return new App({ ...props, context: { ...STRICT_CONTEXT, ...props.context } });
}

/** A stack in a strict test app, with a concrete environment (so ARNs and regions resolve). */
export function testStack(app: App = testApp(), id = 'TestStack', props: StackProps = {}): Stack {
  return new Stack(app, id, { env: TEST_ENV, ...props });
}

/**
 * The synth error of a wait's timeout outside 1 minute to 45 minutes: it names the construct, the value, the maximum,
 * why (CloudFormation's one hour) and a fix. `path` and `got` are matched literally.
 */
export function waitBoundError(path: string, prop: string, got: string): RegExp {
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${literal(path)}: ${prop} must be between 1 minute and 45 minutes, got ${literal(got)}: CloudFormation waits at most `
    + '1 hour for a custom resource\'s answer \\(ServiceTimeout\\), .*'
    + `Choose a timeout in that range, e\\.g\\. ${prop}: Duration\\.minutes\\(30\\), and follow longer work outside the deployment$`);
}
