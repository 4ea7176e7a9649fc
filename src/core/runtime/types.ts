import type { Family } from '../family';

/**
 * The provider framework's onEvent and isComplete contract (a small copy: aws-cdk-lib does not export it).
 * Handlers return to succeed and throw to fail; they never call the ResponseURL.
 */
export interface OnEventRequest {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResourceType: string;
  readonly LogicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, any>;
  readonly OldResourceProperties?: Record<string, any>;
}

export interface OnEventResponse {
  /** A new value on Update makes CloudFormation replace the resource (and send Delete for the old id). */
  readonly PhysicalResourceId?: string;
  /** Attributes for `Fn::GetAtt`; also handed to isComplete. */
  readonly Data?: Record<string, any>;
  readonly NoEcho?: boolean;
}

export interface IsCompleteRequest extends OnEventRequest {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, any>;
}

export interface IsCompleteResponse {
  readonly IsComplete: boolean;
  /** Merged over onEvent's Data when complete. */
  readonly Data?: Record<string, any>;
}

/** What Lambda passes a handler beside the event (the part the handlers use). */
export interface HandlerContext {
  getRemainingTimeInMillis(): number;
}

/**
 * One family's handlers, as the library's single provider routes to them by `ResourceType`. Each module lists its
 * families' entries in its `private/custom-resources/entries.ts`; `src/provider/bundles/` bundles each module's list.
 */
export interface HandlerEntry {
  /** The family served (`defineFamily`); it has an isComplete exactly when the family waits. */
  readonly family: Family;
  readonly onEvent: (event: OnEventRequest, context?: HandlerContext) => Promise<OnEventResponse>;
  /** For types that wait; the others complete as soon as onEvent returns. */
  readonly isComplete?: (event: IsCompleteRequest) => Promise<IsCompleteResponse>;
}
