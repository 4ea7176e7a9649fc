/**
 * The library as its users meet it: the packed tarball, outside this repository.
 *
 * 1. A fresh app made by the CDK CLI (`cdk init app --language typescript`, its `cdk.json` and feature flags
 *    untouched) installs the tarball and nothing else. The README's install example becomes its
 *    `lib/my-app-stack.ts`, as the README says; every other `ts` block of every README goes, in README order,
 *    into one more stack of the same app (each README's blocks in a block scope of their own, all on that one
 *    stack, so their construct ids and imports must compose). `cdk synth` of the CLI synthesizes both.
 * 2. A bare project with only the package's declared dependencies, its peers at their declared minimum versions,
 *    imports every submodule and synthesizes a stack; nothing may be printed.
 *
 * Needs the npm registry (the CLI and the app's dependencies). Run by `npx projen consumer`, which packs first;
 * `.ci/run` runs it. `CONSUMER_KEEP=1` keeps the work directory and prints where it is.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { ROOT } from './cdk-cli';
import { summarizeAssembly } from './platform-synth';
import { Block, BLOCKS, isHoisted } from './readme-blocks';

/** The CLI a user runs (`latest` is a broken 3.0.0). */
const CDK_CLI = 'aws-cdk@^2';
/** The files the README examples deploy, which the READMEs tell the user to put beside the stack file. */
const README_ASSETS = path.join(ROOT, 'test', 'readme-assets');
/** The stack class of the README's install example, as `cdk init` names it in an app directory `my-app`. */
const INSTALL_STACK = 'MyAppStack';
const EXAMPLES_STACK = 'ReadmeExamplesStack';

interface Ran {
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

function run(command: string, args: string[], cwd: string): Ran {
  const started = Date.now();
  const child = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', npm_config_yes: 'true', npm_config_audit: 'false', npm_config_fund: 'false' },
  });
  const seconds = (Date.now() - started) / 1000;
  if (child.status !== 0) {
    throw new Error(`\`${command} ${args.join(' ')}\` in ${cwd} failed (exit ${child.status ?? child.signal}):\n${child.stdout}\n${child.stderr}`);
  }
  return { stdout: child.stdout, stderr: child.stderr, seconds };
}

/** One import binding: what local name a block gives to what export of which module. */
interface Binding {
  readonly module: string;
  /** `*` for a namespace import, `default`, or the export's name. */
  readonly imported: string;
  readonly from: string;
}

