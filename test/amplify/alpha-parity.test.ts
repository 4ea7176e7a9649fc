/**
 * Side by side with @aws-cdk/aws-amplify-alpha: the same scenarios written with both libraries. Every property
 * path the alpha's template carries must be in ours, except the differences we make on purpose (listed here).
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  alphaCodeCommitScenario, alphaGitHubScenario, alphaMonorepoScenario, codeCommitScenario, gitHubScenario, monorepoScenario,
} from './scenarios';
import { amplifyStack } from './support';

/** `Type.Path.To.Property` for every property path of every resource ([] for list items), and `Type` per resource. */
export function propertyPaths(stack: Stack): Set<string> {
  const paths = new Set<string>();
  const walk = (prefix: string, value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach(item => walk(`${prefix}[]`, item));
    } else if (value && typeof value === 'object' && !Object.keys(value).some(k => k === 'Ref' || k.startsWith('Fn::'))) {
      for (const [key, child] of Object.entries(value)) walk(`${prefix}.${key}`, child);
    } else {
      paths.add(prefix);
    }
  };
  for (const resource of Object.values<any>(Template.fromStack(stack).toJSON().Resources)) {
    paths.add(resource.Type);
    walk(resource.Type, resource.Properties ?? {});
  }
  return paths;
}

function missingFromOurs(build: (s: Stack) => unknown, buildAlpha: (s: Stack) => void): string[] {
  const ours = amplifyStack();
  build(ours);
  const theirs = amplifyStack();
  buildAlpha(theirs);
  const our = propertyPaths(ours);
  return [...propertyPaths(theirs)].filter(p => !our.has(p)).sort();
}

/** What the alpha renders and we deliberately do not. */
const GITHUB_APP_TOKEN = 'AWS::Amplify::App.OauthToken'; // we connect GitHub through the GitHub App: AccessToken instead
const AUTO_SUBDOMAIN_WHEN_OFF = [ // the alpha sends patterns and a role even with auto sub-domains off; we send them only when on
  'AWS::Amplify::Domain.AutoSubDomainCreationPatterns[]',
  'AWS::Amplify::Domain.AutoSubDomainIAMRole',
];

describe('side by side with @aws-cdk/aws-amplify-alpha', () => {
  test('GitHub App app with two branches, a domain and a webhook', () => {
    expect(missingFromOurs(gitHubScenario, alphaGitHubScenario)).toEqual([GITHUB_APP_TOKEN, ...AUTO_SUBDOMAIN_WHEN_OFF].sort());
  });

  test('monorepo app', () => {
    expect(missingFromOurs(monorepoScenario, alphaMonorepoScenario)).toEqual([GITHUB_APP_TOKEN]);
  });

  test('CodeCommit app', () => {
    expect(missingFromOurs(codeCommitScenario, alphaCodeCommitScenario)).toEqual([]);
  });

  test('our GitHub scenario carries the GitHub App token and the webhook through our constructs', () => {
    const stack = amplifyStack();
    gitHubScenario(stack);
    const paths = propertyPaths(stack);
    expect(paths.has('AWS::Amplify::App.AccessToken')).toBe(true);
    expect(paths.has('AWS::Amplify::Webhook.BranchName')).toBe(true);
  });
});
