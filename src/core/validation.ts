import { IConstruct } from 'constructs';

/**
 * A synth-time error in what a construct was given, raised against that construct, as aws-cdk-lib raises its own
 * (whose `ValidationError` is internal to it). The message starts with the construct's path; write the rest as
 * the value, what is allowed and how to fix it. Every construct and static factory of the library fails with it,
 * a factory against the scope it was called with and the id of what it would have created there.
 */
export class ValidationError extends Error {
  /** The path of the construct the error is about (for a factory, the path its import would have had). */
  public readonly constructPath: string;

  /**
   * @param message what is wrong: the value, what is allowed, how to fix it
   * @param scope the construct the error is about, or the scope a static factory was called with
   * @param childId the id a static factory was given: the error is about the construct it would have created
   */
  constructor(message: string, scope: IConstruct, childId?: string) {
    const path = childId === undefined ? scope.node.path : [scope.node.path, childId].filter(part => part !== '').join('/');
    super(`${path}: ${message}`);
    this.name = 'ValidationError';
    this.constructPath = path;
  }
}

/**
 * A synth-time error in a value that belongs to no construct yet (a stage rule, a schedule), as aws-cdk-lib's
 * `UnscopedValidationError`: the message names the value's owner itself.
 */
export class UnscopedValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnscopedValidationError';
  }
}
