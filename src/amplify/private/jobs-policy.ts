import type { NagAcceptance } from '../../core/nag';

/**
 * Accepts cdk-nag's wildcard finding on `<branch ARN>/jobs/*` only: job ids are assigned when a job starts,
 * so a policy written before it cannot name the job.
 */
export function branchJobsAcceptance(what: string): NagAcceptance {
  return {
    id: 'AwsSolutions-IAM5',
    reason: `job ids exist once a ${what} starts; only this branch's jobs`,
    appliesTo: [{ regex: '/^Resource::.+\\/jobs\\/\\*$/' }],
  };
}
