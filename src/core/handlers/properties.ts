/**
 * The property names a construct sets and a handler reads. This module imports nothing: the constructs load it
 * at synth, where no handler dependency (the AWS SDK is a devDependency, left to the Lambda runtime) may load.
 */

/** The property every kit resource sets: the ARN of the role its handler assumes. */
export const ROLE_ARN_PROPERTY = 'RoleArn';
/** The property a construct sets to bound a wait, in seconds. */
export const TIMEOUT_PROPERTY = 'TimeoutSeconds';
/** The property a construct sets for a wait's own poll interval, in seconds. */
export const POLL_INTERVAL_PROPERTY = 'PollIntervalSeconds';
/** The property a construct sets for how often the provider calls isComplete, in seconds. */
export const QUERY_INTERVAL_PROPERTY = 'QueryIntervalSeconds';
