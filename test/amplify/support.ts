/**
 * Shared by every amplify test file. Importing it registers an `afterAll` that synthesizes every app the
 * file built through `amplifyStack()` and fails when a template carries a secret in plain text.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Branch, JobSummary, Step } from '@aws-sdk/client-amplify';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as amplify from '../../src/amplify';
import { footprintOf, testApp, testStack } from '../kit';

/** Secret values the tests hand to constructs; none may ever appear in a template. */
export const CANARY_SECRETS = {
  gitHubToken: 'ghp_CanaryGitHubAccessToken0123456789',
  gitLabToken: 'glpat-CanaryGitLabOAuthToken',
  password: 'Canary-Basic-Auth-Password-42',
} as const;

const apps: App[] = [];

/** A strict test stack whose templates the secret scan covers. */
export function amplifyStack(region = 'us-east-1'): Stack {
  const app = testApp();
  apps.push(app);
  return testStack(app, 'TestStack', { env: { account: '123456789012', region } });
}

/** The fixture of the domain tests: an app `Site` with the branches `main` and `dev`, in a fresh stack. */
export interface TwoBranchSite {
  readonly stack: Stack;
  readonly app: amplify.App;
  readonly main: amplify.Branch;
  readonly dev: amplify.Branch;
}

export function twoBranchSite(): TwoBranchSite {
  const stack = amplifyStack();
  const app = new amplify.App(stack, 'Site');
  return { stack, app, main: app.addBranch('main'), dev: app.addBranch('dev') };
}

/** Adds an app built elsewhere (e.g. with two stacks) to the scan. */
export function scanApp(app: App): App {
  apps.push(app);
  return app;
}

/** The properties that carry secrets, by resource type, as paths into `Properties`. */
const SECRET_PATHS: Record<string, string[][]> = {
  'AWS::Amplify::App': [
    ['AccessToken'], ['OauthToken'], ['BasicAuthConfig', 'Password'], ['AutoBranchCreationConfig', 'BasicAuthConfig', 'Password'],
  ],
  'AWS::Amplify::Branch': [['BasicAuthConfig', 'Password']],
};

function isReference(value: unknown): boolean {
  if (typeof value === 'string') return value.startsWith('{{resolve:');
  if (value && typeof value === 'object') {
    const [fn] = Object.keys(value);
    if (fn === 'Ref' || fn === 'Fn::GetAtt') return true;
    if (fn === 'Fn::Join') {
      const parts = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
      return typeof parts[0] === 'string' && parts[0].startsWith('{{resolve:');
    }
  }
  return false;
}

/**
 * What is wrong with a set of templates: a canary secret anywhere in them, or a secret property
 * that is not a dynamic reference (or a reference to a NoEcho parameter or an attribute).
 */
export function secretProblems(templates: Record<string, any>, canaries: readonly string[] = Object.values(CANARY_SECRETS)): string[] {
  const problems: string[] = [];
  for (const [name, template] of Object.entries(templates)) {
    const text = JSON.stringify(template);
    for (const canary of canaries) {
      if (text.includes(canary)) problems.push(`${name}: contains the secret value ${canary.slice(0, 6)}...`);
    }
    for (const [logicalId, resource] of Object.entries<any>(template.Resources ?? {})) {
      for (const secretPath of SECRET_PATHS[resource.Type] ?? []) {
        const value = secretPath.reduce<any>((v, key) => v?.[key], resource.Properties);
        if (value !== undefined && !isReference(value)) {
          problems.push(`${name}: ${logicalId}.${secretPath.join('.')} is not a dynamic reference`);
        }
      }
    }
  }
  return problems;
}

/** Every template of a synthesized app, by file name (nested assemblies included). */
export function templatesOf(app: App): Record<string, any> {
  const out: Record<string, any> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.template.json')) out[path.relative(app.outdir, full)] = JSON.parse(fs.readFileSync(full, 'utf8'));
    }
  };
  walk(app.synth().directory);
  return out;
}

let scanned = 0;

/** How many templates this file's secret scan has read so far (for the report). */
export function templatesScanned(): number {
  return scanned;
}

afterAll(() => {
  const problems: string[] = [];
  for (const app of apps) {
    let templates: Record<string, any>;
    try {
      templates = templatesOf(app);
    } catch {
      continue; // a test that expected construction or synthesis to fail: it produced no template
    }
    scanned += Object.keys(templates).length;
    problems.push(...secretProblems(templates));
  }
  expect(problems).toEqual([]);
});

/**
 * The stack's custom resources run on the library's one provider (two routing functions, the framework's three,
 * one waiter state machine), and no policy but the kit roles' grants an Amplify or S3 action: the handlers' own
 * role may only assume the kit roles.
 */
export function expectOneProvider(template: Template): void {
  expect(footprintOf(template)).toEqual({ functions: 5, stateMachines: 1 });
  expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toMatch(/"(amplify|s3):/);
}

/** For jest's `toEqual`: the `Arn` of a resource whose logical id starts with `prefix`, followed by `suffix`, as the template renders it. */
export function arnOf(prefix: string, suffix?: string): object {
  if (suffix === undefined) return { 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^${prefix}`)), 'Arn'] };
  // A kit role's statement writes an ARN with a suffix as one Fn::Sub.
  const escaped = suffix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return { 'Fn::Sub': expect.stringMatching(new RegExp(`^\\$\\{${prefix}[A-Za-z0-9]*\\.Arn\\}${escaped}$`)) };
}

const T0 = new Date('2026-01-01T00:00:00Z');

/** A JobSummary as ListJobs, GetJob and StartJob return it: every required member, with `over` on top. */
export function jobSummary(over: Partial<JobSummary> & Pick<JobSummary, 'jobId' | 'status'>): JobSummary {
  return {
    jobArn: `arn:aws:amplify:us-east-1:123456789012:apps/d1a2b3c4d5e6f7/branches/main/jobs/${over.jobId}`,
    commitId: 'HEAD',
    commitMessage: 'deployed by CDK',
    commitTime: T0,
    startTime: T0,
    jobType: 'RELEASE',
    ...over,
  };
}

/** A step of a job, as GetJob returns it. */
export function jobStep(over: Partial<Step> & Pick<Step, 'stepName' | 'status'>): Step {
  return { startTime: T0, endTime: T0, ...over };
}

/** A branch as GetBranch and UpdateBranch return it: every required member, with `over` on top. */
export function sdkBranch(over: Partial<Branch> = {}): Branch {
  const branchName = over.branchName ?? 'main';
  return {
    branchArn: `arn:aws:amplify:us-east-1:123456789012:apps/d1a2b3c4d5e6f7/branches/${branchName}`,
    branchName,
    description: '',
    stage: 'PRODUCTION',
    displayName: branchName,
    enableNotification: false,
    createTime: T0,
    updateTime: T0,
    environmentVariables: {},
    enableAutoBuild: false,
    customDomains: [],
    framework: '',
    activeJobId: '',
    totalNumberOfJobs: '0',
    enableBasicAuth: false,
    ttl: '5',
    enablePullRequestPreview: false,
    ...over,
  };
}
