/**
 * Verifies (or refreshes, on purpose) the committed snapshots of the integ apps.
 *
 *   integ-snapshots.ts verify [filter]   synthesize each integ/**\/integ.*.ts with the CDK CLI and compare
 *   integ-snapshots.ts update [filter]   rewrite the snapshots from a fresh synth
 *
 * A snapshot is the cloud assembly without asset bodies (`asset.*`, whose hashes the templates
 * already carry) and without `tree.json`, `manifest.json` and `performance-counters.json` (tool versions and timings,
 * not infrastructure).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cdkSynth, mapLimit, ROOT } from './cdk-cli';

const INTEG_DIR = path.join(ROOT, 'integ');
const IGNORED = [/^asset\./, /^tree\.json$/, /^manifest\.json$/, /^cdk\.out$/, /^performance-counters\.json$/];

/** Every integ app under `dir`, as absolute paths, sorted. */
export function findIntegApps(dir: string = INTEG_DIR): string[] {
  if (!fs.existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.endsWith('.snapshot') && entry.name !== 'node_modules') {
      found.push(...findIntegApps(full));
    } else if (entry.isFile() && /^integ\..+\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      found.push(full);
    }
  }
  return found.sort();
}

/** The snapshot directory of an integ app. */
export function snapshotDir(appFile: string): string {
  return `${appFile}.snapshot`;
}

/** The snapshot's files, relative to `dir`, sorted. */
export function snapshotFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const files: string[] = [];
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      if (IGNORED.some(re => re.test(entry.name))) continue;
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else files.push(rel);
    }
  };
  walk('');
  return files.sort();
}

/** The first path at which two JSON values differ, or undefined when they are equal. */
export function firstDifference(expected: unknown, actual: unknown, at = ''): string | undefined {
  if (typeof expected !== typeof actual || Array.isArray(expected) !== Array.isArray(actual) || (expected === null) !== (actual === null)) {
    return at || '(root)';
  }
  if (expected && typeof expected === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    for (const key of new Set([...Object.keys(e), ...Object.keys(a)])) {
      const diff = firstDifference(e[key], a[key], `${at}/${key}`);
      if (diff) return diff;
    }
    return undefined;
  }
  return expected === actual ? undefined : at || '(root)';
}

/**
 * Removes what changes on every synth without changing infrastructure: integ-tests-alpha gives each
 * assertion a `salt` of the current time, which also changes the template's hash in the assets manifest.
 */
export function normalize(file: string, text: string): string {
  if (!file.endsWith('.json')) return text;
  const json = JSON.parse(text);
  if (file.endsWith('.template.json')) {
    for (const resource of Object.values<any>(json.Resources ?? {})) {
      if (resource?.Properties?.salt !== undefined) resource.Properties.salt = '<salt>';
    }
  } else if (file.endsWith('.assets.json') && json.files) {
    json.files = Object.fromEntries(Object.entries<any>(json.files).map(([hash, entry]) => {
      if (!String(entry?.source?.path ?? '').endsWith('.template.json')) return [hash, entry];
      const destinations = Object.fromEntries(Object.entries<any>(entry.destinations ?? {})
        .map(([k, d]) => [k.replace(/-[0-9a-f]{8}$/, ''), { ...d, objectKey: '<template hash>.json' }]));
      return [`template:${entry.source.path}`, { ...entry, destinations }];
    }));
  }
  return JSON.stringify(json, undefined, 1) + '\n';
}

/** Lists how a fresh synth (`actualDir`) differs from a committed snapshot (`expectedDir`); empty when equal. */
export function compareSnapshot(expectedDir: string, actualDir: string): string[] {
  const expected = snapshotFiles(expectedDir);
  const actual = snapshotFiles(actualDir);
  const problems: string[] = [];
  for (const file of expected.filter(f => !actual.includes(f))) problems.push(`${file}: in the snapshot, no longer synthesized`);
  for (const file of actual.filter(f => !expected.includes(f))) problems.push(`${file}: synthesized, not in the snapshot`);
  for (const file of expected.filter(f => actual.includes(f))) {
    const before = fs.readFileSync(path.join(expectedDir, file), 'utf8');
    const after = normalize(file, fs.readFileSync(path.join(actualDir, file), 'utf8'));
    if (before === after) continue;
    let where: string | undefined = 'content';
    try {
      where = firstDifference(JSON.parse(before), JSON.parse(after));
    } catch {
      // not JSON: the text differs
    }
    problems.push(`${file}: changed at ${where}`);
  }
  return problems;
}

