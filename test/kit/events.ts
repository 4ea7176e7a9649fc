import type { IsCompleteRequest, OnEventRequest } from '../../src/core/runtime/types';

/**
 * Builders for the events the custom-resource provider framework hands to onEvent and isComplete.
 *
 * Properties are given as the construct renders them; like CloudFormation, the builders turn
 * numbers and booleans into strings, so handlers are tested against what they really receive.
 */
type Props = object;

const BASE = {
  ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider-framework-onEvent',
  ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/response',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/TestStack/00000000-0000-0000-0000-000000000000',
  RequestId: '11111111-2222-3333-4444-555555555555',
  LogicalResourceId: 'Resource',
};

/** Deep-converts numbers and booleans to strings, as CloudFormation does with custom-resource properties. */
export function asCloudFormationProperties(props: Props): Record<string, any> {
  const convert = (v: unknown): unknown => {
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) return v.map(convert);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, convert(x)]));
    return v;
  };
  return convert(props) as Record<string, any>;
}

function common(resourceType: string, props: Props) {
  return {
    ...BASE,
    ResourceType: resourceType,
    ResourceProperties: { ServiceToken: BASE.ServiceToken, ...asCloudFormationProperties(props) },
  };
}

export interface EventOptions {
  /** @default 'Custom::Test' */
  readonly resourceType?: string;
}

/** A Create event. */
export function createEvent(props: Props, options: EventOptions = {}): OnEventRequest {
  return { ...common(options.resourceType ?? 'Custom::Test', props), RequestType: 'Create' };
}

/** An Update event from `oldProps` to `props` of the resource with `physicalResourceId`. */
export function updateEvent(
  physicalResourceId: string, props: Props, oldProps: Props, options: EventOptions = {},
): OnEventRequest {
  return {
    ...common(options.resourceType ?? 'Custom::Test', props),
    RequestType: 'Update',
    PhysicalResourceId: physicalResourceId,
    OldResourceProperties: { ServiceToken: BASE.ServiceToken, ...asCloudFormationProperties(oldProps) },
  };
}

/** A Delete event for the resource with `physicalResourceId`. */
export function deleteEvent(physicalResourceId: string, props: Props, options: EventOptions = {}): OnEventRequest {
  return { ...common(options.resourceType ?? 'Custom::Test', props), RequestType: 'Delete', PhysicalResourceId: physicalResourceId };
}

/**
 * The provider framework's isComplete call: the original event merged with what onEvent returned
 * (its `PhysicalResourceId` and `Data`).
 */
export function isCompleteEvent(
  event: OnEventRequest, onEventResult: { PhysicalResourceId?: string; Data?: Record<string, unknown> } = {},
): IsCompleteRequest {
  const physicalResourceId = onEventResult.PhysicalResourceId ?? event.PhysicalResourceId ?? BASE.RequestId;
  return { ...event, PhysicalResourceId: physicalResourceId, Data: onEventResult.Data };
}
