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
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import * as ts from 'typescript';
import * as library from '../src';
import { applyNag, TEST_ENV, testApp, testStack } from './kit';

/** The README files whose `ts` blocks are checked, with the jsii module each belongs to. */
const ROOT = path.join(__dirname, '..');
const READMES: Array<{ file: string; moduleFqn: string }> = [
  { file: 'README.md', moduleFqn: 'cdk-devtools' },
  ...fs.readdirSync(path.join(ROOT, 'src'), { withFileTypes: true })
    .filter(d => d.isDirectory() && fs.existsSync(path.join(ROOT, 'src', d.name, 'README.md')))
    .map(d => ({ file: `src/${d.name}/README.md`, moduleFqn: `cdk-devtools.${d.name}` })),
];

/** The directory a README block's app lives in (`__dirname`): the files its examples deploy. */
const ASSETS = path.join(__dirname, 'readme-assets');

/**
 * The warnings (acknowledgement ids) the blocks of each README are expected to raise at synth.
 * A block may raise only its README's; the README's story must raise exactly these.
 */
const EXPECTED_WARNINGS: Record<string, string[]> = {
  // The repository of another account: its domain and repository policies are not this app's to change.
  'src/codeartifact/README.md': [
    'cdk-devtools:codeartifact:importedDomainPolicy',
    'cdk-devtools:codeartifact:importedRepositoryPolicy',
  ],
  // The host and its connection deploy PENDING (no waitForAvailability).
  'src/codeconnections/README.md': [
    'cdk-devtools:codeconnections:pendingHandshake',
    'cdk-devtools:codeconnections:pendingHostSetup',
  ],
};

/**
 * The READMEs whose story is cdk-nag clean (AwsSolutions): an unsuppressed finding fails their story test.
 * The others use aws-cdk-lib constructs (a CodeBuild project, a pipeline) that nag reports on their own.
 */
const NAG_CLEAN = ['README.md', 'src/amplify/README.md'];

// jsii-rosetta's Markdown extraction and fixture completion (not in its package exports, so loaded by path).
const ROSETTA_LIB = path.dirname(require.resolve('jsii-rosetta'));
interface RosettaSnippet {
  readonly visibleSource: string;
  readonly completeSource?: string;
  readonly location: { readonly field?: { readonly field: string; readonly line?: number } };
  readonly parameters?: Record<string, string>;
}
/* eslint-disable @typescript-eslint/no-require-imports */
const { extractTypescriptSnippetsFromMarkdown } = require(path.join(ROSETTA_LIB, 'markdown', 'extract-snippets')) as {
  extractTypescriptSnippetsFromMarkdown(markdown: string, location: unknown, strict: boolean): RosettaSnippet[];
};
const { fixturize } = require(path.join(ROSETTA_LIB, 'fixtures')) as { fixturize(snippet: RosettaSnippet): RosettaSnippet };
/* eslint-enable @typescript-eslint/no-require-imports */

interface Block {
  /** `file:line` of the block's opening fence, as rosetta's `<module>-README-L<line>` names it. */
  readonly name: string;
  readonly file: string;
  readonly line: number;
  /** The fixture-completed source (what rosetta compiles). */
  readonly source: string;
  /** Names the block declares (`declare const x: T;`): its inputs. */
  readonly declared: string[];
  /** Names the block defines at top level (`const x = ...`): what later blocks may declare. */
  readonly defined: string[];
  /** The transpiled CommonJS. */
  readonly js: string;
}

function readBlocks(file: string, moduleFqn: string): Block[] {
  const markdown = fs.readFileSync(path.join(ROOT, file), 'utf8');
  return extractTypescriptSnippetsFromMarkdown(markdown, { api: 'moduleReadme', moduleFqn }, true).map(snippet => {
    const line = snippet.location.field?.line ?? 0;
    const complete = fixturize({ ...snippet, parameters: { ...snippet.parameters, $directory: ROOT } });
    const source = complete.completeSource ?? complete.visibleSource;
    const declared: string[] = [];
    const defined: string[] = [];
    const sourceFile = ts.createSourceFile(`${file}:${line}.ts`, source, ts.ScriptTarget.Latest, true);
    for (const statement of sourceFile.statements) {
      // A class is defined like a variable (an install example defines the app's stack class).
      if (ts.isClassDeclaration(statement) && statement.name) defined.push(statement.name.text);
      if (!ts.isVariableStatement(statement)) continue;
      const isDeclare = statement.modifiers?.some(m => m.kind === ts.SyntaxKind.DeclareKeyword) ?? false;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) (isDeclare ? declared : defined).push(declaration.name.text);
      }
    }
    const marked = withLineMarks(source, snippet.visibleSource, line);
    const own = ts.createSourceFile('visible.ts', snippet.visibleSource, ts.ScriptTarget.Latest, true).statements.filter(st => !isHoisted(st));
    if (marked.marks !== own.length) {
      throw new Error(`${file}:${line}: the block's statements are not at the top level of its fixture `
        + `(${snippet.parameters?.fixture ?? 'default'}), so this test cannot run them; README blocks use fixture=readme`);
    }
    const js = ts.transpileModule(marked.source, {
      fileName: `${file.replace(/[/.]/g, '_')}_L${line}.ts`,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    return { name: `${file}:${line}`, file, line, source, declared, defined, js };
  });
}

