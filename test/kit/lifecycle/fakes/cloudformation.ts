import { DescribeStacksCommand, DescribeStacksInput, ListStackResourcesCommand, ListStackResourcesInput } from '@aws-sdk/client-cloudformation';
import { AwsStub } from 'aws-sdk-client-mock';
import { stackResources, stackStatus } from '../driver';
import { FakeService, route, VirtualClock } from '../world';

/**
 * CloudFormation as a handler sees its own stack: ListStackResources lists the resources the drivers of the
 * world hold (one page), DescribeStacks gives the status of the operation they play (a rollback, say), both
 * authorised on the stack ARN.
 */
export class FakeCloudFormation extends FakeService {
  constructor(clock: VirtualClock) {
    super('CloudFormation', clock, { throttling: 'Throttling', accessDenied: 'AccessDenied', validation: 'ValidationError', notFound: 'ValidationError' }, undefined);
  }

  public snapshot(): unknown {
    return stackResources(this.clock);
  }

  public listStackResources(input: ListStackResourcesInput) {
    this.admit('ListStackResources', input, 'cloudformation:ListStackResources', input.StackName ?? '', false);
    return { StackResourceSummaries: stackResources(this.clock).map(r => ({ ...r, LastUpdatedTimestamp: this.clock.date() })) };
  }

  public describeStacks(input: DescribeStacksInput) {
    this.admit('DescribeStacks', input, 'cloudformation:DescribeStacks', input.StackName ?? '', false);
    return { Stacks: [{ StackId: input.StackName, StackName: input.StackName?.split('/')[1], StackStatus: stackStatus(this.clock), CreationTime: this.clock.date() }] };
  }

  public wire(mock: AwsStub<any, any, any>): this {
    route(mock, ListStackResourcesCommand, input => this.listStackResources(input));
    route(mock, DescribeStacksCommand, input => this.describeStacks(input));
    return this;
  }
}
