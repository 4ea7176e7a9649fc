/**
 * The main job: synthesize the example platform (test/platform/main.ts) with the CDK CLI into cdk.out/
 * and print, per stack, its resources by type and the CloudFormation validator's verdict.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cdkSynth, ROOT } from './cdk-cli';

export interface StackSummary {
  readonly stack: string;
  readonly resources: number;
  readonly byType: Record<string, number>;
  readonly bytes: number;
}

/** Summarizes the stacks of a cloud assembly directory. */
export function summarizeAssembly(outdir: string): StackSummary[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  return Object.entries<any>(manifest.artifacts ?? {})
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([name, a]) => {
      const file = path.join(outdir, a.properties.templateFile);
      const text = fs.readFileSync(file, 'utf8');
      const resources = Object.values<any>(JSON.parse(text).Resources ?? {});
      const byType: Record<string, number> = {};
      for (const r of resources) byType[r.Type] = (byType[r.Type] ?? 0) + 1;
      return { stack: name, resources: resources.length, byType, bytes: Buffer.byteLength(text) };
    });
}

/** The validator's verdict, from the report aws-cdk-lib writes beside the templates. */
export function validatorVerdict(outdir: string): string {
  const report = path.join(outdir, 'validation-report.json');
  if (!fs.existsSync(report)) {
    throw new Error(`no ${report}: the CloudFormation validator did not run (is @aws-cdk/core:strictCfnValidateErrors set?)`);
  }
  const json = JSON.parse(fs.readFileSync(report, 'utf8'));
  return (json.pluginReports ?? []).map((p: any) =>
    `${p.pluginName} ${p.pluginVersion}: ${p.conclusion === 'success' ? 'passed' : 'FAILED'}, `
    + `${p.violations?.length ?? 0} violations, ${p.suppressedViolations?.length ?? 0} warnings`).join('\n');
}

async function main(): Promise<void> {
  const outdir = path.join(ROOT, 'cdk.out');
  fs.rmSync(outdir, { recursive: true, force: true });
  const started = Date.now();
  const result = await cdkSynth(path.join(ROOT, 'test', 'platform', 'main.ts'), outdir);
  if (result.code !== 0) {
    console.error(result.output);
    throw new Error(`cdk synth of the platform app failed (exit ${result.code})`);
  }
  console.log(`synthesized the platform into cdk.out/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const s of summarizeAssembly(outdir)) {
    console.log(`\n${s.stack}: ${s.resources} resources, ${(s.bytes / 1024).toFixed(1)} KiB template`);
    for (const [type, n] of Object.entries(s.byType).sort()) console.log(`  ${String(n).padStart(4)}  ${type}`);
  }
  console.log(`\n${validatorVerdict(outdir)}`);
  console.log('cdk-nag AwsSolutions: no unsuppressed errors (the CLI fails the synth on any)');
}

if (require.main === module) {
  main().catch(err => {
    console.error(err.message ?? err);
    process.exitCode = 1;
  });
}