/** Copies a synthesized assembly into a snapshot directory, replacing what was there. */
export function writeSnapshot(actualDir: string, targetDir: string): void {
  fs.rmSync(targetDir, { recursive: true, force: true });
  for (const file of snapshotFiles(actualDir)) {
    fs.mkdirSync(path.dirname(path.join(targetDir, file)), { recursive: true });
    fs.writeFileSync(path.join(targetDir, file), normalize(file, fs.readFileSync(path.join(actualDir, file), 'utf8')));
  }
}

/** Fails when a committed snapshot holds a machine path. */
export function machinePaths(dir: string): string[] {
  return snapshotFiles(dir).filter(file => /(^|[^\w.~-])\/(work|root|home|tmp|Users)\//m.test(fs.readFileSync(path.join(dir, file), 'utf8')))
    .map(file => `${file}: holds an absolute machine path (set aws:cdk:disable-creation-stack-traces and aws:cdk:disable-stack-trace)`);
}

async function main(): Promise<void> {
  const [mode, filter] = process.argv.slice(2);
  if (mode !== 'verify' && mode !== 'update') {
    throw new Error(`usage: integ-snapshots.ts verify|update [filter]; got '${mode ?? ''}'`);
  }
  const apps = findIntegApps().filter(f => !filter || f.includes(filter));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-devtools-integ-'));
  const started = Date.now();
  const results = await mapLimit(apps, Math.max(1, Math.min(os.cpus().length, 4)), async app => {
    const rel = path.relative(ROOT, app);
    const out = path.join(tmp, rel.replace(/[\\/]/g, '_'));
    const synth = await cdkSynth(app, out);
    if (synth.code !== 0) {
      return { rel, problems: [`cdk synth failed (exit ${synth.code}):\n${synth.output.trim()}`] };
    }
    if (mode === 'update') {
      writeSnapshot(out, snapshotDir(app));
      return { rel, problems: machinePaths(snapshotDir(app)) };
    }
    if (!fs.existsSync(snapshotDir(app))) {
      return { rel, problems: ['no committed snapshot: run `npx projen integ:snapshot` and commit it'] };
    }
    return { rel, problems: [...compareSnapshot(snapshotDir(app), out), ...machinePaths(snapshotDir(app))] };
  });
  // Snapshots whose app is gone are stale.
  const stale = findSnapshotDirs().filter(dir => !apps.includes(dir.replace(/\.snapshot$/, '')) && (!filter || dir.includes(filter)));
  fs.rmSync(tmp, { recursive: true, force: true });

  let failed = 0;
  for (const r of results) {
    const verdict = r.problems.length === 0 ? (mode === 'update' ? 'UPDATED' : 'UNCHANGED') : 'FAILED';
    console.log(`${verdict.padEnd(9)} ${r.rel}`);
    for (const p of r.problems) console.log(`          ${p.replace(/\n/g, '\n          ')}`);
    if (r.problems.length > 0) failed++;
  }
  for (const dir of stale) {
    console.log(`STALE     ${path.relative(ROOT, dir)}: its app is gone; delete the snapshot`);
    failed++;
  }
  console.log(`integ ${mode}: ${results.length - failed} of ${results.length} apps ok in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (failed > 0) {
    if (mode === 'verify') console.log('a template changed: review it, then refresh with `npx projen integ:snapshot` and commit the snapshot');
    process.exitCode = 1;
  }
}

function findSnapshotDirs(dir: string = INTEG_DIR): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).filter(e => e.isDirectory()).flatMap(e => {
    const full = path.join(dir, e.name);
    return e.name.endsWith('.snapshot') ? [full] : findSnapshotDirs(full);
  });
}

if (require.main === module) {
  main().catch(err => {
    console.error(err);
    process.exitCode = 1;
  });
}
