/**
 * The \`ts\` blocks of README.md and src/<module>/README.md, read from the Markdown and completed with their
 * fixture by jsii-rosetta's own code, and a runner that runs them against the library's source and
 * synthesizes them. \`test/readme.test.ts\` checks every block with it; the benchmark measures the README's
 * example stack with it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import * as ts from 'typescript';
import * as library from '../../src';
import { applyNag, TEST_ENV, testApp, testStack } from '../kit';

/** The README files whose `ts` blocks are checked, with the jsii module each belongs to. */
const ROOT = path.join(__dirname, '..', '..');
export const READMES: Array<{ file: string; moduleFqn: string }> = [
  { file: 'README.md', moduleFqn: 'cdk-devtools' },
  ...fs.readdirSync(path.join(ROOT, 'src'), { withFileTypes: true })
    .filter(d => d.isDirectory() && fs.existsSync(path.join(ROOT, 'src', d.name, 'README.md')))
    .map(d => ({ file: `src/${d.name}/README.md`, moduleFqn: `cdk-devtools.${d.name}` })),
];

/** The directory a README block's app lives in (`__dirname`): the files its examples deploy. */
const ASSETS = path.join(__dirname, '..', 'readme-assets');

/**
 * The warnings (acknowledgement ids) the blocks of each README are expected to raise at synth.
 * A block may raise only its README's; the README's story must raise exactly these.
 */
export const EXPECTED_WARNINGS: Record<string, string[]> = {
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
export const NAG_CLEAN = ['README.md', 'src/amplify/README.md'];

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

export interface Block {
  /** `file:line` of the block's opening fence, as rosetta's `<module>-README-L<line>` names it. */
  readonly name: string;
  readonly file: string;
  readonly line: number;
  /** The block as the README shows it. */
  readonly visibleSource: string;
  /** The fixture-completed source (what rosetta compiles). */
  readonly source: string;
  /** Names the block declares (`declare const x: T;`): its inputs. */
  readonly declared: string[];
  /** Names the block defines at top level (`const x = ...`): what later blocks may declare. */
  readonly defined: string[];
  /** The transpiled CommonJS. */
  readonly js: string;
}

export function readBlocks(file: string, moduleFqn: string): Block[] {
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
    return { name: `${file}:${line}`, file, line, visibleSource: snippet.visibleSource, source, declared, defined, js };
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
export function isHoisted(statement: ts.Statement): boolean {
  return ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement) || ts.isExportDeclaration(statement)
    || ((ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some(m => m.kind === ts.SyntaxKind.DeclareKeyword)) ?? false);
}

export const BLOCKS = new Map(READMES.map(({ file, moduleFqn }) => [file, readBlocks(file, moduleFqn)]));

/** The blocks to run before `block` so that each name it declares has its value, in README order. */
export function providersOf(block: Block, blocks: Block[]): Block[] {
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
export function runAndSynth(blocks: Block[], options: { nag?: boolean } = {}): { warnings: string[]; stack: Stack } {
  const app: App = testApp();
  if (options.nag) applyNag(app);
  const stack = testStack(app, 'Readme');
  runBlocks(app, stack, blocks);
  return { warnings: synthesize(app, stack, blocks), stack };
}

/**
 * Every README's story in one stack: each README's blocks get a scope of their own (a construct named after
 * the README) as their \`stack\`, so ids that two READMEs both use do not clash. This is the README's example
 * stack the footprint is measured on.
 */
export function exampleStack(app: App = testApp()): Stack {
  const stack = testStack(app, 'Readme');
  for (const [file, blocks] of BLOCKS) {
    if (blocks.length === 0) continue;
    const scope = new Construct(stack, file.replace(/[^A-Za-z0-9]/g, '-'));
    // The blocks treat it as their stack; every construct they add lands in the one stack.
    runBlocks(app, scope as Stack, blocks);
  }
  synthesize(app, stack, [...BLOCKS.values()].flat());
  return stack;
}

/** Runs blocks in order with \`stack\` as their stack; a stack class a block defines is instantiated in the app. */
function runBlocks(app: App, stack: Stack, blocks: Block[]): void {
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
}

/** Synthesizes the app of blocks; an error annotation fails. Returns the warnings (acknowledgement ids). */
function synthesize(app: App, stack: Stack, blocks: Block[]): string[] {
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
  return [...new Set(warnings)].sort();
}

