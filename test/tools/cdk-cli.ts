import { spawn } from 'child_process';
import * as path from 'path';

/** The repository root (this file lives in test/tools/). */
export const ROOT = path.resolve(__dirname, '..', '..');

/** How an app file is run: TypeScript straight from source, type-checked separately by `tsc`. */
export function appCommand(appFile: string): string {
  const tsNode = path.join(ROOT, 'node_modules', '.bin', 'ts-node');
  return `${tsNode} --transpile-only --project ${path.join(ROOT, 'test', 'tsconfig.json')} ${path.relative(ROOT, appFile)}`;
}

export interface CliResult {
  readonly code: number;
  readonly output: string;
}

/** Runs `cdk synth` of the real CDK CLI (the devDependency `aws-cdk@^2`) for one app into `outdir`. */
export function cdkSynth(appFile: string, outdir: string): Promise<CliResult> {
  const cdk = path.join(ROOT, 'node_modules', '.bin', 'cdk');
  const args = ['synth', '--app', appCommand(appFile), '--output', outdir, '--quiet', '--no-notices', '--no-version-reporting', '--ci'];
  return new Promise(resolve => {
    const child = spawn(cdk, args, { cwd: ROOT, env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' } });
    let output = '';
    child.stdout.on('data', d => { output += d; });
    child.stderr.on('data', d => { output += d; });
    child.on('close', code => resolve({ code: code ?? 1, output }));
  });
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
