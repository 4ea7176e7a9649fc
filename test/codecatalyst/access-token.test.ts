import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { checkedSpace, everyConstruct, expectTwoKitRoles } from './every-construct';
import { AccessToken, Project } from '../../src/codecatalyst';
import { PROJECT_FAMILY, SPACE_FAMILY } from '../../src/codecatalyst/private/custom-resources/contract';
import { expectNagClean, kitRolesOf, testStack } from '../kit';

// The two ways to hold the token, as the constructs render them: what the properties say (never a token), and what
// the kit role may do with the secret.
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:codecatalyst/sso-session-AbCdEf';
const SSO_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'];

let stack: Stack;
beforeEach(() => { stack = testStack(); });
const imported = (id = 'Session') => secretsmanager.Secret.fromSecretCompleteArn(stack, id, SECRET_ARN);

describe('AccessToken.fromSsoSession', () => {
  test('the properties name the secret and the session; the kit role may read and write that secret only, and nothing of SSO OIDC', () => {
    const token = AccessToken.fromSsoSession(imported());
    expect(token.ssoSessionName).toBe('codecatalyst');
    expect(token.jsonField).toBeUndefined();
    const space = checkedSpace(stack, 'Space', 'acme-corp', token);
    new Project(stack, 'Project', { space, displayName: 'Storefront' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties(SPACE_FAMILY.resourceType, { TokenSecretArn: SECRET_ARN, TokenSsoSession: 'codecatalyst', TokenJsonField: Match.absent() });
    template.hasResourceProperties(PROJECT_FAMILY.resourceType, { TokenSecretArn: SECRET_ARN, TokenSsoSession: 'codecatalyst' });
    expect(kitRolesOf(template, PROJECT_FAMILY.resourceType).map(r => r.statements)).toEqual([[{ Action: SSO_ACTIONS, Effect: 'Allow', Resource: SECRET_ARN }]]);
    expect(kitRolesOf(template, SPACE_FAMILY.resourceType).map(r => r.statements)).toEqual([[{ Action: SSO_ACTIONS, Effect: 'Allow', Resource: SECRET_ARN }, { Action: 'cloudformation:DescribeStacks', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } }]]);
    // CreateToken is unsigned (sso-oidc-unsigned.test.ts): no sso-oauth statement, and no CodeCatalyst action either.
    expect(JSON.stringify(template.toJSON())).not.toMatch(/sso-oauth:|codecatalyst:/);
  });

  test('a session name is sent as given; a secret by name is granted with its suffix; a key may decrypt and encrypt through Secrets Manager', () => {
    const key = new kms.Key(stack, 'Key');
    const own = new secretsmanager.Secret(stack, 'Own', { encryptionKey: key });
    checkedSpace(stack, 'OwnSpace', 'acme', AccessToken.fromSsoSession(own, { sessionName: 'builder-id.work_1' }));
    checkedSpace(stack, 'Named', 'acme', AccessToken.fromSsoSession(secretsmanager.Secret.fromSecretNameV2(stack, 'ByName', 'codecatalyst/sso')));
    const template = Template.fromStack(stack);
    template.hasResourceProperties(SPACE_FAMILY.resourceType, { TokenSecretArn: { Ref: Match.stringLikeRegexp('^Own') }, TokenSsoSession: 'builder-id.work_1' });
    const statements = kitRolesOf(template, SPACE_FAMILY.resourceType).map(r => r.statements);
    expect(statements).toContainEqual([
      { Action: SSO_ACTIONS, Effect: 'Allow', Resource: { Ref: expect.stringMatching(/^Own/) } },
      {
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
      },
      { Action: 'cloudformation:DescribeStacks', Effect: 'Allow', Resource: { Ref: 'AWS::StackId' } },
    ]);
    expect(JSON.stringify(statements)).toContain('secret:codecatalyst/sso-??????');
  });

  test.each(['', 'my session', 'a;rm -rf ~', '-dash', 'x'.repeat(65)])('the session name %p fails at synth, naming the secret, the value and a fix', name => {
    expect(() => AccessToken.fromSsoSession(imported(), { sessionName: name })).toThrow(new RegExp(
      '^TestStack/Session: AccessToken\\.fromSsoSession: sessionName is \'.*\'; a session name here is 1 to 64 letters, digits, \'\\.\', \'_\' or \'-\', '
      + 'starting with a letter or digit \\(it appears in the commands a failed deployment prints\\); give the name of the \\[sso-session <name>\\] '
      + 'section of your AWS config, e.g\\. \\{ sessionName: \'codecatalyst\' \\}$'));
  });

  test('a bearer token and an SSO session of one stack get a role each, with their own statements', () => {
    checkedSpace(stack, 'Sso', 'acme', AccessToken.fromSsoSession(imported()));
    checkedSpace(stack, 'Pat', 'acme', AccessToken.fromSecret(secretsmanager.Secret.fromSecretCompleteArn(stack, 'PatSecret', SECRET_ARN.replace('sso-session', 'token'))));
    const roles = kitRolesOf(Template.fromStack(stack), SPACE_FAMILY.resourceType);
    expect(new Set(roles.map(r => r.roleLogicalId)).size).toBe(2);
    expect(roles.map(r => r.statements[0].Action).sort()).toEqual([SSO_ACTIONS, 'secretsmanager:GetSecretValue'].sort());
  });

  test('a stack of every CodeCatalyst construct with an SSO session is cdk-nag clean and shares one kit role (the space and repositories another)', () => {
    const space = checkedSpace(stack, 'Space', 'acme', AccessToken.fromSsoSession(imported()));
    expectTwoKitRoles(everyConstruct(stack, space));
    expectNagClean(stack);
  });
});
