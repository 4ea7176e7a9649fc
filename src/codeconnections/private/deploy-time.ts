import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { bothPrefixes, idFromArn, SERVICE_PREFIXES } from './arn';
import {
  AVAILABILITY_FAMILY, AvailabilityKind, FIRST_SYNC_FAMILY, FirstSyncProperties, LOOKUP_FAMILY, LookupProperties,
} from './custom-resources/contract';
import { KitResource, Wait } from '../../core/custom-resource';
import { acceptNagFindings } from '../../core/nag';

/**
 * Finds a connection by name at deploy time (`LOOKUP_FAMILY`, whose attributes `attr` reads). Every
 * lookup of a stack has the same statements (ListConnections has no resource-level permissions; DescribeStacks of
 * its own stack tells a rollback from a change), so all of them act with one kit role.
 */
export function lookupConnection(scope: Construct, id: string, properties: LookupProperties): KitResource<typeof LOOKUP_FAMILY> {
  const lookup = new KitResource(scope, id, {
    family: LOOKUP_FAMILY,
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

/**
 * Holds the deployment until a connection or host is AVAILABLE (`AVAILABILITY_FAMILY`). The wait acts with a kit role that may read only the watched connection or host,
 * under both IAM prefixes; its poll interval and timeout are properties, so changing them keeps the role.
 */
export function waitForAvailable(
  scope: Construct, id: string, kind: AvailabilityKind, arn: string, wait: Wait,
): KitResource<typeof AVAILABILITY_FAMILY> {
  // The resource is defined in this stack, so its ARN differs from the stack's own ARNs only in its id:
  // building both forms from pseudo parameters keeps the role's statement small.
  const stack = Stack.of(scope);
  const resourceArns = SERVICE_PREFIXES.map(service => stack.formatArn({ service, resource: kind, resourceName: idFromArn(arn) }));
  return new KitResource(scope, id, {
    family: AVAILABILITY_FAMILY,
    properties: { ResourceArn: arn, Kind: kind },
    statements: [new iam.PolicyStatement({
      actions: bothPrefixes([kind === 'host' ? 'GetHost' : 'GetConnection']),
      resources: resourceArns,
    })],
    wait,
  });
}

/**
 * Holds the deployment until the first sync of a Git-synced stack succeeded. The status and blocker reads have no
 * resource type (a sync configuration has no ARN), so every such wait of a stack shares one kit role that may read
 * them and nothing else.
 */
export function waitForFirstSync(scope: Construct, id: string, properties: FirstSyncProperties, wait: Wait): KitResource<typeof FIRST_SYNC_FAMILY> {
  const waiter = new KitResource(scope, id, {
    family: FIRST_SYNC_FAMILY,
    properties,
    statements: [new iam.PolicyStatement({ actions: bothPrefixes(['GetResourceSyncStatus', 'GetSyncBlockerSummary']), resources: ['*'] })],
    wait,
  });
  acceptNagFindings(waiter.role, [{
    id: 'AwsSolutions-IAM5',
    reason: 'GetResourceSyncStatus and GetSyncBlockerSummary have no resource type (a sync configuration has no ARN); both only read',
    appliesTo: ['Resource::*'],
  }]);
  return waiter;
}
