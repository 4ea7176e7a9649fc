import { Lazy, Stack } from 'aws-cdk-lib';
import { CODEARTIFACT_API } from '../../src/codeartifact/private/api-constraints';
import { CODECONNECTIONS_API } from '../../src/codeconnections/private/api-constraints';
import { checkOperationInput, checkShape, compilePattern, validateApiValue } from '../../src/core/api-constraints';

describe('checkOperationInput', () => {
  test('accepts a valid input', () => {
    expect(checkOperationInput(CODECONNECTIONS_API, 'CreateConnection', { ConnectionName: 'github', ProviderType: 'GitHub' })).toEqual([]);
  });

  test('fails a too-long name, naming the length and the bound', () => {
    expect(checkOperationInput(CODECONNECTIONS_API, 'CreateConnection', { ConnectionName: 'x'.repeat(33), ProviderType: 'GitHub' }))
      .toEqual([expect.stringMatching(/^CreateConnection ConnectionName: 'x+' has 33 characters; CodeConnections allows 1 to 32 characters$/)]);
  });

  test('fails a missing required member', () => {
    expect(checkOperationInput(CODECONNECTIONS_API, 'GetConnection', {}))
      .toEqual(['GetConnection ConnectionArn: required by CodeConnections but missing']);
  });

  test('fails an unknown enum value, listing the allowed ones', () => {
    expect(checkOperationInput(CODECONNECTIONS_API, 'ListConnections', { ProviderTypeFilter: 'GitHubCloud' }))
      .toEqual(["ListConnections ProviderTypeFilter: 'GitHubCloud' is not one of Bitbucket, GitHub, GitHubEnterpriseServer, GitLab, GitLabSelfManaged"]);
  });

  test('fails a pattern mismatch', () => {
    expect(checkOperationInput(CODECONNECTIONS_API, 'GetHost', { HostArn: 'arn:aws:s3:::bucket' }))
      .toEqual([expect.stringContaining('does not match the pattern')]);
  });

  test('fails a number sent as a string (CloudFormation properties arrive as strings)', () => {
    expect(checkOperationInput(CODECONNECTIONS_API, 'ListConnections', { MaxResults: '50' }))
      .toEqual(["ListConnections MaxResults: expected a integer, got '50'"]);
  });

  test('fails an out-of-range number', () => {
    expect(checkOperationInput(CODECONNECTIONS_API, 'ListConnections', { MaxResults: 101 }))
      .toEqual(['ListConnections MaxResults: 101 is out of range; CodeConnections allows 0 to 100']);
  });

  test('checks nested structures and lists', () => {
    const problems = checkOperationInput(CODECONNECTIONS_API, 'CreateHost', {
      Name: 'h',
      ProviderType: 'GitLabSelfManaged',
      ProviderEndpoint: 'https://gitlab.example.com',
      VpcConfiguration: { VpcId: 'vpc-12345678', SubnetIds: [], SecurityGroupIds: ['sg-1'] },
    });
    expect(problems).toEqual([
      'CreateHost VpcConfiguration.SubnetIds: [] has 0 items; CodeConnections allows 1 to 10 items',
      "CreateHost VpcConfiguration.SecurityGroupIds[0]: 'sg-1' has 4 characters; CodeConnections allows 11 to 20 characters",
      expect.stringMatching(/^CreateHost VpcConfiguration.SecurityGroupIds\[0\]: 'sg-1' does not match/),
    ]);
  });

  test('fails a member the API does not document', () => {
    expect(checkOperationInput(CODECONNECTIONS_API, 'GetConnection', { ConnectionArn: 'arn:aws:codeconnections:us-east-1:123456789012:connection/x', Extra: 1 }))
      .toEqual(['GetConnection Extra: not a member that CodeConnections documents here']);
  });

  test('fails an operation missing from the table', () => {
    expect(checkOperationInput(CODECONNECTIONS_API, 'DeleteEverything', {})).toEqual([expect.stringContaining('not in the CodeConnections constraint table')]);
  });
});

describe('validateApiValue', () => {
  test('throws with the construct path, the value, the bound and the fix', () => {
    const stack = new Stack();
    expect(() => validateApiValue(stack, CODECONNECTIONS_API, 'ConnectionName', 'connectionName', 'n'.repeat(40), 'Use a shorter name.'))
      .toThrow(/^Default: invalid connectionName: 'n{40}' has 40 characters; CodeConnections allows 1 to 32 characters. Use a shorter name.$/);
  });

  test('a second problem with the same value continues the sentence, and one character is singular', () => {
    const stack = new Stack();
    expect(() => validateApiValue(stack, CODEARTIFACT_API, 'RepositoryName', 'repositoryName', '-', 'Use team.'))
      .toThrow("Default: invalid repositoryName: '-' has 1 character; CodeArtifact allows 2 to 100 characters; and it does not match "
        + 'the pattern ^[A-Za-z0-9][A-Za-z0-9._\\-]{1,99}$ that CodeArtifact requires. Use team.');
  });

  test('skips unresolved tokens and undefined', () => {
    const stack = new Stack();
    const token = Lazy.string({ produce: () => 'x'.repeat(100) });
    expect(() => validateApiValue(stack, CODECONNECTIONS_API, 'ConnectionName', 'connectionName', token, '')).not.toThrow();
    expect(() => validateApiValue(stack, CODECONNECTIONS_API, 'ConnectionName', 'connectionName', undefined, '')).not.toThrow();
  });

  test('skips tokens inside lists', () => {
    expect(checkShape(CODECONNECTIONS_API, 'SubnetIds', [Lazy.string({ produce: () => 'x' })], 'subnets')).toEqual([]);
  });
});

describe('compilePattern', () => {
  test('understands the Unicode classes of AWS models', () => {
    expect(compilePattern('^\\P{C}*$').test('hello world')).toBe(true);
    expect(compilePattern('^\\P{C}*$').test('bell\u0007')).toBe(false);
    expect(compilePattern('^\\P{C}*$').test('zero\u200bwidth')).toBe(false);
  });

  test('compiles patterns that are invalid with the u flag, and Java-only classes', () => {
    expect(compilePattern('^[\\w\\-]+$').test('a-b_c')).toBe(true);
    expect(compilePattern('^\\p{IsWhitespace}*$').test(' \t')).toBe(true);
    expect(compilePattern('^\\p{IsWhitespace}*$').test('x')).toBe(false);
  });
});
