import * as fs from 'fs';
import * as path from 'path';
import { Lazy, Stack } from 'aws-cdk-lib';
import { requireArnEnvironment } from '../../src/core/arn';
import { WARNING_ID_FORMAT, WARNINGS } from '../../src/core/warnings';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('-function.ts') ? [full] : [];
  });
}

describe('warning ids', () => {
  test.each(Object.entries(WARNINGS))('%s is cdk-devtools:<module>:<camelCaseName>', (_, id) => {
    expect(id).toMatch(WARNING_ID_FORMAT);
  });

  test('no source file writes a warning id by hand: every warning goes through WARNINGS', () => {
    const src = path.join(__dirname, '..', '..', 'src');
    const offenders = sourceFiles(src)
      .filter(file => !file.endsWith(path.join('core', 'warnings.ts')))
      .filter(file => /addWarningV2\(|'cdk-devtools:[a-z]/.test(fs.readFileSync(file, 'utf8')))
      .map(file => path.relative(src, file));
    expect(offenders).toEqual([]);
  });
});

describe('requireArnEnvironment', () => {
  const expected = { what: 'example', format: 'arn:<partition>:svc:<region>:<account>:thing/<name>', fix: 'Copy it from the console.' };

  test('accepts an ARN with an account and a region, a token, and what is not an ARN at all', () => {
    expect(() => requireArnEnvironment(new Stack(undefined, 'Default'), 'X', 'arn:aws:svc:us-east-1:123456789012:thing/a', expected)).not.toThrow();
    expect(() => requireArnEnvironment(new Stack(undefined, 'Default'), 'X', Lazy.string({ produce: () => 'arn:aws:svc:::thing/a' }), expected)).not.toThrow();
    expect(() => requireArnEnvironment(new Stack(undefined, 'Default'), 'X', 'thing/a', expected)).not.toThrow();
  });

  test('names the value, what is missing, the expected form and the fix', () => {
    expect(() => requireArnEnvironment(new Stack(undefined, 'Default'), 'X', 'arn:aws:svc:us-east-1::thing/a', expected))
      .toThrow("Default/X: invalid example ARN: 'arn:aws:svc:us-east-1::thing/a' has an empty account; an import takes its account and "
        + 'region from the ARN, so it must be arn:<partition>:svc:<region>:<account>:thing/<name>. Copy it from the console.');
  });

  test('is a ValidationError about the import the factory would have created', () => {
    expect(() => requireArnEnvironment(new Stack(undefined, 'Default'), 'X', 'arn:aws:svc:us-east-1::thing/a', expected))
      .toThrow(expect.objectContaining({ name: 'ValidationError', constructPath: 'Default/X' }));
  });

  test.each(['12345', '1234567890123', '12345678901a'])('refuses the account %s: an account id is 12 digits', account => {
    const arn = `arn:aws:svc:us-east-1:${account}:thing/a`;
    expect(() => requireArnEnvironment(new Stack(undefined, 'Default'), 'X', arn, expected))
      .toThrow(`Default/X: invalid example ARN: '${arn}' has the account '${account}', but an AWS account id is 12 digits (e.g. 123456789012); `
        + 'it must be arn:<partition>:svc:<region>:<account>:thing/<name>. Copy it from the console.');
  });
});
