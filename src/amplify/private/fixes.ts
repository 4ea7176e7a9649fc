/**
 * What to do about a value Amplify refuses, appended to the messages of `validateApiValue` (which already states the
 * value and the bound). Each says where the value comes from or what to use instead, never the bound again.
 */
export const FIX = {
  description: 'Amplify only shows the description in the console: keep a one-line summary there and put longer notes in the repository\'s README',
  framework: 'Use the framework name as the Amplify console lists it for a branch, e.g. \'React\', \'Next.js - SSR\' or \'Nuxt\'',
  pullRequestEnvironmentName: 'Give the name of an existing Gen 1 backend environment as `amplify env list` prints it, e.g. \'dev\'',
  branchPatterns: 'Patterns are globs matched against Git branch names, e.g. \'feature/*\' or \'pr*\': use one list item per pattern '
    + 'rather than one long alternation',
} as const;