/** The stack files a user would write from the READMEs: the install example and every other block. */
export function composeReadmes(readmes: ReadonlyMap<string, Block[]>): { installStack: string; examplesStack: string } {
  const bindings = new Map<string, Binding>();
  const clashes: string[] = [];
  const bind = (local: string, binding: Binding) => {
    const known = bindings.get(local);
    if (!known) {bindings.set(local, binding);} else if (known.module !== binding.module || known.imported !== binding.imported) {
      clashes.push(`\`${local}\` is ${describe(known)} in ${known.from} but ${describe(binding)} in ${binding.from}`);
    }
  };
  bind('Stack', { module: 'aws-cdk-lib', imported: 'Stack', from: 'the examples stack' });
  bind('StackProps', { module: 'aws-cdk-lib', imported: 'StackProps', from: 'the examples stack' });
  bind('Construct', { module: 'constructs', imported: 'Construct', from: 'the examples stack' });

  let installStack: string | undefined;
  const scopes: string[] = [];
  for (const [file, blocks] of readmes) {
    const statements: string[] = [];
    for (const block of blocks) {
      if (block.defined.includes(INSTALL_STACK)) {
        installStack = block.visibleSource;
        continue;
      }
      const source = ts.createSourceFile(`${block.name}.ts`, block.visibleSource, ts.ScriptTarget.Latest, true);
      for (const statement of source.statements) {
        if (ts.isImportDeclaration(statement)) {
          const module = (statement.moduleSpecifier as ts.StringLiteral).text;
          const clause = statement.importClause;
          if (clause?.name) bind(clause.name.text, { module, imported: 'default', from: block.name });
          const named = clause?.namedBindings;
          if (named && ts.isNamespaceImport(named)) bind(named.name.text, { module, imported: '*', from: block.name });
          if (named && ts.isNamedImports(named)) {
            for (const element of named.elements) {
              bind(element.name.text, { module, imported: (element.propertyName ?? element.name).text, from: block.name });
            }
          }
        } else if (!isHoisted(statement)) {
          // A block's `declare const` lines name the stack or what an earlier block of its README defines: in
          // the README's scope below, both are in scope already.
          statements.push(statement.getFullText(source).replace(/^\n+/, ''));
        }
      }
    }
    if (statements.length > 0) scopes.push(`    // ${file}\n    {\n${indent(statements.join('\n'), 6)}\n    }`);
  }
  if (clashes.length > 0) {
    throw new Error(`the README blocks do not compose in one app; their imports clash:\n  ${clashes.join('\n  ')}`);
  }
  if (!installStack) throw new Error(`no README block defines the install example's \`${INSTALL_STACK}\``);

  const modules = [...new Set([...bindings.values()].map(b => b.module))].sort();
  const imports = modules.flatMap(module => {
    const locals = [...bindings].filter(([, b]) => b.module === module).sort(([a], [b]) => a.localeCompare(b));
    const named = locals.filter(([, b]) => b.imported !== '*' && b.imported !== 'default')
      .map(([local, b]) => (b.imported === local ? local : `${b.imported} as ${local}`));
    return [
      ...locals.filter(([, b]) => b.imported === '*').map(([local]) => `import * as ${local} from '${module}';`),
      ...locals.filter(([, b]) => b.imported === 'default').map(([local]) => `import ${local} from '${module}';`),
      ...(named.length > 0 ? [`import { ${named.join(', ')} } from '${module}';`] : []),
    ];
  });

  const examplesStack = [
    '// Every `ts` block of every README of cdk-devtools except the install example, in README order, on one stack.',
    ...imports,
    '',
    `export class ${EXAMPLES_STACK} extends Stack {`,
    '  constructor(scope: Construct, id: string, props?: StackProps) {',
    '    super(scope, id, props);',
    '    const stack: Stack = this;',
    scopes.join('\n\n'),
    '  }',
    '}',
    '',
  ].join('\n');
  return { installStack, examplesStack };
}

function describe(binding: Binding): string {
  const what = binding.imported === '*' ? 'the module' : binding.imported === 'default' ? 'the default export of' : `\`${binding.imported}\` of`;
  return `${what} '${binding.module}'`;
}

function indent(text: string, spaces: number): string {
  return text.split('\n').map(line => (line.trim() === '' ? '' : ' '.repeat(spaces) + line)).join('\n');
}

