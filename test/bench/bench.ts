/**
 * Benchmark: for each construct family and N = 1, 10, 100 instances, the synth time (construct and
 * synthesize) and template size, beside the same resources as raw L1s measured in the same run. Each of
 * BENCH_RUNS repetitions synthesizes both sides back to back; a ratio is reported as the median of the
 * repetitions' ratios with their range. Writes bench.out/bench.md and prints it. `BENCH_FILTER` picks families by name.
 *
 * Both sides synthesize under a new app's recommended feature flags with aws-cdk-lib's built-in CloudFormation
 * validator off: it runs on every `app.synth()` by default and costs both sides the same time, which would pull
 * every ratio towards 1 and hide our own overhead.
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { BenchFamily, FAMILIES } from './families';
import { DOMAIN_WITH_RECORDS, ScaleFamily, SCALE_FAMILIES } from './scale';
import { footprintOf } from '../kit';
import { deployLoad, DeployLoad } from '../kit/limits';
import { ROOT } from '../tools/cdk-cli';
import { exampleStack } from '../tools/readme-blocks';

const SIZES = [1, 10, 100];
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
/** Measures only the families whose name contains this text (e.g. `BENCH_FILTER=amplify`). */
const SELECTED = FAMILIES.filter(f => f.name.toLowerCase().includes((process.env.BENCH_FILTER ?? '').toLowerCase()));
const TARGET_SYNTH_RATIO = 1.2;
/**
 * A custom-resource instance brings the resource and, unless it shares one, its kit role, as `cdk synth` writes
 * them (indented): 150 instances must leave most of CloudFormation's 1 MB to the rest of the stack. A family may
 * allow more (`BenchFamily.maxBytesPerInstance`: a connection wait brings the connection and its own role).
 */
const TARGET_BYTES_PER_INSTANCE = 1536;
// Each router and each family's bundle it loads (the AWS SDK stays external).
const TARGET_BUNDLE_BYTES = 50 * 1024;

/** The app of every measurement: a new app's feature flags, the built-in CloudFormation validator off. */
function benchApp(): App {
  return new App({
    builtinCloudFormationValidation: false,
    context: { ...cxapi.CURRENTLY_RECOMMENDED_FLAGS, 'aws:cdk:disable-creation-stack-traces': true },
  });
}

interface Sample {
  readonly ms: number;
  readonly bytes: number;
  readonly functions: number;
}

