import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { clientConfig } from './credentials';
import { messageOf } from './handler';
import type { OnEventRequest } from './types';

/**
 * Whether CloudFormation is rolling the stack back (DescribeStacks), asked as the role of the properties the Update
 * comes from: in a rollback those are the newer template's, whose role may read the stack (its construct adds
 * `cloudformation:DescribeStacks` on its own stack). Unknown is "no".
 */
export async function isRollingBack(event: OnEventRequest): Promise<boolean> {
  try {
    const cloudformation = new CloudFormationClient(clientConfig(event.OldResourceProperties ?? event.ResourceProperties));
    const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName: event.StackId }));
    return Stacks?.[0]?.StackStatus === 'UPDATE_ROLLBACK_IN_PROGRESS';
  } catch (err) {
    console.log(`reading the stack's status failed (${messageOf(err)}): taking the Update for a change, not a rollback`);
    return false;
  }
}
