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
/**
 * The environment variable of the isComplete function: how often the stack's waiter calls it, in seconds (the
 * shortest poll interval of the stack's waits). One value for the stack, so a wait added with a shorter interval
 * changes the provider, not the properties of every other wait.
 */
export const QUERY_INTERVAL_VARIABLE = 'QUERY_INTERVAL_SECONDS';
