/**
 * Every `ts` block of README.md and src/<module>/README.md runs and synthesizes, read from the Markdown.
 *
 * `npx projen rosetta:extract` compiles the same blocks (jsii-rosetta, strict); this test runs them. It
 * extracts the blocks and completes them with their fixture (rosetta/*.ts-fixture) using jsii-rosetta's
 * own code, so it runs exactly the source rosetta type-checks. Then it transpiles that source, runs it
 * against the library's source, and synthesizes the app with CloudFormation's validator (strict test app).
 *
 * A block's `declare const` lines are its inputs: `stack` is a stack of a strict test app; any other name
 * is what an earlier block of the same README defines under that name (that block runs first, on the
 * same stack). Each README also runs as one story: all its blocks in order on one stack, so blocks that
 * clash (a variable or construct id defined twice) fail.
 */
import { CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { footprintOf } from './kit';
import { BLOCKS, EXPECTED_WARNINGS, exampleStack, NAG_CLEAN, providersOf, runAndSynth } from './tools/readme-blocks';

// Nothing a block does may print: expected warnings are annotations, asserted below.
let consoleSpies: jest.SpyInstance[] = [];
beforeEach(() => {
  consoleSpies = (['log', 'info', 'warn', 'error'] as const).map(level => jest.spyOn(console, level).mockImplementation(() => {}));
});
afterEach(() => {
  const printed = consoleSpies.flatMap(spy => spy.mock.calls.map(call => call.join(' ')));
  consoleSpies.forEach(spy => spy.mockRestore());
  expect(printed).toEqual([]);
});

test('every README with ts blocks is found', () => {
  expect([...BLOCKS.keys()]).toEqual(expect.arrayContaining([
    'README.md', 'src/amplify/README.md', 'src/codeartifact/README.md', 'src/codeconnections/README.md',
  ]));
  for (const file of ['README.md', 'src/amplify/README.md', 'src/codeartifact/README.md', 'src/codeconnections/README.md']) {
    expect(BLOCKS.get(file)!.length).toBeGreaterThan(0);
  }
});

describe.each([...BLOCKS.entries()].filter(([, blocks]) => blocks.length > 0))('%s', (file, blocks) => {
  test.each(blocks.map(b => [b.name, b] as const))('%s runs and synthesizes', (_name, block) => {
    const { warnings } = runAndSynth([...providersOf(block, blocks), block]);
    for (const warning of warnings) {
      expect(EXPECTED_WARNINGS[file] ?? []).toContain(warning);
    }
  });

  test(`${file}: all blocks in order on one stack (the README's story) run and synthesize`, () => {
    const definedTwice = blocks.flatMap(b => b.defined.map(name => ({ name, block: b })))
      .filter(({ name, block }) => blocks.some(other => other.line < block.line && other.defined.includes(name)))
      .map(({ name, block }) => `${block.name} defines \`${name}\` again`);
    expect(definedTwice).toEqual([]);
    const { warnings } = runAndSynth(blocks, { nag: NAG_CLEAN.includes(file) });
    expect(warnings.filter(w => !w.startsWith('AwsSolutions-'))).toEqual([...(EXPECTED_WARNINGS[file] ?? [])].sort());
  });
});

/**
 * src/codepipeline/README.md runs constructs of its own at run time, not custom resources: two ApprovalGates (an
 * evaluator function and a state machine each), a decider function, a JobWorker's dispatcher and the function it runs,
 * and the stack's freeze-window function. src/amplify/README.md adds an AccessLogExporter's function,
 * src/codeconnections/README.md a SyncHealth's watcher.
 */
const README_FUNCTIONS_OUTSIDE_PROVIDER = 8;
const README_STATE_MACHINES_OUTSIDE_PROVIDER = 2;

test('no two READMEs define a construct of one id on their stack: the consumer test composes them all in one stack', () => {
  const stack = exampleStack();
  const owners = new Map<string, string[]>();
  // exampleStack gives each README's blocks a scope of their own, named after the README.
  for (const scope of stack.node.children.filter(c => /README-md$/.test(c.node.id))) {
    for (const child of scope.node.children) owners.set(child.node.id, [...owners.get(child.node.id) ?? [], scope.node.id]);
  }
  expect([...owners.entries()].filter(([, readmes]) => readmes.length > 1)).toEqual([]);
});

test('the README\'s example stack (every README in one stack) serves all its custom resources with one provider', () => {
  const stack = exampleStack();
  const template = Template.fromStack(stack);
  const customResources = Object.values<any>(template.toJSON().Resources).filter(r => r.Type.startsWith('Custom::CdkDevtools'));
  expect(new Set(customResources.map(r => r.Type)).size).toBeGreaterThanOrEqual(6);
  expect(new Set(customResources.map(r => JSON.stringify(r.Properties.ServiceToken))).size).toBe(1);
  // The provider's machinery; constructs that run their own functions and state machines (the codepipeline
  // ApprovalGate, the Lambda functions the READMEs define) add theirs outside it.
  const provider = stack.node.findChild('cdk-devtools.Provider');
  const inProvider = provider.node.findAll().filter(c => CfnResource.isCfnResource(c)).map(c => (c as CfnResource).cfnResourceType);
  expect({
    functions: inProvider.filter(t => t === 'AWS::Lambda::Function').length,
    stateMachines: inProvider.filter(t => t === 'AWS::StepFunctions::StateMachine').length,
  }).toEqual({ functions: 5, stateMachines: 1 });
  expect(footprintOf(template)).toEqual({
    functions: 5 + README_FUNCTIONS_OUTSIDE_PROVIDER,
    stateMachines: 1 + README_STATE_MACHINES_OUTSIDE_PROVIDER,
  });
});
