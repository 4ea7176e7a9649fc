/**
 * The main job: synthesize the example platform (test/platform/main.ts) with the CDK CLI into cdk.out/
 * and print where each template is, its resources by type, the checks' verdicts and every warning by name.
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

/** One warning of the synth, named and placed. */
export interface SynthWarning {
  /** Where it comes from: the validator's rule id, or the construct annotation's id. */
  readonly id: string;
  readonly construct: string;
  readonly message: string;
}

/** What the checks concluded: the CloudFormation validator's verdict per plugin and every warning, named. */
export interface SynthChecks {
  readonly verdicts: string[];
  readonly warnings: SynthWarning[];
  readonly reportFile: string;
}

/**
 * Reads the checks of a cloud assembly: the validation report aws-cdk-lib writes beside the templates (violations
 * that are warnings, and findings the code acknowledged with a reason) and the warnings constructs annotated.
 */
export function readChecks(outdir: string): SynthChecks {
  const reportFile = path.join(outdir, 'validation-report.json');
  if (!fs.existsSync(reportFile)) {
    throw new Error(`no ${reportFile}: the CloudFormation validator did not run (is @aws-cdk/core:strictCfnValidateErrors set?)`);
  }
  const validation = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  const verdicts: string[] = [];
  const warnings: SynthWarning[] = [];
  for (const plugin of validation.pluginReports ?? []) {
    const violations: any[] = plugin.violations ?? [];
    const suppressed: any[] = plugin.suppressedViolations ?? [];
    verdicts.push(`${plugin.pluginName} ${plugin.pluginVersion}: ${plugin.conclusion === 'success' ? 'passed' : 'FAILED'}, `
      + `${violations.length} violations, ${suppressed.length} acknowledged`);
    for (const v of [...violations, ...suppressed]) {
      const why = v.reason ? ` (acknowledged: ${v.reason})` : '';
      for (const c of v.violatingConstructs ?? [{ constructPath: '?' }]) {
        warnings.push({ id: `${plugin.pluginName} ${v.ruleName}`, construct: c.constructPath, message: `${v.description}${why}` });
      }
    }
  }
  if (verdicts.length === 0) verdicts.push('CloudFormation validator: passed, no findings');
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  for (const artifact of Object.values<any>(manifest.artifacts ?? {})) {
    const more = artifact.additionalMetadataFile
      ? JSON.parse(fs.readFileSync(path.join(outdir, artifact.additionalMetadataFile), 'utf8')) : {};
    for (const [construct, entries] of Object.entries<any[]>({ ...artifact.metadata, ...more })) {
      for (const entry of entries.filter(e => e.type === 'aws:cdk:warning')) {
        const text = String(entry.data);
        const id = /\[ack: ([^\]]+)\]/.exec(text)?.[1] ?? 'construct warning';
        warnings.push({ id, construct: construct.replace(/^\//, ''), message: text.replace(/\s*\[ack: [^\]]+\]$/, '') });
      }
    }
  }
  return { verdicts, warnings, reportFile };
}

/** The lines the main job prints after a successful synth. */
export function report(outdir: string, seconds: number): string[] {
  const lines = [`Synthesized the example platform (test/platform/main.ts) in ${seconds.toFixed(1)} s into ${outdir}`];
  for (const s of summarizeAssembly(outdir)) {
    lines.push('', `${s.stack}: ${s.resources} resources, ${(s.bytes / 1024).toFixed(1)} KiB (${path.join(outdir, `${s.stack}.template.json`)})`);
    for (const [type, n] of Object.entries(s.byType).sort()) lines.push(`  ${String(n).padStart(4)}  ${type}`);
  }
  const checks = readChecks(outdir);
  lines.push('', 'Checks:', ...checks.verdicts.map(v => `  ${v}`), '  cdk-nag AwsSolutions: no unsuppressed errors (the synth fails on any)');
  lines.push('', checks.warnings.length === 0 ? 'Warnings: none' : `Warnings: ${checks.warnings.length}`);
  for (const w of checks.warnings) lines.push(`  ${w.id} at ${w.construct}: ${w.message}`);
  lines.push('', `Full validation report: ${checks.reportFile}`);
  return lines;
}

/** The CLI's output when the synth failed, with what to do for the failures a fresh clone can meet. */
export function explainFailure(output: string): string {
  const hints: string[] = [];
  if (/CannotFindAsset|Cannot find asset/.test(output)) {
    hints.push('The handlers are not bundled: run `npx projen bundle` (the platform task does it first) and try again.');
  }
  if (/Cannot find module|MODULE_NOT_FOUND/.test(output)) {
    hints.push('A dependency is missing: run `npm ci` in the repository first.');
  }
  return [output.trim(), ...hints].join('\n');
}

async function main(): Promise<void> {
  const outdir = path.join(ROOT, 'cdk.out');
  fs.rmSync(outdir, { recursive: true, force: true });
  const started = Date.now();
  const result = await cdkSynth(path.join(ROOT, 'test', 'platform', 'main.ts'), outdir);
  if (result.code !== 0) {
    console.error(explainFailure(result.output));
    throw new Error(`cdk synth of the platform app failed (exit ${result.code})`);
  }
  console.log(report(outdir, (Date.now() - started) / 1000).join('\n'));
}

if (require.main === module) {
  main().catch(err => {
    console.error(err.message ?? err);
    process.exitCode = 1;
  });
}
