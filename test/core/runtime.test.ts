import {
  ActionableError, isNotFound, isRetryable, logEvent, optionalString, parseBoolean, parseInteger, redact, requireString, startWait, waitExpired,
} from '../../src/core/runtime/handler';
import { awsError } from '../kit';

describe('handler runtime helpers', () => {
  test('parse the strings CloudFormation delivers', () => {
    expect(requireString({ A: 'x' }, 'A')).toBe('x');
    expect(() => requireString({}, 'A')).toThrow(/property A is missing from the custom resource; upgrade cdk-devtools and redeploy/);
    expect(optionalString({ A: '' }, 'A')).toBeUndefined();
    expect(parseBoolean({ A: 'true' }, 'A', false)).toBe(true);
    expect(parseBoolean({ A: 'false' }, 'A', true)).toBe(false);
    expect(parseBoolean({}, 'A', true)).toBe(true);
    expect(() => parseBoolean({ A: 'yes' }, 'A', true)).toThrow(/should be 'true' or 'false', got 'yes'/);
    expect(parseInteger({ A: '42' }, 'A')).toBe(42);
    expect(parseInteger({}, 'A', 7)).toBe(7);
    expect(() => parseInteger({ A: '4.5' }, 'A')).toThrow(/should be an integer, got '4.5'/);
    expect(() => parseInteger({}, 'A')).toThrow(/property A is missing/);
  });

  test('classify service errors', () => {
    expect(isNotFound(awsError('ResourceNotFoundException'))).toBe(true);
    expect(isNotFound(awsError('ValidationException'))).toBe(false);
    expect(isRetryable(awsError('ThrottlingException'))).toBe(true);
    expect(isRetryable(awsError('InternalServerException', 'x', 'server'))).toBe(true);
    expect(isRetryable(awsError('AccessDeniedException'))).toBe(false);
  });

  test('an actionable error says what, where, why and what next', () => {
    expect(new ActionableError('Starting a build', 'app d123 branch main', 'the branch is gone', 'Recreate it.').message)
      .toBe('Starting a build failed for app d123 branch main: the branch is gone. Recreate it.');
  });

  test('a wait expires after its own timeout', () => {
    const now = 1_000_000;
    const event: any = { RequestType: 'Create', ResourceProperties: { TimeoutSeconds: '60' }, Data: startWait(now) };
    expect(waitExpired(event, now + 59_000)).toBe(false);
    expect(waitExpired(event, now + 60_000)).toBe(true);
  });

  test('logs never carry secrets', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    logEvent('x', {
      RequestType: 'Create',
      ResourceType: 'Custom::X',
      LogicalResourceId: 'R',
      ResourceProperties: { Name: 'ok', AccessToken: 'ghp_secret', Nested: { basicAuthCredentials: 'dXNlcjpwYXNz', list: [{ Password: 'p' }] } },
    });
    const printed = log.mock.calls.map(c => String(c[0])).join('\n');
    expect(printed).toContain('"Name":"ok"');
    for (const secret of ['ghp_secret', 'dXNlcjpwYXNz', '"p"']) expect(printed).not.toContain(secret);
    expect(redact(['a', { token: 't' }])).toEqual(['a', { token: '<redacted>' }]);
    log.mockRestore();
  });
});
