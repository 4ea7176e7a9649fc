import { Duration } from 'aws-cdk-lib';
import { WaitOptions } from '../../wait';

/**
 * How often a manual deployment's and a domain's waits read by default: a deployment usually ends, and a domain's
 * records appear, within a minute, so they read twice as often as the kit's default (`DEFAULT_POLL_INTERVAL`).
 */
export const AMPLIFY_POLL_INTERVAL = Duration.seconds(15);

/**
 * A wait's options with `AMPLIFY_POLL_INTERVAL` when the wait is on and sets no interval, for `resolveWait`. A wait
 * that is off keeps its options as given, so that `resolveWait` refuses an interval given without it.
 */
export function withAmplifyPollInterval(options: WaitOptions, enabled: boolean): WaitOptions {
  return enabled ? { timeout: options.timeout, pollInterval: options.pollInterval ?? AMPLIFY_POLL_INTERVAL } : options;
}
