import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { bothPrefixes, idFromArn, SERVICE_PREFIXES } from './arn';
import {
  AVAILABILITY_RESOURCE_TYPE, AvailabilityKind, AvailabilityProperties, FIRST_SYNC_RESOURCE_TYPE, FirstSyncProperties, LOOKUP_RESOURCE_TYPE,
  LookupProperties,
} from './custom-resources/contract';
import {
  checkPollInterval, checkWaitTimeout, DEFAULT_POLL_INTERVAL, KitResource, MAX_POLL_INTERVAL, MAX_WAIT, MIN_POLL_INTERVAL,
} from '../../core/custom-resource';
import { acceptNagFindings } from '../../core/nag';

/**
 * Finds a connection by name at deploy time; read its attributes by the names in `LOOKUP_ATTRIBUTES`. Every
 * lookup of a stack has the same statements (ListConnections has no resource-level permissions; DescribeStacks of
 * its own stack tells a rollback from a change), so all of them act with one kit role.
 */
export function lookupConnection(scope: Construct, id: string, properties: LookupProperties): KitResource {
  const lookup = new KitResource(scope, id, {
    resourceType: LOOKUP_RESOURCE_TYPE,
    properties,
    statements: [
      new iam.PolicyStatement({ actions: bothPrefixes(['ListConnections']), resources: ['*'] }),
      new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [Stack.of(scope).stackId] }),
    ],
  });
  // On the role itself, which is one per stack: a stack-wide acceptance of `Resource::*` would cover every resource.
  acceptNagFindings(lookup.role, [{
    id: 'AwsSolutions-IAM5',
    reason: 'ListConnections does not support resource-level permissions; the lookup must list to find the name',
    appliesTo: ['Resource::*'],
  }]);
  return lookup;
}

/** How a connection or host waits for AVAILABLE. */
export interface AvailabilityWait {
  readonly timeout: Duration;
  readonly pollInterval: Duration;
}

/** Validates the wait options of a construct; returns undefined when the wait is off. */
export function availabilityWait(
  scope: Construct, wait: boolean | undefined, timeout?: Duration, pollInterval?: Duration,
): AvailabilityWait | undefined {
  if (!wait) {
    if (timeout || pollInterval) {
      throw new Error(`${scope.node.path}: availability timeout and poll interval only apply with waitForAvailability: true; set it or remove them`);
    }
    return undefined;
  }
  const resolved = { timeout: timeout ?? MAX_WAIT, pollInterval: pollInterval ?? DEFAULT_POLL_INTERVAL };
  checkWaitTimeout(scope, 'availabilityTimeout', resolved.timeout);
  checkPollInterval(scope, 'availabilityPollInterval', resolved.pollInterval, MIN_POLL_INTERVAL, MAX_POLL_INTERVAL);
  return resolved;
}

/**
 * Holds the deployment until a connection or host is AVAILABLE; read its attributes by the names in
 * `AVAILABILITY_ATTRIBUTES`. The wait acts with a kit role that may read only the watched connection or host,
 * under both IAM prefixes; its poll interval and timeout are properties, so changing them keeps the role.
 */
export function waitForAvailable(scope: Construct, id: string, kind: AvailabilityKind, arn: string, wait: AvailabilityWait): KitResource {
  const properties: AvailabilityProperties = { ResourceArn: arn, Kind: kind };
  // The resource is defined in this stack, so its ARN differs from the stack's own ARNs only in its id:
  // building both forms from pseudo parameters keeps the role's statement small.
  const stack = Stack.of(scope);
  const resourceArns = SERVICE_PREFIXES.map(service => stack.formatArn({ service, resource: kind, resourceName: idFromArn(arn) }));
  return new KitResource(scope, id, {
    resourceType: AVAILABILITY_RESOURCE_TYPE,
    properties,
    statements: [new iam.PolicyStatement({
      actions: bothPrefixes([kind === 'host' ? 'GetHost' : 'GetConnection']),
      resources: resourceArns,
    })],
    timeout: wait.timeout,
    pollInterval: wait.pollInterval,
  });
}

/**
 * Holds the deployment until the first sync of a Git-synced stack succeeded. The status and blocker reads have no
 * resource type (a sync configuration has no ARN), so every such wait of a stack shares one kit role that may read
 * them and nothing else.
 */
export function waitForFirstSync(scope: Construct, id: string, properties: FirstSyncProperties, wait: AvailabilityWait): KitResource {
  const waiter = new KitResource(scope, id, {
    resourceType: FIRST_SYNC_RESOURCE_TYPE,
    properties,
    statements: [new iam.PolicyStatement({ actions: bothPrefixes(['GetResourceSyncStatus', 'GetSyncBlockerSummary']), resources: ['*'] })],
    timeout: wait.timeout,
    pollInterval: wait.pollInterval,
  });
  acceptNagFindings(waiter.role, [{
    id: 'AwsSolutions-IAM5',
    reason: 'GetResourceSyncStatus and GetSyncBlockerSummary have no resource type (a sync configuration has no ARN); both only read',
    appliesTo: ['Resource::*'],
  }]);
  return waiter;
}
