/**
 * Every validation message of the module ends with a fix that adds something: where the value comes from, or what to
 * use instead. The bound itself is already in the message (`... has N characters; Amplify Hosting allows ...`).
 */
import { Stack } from 'aws-cdk-lib';
import { CfnApp } from 'aws-cdk-lib/aws-amplify';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import { amplifyStack } from './support';
import * as amplify from '../../src/amplify';

let stack: Stack;
let app: amplify.App;
beforeEach(() => {
  stack = amplifyStack();
  app = new amplify.App(stack, 'Site');
});

const long = (n: number) => 'x'.repeat(n);

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a validation error');
}

/** The fix: what follows the API's rule in the message. */
function fixOf(message: string): string {
  const match = /(?:allows [^.]*|that Amplify Hosting requires|is not one of [^.]*)\. (.*)$/s.exec(message);
  if (!match) throw new Error(`not a validation message: ${message}`);
  return match[1];
}

const CASES: Array<[string, () => unknown, RegExp]> = [
  ['appName', () => new amplify.App(stack, 'A', { appName: long(256) }), /^The name defaults to the construct id .*set appName to a short label/],
  ['app description', () => new amplify.App(stack, 'B', { description: long(1001) }), /^Amplify only shows the description in the console: .*README/],
  ['environment variable name', () => app.addEnvironment(long(256), 'v'), /^Name the variable as your build reads it \(process\.env\.NAME/],
  ['environment variable value', () => app.addEnvironment('BIG', long(5501)), /^Keep large values .* SSM Parameter Store/],
  ['build spec', () => new amplify.App(stack, 'C', { buildSpec: codebuild.BuildSpec.fromObjectToYaml({ version: 1, env: { variables: { A: long(26000) } } }) }),
    /^Leave the build spec out of the stack and commit it to the repository root as amplify\.yml/],
  ['custom rule', () => app.addCustomRule(new amplify.CustomRule({ source: long(2049), target: '/' })), /^Match many paths with one wildcard \(\/docs\/<\*>\)/],
  ['custom headers', () => {
    app.addCustomHeader({ pattern: '**', headers: { 'Content-Security-Policy': long(25001) } });
    stack.resolve((app.node.defaultChild as CfnApp).customHeaders);
  }, /^Merge patterns that share headers/],
  ['auto-branch patterns', () => new amplify.App(stack, 'D', { autoBranchCreation: { patterns: [long(2049)] } }), /^Patterns are globs matched against Git branch names/],
  ['auto-branch PR environment', () => new amplify.App(stack, 'E', { autoBranchCreation: { pullRequestEnvironmentName: long(21) } }),
    /^Give the name of an existing Gen 1 backend environment as `amplify env list` prints it/],
  ['auto-branch framework', () => new amplify.App(stack, 'F', { autoBranchCreation: { framework: long(256) } }), /^Use the framework name as the Amplify console lists it/],
  ['branchName', () => app.addBranch('b', { branchName: long(256) }), /^The name defaults to the construct id: set branchName to the Git branch as `git branch --show-current`/],
  ['branch description', () => app.addBranch('c', { description: long(1001) }), /^Amplify only shows the description/],
  ['branch framework', () => app.addBranch('d', { framework: long(256) }), /^Use the framework name/],
  ['branch PR environment', () => app.addBranch('e', { pullRequestPreview: true, pullRequestEnvironmentName: long(21) }), /^Give the name of an existing Gen 1 backend environment/],
  ['displayName', () => app.addBranch('f', { displayName: long(256) }), /^The display name only labels the branch in the Amplify console/],
  ['imported branchName', () => amplify.Branch.fromBranchAttributes(stack, 'G', { app, branchName: '' }), /^Pass the name of the Git branch as Amplify shows it/],
  ['build reason', () => app.addBranch('h').startBuild('Build', { reason: long(256) }), /^The reason only labels the job in the Amplify console: give a ticket or commit id/],
  ['domainName', () => app.addDomain('i', { domainName: `${long(61)}.com` }), /^Pass the domain you own as Route 53 or your registrar shows it/],
  ['imported domainName', () => amplify.Domain.fromDomainAttributes(stack, 'J', { app, domainName: `${long(61)}.com` }), /^Pass the domain as the app's Custom domains list shows it/],
  ['auto sub-domain patterns', () => app.addDomain('example.com', { enableAutoSubdomain: true, autoSubdomainCreationPatterns: [long(2049)] }),
    /^Patterns are globs matched against Git branch names/],
  ['sub-domain prefix', () => app.addDomain('example.org').mapSubDomain(app.addBranch('k'), long(256)), /^The prefix defaults to the branch name: pass a short one explicitly/],
  ['webhook description', () => app.addWebhook('L', { branch: app.addBranch('l'), description: long(1001) }), /^Amplify only shows the description/],
  ['backendEnvironmentName', () => app.addBackendEnvironment('M', { backendEnvironmentName: long(256) }), /^Name the environment after its stage/],
  ['stackName', () => app.addBackendEnvironment('N', { backendEnvironmentName: 'n', stackName: long(256) }),
    /^Pass the name of the backend's CloudFormation stack as `amplify env get --name <env>` prints it/],
  ['imported backendEnvironmentName', () => amplify.BackendEnvironment.fromBackendEnvironmentAttributes(stack, 'O', { app, backendEnvironmentName: '' }),
    /^Pass the name as `amplify env list` \(the Gen 1 CLI\) prints it/],
  ['imported appId', () => amplify.App.fromAppId(stack, 'P', 'not an id'), /^Pass the id the Amplify console shows under App settings > General/],
];

describe('fix texts', () => {
  test.each(CASES)('%s: the fix says what to do', (_name, fn, expected) => {
    expect(fixOf(messageOf(fn))).toMatch(expected);
  });

  test.each(CASES)('%s: the fix never restates the bound', (_name, fn) => {
    const fix = fixOf(messageOf(fn));
    expect(fix).not.toMatch(/\b\d+ (to \d+ )?characters\b|at most \d+|\b1 to \d+\b/);
  });
});
