import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CodeCatalystClient } from '@aws-sdk/client-codecatalyst';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { SPACE_FAMILY } from '../../src/codecatalyst/private/custom-resources/contract';
import { backoff } from '../../src/codecatalyst/private/custom-resources/session';
import {
  expectConsistent, FakeCodeCatalyst, FakeSecretsManager, FakeSsoOidc, handlerMocks, LifecycleDriver, routedHandlers, SsoCacheDocument, VirtualClock,
} from '../kit';

// The codecatalyst README's seeding commands, run as written by bash, against an `aws` that does what the AWS CLI
// does with them: `aws sso login --sso-session <name>` reads the sso-session of ~/.aws/config and writes the cache
// document (here the one FakeSsoOidc's sign-in returns) to ~/.aws/sso/cache/<sha1 of the name>.json, as botocore's
// SSO token cache names it; `aws secretsmanager create-secret` and `put-secret-value` read a `file://` argument after
// expanding `~` and variables, as awscli's paramfile does. What they store then serves a deployment, which refreshes
// it; when the session ends, the commands the failure prints are run as written too, and the next deployment works.
const [catalyst, secrets, oidc] = handlerMocks(CodeCatalystClient, SecretsManagerClient, SSOOIDCClient);

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'codecatalyst', 'README.md'), 'utf8');
const SECTION = README.slice(README.indexOf('### An SSO session'), README.indexOf('### A bearer token'));
const blocks = (language: string) => [...SECTION.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map(m => m[1]);
/** The name the README's ts block imports the secret by. */
const SECRET_NAME = /Secret\.fromSecretNameV2\(stack, '\w+', '([^']+)'\)/.exec(SECTION)![1];
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:123456789012:secret:${SECRET_NAME}-AbCdEf`;

/** The AWS CLI's side of the commands (see above); every call is logged as a JSON line. */
const AWS_CLI = `#!/usr/bin/env node
const fs = require('fs'), os = require('os'), path = require('path'), crypto = require('crypto');
const args = process.argv.slice(2);
const opt = name => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const log = entry => fs.appendFileSync(process.env.FAKE_AWS_LOG, JSON.stringify(entry) + '\\n');
const fail = message => { process.stderr.write(message + '\\n'); process.exit(252); };
if (args[0] === 'sso' && args[1] === 'login') {
  const name = opt('--sso-session') || fail('aws sso login: no --sso-session');
  const config = fs.readFileSync(path.join(os.homedir(), '.aws', 'config'), 'utf8');
  const section = config.split(/^\\[/m).find(s => s.startsWith('sso-session ' + name + ']')) || fail('no [sso-session ' + name + '] in ~/.aws/config');
  const settings = Object.fromEntries([...section.matchAll(/^(\\w+)\\s*=\\s*(.*)$/gm)].map(m => [m[1], m[2].trim()]));
  const file = path.join(os.homedir(), '.aws', 'sso', 'cache', crypto.createHash('sha1').update(name).digest('hex') + '.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, process.env.FAKE_SSO_DOCUMENT);
  log({ command: 'sso login', session: name, ...settings });
} else if (args[0] === 'secretsmanager' && ['create-secret', 'put-secret-value'].includes(args[1])) {
  let value = opt('--secret-string') || fail('no --secret-string');
  if (value.startsWith('file://')) {
    let file = value.slice('file://'.length);
    if (file === '~' || file.startsWith('~/')) file = os.homedir() + file.slice(1);
    file = file.replace(/\\$\\{?(\\w+)\\}?/g, (m, v) => process.env[v] ?? m);
    value = fs.readFileSync(file, 'utf8');
  }
  log({ command: args[1], secret: opt('--name') || opt('--secret-id'), value });
} else {
  fail('unexpected command: aws ' + args.join(' '));
}
`;

let home: string;
let bin: string;
let logFile: string;
beforeEach(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-seeding-'));
  home = path.join(dir, 'home');
  bin = path.join(dir, 'bin');
  logFile = path.join(dir, 'aws.log');
  fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'aws'), AWS_CLI, { mode: 0o755 });
});

/** Runs commands as written with bash, as a person who signs in (the browser step answered by `document`) would. */
function run(commands: string, document: SsoCacheDocument): Array<Record<string, string>> {
  fs.rmSync(logFile, { force: true });
  execFileSync('bash', ['-euo', 'pipefail', '-c', commands], {
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: home, FAKE_AWS_LOG: logFile, FAKE_SSO_DOCUMENT: JSON.stringify(document) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return fs.readFileSync(logFile, 'utf8').trim().split('\n').map(line => JSON.parse(line));
}

function world() {
  const clock = new VirtualClock().install();
  // The wait for another handler's refresh (which never comes here) takes no real time.
  jest.spyOn(backoff, 'sleep').mockResolvedValue();
  const codecatalyst = new FakeCodeCatalyst(clock).wire(catalyst);
  const secretsmanager = new FakeSecretsManager(clock).wire(secrets);
  const ssooidc = new FakeSsoOidc(clock, (token, user, expiresAt) => { codecatalyst.addUser(token, user).expiresAt = expiresAt; }).wire(oidc);
  codecatalyst.addSpace('acme');
  codecatalyst.addSpace('beta');
  codecatalyst.grant('alice', 'acme');
  codecatalyst.grant('alice', 'beta');
  return {
    clock,
    codecatalyst,
    secretsmanager,
    ssooidc,
    fakes: [codecatalyst, secretsmanager, ssooidc],
    handlers: routedHandlers(SPACE_FAMILY.resourceType),
    policy: () => [{ actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'], resources: [SECRET_ARN] }],
    invariant: () => [],
    inputProblems: () => [],
  };
}

/** Stores what a logged `create-secret` or `put-secret-value` stored (by name or ARN) in the fake. */
function apply(w: ReturnType<typeof world>, entries: Array<Record<string, string>>): void {
  for (const entry of entries.filter(e => e.command !== 'sso login')) {
    expect([SECRET_NAME, SECRET_ARN]).toContain(entry.secret);
    w.secretsmanager.put(SECRET_ARN, entry.value);
  }
}

test('the README\'s sso-session, sign-in and create-secret, then its import, deploy; the session refreshes an hour later', async () => {
  const [config] = blocks('ini');
  const [seeding] = blocks('bash');
  expect(seeding).toMatch(/^aws sso login --sso-session codecatalyst\naws secretsmanager create-secret /);
  fs.writeFileSync(path.join(home, '.aws', 'config'), config);
  const w = world();
  const document = w.ssooidc.signIn(w.ssooidc.registerClient(), 'alice');
  const log = run(seeding, document);
  expect(log).toEqual([
    {
      command: 'sso login',
      session: 'codecatalyst',
      sso_start_url: 'https://view.awsapps.com/start',
      sso_region: 'us-east-1',
      sso_registration_scopes: 'codecatalyst:read_write',
    },
    { command: 'create-secret', secret: SECRET_NAME, value: JSON.stringify(document) },
  ]);
  apply(w, log);
  const driver = new LifecycleDriver(w);
  const props = { SpaceName: 'acme', TokenSecretArn: SECRET_ARN, TokenSsoSession: 'codecatalyst' };
  expectConsistent(driver, [await driver.deploy(props)]);
  expect(w.codecatalyst.tokensSeen).toEqual([document.accessToken, document.accessToken]);
  w.clock.advance(61 * 60_000);
  expectConsistent(driver, [await driver.deploy({ ...props, SpaceName: 'beta' })]);
  expect(w.ssooidc.requests.map(r => `${r.operation} ${r.error ?? 'ok'}`)).toEqual(['CreateToken ok']);
});

test('after a sign-out, the commands the failure prints, run as written, seed the secret again; so does the README\'s put-secret-value', async () => {
  fs.writeFileSync(path.join(home, '.aws', 'config'), blocks('ini')[0]);
  const w = world();
  const registration = w.ssooidc.registerClient();
  apply(w, run(blocks('bash')[0], w.ssooidc.signIn(registration, 'alice')));
  const driver = new LifecycleDriver(w);
  const props = { SpaceName: 'acme', TokenSecretArn: SECRET_ARN, TokenSsoSession: 'codecatalyst' };
  expectConsistent(driver, [await driver.deploy(props)]);

  w.ssooidc.signOut('alice');
  w.clock.advance(61 * 60_000);
  const failed = await driver.deploy({ ...props, SpaceName: 'beta' });
  expect(failed.ok).toBe(false);
  const commands = [...failed.error!.matchAll(/`(aws [^`]+)`/g)].map(m => m[1]);
  expect(commands).toEqual([
    'aws sso login --sso-session codecatalyst',
    `aws secretsmanager put-secret-value --secret-id ${SECRET_ARN} --secret-string file://~/.aws/sso/cache/80af6f394d022e711b1b139544a1598b8c36fd60.json`,
  ]);
  const signedIn = w.ssooidc.signIn(registration, 'alice');
  apply(w, run(commands.join('\n'), signedIn));
  expectConsistent(driver, [await driver.deploy({ ...props, SpaceName: 'beta' })]);
  expect(w.codecatalyst.tokensSeen.slice(-1)).toEqual([signedIn.accessToken]);

  // The README's own command for an existing secret (wrapped across two lines in the text).
  const again = /`(aws secretsmanager put-secret-value --secret-id\s+[^`]+)`/.exec(SECTION)![1].replace(/\s+/g, ' ');
  const next = w.ssooidc.signIn(registration, 'alice');
  const log = run(`aws sso login --sso-session codecatalyst\n${again}`, next);
  expect(log.map(e => e.command)).toEqual(['sso login', 'put-secret-value']);
  apply(w, log);
  expectConsistent(driver, [await driver.deploy(props)]);
  expect(w.codecatalyst.tokensSeen.slice(-1)).toEqual([next.accessToken]);
});