/**
 * Puts `__readmeLine(<README line>);` before each top-level statement of the block (not the fixture's),
 * so that an error names the README line of the statement that threw.
 */
function withLineMarks(source: string, visibleSource: string, fenceLine: number): { source: string; marks: number } {
  const sourceFile = ts.createSourceFile('block.ts', source, ts.ScriptTarget.Latest, true);
  const marks: Array<{ pos: number; line: number }> = [];
  let searchFrom = 0;
  for (const statement of sourceFile.statements) {
    if (isHoisted(statement)) continue;
    const at = visibleSource.indexOf(statement.getText(sourceFile), searchFrom);
    if (at < 0) continue; // the fixture's own code
    searchFrom = at + statement.getText(sourceFile).length;
    marks.push({ pos: statement.getStart(sourceFile), line: fenceLine + visibleSource.slice(0, at).split('\n').length });
  }
  return {
    source: [...marks].reverse().reduce((text, { pos, line }) => `${text.slice(0, pos)}__readmeLine(${line}); ${text.slice(pos)}`, source),
    marks: marks.length,
  };
}

/** Imports, exports and `declare` statements: what rosetta hoists or the fixture adds, not statements that run. */
function isHoisted(statement: ts.Statement): boolean {
  return ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement) || ts.isExportDeclaration(statement)
    || ((ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some(m => m.kind === ts.SyntaxKind.DeclareKeyword)) ?? false);
}

const BLOCKS = new Map(READMES.map(({ file, moduleFqn }) => [file, readBlocks(file, moduleFqn)]));

/** The blocks to run before `block` so that each name it declares has its value, in README order. */
function providersOf(block: Block, blocks: Block[]): Block[] {
  const needed = new Set<Block>();
  const visit = (b: Block) => {
    for (const name of b.declared.filter(n => n !== 'stack')) {
      const provider = blocks.filter(p => p.line < b.line && p.defined.includes(name)).pop();
      if (!provider) {
        throw new Error(`${b.name}: the block declares \`${name}\`, but no earlier block of ${b.file} defines it; `
          + 'a block may declare `stack: Stack` or a name an earlier block of its README defines');
      }
      if (!needed.has(provider)) {
        needed.add(provider);
        visit(provider);
      }
    }
  };
  visit(block);
  return [...needed].sort((a, b) => a.line - b.line);
}

/**
 * Runs blocks in order on one stack of a strict test app and synthesizes it; an error annotation fails.
 * With `nag`, cdk-nag's AwsSolutions findings are error annotations too.
 */
function runAndSynth(blocks: Block[], options: { nag?: boolean } = {}): { warnings: string[]; stack: Stack } {
  const app: App = testApp();
  if (options.nag) applyNag(app);
  const stack = testStack(app, 'Readme');
  const scope: Record<string, unknown> = { stack };
  const requireInBlock = (id: string) => (id === 'cdk-devtools' ? library : require(id)); // eslint-disable-line @typescript-eslint/no-require-imports
  for (const block of blocks) {
    const run = new Function('require', 'exports', 'module', '__filename', '__dirname', '__readmeLine', ...block.declared,
      `${block.js}\nreturn { ${block.defined.join(', ')} };`);
    const exports = {};
    let line = block.line;
    let defined: Record<string, unknown>;
    try {
      defined = run(requireInBlock, exports, { exports }, path.join(ASSETS, 'app.ts'), ASSETS, (n: number) => { line = n; },
        ...block.declared.map(n => scope[n]));
    } catch (e) {
      throw new Error(`${block.file}:${line} (in the block at ${block.name}) throws: ${(e as Error).message}`);
    }
    Object.assign(scope, defined);
    // A stack class the block defines (as in a `cdk init` app's lib/) is instantiated, as the app's bin/ would.
    for (const [name, value] of Object.entries(defined)) {
      if (typeof value === 'function' && value.prototype instanceof Stack) {
        new (value as new (scope: App, id: string, props: StackProps) => Stack)(app, name, { env: TEST_ENV });
      }
    }
  }
  // A stack no block used would fail validation for being empty.
  if (stack.node.children.length === 0 && app.node.children.length > 1) app.node.tryRemoveChild(stack.node.id);
  const names = blocks.map(b => b.name).join(', ');
  let assembly: cxapi.CloudAssembly;
  try {
    assembly = app.synth();
  } catch (e) {
    throw new Error(`${names}: synth fails: ${(e as Error).message}`);
  }
  const messages = assembly.stacks.flatMap(artifact => artifact.messages);
  const errors = messages.filter(m => m.level === cxapi.SynthesisMessageLevel.ERROR).map(m => `${m.id}: ${m.entry.data}`);
  if (errors.length > 0) throw new Error(`${names}: synth reports errors:\n${errors.join('\n')}`);
  const warnings = messages.filter(m => m.level === cxapi.SynthesisMessageLevel.WARNING)
    .map(m => /\[ack: ([^\]]+)\]/.exec(String(m.entry.data))?.[1] ?? String(m.entry.data));
  return { warnings: [...new Set(warnings)].sort(), stack };
}

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