function synthOnce(add: (stack: Stack, i: number) => void, n: number): Sample {
  const started = performance.now();
  const app = benchApp();
  const stack = new Stack(app, 'Bench', { env: { account: '123456789012', region: 'us-east-1' } });
  for (let i = 0; i < n; i++) add(stack, i);
  const assembly = app.synth();
  const ms = performance.now() - started;
  const text = fs.readFileSync(path.join(assembly.directory, stack.templateFile), 'utf8');
  const resources = Object.values<any>(JSON.parse(text).Resources ?? {});
  fs.rmSync(assembly.directory, { recursive: true, force: true });
  return { ms, bytes: Buffer.byteLength(text), functions: resources.filter(r => r.Type === 'AWS::Lambda::Function').length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A median with the range of the values it is the median of. */
interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

function spread(values: number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

const showSpread = (s: Spread, digits: number, unit = '') =>
  `${s.median.toFixed(digits)}${unit} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;

interface Row {
  readonly n: number;
  readonly ours: Sample;
  readonly raw: Sample;
  /** Ours over raw, one value per repetition (both sides synthesized back to back). */
  readonly ratio: Spread;
}

function measure(family: BenchFamily): Row[] {
  synthOnce(family.ours, 1); // warm-up: module loading and JIT
  synthOnce(family.raw, 1);
  const max = family.maxInstances ?? Infinity;
  const sizes = [...SIZES.filter(n => n < max), ...(max < Infinity && max <= SIZES[SIZES.length - 1] ? [max] : [])];
  return sizes.map(n => {
    const ours: Sample[] = [];
    const raw: Sample[] = [];
    for (let r = 0; r < RUNS; r++) { // interleaved, so drift hits both sides alike
      ours.push(synthOnce(family.ours, n));
      raw.push(synthOnce(family.raw, n));
    }
    const pick = (s: Sample[]): Sample => ({ ms: median(s.map(x => x.ms)), bytes: s[0].bytes, functions: s[0].functions });
    return { n, ours: pick(ours), raw: pick(raw), ratio: spread(ours.map((o, r) => o.ms / raw[r].ms)) };
  });
}

/** Sizes of the handler bundles projen builds into assets/: each function's index.js and the family bundles beside it. */
export function bundleSizes(dir = path.join(ROOT, 'assets')): Array<{ bundle: string; bytes: number }> {
  if (!fs.existsSync(dir)) return [];
  const out: Array<{ bundle: string; bytes: number }> = [];
  const walk = (sub: string) => {
    for (const e of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, e.name);
      const bundle = e.name === 'index.js' ? path.dirname(rel) : rel.slice(0, -3);
      if (e.isDirectory()) walk(rel);
      else if (e.name.endsWith('.js')) out.push({ bundle, bytes: fs.statSync(path.join(dir, rel)).size });
    }
  };
  walk('');
  return out.sort((a, b) => a.bundle.localeCompare(b.bundle));
}

const verdict = (ok: boolean) => (ok ? 'ok' : '**over target**');

/** N instances of a scale family in one stack: its deploy load, or the synth error. */
function scaleLoad(family: ScaleFamily, n: number): DeployLoad | Error {
  const app = benchApp();
  const stack = new Stack(app, 'Scale', { env: { account: '123456789012', region: 'us-east-1' } });
  try {
    for (let i = 0; i < n; i++) family.add(stack, i);
    const assembly = app.synth();
    const text = fs.readFileSync(path.join(assembly.directory, stack.templateFile), 'utf8');
    fs.rmSync(assembly.directory, { recursive: true, force: true });
    return deployLoad(text);
  } catch (e) {
    return e as Error;
  }
}

const deploys = (load: DeployLoad | Error) => !(load instanceof Error) && load.problems.length === 0;

/** The most instances of a family one stack deploys (binary search up to `max`), and what stops one more. */
function ceiling(family: ScaleFamily, max = 600): { n: number; stop: string } {
  let lo = 0;
  let hi = max + 1;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (deploys(scaleLoad(family, mid))) lo = mid; else hi = mid;
  }
  if (hi > max) return { n: lo, stop: `none up to ${max}` };
  const next = scaleLoad(family, hi);
  const stop = next instanceof Error ? (/CloudFormation allows (\d+)/.exec(next.message) ? 'stack resources (synth error from cdk-devtools)' : next.message.slice(0, 80))
    : next.problems[0];
  return { n: lo, stop };
}

/** Per-family ceilings, bytes per instance and the largest role policy at N = 150, and the README example stack's footprint. */
function scaleSection(targets: string[]): string[] {
  const lines = ['', '## Scale: custom-resource families in one stack', '',
    'Each instance touches its own connection, branch, package or domain, so no two share permissions. A ceiling is the most '
    + 'instances one stack deploys within CloudFormation\'s 500 resources and 1 MB and IAM\'s 10,240 characters of inline policy '
    + 'and 10 managed policies per role (intrinsics resolved to values as long as real ones).', '',
    '| family | ceiling per stack | what stops one more | bytes per instance | resources at N=150 | template bytes at N=150 | largest role policy at N=150 |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: |'];
  for (const family of [...SCALE_FAMILIES, DOMAIN_WITH_RECORDS]) {
    const one = scaleLoad(family, 1);
    const at150 = scaleLoad(family, 150);
    const top = ceiling(family);
    const perInstance = !(one instanceof Error) && !(at150 instanceof Error) ? ((at150.templateBytes - one.templateBytes) / 149).toFixed(0) : 'n/a';
    const cells = at150 instanceof Error ? ['synth fails', 'n/a', 'n/a']
      : [String(at150.resources), String(at150.templateBytes), String(Math.max(...at150.roles.map(r => r.inlineChars)))];
    lines.push(`| ${family.name} | ${top.n} | ${top.stop} | ${perInstance} | ${cells.join(' | ')} |`);
    if (family !== DOMAIN_WITH_RECORDS) {
      targets.push(`| ${family.name} | instances one stack deploys | ${top.n} | >= 150 | ${verdict(top.n >= 150)} |`);
    }
  }
  const stack = exampleStack();
  const readme = Template.fromStack(stack);
  // The custom-resource machinery is the provider's; the codepipeline README also runs constructs of its own
  // (approval gates, a job worker, the functions they call), reported beside it.
  const provider = stack.node.findChild('cdk-devtools.Provider').node.findAll().filter(c => CfnResource.isCfnResource(c)) as CfnResource[];
  const footprint = {
    functions: provider.filter(r => r.cfnResourceType === 'AWS::Lambda::Function').length,
    stateMachines: provider.filter(r => r.cfnResourceType === 'AWS::StepFunctions::StateMachine').length,
  };
  const all = footprintOf(readme);
  const types = new Set(Object.values<any>(readme.toJSON().Resources).map(r => r.Type).filter((t: string) => t.startsWith('Custom::CdkDevtools')));
  lines.push('', `README example stack (every README's examples in one stack): ${types.size} custom-resource types served by `
    + `${footprint.functions} Lambda functions and ${footprint.stateMachines} state machine; the stack has ${all.functions} functions and `
    + `${all.stateMachines} state machines in all, with the codepipeline README's approval gates and job worker.`);
  targets.push(`| README example stack | custom-resource Lambda functions / state machines | ${footprint.functions} / ${footprint.stateMachines} | <= 6 / <= 1 `
    + `| ${verdict(footprint.functions <= 6 && footprint.stateMachines <= 1)} |`);
  return lines;
}

function main(): void {
  const lines: string[] = [
    '# cdk-devtools benchmark',
    '',
    `Node ${process.version}, ${RUNS} repetitions per cell, families: ${SELECTED.length}.`,
    'Synth time is constructing the app plus `app.synth()` under a new app\'s recommended feature flags, with aws-cdk-lib\'s '
      + 'built-in CloudFormation validator **off** on both sides (it would add the same time to both and pull every ratio '
      + 'towards 1). ms are medians; a ratio is the median of the repetitions\' ratios (ours over raw, synthesized back to '
      + 'back) with their range. Bytes are the stack template as `cdk synth` writes it.',
    '',
    '| family | N | ours ms | raw L1 ms | ratio (min–max) | ours bytes | raw bytes | ours Lambda functions |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const targets: string[] = [];
  for (const family of SELECTED) {
    const rows = measure(family);
    for (const r of rows) {
      lines.push(`| ${family.name} | ${r.n} | ${r.ours.ms.toFixed(1)} | ${r.raw.ms.toFixed(1)} | ${showSpread(r.ratio, 2)} `
        + `| ${r.ours.bytes} | ${r.raw.bytes} | ${r.ours.functions} |`);
    }
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (family.rawIsEquivalent !== false) {
      targets.push(`| ${family.name} | synth time at N=${last.n} vs raw L1, median (min–max) | ${showSpread(last.ratio, 2, 'x')} `
        + `| <= ${TARGET_SYNTH_RATIO}x | ${verdict(last.ratio.median <= TARGET_SYNTH_RATIO)} |`);
    }
    if (family.customResource) {
      const perInstance = (last.ours.bytes - first.ours.bytes) / (last.n - first.n);
      const target = family.maxBytesPerInstance ?? TARGET_BYTES_PER_INSTANCE;
      targets.push(`| ${family.name} | template bytes per extra instance | ${perInstance.toFixed(0)} B | <= ${target} B `
        + `| ${verdict(perInstance <= target)} |`);
      const constant = first.ours.functions === last.ours.functions;
      targets.push(`| ${family.name} | Lambda functions at N=${first.n} and N=${last.n} | ${first.ours.functions} and ${last.ours.functions} `
        + `| constant | ${verdict(constant)} |`);
    }
  }
  const scale = process.env.BENCH_SCALE === '0' ? [] : scaleSection(targets);
  lines.push(...scale);
  for (const b of bundleSizes()) {
    targets.push(`| bundle ${b.bundle} | size | ${(b.bytes / 1024).toFixed(1)} KiB | <= 50 KiB | ${verdict(b.bytes <= TARGET_BUNDLE_BYTES)} |`);
  }
  lines.push('', '## Targets', '', '| subject | measure | value | target | verdict |', '| --- | --- | ---: | --- | --- |', ...targets, '');
  const outDir = path.join(ROOT, 'bench.out');
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'bench.md'), lines.join('\n'));
  console.log(lines.join('\n'));
}

if (require.main === module) main();
