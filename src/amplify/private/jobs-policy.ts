import type { NagAcceptance } from '../../core/nag';

/**
 * Accepts cdk-nag's wildcard finding on `<branch ARN>/jobs/*` only: job ids are assigned when a job starts,
 * so a policy written before it cannot name the job. The kit writes it once per stack, so it names the shape of a
 * branch's jobs exactly: an Amplify branch ARN (`<app ARN>/branches/<name>`), or the reference it resolves to.
 */
export function branchJobsAcceptance(what: string): NagAcceptance {
  return {
    id: 'AwsSolutions-IAM5',
    reason: `job ids exist once a ${what} starts; only the jobs of one branch`,
    appliesTo: [{ regex: '/^Resource::((arn:[^/]+:amplify:[^/]+:apps\\/[^/]+|<[^<>]+>)\\/branches\\/.+|<[^<>]+>)\\/jobs\\/\\*$/' }],
  };
}