/** The fresh `cdk init` app with every README example, synthesized by the CLI. */
function initApp(work: string, tarball: string): void {
  const app = path.join(work, 'my-app');
  fs.mkdirSync(app);
  const init = run('npx', ['--yes', CDK_CLI, 'init', 'app', '--language', 'typescript'], app);
  console.log(`cdk init app --language typescript: ${init.seconds.toFixed(1)} s`);
  const installed = run('npm', ['install', tarball], app);
  console.log(`npm install <tarball>: ${installed.seconds.toFixed(1)} s`);

  const { installStack, examplesStack } = composeReadmes(BLOCKS);
  fs.writeFileSync(path.join(app, 'lib', 'my-app-stack.ts'), installStack);
  fs.writeFileSync(path.join(app, 'lib', 'readme-examples-stack.ts'), examplesStack);
  fs.cpSync(README_ASSETS, path.join(app, 'lib'), { recursive: true });
  const bin = path.join(app, 'bin', 'my-app.ts');
  fs.writeFileSync(bin, `${fs.readFileSync(bin, 'utf8')}\n`
    + `import { ${EXAMPLES_STACK} } from '../lib/readme-examples-stack';\nnew ${EXAMPLES_STACK}(app, 'ReadmeExamples');\n`);

  const versions = JSON.parse(run('npm', ['ls', '--depth=0', '--json'], app).stdout).dependencies;
  console.log(`the app: aws-cdk ${versions['aws-cdk'].version}, aws-cdk-lib ${versions['aws-cdk-lib'].version}, `
    + `typescript ${versions.typescript.version}; cdk.json as cdk init wrote it (${flagCount(app)} feature flags)`);
  const blockCount = [...BLOCKS.values()].reduce((n, blocks) => n + blocks.length, 0);
  console.log(`README blocks: ${blockCount} from ${[...BLOCKS.values()].filter(b => b.length > 0).length} READMEs `
    + '(the install example in lib/my-app-stack.ts, the others in lib/readme-examples-stack.ts)');

  const synth = run('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--ci'], app);
  // The CLI prints each warning with the id to acknowledge it by.
  const warnings = [...`${synth.stdout}\n${synth.stderr}`.matchAll(/Acknowledge with 'Annotation::([^']+)'/g)].map(m => m[1]);
  console.log(`cdk synth: ${synth.seconds.toFixed(1)} s, ${warnings.length} warnings`);
  for (const stack of summarizeAssembly(path.join(app, 'cdk.out'))) {
    console.log(`  ${stack.stack}: ${stack.resources} resources, ${(stack.bytes / 1024).toFixed(1)} KiB`);
  }
  for (const warning of warnings) console.log(`  warning: ${warning}`);
}

function flagCount(app: string): number {
  return Object.keys(JSON.parse(fs.readFileSync(path.join(app, 'cdk.json'), 'utf8')).context ?? {}).length;
}

/** A project with the package and its peers at their minimum versions only: it imports and synthesizes. */
function bareProject(work: string, tarball: string): void {
  const dir = path.join(work, 'bare');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bare', version: '1.0.0', private: true }));
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const peers = Object.entries<string>(manifest.peerDependencies).map(([name, range]) => `${name}@${range.replace(/^[\^~]/, '')}`);
  const installed = run('npm', ['install', tarball, ...peers], dir);
  console.log(`bare project: npm install <tarball> ${peers.join(' ')}: ${installed.seconds.toFixed(1)} s`);
  const script = `
    const { App, Stack } = require('aws-cdk-lib');
    const devtools = require('cdk-devtools');
    const modules = ['amplify', 'codeartifact', 'codecatalyst', 'codeconnections', 'codepipeline'];
    for (const m of modules) if (Object.keys(devtools[m] ?? {}).length === 0) throw new Error('submodule ' + m + ' is empty');
    const app = new App();
    const stack = new Stack(app, 'Bare');
    new devtools.codeartifact.Domain(stack, 'Domain', { domainName: 'bare' });
    new devtools.codeconnections.Connection(stack, 'Connection', { connectionName: 'bare', providerType: devtools.codeconnections.ProviderType.GITHUB });
    const template = app.synth().getStackByName('Bare').template;
    console.log(modules.map(m => m + ' ' + Object.keys(devtools[m]).length).join(', ') + '; ' + Object.keys(template.Resources).length + ' resources');
  `;
  const imported = run('node', ['-e', script], dir);
  if (imported.stderr !== '') throw new Error(`importing cdk-devtools printed:\n${imported.stderr}`);
  console.log(`bare project: exports ${imported.stdout.trim()} (${imported.seconds.toFixed(1)} s, nothing printed)`);
}

function main(): void {
  const tarball = path.join(ROOT, 'dist', 'js', 'cdk-devtools@0.0.0.jsii.tgz');
  if (!fs.existsSync(tarball)) throw new Error(`${tarball} is missing: run \`npx projen pack\` first`);
  const started = Date.now();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-devtools-consumer-'));
  try {
    console.log(`consumer test: ${path.relative(ROOT, tarball)} outside the repository`);
    initApp(work, tarball);
    bareProject(work, tarball);
    console.log(`consumer test passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    if (process.env.CONSUMER_KEEP) console.log(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(`consumer test failed: ${(e as Error).message}`);
    process.exit(1);
  }
}
