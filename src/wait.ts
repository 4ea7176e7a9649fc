import { Duration } from 'aws-cdk-lib';

/**
 * How a construct that can hold the deployment until something is done waits: at most `timeout`, reading the
 * status every `pollInterval`. Each such construct extends these options and turns its wait on with a
 * `waitFor…` prop (`waitForAvailability`, `waitForSuccess`, `waitForFirstSync`), or waits always (a
 * `DevEnvironment` waits for its desired state).
 *
 * CloudFormation waits at most one hour for a custom resource's answer. A wait needs up to 15 minutes after its
 * timeout to read once more, stop what it started and say why, so a timeout is at most 45 minutes: follow longer
 * work outside the deployment.
 */
export interface WaitOptions {
  /**
   * The longest the deployment waits, from 1 minute to 45 minutes. A timeout given while the construct does not
   * wait is an error.
   * @default - 45 minutes (`BranchDeployment`: 15 minutes, `DevEnvironment`: 20 minutes)
   */
  readonly timeout?: Duration;

  /**
   * How often the wait reads the status, a whole number of seconds from 5 seconds to 5 minutes. A poll interval
   * given while the construct does not wait is an error.
   * @default - 30 seconds (`BranchDeployment`, `Domain`, `DevEnvironment`: 15 seconds)
   */
  readonly pollInterval?: Duration;
}
