import { AwsStub, mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { useCallerDirectory } from './lifecycle/world';
import { ApiConstraints, checkOperationInput } from '../../src/core/api-constraints';

/**
 * A mock of an AWS SDK v3 client that rejects every command a test did not set up, so that an
 * unexpected call fails loudly instead of resolving to `undefined`.
 */
export function strictMock<T extends new (...args: any[]) => any>(client: T): AwsStub<any, any, any> {
  const mock = mockClient(client as any) as AwsStub<any, any, any>;
  resetStrict(mock);
  return mock;
}

/** Resets a strict mock between tests (call it in `beforeEach`). */
export function resetStrict(mock: AwsStub<any, any, any>): void {
  mock.reset();
  mock.onAnyCommand().callsFake((input: unknown) => {
    throw new Error(`unexpected SDK command: no behaviour set for input ${JSON.stringify(input)}`);
  });
}

/** The operation name of an SDK command (`CreateConnectionCommand` -> `CreateConnection`). */
function operationOf(command: { constructor: { name: string } }): string {
  return command.constructor.name.replace(/Command$/, '');
}

/** Lists every constraint the inputs sent through a mock break, as `Operation Member: problem` lines. */
export function sdkInputProblems(mock: AwsStub<any, any, any>, api: ApiConstraints): string[] {
  return mock.calls().flatMap(call => {
    const command = call.args[0] as any;
    return checkOperationInput(api, operationOf(command), command.input);
  });
}

/**
 * Fails the test when any SDK input sent through the mock breaks the API's documented constraints
 * (required members, length and value bounds, patterns, enums, types), and when nothing was sent.
 */
export function expectValidSdkInputs(mock: AwsStub<any, any, any>, api: ApiConstraints): void {
  expect(mock.calls().length).toBeGreaterThan(0);
  expect(sdkInputProblems(mock, api)).toEqual([]);
}

/** An error shaped like the SDK's service exceptions (the handlers branch on `name`). */
export function awsError(name: string, message = `${name} (simulated)`, fault: 'client' | 'server' = 'client'): Error {
  const error = new Error(message) as Error & { $fault: string; $metadata: object };
  error.name = name;
  error.$fault = fault;
  error.$metadata = { httpStatusCode: fault === 'client' ? 400 : 500 };
  return error;
}

/**
 * Strict mocks of the given clients for a file of handler tests: reset before each test, with the handlers'
 * `console.log` silenced, and every spy restored after it.
 */
export function handlerMocks(...clients: Array<new (...args: any[]) => any>): Array<AwsStub<any, any, any>> {
  const mocks = clients.map(client => strictMock(client));
  beforeEach(() => {
    mocks.forEach(mock => resetStrict(mock));
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    useCallerDirectory(undefined);
  });
  return mocks;
}
